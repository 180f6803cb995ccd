"""Forms of staffing (biên chế) on the web: a year's quota and a reduction recorded for an
agency, and their "Sửa / Hủy" (core.corrections.CorrectionForm); the services decide."""

from django import forms
from django.utils.translation import gettext_lazy

from tochuc.core.corrections import DATE_WIDGET, TEXT, CorrectionForm
from tochuc.members.forms import date_field
from tochuc.organizations.forms import SELECT

from .models import Reduction


def _count(label, *, required=True, min_value=0):
    return forms.IntegerField(
        label=label, required=required, min_value=min_value, max_value=1_000_000,
        widget=forms.NumberInput(attrs=TEXT),
    )  # fmt: skip


def _text(label, *, required=True, max_length=60):
    return forms.CharField(label=label, required=required, max_length=max_length,
                           widget=forms.TextInput(attrs=TEXT))  # fmt: skip


def _reason(required=True):
    return forms.ChoiceField(label=gettext_lazy("Lý do"), required=required,
                             choices=[("", "—"), *Reduction.Reason.choices],
                             widget=forms.Select(attrs=SELECT))  # fmt: skip


class QuotaForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Năm"), min_value=1900, max_value=9999,
                              widget=forms.NumberInput(attrs=TEXT))  # fmt: skip
    assigned = _count(gettext_lazy("Biên chế được giao"))
    actual = _count(gettext_lazy("Thực có"))
    planned_reduction = _count(gettext_lazy("Kế hoạch tinh giản"), required=False)
    decision_no = _text(gettext_lazy("Số quyết định giao biên chế"), required=False)


class ReductionForm(forms.Form):
    on = date_field(gettext_lazy("Ngày"))
    count = _count(gettext_lazy("Số người"), min_value=1)
    reason = _reason()
    decision_no = _text(gettext_lazy("Số quyết định"))


class _Versioned(CorrectionForm):
    """The agency's row_version when the form was read (staffing_corrections.agency_lock)."""

    row_version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class AgencyCorrectionForm(_Versioned):
    name = _text(gettext_lazy("Tên cơ quan, đơn vị"), required=False, max_length=255)
    required_when_correcting = ("name",)


class QuotaCorrectionForm(_Versioned):
    assigned = _count(gettext_lazy("Biên chế được giao"), required=False)
    actual = _count(gettext_lazy("Thực có"), required=False)
    planned_reduction = _count(gettext_lazy("Kế hoạch tinh giản"), required=False)
    decision_no = _text(gettext_lazy("Số quyết định giao biên chế"), required=False)
    required_when_correcting = ("assigned", "actual", "planned_reduction")


class ReductionCorrectionForm(_Versioned):
    on = forms.DateField(label=gettext_lazy("Ngày"), required=False, widget=DATE_WIDGET)
    count = _count(gettext_lazy("Số người"), required=False, min_value=1)
    # The reduction's reason, named apart from the correction's own `reason`.
    cause = _reason(required=False)
    decision_no = _text(gettext_lazy("Số quyết định"), required=False)
    required_when_correcting = ("on", "count", "cause", "decision_no")
