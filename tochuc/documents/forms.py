"""Forms of the registry: they parse what a user typed; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy

from tochuc.core.corrections import CorrectionForm
from tochuc.members.forms import date_field
from tochuc.organizations.forms import SELECT, TEXT

from . import numbers
from .models import Classification, Relation

KIND_CHOICES = [("", "—"), *((k, f"{k} — {v}") for k, v in numbers.KINDS.items())]


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={**TEXT, "rows": rows})


class _DocumentText(forms.Form):
    issued_on = date_field(gettext_lazy("Ngày ban hành"))
    title = forms.CharField(label=gettext_lazy("Trích yếu"), max_length=500, widget=_textarea(2))
    classification = forms.ChoiceField(
        label=gettext_lazy("Độ mật"),
        choices=Classification.choices,
        initial=Classification.NORMAL,
        widget=forms.Select(attrs=SELECT),
        help_text=gettext_lazy("Văn bản mật chỉ đăng ký số và trích yếu, không lưu tệp."),
    )
    summary = forms.CharField(
        label=gettext_lazy("Tóm tắt nội dung"), required=False, widget=_textarea(4)
    )


class RegisterForm(_DocumentText):
    """A document received: its number as written on it."""

    number = forms.CharField(
        label=gettext_lazy("Số, ký hiệu"),
        max_length=60,
        help_text=gettext_lazy("Ví dụ 35-CT/TW, 04-CTr/TU, 16-HD/BTCTW."),
        widget=forms.TextInput(attrs={**TEXT, "autocomplete": "off"}),
    )
    field_order = ["number", "issued_on", "title", "classification", "summary"]

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class IssueForm(_DocumentText):
    """A document the organization issues: numbered in its series by the system."""

    kind = forms.ChoiceField(
        label=gettext_lazy("Loại văn bản"), choices=KIND_CHOICES, widget=forms.Select(attrs=SELECT)
    )
    field_order = ["kind", "issued_on", "title", "classification", "summary"]

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class LinkForm(forms.Form):
    relation = forms.ChoiceField(
        label=gettext_lazy("Văn bản này"),
        choices=Relation.choices,
        widget=forms.Select(attrs=SELECT),
    )
    target = forms.CharField(
        label=gettext_lazy("Số văn bản"),
        max_length=60,
        widget=forms.TextInput(attrs={**TEXT, "autocomplete": "off"}),
    )


class DistributeForm(forms.Form):
    organization = forms.CharField(
        label=gettext_lazy("Gửi đến (mã tổ chức)"),
        max_length=40,
        help_text=gettext_lazy("Mọi chi bộ trong tổ chức này nhận văn bản."),
        widget=forms.TextInput(attrs={**TEXT, "autocomplete": "off"}),
    )
    sent_on = date_field(gettext_lazy("Ngày gửi"))


class AttachForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Tệp đính kèm"))


class DocumentCorrectionForm(CorrectionForm):
    """Sửa / Hủy a document of the registry (documents/corrections.py)."""

    number = forms.CharField(
        label=gettext_lazy("Số, ký hiệu"),
        max_length=60,
        required=False,
        help_text=gettext_lazy("Văn bản đi: số do hệ thống cấp, không sửa."),
        widget=forms.TextInput(attrs={**TEXT, "autocomplete": "off"}),
    )
    issued_on = date_field(gettext_lazy("Ngày ban hành"), required=False)
    title = forms.CharField(
        label=gettext_lazy("Trích yếu"), max_length=500, required=False, widget=_textarea(2)
    )
    classification = forms.ChoiceField(
        label=gettext_lazy("Độ mật"), choices=Classification.choices, required=False,
        widget=forms.Select(attrs=SELECT),
    )  # fmt: skip
    summary = forms.CharField(
        label=gettext_lazy("Tóm tắt nội dung"), required=False, widget=_textarea(4)
    )
    row_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    required_when_correcting = ("number", "issued_on", "title", "classification")

    def changes(self) -> dict:
        data = self.cleaned_data
        return {
            name: data.get(name)
            for name in ("number", "issued_on", "title", "summary", "classification")
        }


class LinkCancelForm(CorrectionForm):
    """Hủy a link recorded by mistake: the reason only."""
