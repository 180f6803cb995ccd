"""Forms for the restructuring events. They parse and check input; the services decide."""

import re

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.accounts.access import global_lookup
from tochuc.accounts.permissions import CHANGE_ORGANIZATIONS
from tochuc.core.corrections import CorrectionForm
from tochuc.lib.dates import vn_date
from tochuc.policy.acts import sensible_date

from . import hooks
from .models import ALLOWED_PARENTS, GrassrootsType, Kind, Organization
from .placement import read_placement
from .services import Decision, NewOrganization

CODE_RE = re.compile(r"^[A-Za-z0-9._-]+$")
DATE_WIDGET = forms.DateInput(
    attrs={"class": "form-control", "placeholder": "dd/mm/yyyy", "inputmode": "numeric"},
    format="%d/%m/%Y",
)
TEXT = {"class": "form-control"}
SELECT = {"class": "form-select"}


def validate_code(value: str) -> None:
    if not CODE_RE.match(value or ""):
        raise ValidationError(_("Mã chỉ gồm chữ cái không dấu, chữ số và các dấu . _ -"))


CODE_UNIQUE = "organizations.forms: code uniqueness"  # accounts/access.py GLOBAL_LOOKUPS


class EventForm(forms.Form):
    """Fields every event carries: its effective date and the decision it rests on."""

    effective_on = forms.DateField(
        label=gettext_lazy("Ngày hiệu lực"), widget=DATE_WIDGET, validators=[sensible_date]
    )
    decision_no = forms.CharField(
        label=gettext_lazy("Số quyết định"),
        max_length=60,
        required=False,
        widget=forms.TextInput(attrs={**TEXT, "placeholder": gettext_lazy("VD: 125-QĐ/TU")}),
    )
    decision_date = forms.DateField(
        label=gettext_lazy("Ngày quyết định"), required=False, widget=DATE_WIDGET,
        validators=[sensible_date],
    )  # fmt: skip
    note = forms.CharField(
        label=gettext_lazy("Ghi chú"),
        required=False,
        widget=forms.Textarea(attrs={**TEXT, "rows": 2}),
    )

    def __init__(self, *args, organization: Organization, scope, **kwargs):
        self.organization = organization
        self.scope = scope
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("effective_on", timezone.localdate())

    def clean(self):
        data = super().clean()
        on, decided = data.get("effective_on"), data.get("decision_date")
        if on and decided and decided > on:
            self.add_error("decision_date", _("Ngày quyết định không được sau ngày hiệu lực."))
        return data

    @property
    def decision(self) -> Decision:
        data = self.cleaned_data
        return Decision(
            data.get("decision_no", ""), data.get("decision_date"), data.get("note", "")
        )

    def organization_by_code(self, field: str, code: str) -> Organization | None:
        """An organization the caller may change, or a field error.

        Out of scope reads exactly as missing; visible but read-only says so.
        """
        code = (code or "").strip()
        if not code:
            return None
        found = self.scope.organizations().filter(code=code).first()
        if found is None:
            self.add_error(
                field,
                _("Không tìm thấy tổ chức mã “%(code)s” trong phạm vi quản lý.") % {"code": code},
            )
        elif not self.may_change(found):
            self.add_error(
                field, _("Đồng chí không có quyền thay đổi %(name)s.") % {"name": found.name}
            )
            return None
        return found

    def may_change(self, organization: Organization | None) -> bool:
        if organization is None:  # a root: only a system administrator
            return self.scope.is_admin
        return CHANGE_ORGANIZATIONS in self.scope.permissions_for(organization)


def _kind_choices_under(parent: Organization | None):
    parent_kind = parent.kind if parent else None
    return [(k.value, k.label) for k in Kind if parent_kind in ALLOWED_PARENTS[k]]


class NewOrganizationFields(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Mã tổ chức"), max_length=40, validators=[validate_code],
        widget=forms.TextInput(attrs=TEXT),
    )  # fmt: skip
    name = forms.CharField(
        label=gettext_lazy("Tên tổ chức"), max_length=255, widget=forms.TextInput(attrs=TEXT)
    )
    kind = forms.ChoiceField(label=gettext_lazy("Loại tổ chức"), widget=forms.Select(attrs=SELECT))
    grassroots_type = forms.ChoiceField(
        label=gettext_lazy("Loại hình cơ sở"),
        required=False,
        choices=[("", "—")] + list(GrassrootsType.choices),
        widget=forms.Select(attrs=SELECT),
    )
    admin_unit_code = forms.CharField(
        label=gettext_lazy("Mã đơn vị hành chính"), max_length=10, required=False,
        widget=forms.TextInput(attrs=TEXT),
    )  # fmt: skip

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if global_lookup(CODE_UNIQUE, Organization.objects.filter(code=code)).exists():
            raise ValidationError(_("Mã tổ chức “%(code)s” đã được dùng.") % {"code": code})
        return code

    def new_organization(self) -> NewOrganization:
        data = self.cleaned_data
        return NewOrganization(
            code=data["code"],
            name=data["name"].strip(),
            kind=data["kind"],
            grassroots_type=data.get("grassroots_type", ""),
            admin_unit_code=data.get("admin_unit_code", ""),
        )


class FoundForm(NewOrganizationFields, EventForm):
    """Found a new organization directly under this one."""

    field_order = ["code", "name", "kind", "grassroots_type", "admin_unit_code"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = _kind_choices_under(self.organization)
        self.fields["effective_on"].label = _("Ngày thành lập")


class RenameForm(EventForm):
    name = forms.CharField(
        label=gettext_lazy("Tên mới"), max_length=255, widget=forms.TextInput(attrs=TEXT)
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Loại tổ chức"), required=False, widget=forms.Select(attrs=SELECT),
        help_text=gettext_lazy("Để trống nếu giữ nguyên loại tổ chức."),
    )  # fmt: skip
    field_order = ["name", "kind"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("— giữ nguyên —"))] + _kind_choices_under(
            self.organization.parent
        )
        if not self.is_bound:
            self.initial.setdefault("name", self.organization.name)


class MoveForm(EventForm):
    parent_code = forms.CharField(
        label=gettext_lazy("Mã tổ chức cấp trên mới"), max_length=40,
        widget=forms.TextInput(attrs={**TEXT, "autocomplete": "off"}),
    )  # fmt: skip
    field_order = ["parent_code"]

    def clean(self):
        data = super().clean()
        data["parent"] = self.organization_by_code("parent_code", data.get("parent_code"))
        return data


class MergeForm(EventForm):
    """Merge organizations into this one (sáp nhập) or, with this one, into a new one."""

    MODE_INTO = "into"
    MODE_NEW = "new"
    mode = forms.ChoiceField(
        label=gettext_lazy("Hình thức"),
        choices=[
            (MODE_INTO, gettext_lazy("Sáp nhập các tổ chức được chọn vào tổ chức này")),
            (
                MODE_NEW,
                gettext_lazy("Hợp nhất tổ chức này với các tổ chức được chọn thành tổ chức mới"),
            ),
        ],
        widget=forms.RadioSelect,
        initial=MODE_INTO,
    )
    siblings = forms.MultipleChoiceField(
        label=gettext_lazy("Các tổ chức cùng cấp"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_codes = forms.CharField(
        label=gettext_lazy("Mã các tổ chức khác"),
        required=False,
        help_text=gettext_lazy("Cách nhau bởi dấu phẩy, dùng khi tổ chức không cùng cấp trên."),
        widget=forms.TextInput(attrs=TEXT),
    )
    new_code = forms.CharField(
        label=gettext_lazy("Mã tổ chức mới"), max_length=40, required=False,
        validators=[validate_code], widget=forms.TextInput(attrs=TEXT),
    )  # fmt: skip
    new_name = forms.CharField(
        label=gettext_lazy("Tên tổ chức mới"),
        max_length=255,
        required=False,
        widget=forms.TextInput(attrs=TEXT),
    )
    field_order = ["mode", "siblings", "other_codes", "new_code", "new_name"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        siblings = (
            self.scope.organizations()
            .filter(parent_id=self.organization.parent_id, ended_on__isnull=True)
            .exclude(pk=self.organization.pk)
            .order_by("name_sort")
        )
        self.fields["siblings"].choices = [
            (o.code, f"{o.name} ({o.code})") for o in siblings if self.may_change(o)
        ]

    def clean(self):
        data = super().clean()
        codes = list(data.get("siblings") or [])
        codes += [c.strip() for c in (data.get("other_codes") or "").split(",") if c.strip()]
        sources = []
        for code in dict.fromkeys(codes):
            org = self.organization_by_code("other_codes", code)
            if org is not None:
                sources.append(org)
        if not codes:
            self.add_error("siblings", _("Hãy chọn ít nhất một tổ chức."))
        if data.get("mode") == self.MODE_NEW:
            if not self.may_change(self.organization.parent):
                self.add_error("mode", _("Đồng chí không có quyền lập tổ chức mới ở cấp trên."))
            if not data.get("new_code"):
                self.add_error("new_code", _("Hãy nhập mã tổ chức mới."))
            elif global_lookup(
                CODE_UNIQUE, Organization.objects.filter(code=data["new_code"])
            ).exists():
                self.add_error(
                    "new_code",
                    _("Mã tổ chức “%(code)s” đã được dùng.") % {"code": data["new_code"]},
                )
            if not (data.get("new_name") or "").strip():
                self.add_error("new_name", _("Hãy nhập tên tổ chức mới."))
        data["sources"] = sources
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        if data["mode"] == self.MODE_INTO:
            return {"sources": data["sources"], "into": self.organization}
        spec = NewOrganization(
            code=data["new_code"], name=data["new_name"].strip(), kind=self.organization.kind,
            grassroots_type=self.organization.grassroots_type,
        )  # fmt: skip
        return {
            "sources": [self.organization, *data["sources"]],
            "new": spec,
            "parent": self.organization.parent,
        }


class SplitForm(EventForm):
    """Split this organization into new ones; each live child goes to one of them, and so
    does each member in activity here: all to one, chosen in a list, or by an uploaded file."""

    PARTS = 4
    ALL, LIST, FILE = "all", "list", "file"
    PLAN_SALT = "tochuc.organizations.split-members"

    members_mode = forms.ChoiceField(
        label=gettext_lazy("Đảng viên đang sinh hoạt"),
        choices=[
            (ALL, gettext_lazy("Tất cả chuyển về một tổ chức mới")),
            (LIST, gettext_lazy("Chọn cho từng người trong danh sách dưới đây")),
            (FILE, gettext_lazy("Theo tệp Excel tải lên")),
        ],
        widget=forms.RadioSelect,
        initial=ALL,
        required=False,
    )
    members_to = forms.TypedChoiceField(
        label=gettext_lazy("Tất cả chuyển về"),
        coerce=int,
        choices=lambda: [(i, _("Tổ chức mới %(number)s") % {"number": i}) for i in range(1, 5)],
        initial=1,
        required=False,
        widget=forms.Select(attrs=SELECT),
    )
    members_file = forms.FileField(
        label=gettext_lazy("Tệp phân đảng viên (.xlsx)"),
        required=False,
        help_text=gettext_lazy(
            "Cột “Số thẻ đảng viên hoặc CCCD” và cột “Mã tổ chức mới”; mỗi người một dòng, "
            "đủ mọi người đang sinh hoạt. Tệp có lỗi thì không ghi gì."
        ),
        widget=forms.ClearableFileInput(attrs={**TEXT, "accept": ".xlsx"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(1, self.PARTS + 1):
            self.fields[f"part{i}_code"] = forms.CharField(
                label=_("Mã tổ chức mới %(number)s") % {"number": i}, max_length=40,
                required=i <= 2, validators=[validate_code], widget=forms.TextInput(attrs=TEXT),
            )  # fmt: skip
            self.fields[f"part{i}_name"] = forms.CharField(
                label=_("Tên tổ chức mới %(number)s") % {"number": i}, max_length=255,
                required=i <= 2, widget=forms.TextInput(attrs=TEXT),
            )  # fmt: skip
        part_choices = [
            (i, _("Tổ chức mới %(number)s") % {"number": i}) for i in range(1, self.PARTS + 1)
        ]
        self.children = list(
            self.organization.children.filter(ended_on__isnull=True).order_by("name_sort")
        )
        for child in self.children:
            self.fields[f"child_{child.pk}"] = forms.TypedChoiceField(
                label=_("%(name)s chuyển về") % {"name": child.name},
                coerce=int,
                choices=part_choices,
                widget=forms.Select(attrs=SELECT),
            )
        self.roster = hooks.roster(self.organization)
        for entry in self.roster:
            self.fields[f"member_{entry.pk}"] = forms.TypedChoiceField(
                label=_("Đảng viên %(name)s (sinh %(born)s) chuyển về")
                % {"name": entry.name, "born": vn_date(entry.born) if entry.born else "—"},
                coerce=int, choices=part_choices, initial=1, required=False,
                widget=forms.Select(attrs=SELECT),
            )  # fmt: skip
        if not self.roster:
            for name in ("members_mode", "members_to", "members_file"):
                del self.fields[name]
        self.members_plan_token = ""
        first = [k for k in self.fields if k.startswith(("part", "child_"))]
        last = ["effective_on", "decision_no", "decision_date", "note"]
        self.order_fields(first + [k for k in self.fields if k not in first + last] + last)

    def clean(self):
        data = super().clean()
        if not self.may_change(self.organization.parent):
            self.add_error(None, _("Đồng chí không có quyền lập tổ chức mới ở cấp trên."))
        parts: dict[int, NewOrganization] = {}
        seen: set[str] = set()
        for i in range(1, self.PARTS + 1):
            code, name = data.get(f"part{i}_code"), (data.get(f"part{i}_name") or "").strip()
            if not code and not name:
                continue
            if not code or not name:
                self.add_error(f"part{i}_code", _("Hãy nhập cả mã và tên tổ chức mới."))
                continue
            if (
                code in seen
                or global_lookup(CODE_UNIQUE, Organization.objects.filter(code=code)).exists()
            ):
                self.add_error(
                    f"part{i}_code", _("Mã tổ chức “%(code)s” đã được dùng.") % {"code": code}
                )
            seen.add(code)
            parts[i] = NewOrganization(
                code=code, name=name, kind=self.organization.kind,
                grassroots_type=self.organization.grassroots_type,
            )  # fmt: skip
        for child in self.children:
            index = data.get(f"child_{child.pk}")
            if index and index not in parts:
                self.add_error(
                    f"child_{child.pk}",
                    _("Tổ chức mới %(number)s chưa được khai báo.") % {"number": index},
                )
            elif index:
                parts[index].children.append(child)
        data["parts"] = list(parts.values())
        data["members"] = self._placement(data, parts) if self.roster else {}
        return data

    def _placement(self, data: dict, parts: dict[int, NewOrganization]) -> dict[int, str]:
        """Member id → code of the new organization, as the chosen mode says."""
        mode = data.get("members_mode") or self.ALL
        if mode == self.FILE:
            return self._placement_from_file(data, parts)
        chosen = {
            entry.pk: (data.get("members_to") or 1)
            if mode == self.ALL
            else (data.get(f"member_{entry.pk}") or 1)
            for entry in self.roster
        }
        placement = {}
        for pk, index in chosen.items():
            if index not in parts:
                field = "members_to" if mode == self.ALL else f"member_{pk}"
                self.add_error(
                    field, _("Tổ chức mới %(number)s chưa được khai báo.") % {"number": index}
                )
                continue
            placement[pk] = parts[index].code
        return placement

    def _placement_from_file(self, data: dict, parts: dict[int, NewOrganization]) -> dict[int, str]:
        codes = [p.code for p in parts.values()]
        upload = data.get("members_file")
        signed = self.data.get("members_plan")  # not a field: the form renders it itself
        if upload is None and signed:
            # Confirming a preview: the file read then travels signed in the form.
            try:
                placement = {
                    int(pk): code for pk, code in signing.loads(signed, salt=self.PLAN_SALT).items()
                }
            except (signing.BadSignature, ValueError, AttributeError):
                self.add_error("members_file", _("Hãy tải lại tệp phân đảng viên."))
                return {}
            if set(placement.values()) - set(codes):
                self.add_error("members_file", _("Các tổ chức mới đã đổi; hãy tải lại tệp."))
                return {}
            self.members_plan_token = signed
            return placement
        if upload is None:
            self.add_error("members_file", _("Hãy chọn tệp phân đảng viên."))
            return {}
        try:
            placement = read_placement(upload, roster=self.roster, codes=codes)
        except ValidationError as error:
            self.add_error("members_file", error)
            return {}
        self.members_plan_token = signing.dumps(
            {str(pk): code for pk, code in placement.items()}, salt=self.PLAN_SALT
        )
        return placement


class DissolveForm(EventForm):
    confirm = forms.BooleanField(
        label=gettext_lazy("Tôi xác nhận giải thể tổ chức này"),
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )


class EventCorrectionForm(CorrectionForm):
    """Sửa / Hủy one event: its effective date and decision, with the reason."""

    effective_on = forms.DateField(
        label=gettext_lazy("Ngày hiệu lực"), required=False, widget=DATE_WIDGET
    )
    decision_no = forms.CharField(
        label=gettext_lazy("Số quyết định"), max_length=60, required=False,
        widget=forms.TextInput(attrs=TEXT),
    )  # fmt: skip
    decision_date = forms.DateField(
        label=gettext_lazy("Ngày quyết định"), required=False, widget=DATE_WIDGET
    )
    required_when_correcting = ("effective_on",)
