"""Forms of the meeting pages. They parse what the secretary typed; the services decide.

The record form is made for a phone: the roll of the day (from the timeline) with everyone
"có mặt" by default, so the secretary taps only those away and why.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.core.corrections import CorrectionForm
from tochuc.members.forms import date_field
from tochuc.organizations.forms import SELECT, TEXT

from .models import Body, Kind, Presence, Quality
from .services import FIELDS, Marks

QUALITY_CHOICES = [("", "—"), *Quality.choices]


def _text(label, rows=0, max_length=None):
    widget = forms.Textarea(attrs={**TEXT, "rows": rows}) if rows else forms.TextInput(attrs=TEXT)
    return forms.CharField(label=label, required=False, widget=widget, max_length=max_length)


class AttendanceFields:
    """One presence choice and one reason per member on the roll: `p<pk>`, `r<pk>`."""

    def add_attendance(self, roll, initial: Marks | None = None) -> None:
        initial = initial or {}
        self.roll = list(roll)
        for entry in self.roll:
            pk = entry.member.pk
            presence, reason = initial.get(pk, (Presence.PRESENT, ""))
            self.fields[f"p{pk}"] = forms.ChoiceField(
                label=entry.member.full_name, choices=Presence.choices, initial=presence,
                widget=forms.RadioSelect, required=False,
            )  # fmt: skip
            self.fields[f"r{pk}"] = forms.CharField(
                label=_("Lý do vắng"), required=False, max_length=255, initial=reason,
                widget=forms.TextInput(attrs={**TEXT, "placeholder": _("Lý do vắng")}),
            )  # fmt: skip

    def attendance_rows(self):
        """(entry, presence field, reason field) for the template."""
        return [(e, self[f"p{e.member.pk}"], self[f"r{e.member.pk}"]) for e in self.roll]

    def marks(self) -> Marks:
        data = self.cleaned_data
        marks = {}
        for entry in self.roll:
            pk = entry.member.pk
            presence = data.get(f"p{pk}") or Presence.PRESENT
            if presence != Presence.PRESENT:
                marks[pk] = (presence, data.get(f"r{pk}", ""))
        return marks

    def check_reasons(self) -> None:
        for entry in self.roll:
            pk = entry.member.pk
            if (
                self.cleaned_data.get(f"p{pk}") == Presence.EXCUSED
                and not (self.cleaned_data.get(f"r{pk}") or "").strip()
            ):
                self.add_error(f"r{pk}", _("Vắng có lý do: hãy ghi lý do."))

    def person(self, name: str):
        pk = self.cleaned_data.get(name)
        return next((e.member for e in self.roll if str(e.member.pk) == pk), None)


def _people_choices(roll):
    return [("", "—"), *((str(e.member.pk), e.member.full_name) for e in roll)]


class MeetingForm(AttendanceFields, forms.Form):
    """A meeting of `organization` on `held_on` (chosen above the form: the roll is that
    day's)."""

    error_fields = {"attendance": None}

    kind = forms.ChoiceField(
        label=gettext_lazy("Loại buổi sinh hoạt"), choices=Kind.choices, initial=Kind.REGULAR,
        widget=forms.Select(attrs=SELECT),
    )  # fmt: skip
    topic = _text(gettext_lazy("Chủ đề"), max_length=255)
    place = _text(gettext_lazy("Địa điểm"), max_length=255)
    chair = forms.ChoiceField(label=gettext_lazy("Chủ trì"), required=False,
                              widget=forms.Select(attrs=SELECT))  # fmt: skip
    secretary = forms.ChoiceField(label=gettext_lazy("Thư ký"), required=False,
                                  widget=forms.Select(attrs=SELECT))  # fmt: skip
    quality = forms.ChoiceField(
        label=gettext_lazy("Chi bộ tự đánh giá chất lượng buổi sinh hoạt"),
        choices=QUALITY_CHOICES, required=False, widget=forms.Select(attrs=SELECT),
    )  # fmt: skip
    agenda = _text(gettext_lazy("Nội dung, chương trình"), rows=3)
    minutes = _text(gettext_lazy("Biên bản"), rows=4)
    resolution = _text(gettext_lazy("Nghị quyết, kết luận"), rows=3)

    def __init__(self, data=None, *, organization, held_on, roll, body=Body.CELL):
        super().__init__(data)
        self.organization, self.held_on, self.body = organization, held_on, body
        if body != Body.CELL:
            self.fields["quality"].label = _("Tự đánh giá chất lượng hội nghị")
        for name in ("chair", "secretary"):
            self.fields[name].choices = _people_choices(roll)
        self.add_attendance(roll)

    def clean(self):
        data = super().clean()
        self.check_reasons()
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "organization": self.organization,
            "held_on": self.held_on,
            "body": self.body,
            "kind": data["kind"],
            **{n: data.get(n, "") for n in ("topic", "place", "agenda", "minutes", "resolution")},
            "quality": data.get("quality", ""),
            "chair": self.person("chair"),
            "secretary": self.person("secretary"),
            "marks": self.marks(),
        }


class MeetingCorrectionForm(AttendanceFields, CorrectionForm):
    held_on = date_field(gettext_lazy("Ngày sinh hoạt"))
    kind = forms.ChoiceField(label=gettext_lazy("Loại buổi sinh hoạt"), choices=Kind.choices,
                             widget=forms.Select(attrs=SELECT))  # fmt: skip
    topic = _text(gettext_lazy("Chủ đề"), max_length=255)
    place = _text(gettext_lazy("Địa điểm"), max_length=255)
    quality = forms.ChoiceField(
        label=gettext_lazy("Chi bộ tự đánh giá chất lượng"), choices=QUALITY_CHOICES,
        required=False, widget=forms.Select(attrs=SELECT),
    )  # fmt: skip
    agenda = _text(gettext_lazy("Nội dung, chương trình"), rows=3)
    minutes = _text(gettext_lazy("Biên bản"), rows=4)
    resolution = _text(gettext_lazy("Nghị quyết, kết luận"), rows=3)
    row_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    required_when_correcting = ("held_on", "kind")

    def __init__(self, *args, roll=(), marks: Marks | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_attendance(roll, marks)
        # The shared fields (reason, correcting decision) stay last.
        for name in ("reason", "correcting_decision_no", "correcting_decision_date"):
            self.fields[name] = self.fields.pop(name)

    def clean(self):
        data = super().clean()
        if data.get("mode") == "corrected":
            self.check_reasons()
        return data

    def changes(self) -> dict:
        data = self.cleaned_data
        changes = {n: data.get(n) for n in FIELDS if n in self.fields}
        if self.roll:
            changes["marks"] = self.marks()
        return changes


class AttachForm(forms.Form):
    """A file of the meeting (core/uploads.py checks it: size, type, name)."""

    file = forms.FileField(
        label=gettext_lazy("Tệp (biên bản đã ký, tài liệu của buổi sinh hoạt)"),
        widget=forms.ClearableFileInput(attrs=TEXT),
        error_messages={
            "required": gettext_lazy("Hãy chọn tệp."),
            "empty": gettext_lazy("Tệp rỗng."),
        },
    )


class FileRemoveForm(CorrectionForm):
    """Gỡ a file attached by mistake: the reason only."""
