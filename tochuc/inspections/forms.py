"""Forms: a supervision/inspection record and a discipline decision. They parse input and
find the subject through the caller's scope; the services decide.

The subject is an organization of the page's subtree (typed by code, with the organization
picker) or a member of it (by the number of their record, with the member picker)."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.core.corrections import DATE_WIDGET, CorrectionForm
from tochuc.lib.paths import under
from tochuc.members.forms import date_field
from tochuc.organizations.forms import SELECT, TEXT
from tochuc.organizations.models import Organization

from . import selectors
from .models import Activity, Body, Conclusion, DisciplineForm, InspectionKind

SUBJECT_TYPES = [
    ("organization", gettext_lazy("Tổ chức đảng")),
    ("member", gettext_lazy("Đảng viên")),
]
RADIO = forms.RadioSelect(attrs={"class": "form-check-input"})


def _text(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={**TEXT, "rows": rows})


class SubjectForm(forms.Form):
    """The subject: an organization below `organization`, or a member of its subtree."""

    error_fields = {"subject_organization": "subject_code", "subject_member": "member"}

    subject_code = forms.CharField(
        label=gettext_lazy("Mã tổ chức đảng"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={**TEXT, "autocomplete": "off"}),
    )
    member = forms.IntegerField(
        label=gettext_lazy("Số hồ sơ đảng viên"),
        required=False,
        min_value=1,
        help_text=gettext_lazy("Tìm theo tên ở ô bên dưới rồi bấm chọn."),
        widget=forms.TextInput(attrs={**TEXT, "inputmode": "numeric", "autocomplete": "off"}),
    )

    def __init__(self, *args, organization: Organization, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization
        self.scope = scope
        self.subject_organization = None
        self.subject_member = None

    def subject_type(self) -> str:
        return self.cleaned_data.get("subject_type", "")

    def _clean_subject(self, data: dict) -> None:
        kind = data.get("subject_type")
        if kind == "organization":
            code = (data.get("subject_code") or "").strip()
            if not code:
                self.add_error("subject_code", _("Hãy ghi mã tổ chức đảng."))
                return
            found = (
                self.scope.organizations()
                .filter(under("path", self.organization.path), code=code)
                .exclude(pk=self.organization.pk)
                .first()
            )
            if found is None:
                self.add_error(
                    "subject_code",
                    _("Không có tổ chức mã %(code)s trực thuộc %(name)s.")
                    % {"code": code, "name": self.organization.name},
                )
            self.subject_organization = found
        elif kind == "member":
            pk = data.get("member")
            if not pk:
                self.add_error("member", _("Hãy chọn đảng viên."))
                return
            found = (
                self.scope.members()
                .filter(under("org_path", self.organization.path), pk=pk)
                .first()
            )
            if found is None:
                self.add_error(
                    "member",
                    _("Không có đảng viên số %(pk)s sinh hoạt trong %(name)s.")
                    % {"pk": pk, "name": self.organization.name},
                )
            self.subject_member = found

    def subject_kwargs(self) -> dict:
        return {
            "subject_organization": self.subject_organization,
            "subject_member": self.subject_member,
        }


class InspectionForm(SubjectForm):
    body = forms.ChoiceField(
        label=gettext_lazy("Chủ thể tiến hành"), choices=Body.choices, widget=RADIO
    )
    activity = forms.ChoiceField(
        label=gettext_lazy("Hoạt động"), choices=Activity.choices, widget=RADIO
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Loại"),
        choices=InspectionKind.choices,
        widget=forms.Select(attrs=SELECT),
    )
    subject_type = forms.ChoiceField(
        label=gettext_lazy("Đối tượng"), choices=SUBJECT_TYPES, widget=RADIO
    )
    decision_no = forms.CharField(
        label=gettext_lazy("Số quyết định, kế hoạch"),
        max_length=60,
        widget=forms.TextInput(attrs={**TEXT, "placeholder": gettext_lazy("VD: 15-KH/UBKT")}),
    )
    starts_on = date_field(gettext_lazy("Từ ngày"))
    ends_on = date_field(gettext_lazy("Đến ngày"))
    content = forms.CharField(label=gettext_lazy("Nội dung"), required=False, widget=_text(2))
    findings = forms.CharField(
        label=gettext_lazy("Kết quả, nhận xét"), required=False, widget=_text()
    )
    conclusion = forms.ChoiceField(
        label=gettext_lazy("Kết luận"),
        choices=Conclusion.choices,
        widget=forms.Select(attrs=SELECT),
    )
    conclusion_text = forms.CharField(
        label=gettext_lazy("Nội dung kết luận"), required=False, widget=_text()
    )
    field_order = [
        "body", "activity", "kind", "subject_type", "subject_code", "member", "decision_no",
        "starts_on", "ends_on", "content", "findings", "conclusion", "conclusion_text",
    ]  # fmt: skip

    def clean(self):
        data = super().clean()
        self._clean_subject(data)
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("Ngày kết thúc không được trước ngày bắt đầu."))
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "conductor": self.organization,
            **self.subject_kwargs(),
            **{
                name: data[name]
                for name in (
                    "body",
                    "activity",
                    "kind",
                    "decision_no",
                    "starts_on",
                    "ends_on",
                    "content",
                    "findings",
                    "conclusion",
                    "conclusion_text",
                )  # fmt: skip
            },
        }


class DisciplineDecisionForm(SubjectForm):
    """A discipline on a member (`subject="member"`) or on an organization."""

    body = forms.ChoiceField(
        label=gettext_lazy("Cơ quan quyết định"), choices=Body.choices, widget=RADIO
    )
    form = forms.ChoiceField(
        label=gettext_lazy("Hình thức kỷ luật"),
        choices=DisciplineForm.choices,
        widget=forms.Select(attrs=SELECT),
    )
    authority_level = forms.CharField(
        label=gettext_lazy("Cấp có thẩm quyền"),
        required=False,
        max_length=255,
        widget=forms.TextInput(
            attrs={**TEXT, "placeholder": gettext_lazy("VD: Ban Thường vụ Đảng ủy xã")}
        ),
    )
    decision_no = forms.CharField(
        label=gettext_lazy("Số quyết định"),
        max_length=60,
        widget=forms.TextInput(attrs={**TEXT, "placeholder": gettext_lazy("VD: 03-QĐ/UBKT")}),
    )
    decided_on = date_field(gettext_lazy("Ngày quyết định"))
    effective_on = date_field(gettext_lazy("Ngày có hiệu lực"))
    reasons = forms.CharField(label=gettext_lazy("Nội dung vi phạm"), widget=_text())
    inspection = forms.ModelChoiceField(
        label=gettext_lazy("Theo cuộc kiểm tra, giám sát"),
        required=False,
        queryset=None,
        empty_label="—",
        widget=forms.Select(attrs=SELECT),
    )

    def __init__(self, *args, subject: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.subject = subject
        del self.fields["member" if subject == "organization" else "subject_code"]
        if subject == "member":
            self.fields["member"].label = _("Số hồ sơ đảng viên bị kỷ luật")
        else:
            self.fields["subject_code"].label = _("Mã tổ chức đảng bị kỷ luật")
        self.fields["inspection"].queryset = selectors.inspection_choices(
            conductor=self.organization
        )
        self.fields["inspection"].label_from_instance = lambda r: (
            f"{r.decision_no} · {r.get_activity_display()} {r.subject_name} "
            f"({r.starts_on:%d/%m/%Y})"
        )
        self.order_fields(
            ["body", "subject_code", "member", "form", "decision_no", "decided_on",
             "effective_on", "authority_level", "reasons", "inspection"]
        )  # fmt: skip

    def clean(self):
        data = super().clean()
        data["subject_type"] = self.subject
        self._clean_subject(data)
        decided, effective = data.get("decided_on"), data.get("effective_on")
        if decided and effective and effective < decided:
            self.add_error("effective_on", _("Ngày có hiệu lực không được trước ngày quyết định."))
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "authority": self.organization,
            **self.subject_kwargs(),
            **{
                name: data[name]
                for name in (
                    "body",
                    "form",
                    "decision_no",
                    "decided_on",
                    "effective_on",
                    "authority_level",
                    "reasons",
                    "inspection",
                )  # fmt: skip
            },
        }


class InspectionCorrectionForm(CorrectionForm):
    """Sửa / Hủy a supervision or inspection: its dates and decision number."""

    starts_on = forms.DateField(label=gettext_lazy("Từ ngày"), required=False, widget=DATE_WIDGET)
    ends_on = forms.DateField(label=gettext_lazy("Đến ngày"), required=False, widget=DATE_WIDGET)
    decision_no = forms.CharField(
        label=gettext_lazy("Số quyết định, kế hoạch"), max_length=60, required=False,
        widget=forms.TextInput(attrs=TEXT),
    )  # fmt: skip
    required_when_correcting = ("starts_on", "ends_on", "decision_no")


class DisciplineCorrectionForm(CorrectionForm):
    """Sửa / Hủy an organization's discipline: its decision number and dates."""

    decision_no = forms.CharField(
        label=gettext_lazy("Số quyết định"), max_length=60, required=False,
        widget=forms.TextInput(attrs=TEXT),
    )  # fmt: skip
    decided_on = forms.DateField(
        label=gettext_lazy("Ngày quyết định"), required=False, widget=DATE_WIDGET
    )
    effective_on = forms.DateField(
        label=gettext_lazy("Ngày có hiệu lực"), required=False, widget=DATE_WIDGET
    )
    required_when_correcting = ("decision_no", "decided_on", "effective_on")


class MemberDisciplineCorrectionForm(DisciplineCorrectionForm):
    """Sửa / Hủy a member's discipline: also its form (among those that keep the member)."""

    form = forms.ChoiceField(
        label=gettext_lazy("Hình thức"), choices=DisciplineForm.choices, required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )  # fmt: skip
    required_when_correcting = ("form", "decision_no", "decided_on", "effective_on")
