"""Forms of the rating pages. They parse and check input; the services decide."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.core.corrections import DATE_WIDGET, CorrectionForm
from tochuc.members.forms import date_field
from tochuc.organizations.forms import SELECT, TEXT

from .models import Level, PeriodKind, RatingSubject
from .services import criteria_for, session_policy

LEVEL_CHOICES = [("", "—"), *Level.choices]
_POSITION_HINT = gettext_lazy("VD: Bí thư Đảng ủy xã")


class ScoreField(forms.DecimalField):
    """Points with a decimal comma (27,5) or point (27.5); no thousands separator."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        return super().to_python(value)


def _note(label, required=False) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, widget=forms.Textarea(attrs={**TEXT, "rows": 3})
    )


class SessionForm(forms.Form):
    error_fields = {"ends_on": "ends_on", "kind": "kind"}

    kind = forms.ChoiceField(
        label=gettext_lazy("Kỳ đánh giá"), choices=PeriodKind.choices,
        widget=forms.Select(attrs=SELECT),
    )  # fmt: skip
    year = forms.IntegerField(
        label=gettext_lazy("Năm"), min_value=1990, max_value=2100,
        widget=forms.NumberInput(attrs=TEXT),
    )  # fmt: skip
    quarter = forms.TypedChoiceField(
        label=gettext_lazy("Quý (nếu đánh giá theo quý)"), required=False, coerce=int,
        empty_value=None, choices=[("", "—"), (1, "I"), (2, "II"), (3, "III"), (4, "IV")],
        widget=forms.Select(attrs=SELECT),
    )  # fmt: skip
    starts_on = date_field(gettext_lazy("Từ ngày (nhiệm kỳ)"), required=False)
    ends_on = date_field(gettext_lazy("Đến ngày (nhiệm kỳ)"), required=False)
    listed_on = date_field(
        gettext_lazy("Ngày lập danh sách"),
        required=False,
        help_text=gettext_lazy(
            "Đảng viên đang sinh hoạt và không được miễn sinh hoạt vào ngày này được đưa vào "
            "danh sách. Để trống: ngày cuối kỳ."
        ),
    )
    title = forms.CharField(
        label=gettext_lazy("Tên kỳ (để trống: tự đặt)"), required=False, max_length=255,
        widget=forms.TextInput(attrs=TEXT),
    )  # fmt: skip
    note = _note(gettext_lazy("Ghi chú"))

    def __init__(self, *args, organization, **kwargs):
        kwargs.setdefault("initial", {"year": timezone.localdate().year, "kind": PeriodKind.YEAR})
        super().__init__(*args, **kwargs)
        self.organization = organization

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == PeriodKind.QUARTER and not data.get("quarter"):
            self.add_error("quarter", _("Chọn quý."))
        if kind == PeriodKind.TERM:
            for name in ("starts_on", "ends_on", "title"):
                if not data.get(name):
                    self.add_error(name, _("Kỳ nhiệm kỳ cần trường này."))
        return data

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {
            "organization": self.organization, "kind": d["kind"], "year": d["year"],
            "quarter": d.get("quarter"), "starts_on": d.get("starts_on"),
            "ends_on": d.get("ends_on"), "listed_on": d.get("listed_on"),
            "title": d.get("title", ""), "note": d.get("note", ""),
        }  # fmt: skip


class SelfAssessForm(forms.Form):
    """One score per criterion of the sheet (two decimals), the comment, the date."""

    error_fields: dict[str, str] = {}

    def __init__(self, *args, subject: RatingSubject, **kwargs):
        super().__init__(*args, **kwargs)
        self.subject = subject
        criteria = criteria_for(subject.kind, session_policy(subject.session))
        previous = subject.criteria_scores or []
        for index, (label, top) in enumerate(criteria):
            self.fields[f"c{index}"] = ScoreField(
                label=f"{label} (tối đa {top} điểm)", min_value=Decimal(0), max_value=top,
                max_digits=5, decimal_places=2,
                initial=previous[index] if index < len(previous) else None,
                widget=forms.TextInput(attrs={**TEXT, "inputmode": "decimal"}),
            )  # fmt: skip
        self.criteria = criteria
        self.fields["comment"] = _note(gettext_lazy("Tự nhận xét"))
        self.fields["comment"].initial = subject.self_comment
        self.fields["on"] = date_field(gettext_lazy("Ngày tự đánh giá"))
        self.fields["on"].initial = subject.self_on or timezone.localdate()

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {
            "scores": [d[f"c{i}"] for i in range(len(self.criteria))],
            "comment": d.get("comment", ""),
            "on": d["on"],
        }


class ProposeForm(forms.Form):
    error_fields: dict[str, str] = {}

    level = forms.ChoiceField(
        label=gettext_lazy("Mức chi bộ đề xuất"), choices=LEVEL_CHOICES,
        widget=forms.Select(attrs=SELECT),
    )  # fmt: skip
    note = _note(gettext_lazy("Ý kiến của chi bộ"))
    on = date_field(gettext_lazy("Ngày chi bộ họp xét"))

    def __init__(self, *args, subject: RatingSubject, **kwargs):
        super().__init__(*args, **kwargs)
        self.subject = subject
        self.fields["level"].initial = subject.proposed_level or subject.self_level
        self.fields["on"].initial = subject.proposed_on or timezone.localdate()

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {"level": d["level"], "note": d.get("note", ""), "on": d["on"]}


class DecideForm(forms.Form):
    error_fields: dict[str, str] = {}

    level = forms.ChoiceField(
        label=gettext_lazy("Mức xếp loại"), choices=LEVEL_CHOICES,
        widget=forms.Select(attrs=SELECT),
    )  # fmt: skip
    decision_no = forms.CharField(
        label=gettext_lazy("Số quyết định"), max_length=60,
        widget=forms.TextInput(attrs={**TEXT, "placeholder": gettext_lazy("VD: 125-QĐ/ĐU")}),
    )  # fmt: skip
    decided_on = date_field(gettext_lazy("Ngày quyết định"))

    def __init__(self, *args, subject: RatingSubject, **kwargs):
        super().__init__(*args, **kwargs)
        self.subject = subject
        self.fields["level"].initial = subject.proposed_level

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {
            "level": d["level"], "decision_no": d["decision_no"], "decided_on": d["decided_on"]
        }  # fmt: skip


class VoteForm(forms.Form):
    error_fields = {"member": "member_id"}

    member_id = forms.IntegerField(
        label=gettext_lazy("Người được lấy phiếu"),
        widget=forms.Select(attrs=SELECT),
    )
    position = forms.CharField(
        label=gettext_lazy("Chức vụ"), max_length=255,
        widget=forms.TextInput(attrs={**TEXT, "placeholder": _POSITION_HINT}),
    )  # fmt: skip
    held_on = date_field(gettext_lazy("Ngày lấy phiếu"))
    ballots_issued = forms.IntegerField(
        label=gettext_lazy("Số phiếu phát ra"), min_value=0, widget=forms.NumberInput(attrs=TEXT)
    )
    ballots_valid = forms.IntegerField(
        label=gettext_lazy("Số phiếu hợp lệ"), min_value=0, widget=forms.NumberInput(attrs=TEXT)
    )
    high = forms.IntegerField(
        label=gettext_lazy("Tín nhiệm cao"), min_value=0, widget=forms.NumberInput(attrs=TEXT)
    )
    medium = forms.IntegerField(
        label=gettext_lazy("Tín nhiệm"), min_value=0, widget=forms.NumberInput(attrs=TEXT)
    )
    low = forms.IntegerField(
        label=gettext_lazy("Tín nhiệm thấp"), min_value=0, widget=forms.NumberInput(attrs=TEXT)
    )
    note = _note(gettext_lazy("Ghi chú"))

    MAX_CHOICES = 500

    def __init__(self, *args, organization, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization
        self.members = {m.pk: m for m in members[: self.MAX_CHOICES]}
        self.fields["member_id"].widget.choices = [("", "—")] + [
            (m.pk, f"{m.full_name} ({m.birth_date:%d/%m/%Y}) — {m.organization.name}")
            for m in self.members.values()
        ]

    def clean_member_id(self):
        pk = self.cleaned_data["member_id"]
        if pk not in self.members:
            raise forms.ValidationError(_("Chọn một đảng viên của tổ chức."))
        return pk

    def clean(self):
        d = super().clean()
        issued, valid = d.get("ballots_issued"), d.get("ballots_valid")
        if issued is not None and valid is not None and valid > issued:
            self.add_error("ballots_valid", _("Số phiếu hợp lệ nhiều hơn số phiếu phát ra."))
        parts = [d.get(k) for k in ("high", "medium", "low")]
        if valid is not None and None not in parts and sum(parts) > valid:
            self.add_error(
                "low",
                _("Tổng ba mức (%(sum)s) vượt số phiếu hợp lệ (%(valid)s).")
                % {"sum": sum(parts), "valid": valid},
            )
        return d

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {
            "member": self.members[d["member_id"]], "organization": self.organization,
            "position": d["position"], "held_on": d["held_on"],
            "ballots_issued": d["ballots_issued"], "ballots_valid": d["ballots_valid"],
            "high": d["high"], "medium": d["medium"], "low": d["low"], "note": d.get("note", ""),
        }  # fmt: skip


class DecisionCorrectionForm(CorrectionForm):
    """Sửa / Hủy a rating decision: the level, its number and date, with the reason."""

    final_level = forms.ChoiceField(
        label=gettext_lazy("Mức xếp loại"), choices=[("", "—"), *Level.choices], required=False,
        widget=forms.Select(attrs=SELECT),
    )  # fmt: skip
    decision_no = forms.CharField(
        label=gettext_lazy("Số quyết định"), max_length=60, required=False,
        widget=forms.TextInput(attrs=TEXT),
    )  # fmt: skip
    decided_on = forms.DateField(
        label=gettext_lazy("Ngày quyết định"), required=False, widget=DATE_WIDGET
    )
    required_when_correcting = ("final_level", "decision_no", "decided_on")


class VoteCorrectionForm(CorrectionForm):
    """Sửa / Hủy a vote of confidence: its date, position and ballots, with the reason."""

    held_on = forms.DateField(
        label=gettext_lazy("Ngày lấy phiếu"), required=False, widget=DATE_WIDGET
    )
    position = forms.CharField(
        label=gettext_lazy("Chức vụ"), max_length=255, required=False,
        widget=forms.TextInput(attrs=TEXT),
    )  # fmt: skip
    ballots_issued = forms.IntegerField(
        label=gettext_lazy("Số phiếu phát ra"), required=False, min_value=0
    )
    ballots_valid = forms.IntegerField(
        label=gettext_lazy("Số phiếu hợp lệ"), required=False, min_value=0
    )
    high = forms.IntegerField(label=gettext_lazy("Tín nhiệm cao"), required=False, min_value=0)
    medium = forms.IntegerField(label=gettext_lazy("Tín nhiệm"), required=False, min_value=0)
    low = forms.IntegerField(label=gettext_lazy("Tín nhiệm thấp"), required=False, min_value=0)
    required_when_correcting = (
        "held_on", "position", "ballots_issued", "ballots_valid", "high", "medium", "low",
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("ballots_issued", "ballots_valid", "high", "medium", "low"):
            self.fields[name].widget.attrs.update({"class": "form-control", "inputmode": "numeric"})
