"""The report picker: which report, for which organization, at which date or period, in
which format. It parses and checks input; the definitions compute.

A system administrator may also write NATIONAL for the whole country (reports declared
`national`); for anyone else the view answers it as an unknown code (404)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.organizations.forms import SELECT, TEXT

from . import periods, registry
from .heading import NATIONAL_NAME
from .renderers import FORMATS

HTML = "html"
NATIONAL = "toan-quoc"  # the organization code that means the whole country (admins only)


def is_national(code: str | None) -> bool:
    return (code or "").strip().lower() == NATIONAL


PERIOD_CHOICES = [
    ("ngay", gettext_lazy("Tại một ngày")),
    ("nam", gettext_lazy("Cả năm")),
    ("quy", gettext_lazy("Một quý")),
    ("khoang", gettext_lazy("Từ ngày… đến ngày…")),
]


class ReportForm(forms.Form):
    bao_cao = forms.ChoiceField(
        label=gettext_lazy("Báo cáo"),
        choices=lambda: [(r.name, r.title) for r in registry.definitions()],
        widget=forms.Select(attrs=SELECT),
    )
    to_chuc = forms.CharField(
        label=gettext_lazy("Mã tổ chức"),
        max_length=40,
        widget=forms.TextInput(attrs={**TEXT, "autocomplete": "off"}),
    )
    ngay = forms.CharField(
        label=gettext_lazy("Ngày"),
        required=False,
        help_text=gettext_lazy("dd/mm/yyyy — cho báo cáo tại một thời điểm."),
        widget=forms.TextInput(attrs={**TEXT, "placeholder": "dd/mm/yyyy", "inputmode": "numeric"}),
    )
    nam = forms.CharField(
        label=gettext_lazy("Năm"),
        required=False,
        widget=forms.TextInput(attrs={**TEXT, "placeholder": "2025", "inputmode": "numeric"}),
    )
    quy = forms.CharField(
        label=gettext_lazy("Quý"),
        required=False,
        help_text=gettext_lazy("Viết dạng 2025-Q1."),
        widget=forms.TextInput(attrs={**TEXT, "placeholder": "2025-Q1"}),
    )
    tu = forms.CharField(
        label=gettext_lazy("Từ ngày"),
        required=False,
        widget=forms.TextInput(attrs={**TEXT, "placeholder": "dd/mm/yyyy", "inputmode": "numeric"}),
    )
    den = forms.CharField(
        label=gettext_lazy("Đến ngày"),
        required=False,
        widget=forms.TextInput(attrs={**TEXT, "placeholder": "dd/mm/yyyy", "inputmode": "numeric"}),
    )
    dinh_dang = forms.ChoiceField(
        label=gettext_lazy("Định dạng"),
        choices=[(HTML, gettext_lazy("Xem trên trang"))]
        + [(f.key, f.label) for f in FORMATS.values()],
        initial=HTML,
        required=False,
        widget=forms.Select(attrs=SELECT),
    )

    PERIOD_FIELDS = ("ngay", "nam", "quy", "tu", "den")
    NATIONAL_LIST = "to-chuc-toan-quoc"  # the id of the datalist offering NATIONAL

    def __init__(self, *args, national: bool = False, permissions=None, **kwargs):
        """`national`: the caller may choose the whole country (a system administrator).
        `permissions`: what the caller holds somewhere; only the reports these allow are
        offered (None: every report, for the downloads, which check the report's permission
        where it is made)."""
        super().__init__(*args, **kwargs)
        self.national = national
        if permissions is not None:
            self.fields["bao_cao"].choices = [
                (r.name, r.title) for r in registry.definitions_for(permissions)
            ]
        if national:
            field = self.fields["to_chuc"]
            field.widget.attrs["list"] = self.NATIONAL_LIST
            field.help_text = _("Hoặc “%(code)s”: %(name)s (báo cáo tại một thời điểm).") % {
                "code": NATIONAL,
                "name": NATIONAL_NAME,
            }

    def clean_to_chuc(self) -> str:
        code = self.cleaned_data["to_chuc"].strip()
        return NATIONAL if self.national and is_national(code) else code

    def clean(self):
        data = super().clean()
        report = registry.get(data.get("bao_cao", ""))
        if self.national and data.get("to_chuc") == NATIONAL and report and not report.national:
            self.add_error("to_chuc", registry.not_national_message(report))
        try:
            period = periods.parse(
                on=data.get("ngay"),
                year_text=data.get("nam"),
                quarter_text=data.get("quy"),
                start=data.get("tu"),
                end=data.get("den"),
            )
        except ValidationError as error:
            field = self._period_field(data)
            self.add_error(field, error)
            return data
        today = timezone.localdate()
        if period is None:
            period = (
                periods.year(today.year) if report and report.needs_period else periods.at(today)
            )
        if report and report.needs_period and not period.is_period:
            self.add_error("ngay", _("Báo cáo này cần một năm, một quý hoặc một khoảng thời gian."))
        if report and not report.needs_period and period.is_period:
            period = periods.at(period.end)  # a report at a date: at the end of the period
        data["period"] = period
        data["dinh_dang"] = data.get("dinh_dang") or HTML
        return data

    def _period_field(self, data) -> str:
        for name in self.PERIOD_FIELDS:
            if data.get(name):
                return name
        return "ngay"
