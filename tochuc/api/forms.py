from datetime import timedelta

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def _default_expiry():
    return timezone.localdate() + timedelta(days=settings.TOCHUC_API_TOKEN_DEFAULT_DAYS)


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Tên gợi nhớ"), max_length=80)
    expires_on = forms.DateField(
        label=_("Hết hạn ngày"),
        initial=_default_expiry,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )
