"""Forms of the admission pages: they parse and check input; the services decide.

Each step's form names its fields after the service's keyword arguments, so that a view
passes `cleaned_data` straight on. Dates are typed dd/mm/yyyy.
"""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.core.corrections import DATE_WIDGET, CorrectionForm
from tochuc.members.forms import (
    check_likely_duplicates,
    date_field,
    duplicate_note,
    duplicate_reason_field,
    record_fields,
    with_headings,
)
from tochuc.members.models import Member, Status
from tochuc.organizations.forms import SELECT, TEXT
from tochuc.organizations.models import Kind, Organization

from .models import CANDIDATE_FIELDS, UnionKind

CELL_KINDS = (Kind.CELL, Kind.BASE_CELL)
MAX_CELL_CHOICES = 500


def text_field(label, *, required=True, max_length=60, placeholder="", rows=0, help_text=""):
    attrs = {**TEXT, **({"placeholder": placeholder} if placeholder else {})}
    widget = forms.Textarea(attrs={**attrs, "rows": rows}) if rows else forms.TextInput(attrs)
    return forms.CharField(
        label=label,
        required=required,
        max_length=None if rows else max_length,
        widget=widget,
        help_text=help_text,
    )


def count_field(label):
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=10_000,
        widget=forms.NumberInput(attrs={**TEXT, "inputmode": "numeric"}),
    )


class StepForm(forms.Form):
    """A step's form; `service_kwargs()` is what the service takes besides the candidate."""

    error_fields: dict[str, str] = {}

    def __init__(self, *args, candidate=None, member=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidate, self.member = candidate, member

    def service_kwargs(self) -> dict:
        return {k: (v.strip() if isinstance(v, str) else v) for k, v in self.cleaned_data.items()}


class CandidateForm(forms.Form):
    """1. A candidate identified by a cell: the cell, the record, the day."""

    error_fields = {"organization": "cell"}

    cell = forms.TypedChoiceField(
        label=gettext_lazy("Chi bộ"), coerce=int, widget=forms.Select(attrs=SELECT)
    )
    on = date_field(gettext_lazy("Ngày chi bộ xác định đối tượng"))
    note = text_field(gettext_lazy("Ghi chú"), required=False, rows=2)
    # Shown only when the person likely duplicates a member or candidate already kept.
    duplicate_reason = duplicate_reason_field()

    def __init__(self, *args, organization: Organization, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope = scope
        self.likely_duplicates: list[dict] = []
        personal = {k: v for k, v in record_fields().items() if k in CANDIDATE_FIELDS}
        cell = self.fields.pop("cell")
        self.fields = with_headings({"cell": cell, **personal, **self.fields})
        if organization.kind in CELL_KINDS:
            self.cells = [organization]
        else:
            from tochuc.organizations.selectors import organization_search

            found = organization_search(scope=scope, kinds=list(CELL_KINDS), under=organization)
            self.cells = list(found[: MAX_CELL_CHOICES + 1])
        self.too_many_cells = len(self.cells) > MAX_CELL_CHOICES
        choices = [(c.pk, c.name) for c in self.cells[:MAX_CELL_CHOICES]]
        self.fields["cell"].choices = choices if len(choices) == 1 else [("", "—"), *choices]

    def clean(self):
        """A likely duplicate (a member or candidate of the caller's scope: the matcher of
        `members.hooks.entry_checks`, as on the member form) is shown before saving; saving
        anyway needs a reason, kept in the candidate's first step and the audit log."""
        data = super().clean()
        if not self.errors:
            record = {name: data.get(name) for name in CANDIDATE_FIELDS}
            check_likely_duplicates(self, {**record, "organization_id": data.get("cell")})
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "cell": next(c for c in self.cells if c.pk == data["cell"]),
            "record": {name: data[name] for name in CANDIDATE_FIELDS},
            "on": data["on"],
            "note": data.get("note", "").strip(),
            "duplicate_reason": duplicate_note(data),
        }


class CourseForm(StepForm):
    certificate_no = text_field(
        gettext_lazy("Số giấy chứng nhận"), placeholder=gettext_lazy("VD: 125-GCN/TTCT")
    )
    on = date_field(gettext_lazy("Ngày cấp giấy chứng nhận"))


class ApplyForm(StepForm):
    on = date_field(gettext_lazy("Ngày làm đơn xin vào Đảng"))


class IntroducerForm(StepForm):
    MEMBER = "member"
    error_fields = {"union": "who"}

    who = forms.ChoiceField(label=gettext_lazy("Người giới thiệu"), widget=forms.RadioSelect)
    member = forms.TypedChoiceField(
        label=gettext_lazy("Đảng viên chính thức của chi bộ"),
        coerce=int,
        required=False,
        widget=forms.Select(attrs=SELECT),
    )
    worked_with_from = date_field(
        gettext_lazy("Cùng công tác với người vào Đảng từ ngày"), required=False
    )
    resolution_no = text_field(gettext_lazy("Số nghị quyết giới thiệu (đoàn thể)"), required=False)
    on = date_field(gettext_lazy("Ngày giới thiệu"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["who"].choices = [(self.MEMBER, _("Đảng viên chính thức")), *UnionKind.choices]
        self.fields["who"].initial = self.MEMBER
        self.members = list(
            Member.objects.filter(organization=self.candidate.cell, status=Status.FULL).order_by(
                "name_sort"
            )
        )
        self.fields["member"].choices = [("", "—"), *((m.pk, m.full_name) for m in self.members)]

    def clean(self):
        data = super().clean()
        if data.get("who") == self.MEMBER and not data.get("member"):
            self.add_error("member", _("Hãy chọn đảng viên giới thiệu."))
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        is_member = data["who"] == self.MEMBER
        return {
            "member": next(m for m in self.members if m.pk == data["member"])
            if is_member
            else None,
            "union": "" if is_member else data["who"],
            "worked_with_from": data.get("worked_with_from") if is_member else None,
            "resolution_no": "" if is_member else data.get("resolution_no", "").strip(),
            "on": data["on"],
        }


class VerifyForm(StepForm):
    on = date_field(gettext_lazy("Ngày kết luận thẩm tra lý lịch"))
    conclusion = text_field(gettext_lazy("Kết luận thẩm tra"), rows=3)


class CellVoteForm(StepForm):
    on = date_field(gettext_lazy("Ngày chi bộ họp xét"))
    resolution_no = text_field(
        gettext_lazy("Số nghị quyết chi bộ"), placeholder=gettext_lazy("VD: 05-NQ/CB")
    )
    votes_for = count_field(gettext_lazy("Số đảng viên chính thức tán thành"))
    votes_against = count_field(gettext_lazy("Số không tán thành"))
    consent = text_field(
        gettext_lazy("Văn bản đồng ý của cấp ủy cấp trên"),
        required=False,
        max_length=255,
        help_text=gettext_lazy(
            "Chỉ khi người vào Đảng đã quá tuổi tối đa theo quy định: số, ngày văn bản."
        ),
    )


class CommitteeForm(StepForm):
    on = date_field(gettext_lazy("Ngày nghị quyết đảng ủy cơ sở"))
    resolution_no = text_field(
        gettext_lazy("Số nghị quyết"), placeholder=gettext_lazy("VD: 12-NQ/ĐU")
    )


class DecideForm(StepForm):
    on = date_field(gettext_lazy("Ngày quyết định kết nạp"))
    decision_no = text_field(
        gettext_lazy("Số quyết định"), placeholder=gettext_lazy("VD: 215-QĐ/ĐU")
    )
    decided_by = text_field(
        gettext_lazy("Cấp ủy ra quyết định"),
        required=False,
        max_length=255,
        placeholder=gettext_lazy("VD: Ban Thường vụ Đảng ủy xã Tân An"),
    )
    late_reason = text_field(
        gettext_lazy("Lý do (trường hợp đặc biệt, quá thời hạn)"), required=False, rows=2
    )


class CeremonyForm(StepForm):
    on = date_field(gettext_lazy("Ngày tổ chức lễ kết nạp"))
    late_reason = text_field(gettext_lazy("Lý do (nếu quá thời hạn)"), required=False, rows=2)


class WithdrawForm(StepForm):
    on = date_field(gettext_lazy("Ngày"))
    reason = text_field(gettext_lazy("Lý do dừng xem xét"), rows=2)


class ConfirmationVoteForm(StepForm):
    on = date_field(gettext_lazy("Ngày chi bộ họp xét"))
    resolution_no = text_field(gettext_lazy("Số nghị quyết chi bộ"), required=False)
    votes_for = count_field(gettext_lazy("Số đảng viên chính thức tán thành"))
    votes_against = count_field(gettext_lazy("Số không tán thành"))


class ConfirmationDecideForm(StepForm):
    confirmed = forms.TypedChoiceField(
        label=gettext_lazy("Quyết định"),
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        choices=[
            ("1", gettext_lazy("Công nhận đảng viên chính thức")),
            ("0", gettext_lazy("Không công nhận, xóa tên")),
        ],
    )
    decision_no = text_field(
        gettext_lazy("Số quyết định"), placeholder=gettext_lazy("VD: 40-QĐ/ĐU")
    )
    decided_on = date_field(gettext_lazy("Ngày quyết định"))
    grounds = text_field(gettext_lazy("Lý do (khi không công nhận)"), required=False, rows=2)


class TargetsForm(forms.Form):
    """A year's targets for the organization's children (blank: none set)."""

    nam = forms.IntegerField(min_value=1950, max_value=2100, widget=forms.HiddenInput)

    def __init__(self, *args, children: list[Organization], current: dict[int, int], **kwargs):
        super().__init__(*args, **kwargs)
        self.children = children
        for child in children:
            self.fields[f"t{child.pk}"] = forms.IntegerField(
                label=child.name,
                required=False,
                min_value=0,
                max_value=1_000_000,
                initial=current.get(child.pk),
                widget=forms.NumberInput(attrs={**TEXT, "inputmode": "numeric"}),
            )

    def rows(self):
        return [(child, self[f"t{child.pk}"]) for child in self.children]

    def targets(self) -> dict[Organization, int | None]:
        return {child: self.cleaned_data.get(f"t{child.pk}") for child in self.children}


class StepCorrectionForm(CorrectionForm):
    """Sửa / Hủy a recorded step: its date and document number, with the reason."""

    on = forms.DateField(label=gettext_lazy("Ngày của bước"), required=False, widget=DATE_WIDGET)
    document_no = forms.CharField(
        label=gettext_lazy("Số văn bản"), max_length=60, required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )  # fmt: skip
    required_when_correcting = ("on",)


class ConfirmationVoteCorrectionForm(CorrectionForm):
    """Sửa / Hủy the cell's vote on a confirmation: its date and resolution number."""

    on = forms.DateField(label=gettext_lazy("Ngày họp chi bộ"), required=False, widget=DATE_WIDGET)
    resolution_no = forms.CharField(
        label=gettext_lazy("Số nghị quyết"), max_length=60, required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )  # fmt: skip
    required_when_correcting = ("on",)


class ConfirmationDecisionCorrectionForm(CorrectionForm):
    """Sửa / Hủy the committee's decision on a confirmation: its number and date."""

    decision_no = forms.CharField(
        label=gettext_lazy("Số quyết định"), max_length=60, required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )  # fmt: skip
    decided_on = forms.DateField(
        label=gettext_lazy("Ngày quyết định"), required=False, widget=DATE_WIDGET
    )
    required_when_correcting = ("decision_no", "decided_on")
