"""The "Sửa / Hủy" forms of cadre work (core.corrections.CorrectionForm: the mode, the reason,
the correcting decision), each with the fields that may be corrected; and the two steps that
close an act: a removal from planning at a review, a return from rotation."""

from django import forms
from django.utils.translation import gettext_lazy

from tochuc.core.corrections import DATE_WIDGET, TEXT, CorrectionForm
from tochuc.lib.reference import ETHNICITIES, Gender, PoliticalTheory
from tochuc.members.forms import date_field
from tochuc.organizations.forms import SELECT

from .models import Position, Training


def _text(label, max_length=160):
    return forms.CharField(label=label, max_length=max_length, required=False,
                           widget=forms.TextInput(attrs=TEXT))  # fmt: skip


def _date(label):
    return forms.DateField(label=label, required=False, widget=DATE_WIDGET)


def _choice(label, choices):
    return forms.ChoiceField(label=label, required=False, choices=choices,
                             widget=forms.Select(attrs=SELECT))  # fmt: skip


class _Versioned(CorrectionForm):
    """The record's row_version when the form was read: a correction on a record another
    user changed since is refused (services.cadre_lock)."""

    row_version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class CadreCorrectionForm(_Versioned):
    full_name = _text(gettext_lazy("Họ và tên"), max_length=120)
    gender = _choice(gettext_lazy("Giới tính"), [("", "—"), *Gender.choices])
    birth_date = _date(gettext_lazy("Ngày sinh"))
    ethnicity = _choice(gettext_lazy("Dân tộc"), ETHNICITIES)
    political_theory = _choice(gettext_lazy("Lý luận chính trị"), PoliticalTheory.choices)
    qualification = _text(gettext_lazy("Trình độ chuyên môn"), max_length=120)
    note = forms.CharField(label=gettext_lazy("Ghi chú"), required=False,
                           widget=forms.Textarea(attrs={**TEXT, "rows": 2}))  # fmt: skip
    required_when_correcting = ("full_name", "gender", "birth_date")


class PositionCorrectionForm(_Versioned):
    title = _text(gettext_lazy("Chức vụ"))
    kind = _choice(gettext_lazy("Khối"), Position.Kind.choices)
    unit = _text(gettext_lazy("Cơ quan, đơn vị (ngoài danh mục)"), max_length=255)
    starts_on = _date(gettext_lazy("Từ ngày"))
    ends_on = _date(gettext_lazy("Đến ngày (để trống: đang giữ)"))
    decision_no = _text(gettext_lazy("Số quyết định"), max_length=60)
    decided_on = _date(gettext_lazy("Ngày quyết định"))
    required_when_correcting = ("title", "starts_on")


class AppointmentCorrectionForm(CorrectionForm):
    decision_no = _text(gettext_lazy("Số quyết định bổ nhiệm"), max_length=60)
    decided_on = _date(gettext_lazy("Ngày quyết định"))
    required_when_correcting = ("decision_no", "decided_on")


class CancelOnlyForm(CorrectionForm):
    """An act that is only cancelled (a planning entry recorded by mistake)."""


class RotationCorrectionForm(_Versioned):
    from_position = _text(gettext_lazy("Từ chức vụ, đơn vị"), max_length=255)
    to_position = _text(gettext_lazy("Đến chức vụ"))
    to_unit = _text(gettext_lazy("Đến cơ quan, đơn vị"), max_length=255)
    starts_on = _date(gettext_lazy("Từ ngày"))
    planned_months = forms.IntegerField(
        label=gettext_lazy("Thời gian dự kiến (tháng)"), required=False, min_value=1,
        max_value=120, widget=forms.NumberInput(attrs=TEXT),
    )  # fmt: skip
    decision_no = _text(gettext_lazy("Số quyết định"), max_length=60)
    returned_on = _date(gettext_lazy("Ngày trở về (để trống: chưa trở về)"))
    required_when_correcting = (
        "from_position", "to_position", "to_unit", "starts_on", "planned_months", "decision_no",
    )  # fmt: skip


class TrainingCorrectionForm(_Versioned):
    kind = _choice(gettext_lazy("Loại"), Training.Kind.choices)
    theory_level = _choice(gettext_lazy("Trình độ lý luận chính trị"), PoliticalTheory.choices)
    name = _text(gettext_lazy("Tên khóa học, văn bằng"), max_length=255)
    institution = _text(gettext_lazy("Cơ sở đào tạo"), max_length=255)
    starts_on = _date(gettext_lazy("Từ ngày"))
    ends_on = _date(gettext_lazy("Đến ngày"))
    completed = forms.BooleanField(
        label=gettext_lazy("Đã hoàn thành"), required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )  # fmt: skip
    result = _text(gettext_lazy("Kết quả"), max_length=120)
    required_when_correcting = ("kind", "name", "starts_on")


class PlannedPositionCorrectionForm(CorrectionForm):
    title = _text(gettext_lazy("Chức danh"))
    min_theory = _choice(gettext_lazy("Lý luận chính trị tối thiểu"), PoliticalTheory.choices)
    order = forms.IntegerField(label=gettext_lazy("Thứ tự"), required=False, min_value=0,
                               max_value=32767, widget=forms.NumberInput(attrs=TEXT))  # fmt: skip
    required_when_correcting = ("title", "order")


class PlanningRemoveForm(forms.Form):
    removed_on = date_field(gettext_lazy("Ngày đưa ra khỏi quy hoạch"))
    reason = forms.CharField(label=gettext_lazy("Lý do"), max_length=255,
                             widget=forms.TextInput(attrs=TEXT))  # fmt: skip


class RotationReturnForm(forms.Form):
    returned_on = date_field(gettext_lazy("Ngày trở về"))
