"""Forms of the member pages. They parse and check input; the services decide.

The record's fields come from the model (labels, choices, lengths), styled for Bootstrap,
with dates typed dd/mm/yyyy. Each form knows which of its fields shows an error that a
service raises under another name (`error_fields`).
"""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.accounts.permissions import CHANGE_MEMBERS
from tochuc.core.widgets import QuickSelect, SharedFieldsForm
from tochuc.lib import search
from tochuc.lib.reference import ETHNICITIES, Gender, PoliticalTheory, Qualification
from tochuc.organizations.forms import DATE_WIDGET, SELECT, TEXT
from tochuc.organizations.models import Kind, Organization
from tochuc.policy.acts import sensible_date

from . import hooks
from .models import ACTIVE_STATUSES, PERSONAL_FIELDS, Member, MemberEvent, Status
from .selectors import MemberFilters

T = MemberEvent.Type
CELL_KINDS = (Kind.CELL, Kind.BASE_CELL)
MAX_CELL_CHOICES = 500

# Hints for fields whose format is not obvious.
_HINTS = {
    "citizen_id": {"inputmode": "numeric", "placeholder": gettext_lazy("12 chữ số")},
    "general_education": {"placeholder": gettext_lazy("VD: 12/12")},
    "phone": {"inputmode": "tel"},
    "party_card_no": {"autocomplete": "off"},
}


def _style(field: forms.Field) -> forms.Field:
    widget = field.widget
    if isinstance(widget, forms.Select):
        widget.attrs.setdefault("class", "form-select")
    elif isinstance(widget, forms.CheckboxInput):
        widget.attrs.setdefault("class", "form-check-input")
    else:
        widget.attrs.setdefault("class", "form-control")
    return field


def date_field(label, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label, required=required, widget=DATE_WIDGET, help_text=help_text,
        validators=[sensible_date],
    )  # fmt: skip


# Headings shown above a field, grouping the record as form 2-HSĐV does.
HEADINGS = {
    "cell": gettext_lazy("Nơi sinh hoạt"),
    "full_name": gettext_lazy("Sơ yếu lý lịch"),
    "general_education": gettext_lazy("Trình độ, công tác"),
    "party_card_no": gettext_lazy("Vào Đảng"),
    "reason": gettext_lazy("Căn cứ sửa hồ sơ"),
}


def with_headings(fields: dict[str, forms.Field]) -> dict[str, forms.Field]:
    for name, heading in HEADINGS.items():
        if name in fields:
            fields[name].heading = heading
    return fields


def record_fields() -> dict[str, forms.Field]:
    """Form fields for the personal record (models.PERSONAL_FIELDS), in that order."""
    fields = forms.fields_for_model(
        Member, fields=PERSONAL_FIELDS, widgets={"birth_date": DATE_WIDGET}
    )
    for name, field in fields.items():
        _style(field)
        field.widget.attrs.update(_HINTS.get(name, {}))
        choices = getattr(field, "choices", None)
        if choices and choices[0] == ("", "---------"):
            field.choices = [("", "—"), *choices[1:]]
    return fields


# ---------------------------------------------------------------- the record


class MemberEditForm(forms.Form):
    """The personal record, the reason for the change and the version it was made from."""

    reason = forms.CharField(
        label=gettext_lazy("Lý do / căn cứ"),
        max_length=255,
        help_text=gettext_lazy("VD: theo Phiếu bổ sung hồ sơ đảng viên năm 2025."),
        widget=forms.TextInput(attrs=TEXT),
    )
    row_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, member: Member, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member
        self.fields = with_headings({**record_fields(), **self.fields})
        if not self.is_bound:
            self.initial = {name: getattr(member, name) for name in PERSONAL_FIELDS}
            self.initial["row_version"] = member.row_version

    @property
    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in PERSONAL_FIELDS}


def duplicate_reason_field() -> forms.CharField:
    """The reason to save a record that likely duplicates another: hidden until
    `check_likely_duplicates` finds one."""
    return forms.CharField(
        label=gettext_lazy("Lý do vẫn lưu dù nghi trùng"),
        max_length=200,
        required=False,
        widget=forms.HiddenInput,
    )


def check_likely_duplicates(form: forms.Form, record: dict) -> None:
    """The one entry check of the forms that add a person (a member, a candidate): the
    likely duplicates of `record` in the form's scope (`hooks.entry_checks`) go to
    `form.likely_duplicates`, shown above the form; saving anyway needs a reason in the
    form's `duplicate_reason`, an error beside it until one is given."""
    form.likely_duplicates = []
    if not hooks.entry_checks:
        return
    form.likely_duplicates = hooks.entry_warnings(None, record, scope=form.scope)
    if form.likely_duplicates:
        form.fields["duplicate_reason"].widget = forms.TextInput(attrs=TEXT)
        if not form.cleaned_data.get("duplicate_reason", "").strip():
            form.add_error(
                "duplicate_reason",
                _(
                    "Hồ sơ này có thể trùng với hồ sơ đã có (xem danh sách ở đầu trang). "
                    "Nếu đúng là người khác, hãy ghi lý do để vẫn lưu."
                ),
            )


def duplicate_note(data: dict) -> str:
    """The reason a likely duplicate was saved anyway, for the record's history ("" if none)."""
    reason = (data.get("duplicate_reason") or "").strip()
    return _("Vẫn lưu khi nghi trùng: %(reason)s") % {"reason": reason} if reason else ""


class MemberAddForm(forms.Form):
    """A member entered with their admission (and confirmation) into a cell."""

    error_fields = {"organization": "cell"}

    cell = forms.TypedChoiceField(
        label=gettext_lazy("Chi bộ sinh hoạt"), coerce=int, widget=forms.Select(attrs=SELECT)
    )
    admission_decision_no = forms.CharField(
        label=gettext_lazy("Số quyết định kết nạp"),
        max_length=60,
        required=False,
        widget=forms.TextInput(attrs={**TEXT, "placeholder": gettext_lazy("VD: 125-QĐ/ĐU")}),
    )
    admitted_on = date_field(gettext_lazy("Ngày quyết định kết nạp"))
    ceremony_on = date_field(gettext_lazy("Ngày vào Đảng (lễ kết nạp)"), required=False)
    confirmed_on = date_field(
        gettext_lazy("Ngày chính thức"),
        required=False,
        help_text=gettext_lazy("Để trống nếu đảng viên còn dự bị."),
    )
    since = date_field(
        gettext_lazy("Sinh hoạt tại chi bộ từ ngày"),
        required=False,
        help_text=gettext_lazy(
            "Để trống: từ ngày vào Đảng, hoặc từ ngày thành lập chi bộ nếu chi bộ thành lập "
            "sau ngày đó."
        ),
    )
    # Shown only when the record likely duplicates one already kept (`clean`).
    duplicate_reason = duplicate_reason_field()

    def __init__(self, *args, organization: Organization, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization
        self.scope = scope
        self.likely_duplicates: list[dict] = []
        cell = self.fields.pop("cell")
        self.fields = with_headings({"cell": cell, **record_fields(), **self.fields})
        self.cells = self._cells(organization, scope)
        self.too_many_cells = len(self.cells) > MAX_CELL_CHOICES
        choices = [(c.pk, c.name) for c in self.cells[:MAX_CELL_CHOICES]]
        if len(choices) != 1:
            choices = [("", "—")] + choices
        self.fields["cell"].choices = choices

    @staticmethod
    def _cells(organization: Organization, scope) -> list[Organization]:
        if organization.kind in CELL_KINDS:
            return [organization]
        from tochuc.organizations.selectors import organization_search

        found = organization_search(scope=scope, kinds=list(CELL_KINDS), under=organization)
        return list(found[: MAX_CELL_CHOICES + 1])

    def chosen_cell(self) -> Organization:
        return next(c for c in self.cells if c.pk == self.cleaned_data["cell"])

    def clean(self):
        """A likely duplicate of a record in the caller's scope (`hooks.entry_checks`) is
        shown before saving; saving anyway needs a reason (kept in the record's history)."""
        data = super().clean()
        if not self.errors:
            record = {name: data.get(name) for name in PERSONAL_FIELDS}
            record.update(admitted_on=data.get("admitted_on"), organization_id=data.get("cell"))
            check_likely_duplicates(self, record)
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        cell = self.chosen_cell()
        admitted_on, ceremony_on = data["admitted_on"], data.get("ceremony_on")
        since = data.get("since") or max(admitted_on, cell.founded_on)
        return {
            "organization": cell,
            "record": {name: data[name] for name in PERSONAL_FIELDS},
            "admitted_on": admitted_on,
            "admission_decision_no": data.get("admission_decision_no", "").strip(),
            "ceremony_on": ceremony_on,
            "confirmed_on": data.get("confirmed_on"),
            "since": since,
            "reason": duplicate_note(data),
        }


# ---------------------------------------------------------------- procedures


class ProcedureForm(forms.Form):
    """Fields every procedure carries: the date and the decision it rests on."""

    error_fields: dict[str, str] = {}

    on = date_field(gettext_lazy("Ngày"))
    decision_no = forms.CharField(
        label=gettext_lazy("Số quyết định"),
        max_length=60,
        required=False,
        widget=forms.TextInput(attrs={**TEXT, "placeholder": gettext_lazy("VD: 125-QĐ/ĐU")}),
    )

    def __init__(self, *args, member: Member, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member
        self.scope = scope

    def common(self) -> dict:
        data = self.cleaned_data
        return {"on": data["on"], "decision_no": data.get("decision_no", "").strip()}


class ConfirmForm(ProcedureForm):
    decision_date = date_field(gettext_lazy("Ngày quyết định"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].label = _("Ngày chính thức")
        self.fields["on"].help_text = _(
            "Ngày hết thời gian dự bị: đảng viên chính thức từ ngày này dù quyết định ban "
            "hành muộn hơn."
        )

    def service_kwargs(self) -> dict:
        return {**self.common(), "decision_date": self.cleaned_data.get("decision_date")}


class ExemptForm(ProcedureForm):
    grounds = forms.CharField(
        label=gettext_lazy("Lý do"),
        required=False,
        max_length=255,
        widget=forms.TextInput(
            attrs={**TEXT, "placeholder": gettext_lazy("VD: tuổi cao, sức khỏe yếu")}
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].label = (
            _("Ngày thôi miễn") if self.ending else _("Ngày chi bộ quyết định miễn")
        )
        self.fields["decision_no"].label = _("Số nghị quyết, quyết định của chi bộ")

    @property
    def ending(self) -> bool:
        return self.member.is_exempted

    def service_kwargs(self) -> dict:
        return {
            **self.common(),
            "end": self.ending,
            "grounds": self.cleaned_data.get("grounds", ""),
        }


EXIT_TYPES = [(t.value, t.label) for t in (T.REMOVED, T.EXPELLED, T.RESIGNED, T.DIED)]


class ExitForm(ProcedureForm):
    type = forms.ChoiceField(
        label=gettext_lazy("Hình thức"), choices=EXIT_TYPES, widget=forms.Select(attrs=SELECT)
    )
    decision_date = date_field(gettext_lazy("Ngày quyết định"), required=False)
    grounds = forms.CharField(
        label=gettext_lazy("Căn cứ, lý do"),
        required=False,
        help_text=gettext_lazy("Bắt buộc với xóa tên, khai trừ và xin ra khỏi Đảng."),
        widget=forms.Textarea(attrs={**TEXT, "rows": 2}),
    )
    field_order = ["type", "on", "decision_no", "decision_date", "grounds"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].label = _("Ngày ra khỏi Đảng")

    def clean(self):
        data = super().clean()
        if data.get("type") and data["type"] != T.DIED and not data.get("grounds", "").strip():
            self.add_error("grounds", _("Hãy ghi căn cứ, lý do."))
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            **self.common(),
            "type": data["type"],
            "decision_date": data.get("decision_date"),
            "grounds": data.get("grounds", "").strip(),
        }


# ---------------------------------------------------------------- the list's filters

STATUS_FILTERS = {
    "dang_sinh_hoat": (gettext_lazy("Đang sinh hoạt"), list(ACTIVE_STATUSES)),
    "du_bi": (gettext_lazy("Dự bị"), [Status.PROBATIONARY]),
    "chinh_thuc": (gettext_lazy("Chính thức"), [Status.FULL]),
    "chuyen_di": (Status.TRANSFERRED_AWAY.label, [Status.TRANSFERRED_AWAY]),
    "da_ra": (Status.LEFT.label, [Status.LEFT]),
    "tu_tran": (Status.DECEASED.label, [Status.DECEASED]),
    "tat_ca": (gettext_lazy("Tất cả"), []),
}
DEFAULT_STATUS = "dang_sinh_hoat"
AGE_BANDS = {
    "den-30": (gettext_lazy("Đến 30 tuổi"), None, 30),
    "31-40": (gettext_lazy("31 – 40 tuổi"), 31, 40),
    "41-50": (gettext_lazy("41 – 50 tuổi"), 41, 50),
    "51-60": (gettext_lazy("51 – 60 tuổi"), 51, 60),
    "61-70": (gettext_lazy("61 – 70 tuổi"), 61, 70),
    "tren-70": (gettext_lazy("Trên 70 tuổi"), 71, None),
}
ANY = [("", gettext_lazy("Tất cả"))]


def _select(choices, **attrs) -> forms.ChoiceField:
    return forms.ChoiceField(
        choices=ANY + list(choices),
        required=False,
        widget=QuickSelect(attrs={**SELECT, "data-autosubmit": "", **attrs}),
    )


def _years(label) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=150,
        widget=forms.NumberInput(attrs={**TEXT, "inputmode": "numeric"}),
    )


class MemberFilterForm(SharedFieldsForm):
    """The list's filters (GET). Invalid values are ignored rather than refused."""

    q = search.SearchField(label=gettext_lazy("Tìm"))
    trang_thai = forms.ChoiceField(
        label=gettext_lazy("Trạng thái"),
        choices=[(k, label) for k, (label, _s) in STATUS_FILTERS.items()],
        required=False,
        widget=QuickSelect(attrs={**SELECT, "data-autosubmit": ""}),
    )
    gioi_tinh = _select(Gender.choices)
    tuoi = _select([(k, label) for k, (label, _a, _b) in AGE_BANDS.items()])
    dan_toc = _select(ETHNICITIES)
    chuyen_mon = _select([c for c in Qualification.choices if c[0]])
    ly_luan = _select([c for c in PoliticalTheory.choices if c[0]])
    tuoi_dang_tu = _years(gettext_lazy("Tuổi đảng từ"))
    tuoi_dang_den = _years(gettext_lazy("đến"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.is_valid()

    def localize_fields(self, fields):
        labels = {
            "gioi_tinh": _("Giới tính"),
            "tuoi": _("Độ tuổi"),
            "dan_toc": _("Dân tộc"),
            "chuyen_mon": _("Chuyên môn"),
            "ly_luan": _("Lý luận chính trị"),
        }
        for name, label in labels.items():
            fields[name].label = label

    def value(self, name: str):
        """A field's cleaned value, or its empty value when what was sent is invalid."""
        if name in self.errors:
            return None
        return self.cleaned_data.get(name)

    def to_filters(self, organization: Organization | None) -> MemberFilters:
        status = self.value("trang_thai") or DEFAULT_STATUS
        band = AGE_BANDS.get(self.value("tuoi") or "")
        return MemberFilters(
            # A refused query is passed on as typed: the selector refuses it too (never
            # "no query", which would list everyone).
            text=self.data.get("q", "") if self.query_error else self.value("q") or "",
            organization=organization,
            statuses=list(STATUS_FILTERS[status][1]),
            gender=self.value("gioi_tinh") or "",
            ethnicity=self.value("dan_toc") or "",
            qualification=self.value("chuyen_mon") or "",
            political_theory=self.value("ly_luan") or "",
            age_min=band[1] if band else None,
            age_max=band[2] if band else None,
            party_age_min=self.value("tuoi_dang_tu"),
            party_age_max=self.value("tuoi_dang_den"),
        )

    @property
    def query_error(self) -> str:
        """Why the search box's text is refused (over the caps of lib.search), or ""."""
        return self.errors["q"][0] if "q" in self.errors else ""

    def narrows(self) -> bool:
        """Whether a filter other than the search box and the default status is set."""
        values = self.summary()
        values.pop("q", None)
        if values.get("trang_thai") == DEFAULT_STATUS:
            del values["trang_thai"]
        return bool(values)

    def summary(self) -> dict:
        """What the list was filtered by, for the audit log of an export."""
        values = {name: self.value(name) for name in self.fields}
        return {name: value for name, value in values.items() if value not in ("", None)}


# ---------------------------------------------------------------- forms on a member's page


def text_field(label, *, required=True, max_length=255, placeholder="", help_text=""):
    attrs = {**TEXT, "placeholder": placeholder} if placeholder else dict(TEXT)
    return forms.CharField(
        label=label, required=required, max_length=max_length, help_text=help_text,
        widget=forms.TextInput(attrs=attrs),
    )  # fmt: skip


class MemberForm(forms.Form):
    """A form on one member's page (the shape `views.procedure_page` expects)."""

    error_fields: dict[str, str] = {}

    def __init__(self, *args, member, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member
        self.scope = scope


class ReadmitForm(MemberForm):
    error_fields = {"organization": "to_code"}

    to_code = text_field(gettext_lazy("Mã chi bộ sinh hoạt"), max_length=40)
    decided_on = date_field(gettext_lazy("Ngày quyết định kết nạp lại"))
    ceremony_on = date_field(gettext_lazy("Ngày lễ kết nạp lại"), required=False)
    decision_no = text_field(gettext_lazy("Số quyết định"), required=False, max_length=60,
                             placeholder=gettext_lazy("VD: 125-QĐ/TU"))  # fmt: skip
    consent = text_field(
        gettext_lazy("Văn bản đồng ý của cấp ủy có thẩm quyền"),
        placeholder=gettext_lazy("VD: Công văn 12-CV/TU ngày 05/01/2026"),
    )

    def clean(self):
        data = super().clean()
        code = (data.get("to_code") or "").strip()
        if code:
            found = self.scope.organizations().filter(code=code, kind__in=CELL_KINDS).first()
            if found is None:
                self.add_error(
                    "to_code",
                    _("Không tìm thấy chi bộ mã “%(code)s” trong phạm vi quản lý.")
                    % {"code": code},
                )
            elif CHANGE_MEMBERS not in self.scope.permissions_for(found):
                self.add_error(
                    "to_code",
                    _("Đồng chí không có quyền tiếp nhận đảng viên vào %(name)s.")
                    % {"name": found.name},
                )
            data["organization"] = found
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "organization": data["organization"],
            "decided_on": data["decided_on"],
            "ceremony_on": data.get("ceremony_on"),
            "decision_no": data.get("decision_no", "").strip(),
            "consent": data["consent"].strip(),
        }
