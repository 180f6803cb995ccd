from django import forms
from django.utils.translation import gettext_lazy as _

from tochuc.lib.dates import parse_date

from .services import CORRECTABLE, field_label

INPUT = {"class": "form-control"}


class ActivationForm(forms.Form):
    identifier = forms.CharField(
        label=_("Số CCCD hoặc số thẻ đảng viên"), max_length=20,
        widget=forms.TextInput(attrs={**INPUT, "autocomplete": "username", "inputmode": "numeric"}),
    )  # fmt: skip
    code = forms.CharField(
        label=_("Mã kích hoạt"), max_length=20,
        widget=forms.TextInput(attrs={**INPUT, "autocomplete": "one-time-code"}),
    )  # fmt: skip
    password1 = forms.CharField(
        label=_("Mật khẩu mới"), strip=False,
        widget=forms.PasswordInput(attrs={**INPUT, "autocomplete": "new-password"}),
    )  # fmt: skip
    password2 = forms.CharField(
        label=_("Nhập lại mật khẩu mới"), strip=False,
        widget=forms.PasswordInput(attrs={**INPUT, "autocomplete": "new-password"}),
    )  # fmt: skip

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password2") != data.get("password1"):
            self.add_error("password2", _("Hai lần nhập mật khẩu không giống nhau."))
        return data


class CorrectionForm(forms.Form):
    field = forms.ChoiceField(
        label=_("Thông tin cần sửa"), widget=forms.Select(attrs={"class": "form-select"})
    )
    asked_value = forms.CharField(
        label=_("Giá trị đúng"), max_length=255, widget=forms.TextInput(attrs=INPUT)
    )
    note = forms.CharField(
        label=_("Lý do, giấy tờ kèm theo (nếu có)"), required=False, max_length=1000,
        widget=forms.Textarea(attrs={**INPUT, "rows": 2}),
    )  # fmt: skip

    def __init__(self, *args, member=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [("", _("— chọn —"))] + [
            (name, f"{field_label(name)} (đang lưu: {getattr(member, name) or '—'})")
            for name in CORRECTABLE
        ]


class TransferLetterForm(forms.Form):
    destination = forms.CharField(
        label=_("Nơi chuyển đến (cơ quan, địa phương)"), max_length=255,
        widget=forms.TextInput(attrs=INPUT),
    )  # fmt: skip
    moving_on = forms.CharField(
        label=_("Ngày chuyển công tác, nơi ở (dd/mm/yyyy)"), required=False, max_length=10,
        widget=forms.TextInput(attrs={**INPUT, "inputmode": "numeric"}),
    )  # fmt: skip
    note = forms.CharField(
        label=_("Lý do"), required=False, max_length=1000,
        widget=forms.Textarea(attrs={**INPUT, "rows": 2}),
    )  # fmt: skip

    def clean_moving_on(self):
        text = self.cleaned_data["moving_on"].strip()
        if not text:
            return None
        try:
            day = parse_date(text)
        except (ValueError, forms.ValidationError):
            day = None
        if day is None or day.year < 1930 or day.year > 2100:
            raise forms.ValidationError(_("Ngày không đúng (dd/mm/yyyy)."))
        return day


class AssessmentForm(forms.Form):
    comment = forms.CharField(
        label=_("Tự nhận xét ưu điểm, khuyết điểm"), required=False, max_length=4000,
        widget=forms.Textarea(attrs={**INPUT, "rows": 4}),
    )  # fmt: skip

    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for index, (label, top) in enumerate(criteria):
            self.fields[f"c{index}"] = forms.DecimalField(
                label=f"{label} (tối đa {top})", min_value=0, max_value=top, decimal_places=2,
                widget=forms.NumberInput(attrs={**INPUT, "step": "0.5", "inputmode": "decimal"}),
                error_messages={
                    "required": _("Chấm điểm tiêu chí này."),
                    "invalid": _("Nhập một số."),
                    "min_value": _("Điểm không âm."),
                    "max_value": _("Điểm tối đa %(limit_value)s."),
                },
            )  # fmt: skip
        self.order_fields([*(f"c{i}" for i in range(len(criteria))), "comment"])

    def scores(self):
        return [self.cleaned_data[f"c{i}"] for i in range(len(self.criteria))]


class AnswerForm(forms.Form):
    ACCEPT, REFUSE = "accept", "refuse"
    decision = forms.ChoiceField(
        label=_("Trả lời"),
        choices=[(ACCEPT, _("Chấp nhận")), (REFUSE, _("Từ chối"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Chọn chấp nhận hay từ chối.")},
    )
    reason = forms.CharField(
        label=_("Lý do (bắt buộc khi từ chối) hoặc ghi chú"), required=False, max_length=1000,
        widget=forms.Textarea(attrs={**INPUT, "rows": 2}),
    )  # fmt: skip
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.REFUSE and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Ghi lý do từ chối để đảng viên biết."))
        return data


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do mở lại (trả lời trước bị sai)"), max_length=1000,
        widget=forms.Textarea(attrs={**INPUT, "rows": 2}),
        error_messages={"required": _("Ghi lý do mở lại để đảng viên biết.")},
    )  # fmt: skip
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class AccountForm(forms.Form):
    ISSUE, DEACTIVATE = "issue", "deactivate"
    action = forms.ChoiceField(
        choices=[(ISSUE, _("Cấp mã kích hoạt")), (DEACTIVATE, _("Khóa tài khoản"))],
        widget=forms.HiddenInput,
        error_messages={"required": _("Chọn việc cần làm.")},
    )
    reason = forms.CharField(
        label=_("Lý do khóa"), required=False, max_length=255, widget=forms.TextInput(attrs=INPUT)
    )
