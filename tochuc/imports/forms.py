from django import forms
from django.utils.translation import gettext_lazy as _

from tochuc.core.pages import XLSX_TYPE
from tochuc.lib import xlsx


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp Excel (.xlsx)"),
        error_messages={"required": _("Hãy chọn tệp Excel để nhập."), "empty": _("Tệp rỗng.")},
        widget=forms.ClearableFileInput(attrs={"accept": f".xlsx,{XLSX_TYPE}"}),
    )

    def clean_file(self):
        """Size and container checks, before anything is kept or parsed."""
        upload = self.cleaned_data["file"]
        limits = xlsx.Limits.from_settings()
        xlsx.check_size(upload.size, limits)
        upload.seek(0)
        xlsx.check_archive(upload.file, limits)
        upload.seek(0)
        return upload
