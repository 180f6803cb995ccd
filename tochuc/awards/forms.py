"""Forms of the badge cycle and of commendations: they parse; the services decide."""

from datetime import date

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.core.corrections import CorrectionForm
from tochuc.lib.paths import under
from tochuc.members.forms import date_field
from tochuc.organizations.forms import SELECT, TEXT

from . import rules
from .models import CommendationForm, Early, ReasonKind, RecipientKind


def _char(label, *, required=True, max_length=60, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=forms.TextInput(attrs=TEXT),
    )


def occasion_choices(today: date, count: int = 6) -> list[tuple[str, str]]:
    days, day = [], today
    for _n in range(count):
        day = rules.next_occasion(day)
        days.append(day)
    return [(d.isoformat(), d.strftime("%d/%m/%Y")) for d in days]


class ProposeForm(forms.Form):
    """The proposal for the members ticked on the due list."""

    members = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Đảng viên"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Hãy chọn ít nhất một đảng viên.")},
    )
    proposal_no = _char(gettext_lazy("Số tờ trình"), help_text=gettext_lazy("Ví dụ 12-TTr/ĐU"))
    proposed_on = date_field(gettext_lazy("Ngày đề nghị"))

    def __init__(self, *args, due_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].choices = [(pk, pk) for pk in due_ids]


class EarlyForm(forms.Form):
    """One member proposed early (serious illness) or posthumously, with the grounds."""

    occasion = forms.ChoiceField(label=gettext_lazy("Đợt trao"), widget=forms.Select(attrs=SELECT))
    early = forms.ChoiceField(
        label=gettext_lazy("Diện"),
        choices=[(Early.ILLNESS, Early.ILLNESS.label), (Early.POSTHUMOUS, Early.POSTHUMOUS.label)],
        widget=forms.Select(attrs=SELECT),
    )
    grounds = forms.CharField(
        label=gettext_lazy("Căn cứ"),
        widget=forms.Textarea(attrs={**TEXT, "rows": 3}),
        help_text=gettext_lazy("Giấy xác nhận bệnh nặng của cơ sở y tế, giấy chứng tử…"),
    )
    proposal_no = _char(gettext_lazy("Số tờ trình"))
    proposed_on = date_field(gettext_lazy("Ngày đề nghị"))

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occasion"].choices = occasion_choices(today)

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "occasion": date.fromisoformat(data["occasion"]),
            "early": data["early"],
            "grounds": data["grounds"],
            "proposal_no": data["proposal_no"],
            "proposed_on": data["proposed_on"],
        }


class DecideForm(forms.Form):
    cases = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Hồ sơ"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Hãy chọn ít nhất một hồ sơ.")},
    )
    decision_no = _char(gettext_lazy("Số quyết định"), help_text=gettext_lazy("Ví dụ 245-QĐ/TU"))
    decided_on = date_field(gettext_lazy("Ngày quyết định"))
    issuer = _char(
        gettext_lazy("Cơ quan quyết định"),
        max_length=255,
        help_text=gettext_lazy("Ví dụ Ban Thường vụ Tỉnh ủy"),
    )

    def __init__(self, *args, case_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cases"].choices = [(pk, pk) for pk in case_ids]


class AwardForm(forms.Form):
    badge_no = _char(gettext_lazy("Số huy hiệu"), max_length=30)
    ceremony_on = date_field(gettext_lazy("Ngày trao"))
    row_version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ReissueForm(forms.Form):
    badge_no = _char(gettext_lazy("Số huy hiệu cấp lại"), max_length=30)
    reissued_on = date_field(gettext_lazy("Ngày cấp lại"))
    reason = _char(
        gettext_lazy("Lý do"),
        max_length=255,
        help_text=gettext_lazy("Ví dụ: mất huy hiệu do thiên tai"),
    )
    decision_no = _char(gettext_lazy("Số quyết định (nếu có)"), required=False)


class ReturnForm(forms.Form):
    returned_on = date_field(gettext_lazy("Ngày thu hồi"))
    reason = _char(gettext_lazy("Lý do"), max_length=255)


class WithdrawForm(forms.Form):
    reason = _char(gettext_lazy("Lý do rút đề nghị"), max_length=255)


class CommendationRecordForm(forms.Form):
    error_fields = {"recipient_organization": "recipient_code", "recipient_member": "member"}

    form = forms.ChoiceField(
        label=gettext_lazy("Hình thức"),
        choices=CommendationForm.choices,
        widget=forms.Select(attrs=SELECT),
    )
    issuer = _char(
        gettext_lazy("Cơ quan quyết định"),
        max_length=255,
        help_text=gettext_lazy("Ví dụ Ban Thường vụ Tỉnh ủy"),
    )
    recipient_kind = forms.ChoiceField(
        label=gettext_lazy("Đối tượng"),
        choices=RecipientKind.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    recipient_code = _char(
        gettext_lazy("Mã tổ chức đảng (nếu khen tổ chức)"), required=False, max_length=40
    )
    member = forms.IntegerField(
        label=gettext_lazy("Số hồ sơ đảng viên (nếu khen đảng viên)"),
        required=False,
        min_value=1,
        widget=forms.TextInput(attrs={**TEXT, "inputmode": "numeric"}),
    )
    recipient_name = _char(
        gettext_lazy("Họ tên (nếu khen cá nhân khác)"), required=False, max_length=255
    )
    recipient_detail = _char(gettext_lazy("Chức vụ, đơn vị"), required=False, max_length=255)
    reason_kind = forms.ChoiceField(
        label=gettext_lazy("Thành tích"),
        choices=ReasonKind.choices,
        widget=forms.Select(attrs=SELECT),
    )
    year_from = forms.IntegerField(
        label=gettext_lazy("Năm (hoặc từ năm)"),
        widget=forms.TextInput(attrs={**TEXT, "inputmode": "numeric"}),
    )
    year_to = forms.IntegerField(
        label=gettext_lazy("Đến năm"),
        required=False,
        widget=forms.TextInput(attrs={**TEXT, "inputmode": "numeric"}),
    )
    reason = forms.CharField(
        label=gettext_lazy("Nội dung thành tích"),
        required=False,
        widget=forms.Textarea(attrs={**TEXT, "rows": 2}),
    )
    decision_no = _char(gettext_lazy("Số quyết định"))
    decided_on = date_field(gettext_lazy("Ngày quyết định"))

    def __init__(self, *args, organization, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization, self.scope = organization, scope
        self.recipient_organization = self.recipient_member = None

    def clean(self):
        data = super().clean()
        kind = data.get("recipient_kind")
        if kind == RecipientKind.ORGANIZATION and data.get("recipient_code"):
            self.recipient_organization = (
                self.scope.organizations()
                .filter(under("path", self.organization.path), code=data["recipient_code"].strip())
                .first()
            )
            if self.recipient_organization is None:
                self.add_error(
                    "recipient_code",
                    _("Không có tổ chức mã %(code)s trong %(name)s.")
                    % {"code": data["recipient_code"], "name": self.organization.name},
                )
        elif kind == RecipientKind.MEMBER and data.get("member"):
            self.recipient_member = (
                self.scope.members(within=self.organization).filter(pk=data["member"]).first()
            )
            if self.recipient_member is None:
                self.add_error(
                    "member",
                    _("Không có đảng viên số hồ sơ %(pk)s trong %(name)s.")
                    % {"pk": data["member"], "name": self.organization.name},
                )
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "authority": self.organization,
            "issuer": data["issuer"],
            "form": data["form"],
            "recipient_kind": data["recipient_kind"],
            "reason_kind": data["reason_kind"],
            "year_from": data["year_from"],
            "year_to": data.get("year_to"),
            "decision_no": data["decision_no"],
            "decided_on": data["decided_on"],
            "recipient_organization": self.recipient_organization,
            "recipient_member": self.recipient_member,
            "recipient_name": data.get("recipient_name", ""),
            "recipient_detail": data.get("recipient_detail", ""),
            "reason": data.get("reason", ""),
        }


class BadgeCorrectionForm(CorrectionForm):
    """Sửa a badge case: numbers, dates, issuer (only correcting; a mistake is withdrawn)."""

    proposal_no = _char(gettext_lazy("Số tờ trình"), required=False)
    proposed_on = date_field(gettext_lazy("Ngày đề nghị"), required=False)
    decision_no = _char(gettext_lazy("Số quyết định"), required=False)
    decided_on = date_field(gettext_lazy("Ngày quyết định"), required=False)
    issuer = _char(gettext_lazy("Cơ quan quyết định"), required=False, max_length=255)
    badge_no = _char(gettext_lazy("Số huy hiệu"), required=False, max_length=30)
    ceremony_on = date_field(gettext_lazy("Ngày trao"), required=False)

    def changes(self) -> dict:
        names = [
            "proposal_no",
            "proposed_on",
            "decision_no",
            "decided_on",
            "issuer",
            "badge_no",
            "ceremony_on",
        ]
        return {name: self.cleaned_data.get(name) for name in names}


class CommendationCorrectionForm(CorrectionForm):
    """Sửa or Hủy a commendation: the form, the decision, the years, the achievement (and the
    name of a person outside the party); the row version the page showed."""

    form = forms.ChoiceField(
        label=gettext_lazy("Hình thức"),
        choices=CommendationForm.choices,
        required=False,
        widget=forms.Select(attrs=SELECT),
    )
    issuer = _char(gettext_lazy("Cơ quan quyết định"), required=False, max_length=255)
    recipient_name = _char(
        gettext_lazy("Họ tên (cá nhân ngoài Đảng)"), required=False, max_length=255
    )
    recipient_detail = _char(gettext_lazy("Chức vụ, đơn vị"), required=False, max_length=255)
    reason_kind = forms.ChoiceField(
        label=gettext_lazy("Thành tích"),
        choices=ReasonKind.choices,
        required=False,
        widget=forms.Select(attrs=SELECT),
    )
    year_from = forms.IntegerField(
        label=gettext_lazy("Năm (hoặc từ năm)"),
        required=False,
        widget=forms.TextInput(attrs={**TEXT, "inputmode": "numeric"}),
    )
    year_to = forms.IntegerField(
        label=gettext_lazy("Đến năm"),
        required=False,
        widget=forms.TextInput(attrs={**TEXT, "inputmode": "numeric"}),
    )
    reason = forms.CharField(
        label=gettext_lazy("Nội dung thành tích"),
        required=False,
        widget=forms.Textarea(attrs={**TEXT, "rows": 2}),
    )
    decision_no = _char(gettext_lazy("Số quyết định"), required=False)
    decided_on = date_field(gettext_lazy("Ngày quyết định"), required=False)
    row_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    required_when_correcting = ("form", "issuer", "reason_kind", "year_from", "decision_no",
                                "decided_on")  # fmt: skip

    FIELDS = ("form", "issuer", "recipient_name", "recipient_detail", "reason_kind",
              "year_from", "year_to", "reason", "decision_no", "decided_on")  # fmt: skip

    def changes(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.FIELDS}
