"""Forms: a progress report on a task (status, percent, text)."""

from django import forms
from django.utils.translation import gettext_lazy

from tochuc.core.corrections import CorrectionForm
from tochuc.members.forms import date_field
from tochuc.organizations.forms import SELECT, TEXT

from .models import Status


class ProgressForm(forms.Form):
    reported_on = date_field(gettext_lazy("Ngày báo cáo"))
    status = forms.ChoiceField(
        label=gettext_lazy("Tình trạng"), choices=Status.choices, widget=forms.Select(attrs=SELECT)
    )
    percent = forms.IntegerField(
        label=gettext_lazy("Tỷ lệ hoàn thành (%)"),
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs=TEXT),
    )
    text = forms.CharField(
        label=gettext_lazy("Kết quả"),
        required=False,
        widget=forms.Textarea(attrs={**TEXT, "rows": 4}),
    )


class ProgrammeForm(forms.Form):
    title = forms.CharField(
        label=gettext_lazy("Tên chương trình"),
        max_length=300,
        widget=forms.Textarea(attrs={**TEXT, "rows": 2}),
    )
    document = forms.CharField(
        label=gettext_lazy("Số văn bản (trong sổ văn bản)"),
        required=False,
        max_length=60,
        help_text=gettext_lazy("Ví dụ 04-CTr/TU; để trống nếu chưa đăng ký."),
        widget=forms.TextInput(attrs=TEXT),
    )
    starts_on = date_field(gettext_lazy("Từ ngày"))
    ends_on = forms.DateField(
        label=gettext_lazy("Đến ngày"),
        widget=forms.DateInput(attrs={**TEXT, "placeholder": "dd/mm/yyyy"}, format="%d/%m/%Y"),
    )
    groups = forms.CharField(
        label=gettext_lazy("Các nhóm nhiệm vụ trọng tâm (mỗi dòng một nhóm)"),
        required=False,
        widget=forms.Textarea(attrs={**TEXT, "rows": 8}),
    )

    def groups_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["groups"].splitlines() if line.strip()]


class TaskForm(forms.Form):
    group = forms.TypedChoiceField(
        label=gettext_lazy("Nhóm nhiệm vụ"), coerce=int, widget=forms.Select(attrs=SELECT)
    )
    title = forms.CharField(
        label=gettext_lazy("Nhiệm vụ"),
        max_length=500,
        widget=forms.Textarea(attrs={**TEXT, "rows": 2}),
    )
    assignees = forms.CharField(
        label=gettext_lazy("Giao cho (mã tổ chức, cách nhau bởi dấu phẩy)"),
        max_length=2000,
        widget=forms.TextInput(attrs=TEXT),
    )
    deadline = forms.DateField(
        label=gettext_lazy("Thời hạn"),
        widget=forms.DateInput(attrs={**TEXT, "placeholder": "dd/mm/yyyy"}, format="%d/%m/%Y"),
    )
    expected_output = forms.CharField(
        label=gettext_lazy("Sản phẩm"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs=TEXT),
    )

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [(g.pk, str(g)) for g in programme.groups.all()]

    def codes(self) -> list[str]:
        return [c.strip() for c in self.cleaned_data["assignees"].split(",") if c.strip()]


class TaskCorrectionForm(CorrectionForm):
    title = forms.CharField(
        label=gettext_lazy("Nhiệm vụ"), max_length=500, required=False,
        widget=forms.Textarea(attrs={**TEXT, "rows": 2}),
    )  # fmt: skip
    assignees = forms.CharField(
        label=gettext_lazy("Giao cho (mã tổ chức, cách nhau bởi dấu phẩy)"),
        max_length=2000, required=False, widget=forms.TextInput(attrs=TEXT),
    )  # fmt: skip
    deadline = date_field(gettext_lazy("Thời hạn"), required=False)
    expected_output = forms.CharField(
        label=gettext_lazy("Sản phẩm"), required=False, max_length=300,
        widget=forms.TextInput(attrs=TEXT),
    )  # fmt: skip
    row_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    required_when_correcting = ("title", "assignees", "deadline")

    def codes(self) -> list[str]:
        return [c.strip() for c in self.cleaned_data["assignees"].split(",") if c.strip()]


class ProgressCorrectionForm(CorrectionForm):
    reported_on = date_field(gettext_lazy("Ngày báo cáo"), required=False)
    status = forms.ChoiceField(
        label=gettext_lazy("Tình trạng"), choices=Status.choices, required=False,
        widget=forms.Select(attrs=SELECT),
    )  # fmt: skip
    percent = forms.IntegerField(
        label=gettext_lazy("Tỷ lệ hoàn thành (%)"), min_value=0, max_value=100, required=False,
        widget=forms.NumberInput(attrs=TEXT),
    )  # fmt: skip
    text = forms.CharField(
        label=gettext_lazy("Kết quả"), required=False,
        widget=forms.Textarea(attrs={**TEXT, "rows": 4}),
    )  # fmt: skip
    row_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    required_when_correcting = ("reported_on", "status", "percent")

    def changes(self) -> dict:
        return {n: self.cleaned_data.get(n) for n in ("reported_on", "status", "percent", "text")}


class AttachForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Tệp (kết quả, minh chứng)"),
        widget=forms.ClearableFileInput(attrs=TEXT),
        error_messages={
            "required": gettext_lazy("Hãy chọn tệp."),
            "empty": gettext_lazy("Tệp rỗng."),
        },
    )


class FileRemoveForm(CorrectionForm):
    """Gỡ a file attached by mistake: the reason only."""
