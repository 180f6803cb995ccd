"""Forms: a progress report on a task (status, percent, text)."""

from django import forms
from django.utils.translation import gettext_lazy

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
