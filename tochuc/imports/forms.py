from django import forms

from tochuc.lib import xlsx


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Tệp Excel (.xlsx)",
        error_messages={"required": "Hãy chọn tệp Excel để nhập.", "empty": "Tệp rỗng."},
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
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
