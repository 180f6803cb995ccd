"""Forms of cadre work: they parse input and find what it names through the caller's scope;
the services decide."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.lib.paths import under
from tochuc.lib.reference import Gender, PoliticalTheory
from tochuc.members.forms import date_field
from tochuc.organizations.forms import SELECT, TEXT

from . import selectors
from .models import Appointment, Training

RADIO = forms.RadioSelect(attrs={"class": "form-check-input"})


def _text(label, *, required=True, max_length=160, placeholder=""):
    attrs = {**TEXT, "placeholder": placeholder} if placeholder else TEXT
    return forms.CharField(label=label, required=required, max_length=max_length,
                           widget=forms.TextInput(attrs=attrs))  # fmt: skip


def term_choices(today=None) -> list[tuple[int, str]]:
    """The planning terms offered: the current one and the next (2025–2030, 2030–2035)."""
    year = (today or timezone.localdate()).year
    first = 2025 + 5 * ((year - 2025) // 5) if year >= 2025 else 2020
    return [(y, f"{y}–{y + 5}") for y in (first, first + 5)]


class CadreForm(forms.Form):
    member = forms.IntegerField(
        label=gettext_lazy("Số hồ sơ đảng viên (nếu là đảng viên)"), required=False, min_value=1,
        help_text=gettext_lazy("Có số hồ sơ thì họ tên, ngày sinh… lấy từ hồ sơ đảng viên."),
        widget=forms.TextInput(attrs={**TEXT, "inputmode": "numeric", "autocomplete": "off"}),
    )  # fmt: skip
    full_name = _text(gettext_lazy("Họ và tên"), required=False, max_length=120)
    gender = forms.ChoiceField(label=gettext_lazy("Giới tính"), required=False,
                               choices=[("", "—"), *Gender.choices],
                               widget=forms.Select(attrs=SELECT))  # fmt: skip
    birth_date = date_field(gettext_lazy("Ngày sinh"), required=False)
    political_theory = forms.ChoiceField(
        label=gettext_lazy("Lý luận chính trị"), required=False, choices=PoliticalTheory.choices,
        widget=forms.Select(attrs=SELECT),
    )  # fmt: skip
    qualification = _text(gettext_lazy("Trình độ chuyên môn"), required=False,
                          placeholder=gettext_lazy("VD: Thạc sĩ Quản lý công"))  # fmt: skip

    def __init__(self, *args, organization, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization, self.scope = organization, scope

    def clean_member(self):
        pk = self.cleaned_data.get("member")
        if not pk:
            return None
        found = self.scope.members(within=self.organization).filter(pk=pk).first()
        if found is None:
            raise forms.ValidationError(
                _("Không có đảng viên số %(pk)s trong %(name)s.")
                % {"pk": pk, "name": self.organization.name}
            )
        return found

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"committee": self.organization, **{k: data[k] or v for k, v in (
            ("member", None), ("full_name", ""), ("gender", ""), ("birth_date", None),
            ("political_theory", ""), ("qualification", ""))}}  # fmt: skip


class AppointmentForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Loại"), choices=Appointment.Kind.choices,
                             widget=RADIO)  # fmt: skip
    position = forms.TypedChoiceField(
        label=gettext_lazy("Chức vụ đang giữ (bổ nhiệm lại)"), required=False, coerce=int,
        empty_value=None, widget=forms.Select(attrs=SELECT),
    )  # fmt: skip
    title = _text(gettext_lazy("Chức vụ được bổ nhiệm (bổ nhiệm lần đầu)"), required=False,
                  placeholder=gettext_lazy("VD: Phó Giám đốc Sở Nội vụ"))  # fmt: skip
    agency = forms.TypedChoiceField(label=gettext_lazy("Cơ quan, đơn vị"), required=False,
                                    coerce=int, empty_value=None,
                                    widget=forms.Select(attrs=SELECT))  # fmt: skip
    unit = _text(gettext_lazy("Hoặc tên đơn vị (ngoài danh mục)"), required=False, max_length=255)
    decision_no = _text(gettext_lazy("Số quyết định"), max_length=60,
                        placeholder=gettext_lazy("VD: 125-QĐ/TU"))  # fmt: skip
    decided_on = date_field(gettext_lazy("Ngày quyết định"))
    starts_on = date_field(gettext_lazy("Ngày có hiệu lực"))

    def __init__(self, *args, cadre, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.cadre = cadre
        self.positions = {p.pk: p for p in selectors.current_positions(cadre)}
        self.fields["position"].choices = [("", "—")] + [
            (pk, str(p)) for pk, p in self.positions.items()
        ]
        self.agencies = {
            a.pk: a for a in selectors.agencies_under(scope=scope, organization=cadre.committee)
        }
        self.fields["agency"].choices = [("", "—")] + [
            (pk, a.name) for pk, a in self.agencies.items()
        ]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "cadre": self.cadre, "kind": data["kind"],
            "position": self.positions.get(data["position"]),
            "title": data["title"], "agency": self.agencies.get(data["agency"]),
            "unit": data["unit"], "decision_no": data["decision_no"],
            "decided_on": data["decided_on"], "starts_on": data["starts_on"],
        }  # fmt: skip


class PlanningAddForm(forms.Form):
    cadre = forms.TypedChoiceField(label=gettext_lazy("Cán bộ"), coerce=int,
                                   widget=forms.Select(attrs=SELECT))  # fmt: skip
    term_start = forms.TypedChoiceField(label=gettext_lazy("Nhiệm kỳ"), coerce=int,
                                        widget=forms.Select(attrs=SELECT))  # fmt: skip
    added_on = date_field(gettext_lazy("Ngày đưa vào quy hoạch"))
    decision_no = _text(gettext_lazy("Số quyết định"), required=False, max_length=60)

    def __init__(self, *args, position, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.position = position
        self.cadres = {
            c.pk: c
            for c in selectors.cadre_list(scope=scope, organization=position.committee).filter(
                under("committee__path", position.committee.path)
            )
        }
        self.fields["cadre"].choices = [(pk, c.full_name) for pk, c in self.cadres.items()]
        self.fields["term_start"].choices = term_choices()

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"position": self.position, "cadre": self.cadres[data["cadre"]],
                "term_start": data["term_start"], "added_on": data["added_on"],
                "decision_no": data["decision_no"]}  # fmt: skip


class RotationForm(forms.Form):
    from_position = _text(gettext_lazy("Từ chức vụ, đơn vị"), max_length=255)
    to_position = _text(gettext_lazy("Đến chức vụ"),
                        placeholder=gettext_lazy("VD: Phó Bí thư Đảng ủy xã"))  # fmt: skip
    to_unit = _text(gettext_lazy("Đến cơ quan, đơn vị"), max_length=255)
    starts_on = date_field(gettext_lazy("Từ ngày"))
    planned_months = forms.IntegerField(label=gettext_lazy("Thời gian dự kiến (tháng)"),
                                        min_value=1, max_value=120,
                                        widget=forms.NumberInput(attrs=TEXT))  # fmt: skip
    decision_no = _text(gettext_lazy("Số quyết định"), max_length=60)

    def __init__(self, *args, cadre, **kwargs):
        super().__init__(*args, **kwargs)
        self.cadre = cadre
        current = selectors.current_positions(cadre)
        if current:
            self.fields["from_position"].initial = str(current[0])

    def service_kwargs(self) -> dict:
        return {"cadre": self.cadre, **self.cleaned_data}


class TrainingForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Loại"), choices=Training.Kind.choices,
                             widget=forms.Select(attrs=SELECT))  # fmt: skip
    theory_level = forms.ChoiceField(
        label=gettext_lazy("Trình độ lý luận chính trị (nếu là lý luận chính trị)"),
        required=False, choices=PoliticalTheory.choices, widget=forms.Select(attrs=SELECT),
    )  # fmt: skip
    name = _text(
        gettext_lazy("Tên khóa học, văn bằng"),
        max_length=255,
        placeholder=gettext_lazy("VD: Cao cấp lý luận chính trị hệ không tập trung"),
    )
    institution = _text(gettext_lazy("Cơ sở đào tạo"), required=False, max_length=255)
    starts_on = date_field(gettext_lazy("Từ ngày"))
    ends_on = date_field(gettext_lazy("Đến ngày"), required=False)
    completed = forms.BooleanField(
        label=gettext_lazy("Đã hoàn thành"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    result = _text(gettext_lazy("Kết quả"), required=False, max_length=120)

    def __init__(self, *args, cadre, **kwargs):
        super().__init__(*args, **kwargs)
        self.cadre = cadre

    def service_kwargs(self) -> dict:
        return {"cadre": self.cadre, **self.cleaned_data}
