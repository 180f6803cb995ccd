"""Forms of the dues pages: they parse what a treasurer or an officer typed; the services
decide. Months are typed mm/yyyy."""

from __future__ import annotations

import re
from datetime import date

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.core.corrections import CorrectionForm
from tochuc.lib.dates import parse_date

from .models import Category, Ground, ReliefKind

MONTH = re.compile(r"^\s*(\d{1,2})\s*[/.-]\s*(\d{4})\s*$")
ISO_MONTH = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")


def parse_month(text: str | None) -> date | None:
    """`11/2026`, `11-2026` or `2026-11` → 1/11/2026; anything else → None."""
    text = (text or "").strip()
    found = MONTH.match(text)
    if found:
        month, year = int(found[1]), int(found[2])
    elif found := ISO_MONTH.match(text):
        year, month = int(found[1]), int(found[2])
    else:
        return None
    if not 1 <= month <= 12 or year < 1930:
        return None
    return date(year, month, 1)


class MonthField(forms.CharField):
    default_error_messages = {"invalid": gettext_lazy("Cần tháng dạng mm/yyyy, ví dụ 11/2026.")}

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"placeholder": "mm/yyyy", "inputmode": "numeric"})
        )
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return f"{value:%m/%Y}" if isinstance(value, date) else value

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        month = parse_month(value)
        if month is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return month


class DateField(forms.CharField):
    default_error_messages = {"invalid": gettext_lazy("Cần ngày dạng dd/mm/yyyy.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"placeholder": "dd/mm/yyyy"}))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return f"{value:%d/%m/%Y}" if isinstance(value, date) else value

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            day = parse_date(value)
        except (TypeError, ValueError):
            day = None
        if day is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return day


class Styled(forms.Form):
    """Bootstrap classes on the widgets (the pages are usable on a phone)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            elif not isinstance(widget, (forms.RadioSelect, forms.CheckboxInput,
                                         forms.CheckboxSelectMultiple)):  # fmt: skip
                widget.attrs.setdefault("class", "form-control")


class BasisForm(Styled):
    month = MonthField(label=gettext_lazy("Áp dụng từ tháng"))
    category = forms.ChoiceField(label=gettext_lazy("Đối tượng"), choices=Category.choices)
    basis = forms.IntegerField(
        label=gettext_lazy("Tiền lương tháng trước (đóng BHXH) hoặc lương hưu, đồng"),
        required=False,
        min_value=0,
        help_text=gettext_lazy("Chỉ với đảng viên hưởng lương hoặc lương hưu; số nguyên đồng."),
    )
    note = forms.CharField(label=gettext_lazy("Ghi chú"), required=False, max_length=255)


class ReliefForm(Styled):
    kind = forms.ChoiceField(
        label=gettext_lazy("Hình thức"), choices=ReliefKind.choices, widget=forms.RadioSelect
    )
    percent = forms.TypedChoiceField(
        label=gettext_lazy("Mức giảm"),
        coerce=int,
        required=False,
        choices=[("", "—"), (30, "30%"), (50, "50%"), (70, "70%")],
    )
    first_month = MonthField(label=gettext_lazy("Từ tháng"))
    last_month = MonthField(label=gettext_lazy("Đến tháng"), required=False)
    ground = forms.ChoiceField(label=gettext_lazy("Lý do"), choices=Ground.choices)
    ground_text = forms.CharField(label=gettext_lazy("Nêu rõ"), required=False, max_length=255)
    decision_no = forms.CharField(label=gettext_lazy("Số quyết định, văn bản"), max_length=60)
    decided_on = DateField(label=gettext_lazy("Ngày quyết định"))

    def clean(self):
        data = super().clean()
        if data.get("kind") == ReliefKind.REDUCTION and not data.get("percent"):
            self.add_error("percent", _("Chọn mức giảm."))
        return data


class CollectForm(forms.Form):
    """The collection page's POST: the members ticked, and what to do with them."""

    MODES = (("selected", "selected"), ("except", "except"), ("report", "report"))
    mode = forms.ChoiceField(choices=MODES)
    paid_on = DateField(required=False)
    members = forms.TypedMultipleChoiceField(coerce=int, required=False)
    row_version = forms.IntegerField(required=False)

    def __init__(self, *args, roll_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].choices = [(i, i) for i in roll_ids]

    def clean(self):
        data = super().clean()
        if data.get("mode") in ("selected", "except") and not data.get("paid_on"):
            self.add_error("paid_on", _("Cần ngày nộp."))
        return data


class OtherMonthsForm(Styled):
    """A late or an advance payment: one member, from a month, for some months."""

    member = forms.TypedChoiceField(label=gettext_lazy("Đảng viên"), coerce=int)
    first_month = MonthField(label=gettext_lazy("Nộp cho tháng"))
    months = forms.IntegerField(
        label=gettext_lazy("Số tháng"), min_value=1, max_value=12, initial=1
    )
    paid_on = DateField(label=gettext_lazy("Ngày nộp"))
    reference = forms.CharField(
        label=gettext_lazy("Mã giao dịch (nộp qua Cổng dịch vụ công)"), required=False,
        max_length=60,
    )  # fmt: skip

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [(m.pk, m.full_name) for m in members]


class BasisCorrectionForm(CorrectionForm):
    """Sửa or Hủy a member's category and basis."""

    month = MonthField(label=gettext_lazy("Áp dụng từ tháng"), required=False)
    category = forms.ChoiceField(
        label=gettext_lazy("Đối tượng"), choices=Category.choices, required=False
    )
    basis = forms.IntegerField(
        label=gettext_lazy("Tiền lương tháng trước (đóng BHXH) hoặc lương hưu, đồng"),
        required=False,
        min_value=0,
    )
    note = forms.CharField(label=gettext_lazy("Ghi chú"), required=False, max_length=255)
    row_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    required_when_correcting = ("month", "category")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)

    def changes(self) -> dict:
        data = self.cleaned_data
        return {"month": data.get("month"), "category": data.get("category"),
                "amount": data.get("basis"), "note": data.get("note")}  # fmt: skip


class ReliefCorrectionForm(CorrectionForm):
    """Sửa or Hủy an exemption or a reduction."""

    kind = forms.ChoiceField(
        label=gettext_lazy("Hình thức"), choices=ReliefKind.choices, required=False
    )
    percent = forms.TypedChoiceField(
        label=gettext_lazy("Mức giảm"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=[("", "—"), (30, "30%"), (50, "50%"), (70, "70%")],
    )
    first_month = MonthField(label=gettext_lazy("Từ tháng"), required=False)
    last_month = MonthField(label=gettext_lazy("Đến tháng"), required=False)
    ground = forms.ChoiceField(label=gettext_lazy("Lý do"), choices=Ground.choices, required=False)
    ground_text = forms.CharField(label=gettext_lazy("Nêu rõ"), required=False, max_length=255)
    decision_no = forms.CharField(
        label=gettext_lazy("Số quyết định, văn bản"), required=False, max_length=60
    )
    decided_on = DateField(label=gettext_lazy("Ngày quyết định"), required=False)
    row_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    required_when_correcting = ("kind", "first_month", "ground", "decision_no", "decided_on")
    FIELDS = ("kind", "percent", "first_month", "last_month", "ground", "ground_text",
              "decision_no", "decided_on")  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)

    def changes(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.FIELDS}


def _style(form: forms.Form) -> None:
    for name, field in form.fields.items():
        widget = field.widget
        if name in ("mode",) or isinstance(widget, (forms.RadioSelect, forms.HiddenInput)):
            continue
        if isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")
