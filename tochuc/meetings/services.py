"""Writes of cell meetings: record a meeting with its attendance, correct it, cancel it.

The roll is the timeline's (`members.selectors.roll_on`: official members of the cell on
the day, less those in temporary activity elsewhere, plus those in temporary activity there,
exempted members left out); the secretary only marks who was away, and why. A meeting from
a history file carries its figures alone (`figures=`). Every write is atomic, validated
and audited; the month's regular meeting is one (the dated rule's number).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tochuc.core import audit, corrections, uploads
from tochuc.core.errors import ProcedureError
from tochuc.lib.dates import vn_date
from tochuc.members.models import Member
from tochuc.members.selectors import RollEntry, roll_on
from tochuc.organizations.models import Organization
from tochuc.policy.acts import after_founding, check_act_date
from tochuc.policy.rules import policy_for

from .models import CELL_KINDS, Attendance, Body, Kind, Meeting, MeetingFile, Presence, Quality
from .selectors import committee_roll, month_start

TEXT_FIELDS = ("place", "topic", "agenda", "minutes", "resolution")
FIELDS = ["held_on", "kind", *TEXT_FIELDS, "chair", "secretary", "quality"]
COUNTS = ["expected", "present", "excused", "absent"]
Marks = dict[int, tuple[str, str]]  # member pk → (presence, reason): those not present


@dataclass(frozen=True)
class Counts:
    present: int
    excused: int
    absent: int

    @property
    def expected(self) -> int:
        return self.present + self.excused + self.absent


def _check_cell(organization: Organization, held_on: date, body: str = Body.CELL) -> None:
    if body not in Body.values:
        raise ValidationError({"body": _("Chọn hội nghị của chi bộ, cấp ủy hay Ban Thường vụ.")})
    if body == Body.CELL and organization.kind not in CELL_KINDS:
        raise ValidationError(
            {"organization": _("Chỉ chi bộ (chi bộ cơ sở, chi bộ trực thuộc) ghi buổi sinh hoạt.")}
        )
    check_act_date(held_on, field="held_on", earliest=[after_founding(organization)])
    if organization.ended_on is not None and held_on >= organization.ended_on:
        raise ValidationError(
            {"held_on": _("%(name)s đã chấm dứt hoạt động từ %(ended)s.")
             % {"name": organization.name, "ended": vn_date(organization.ended_on)}}
        )  # fmt: skip


def _check_fields(kind: str, quality: str) -> None:
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Chọn loại buổi sinh hoạt.")})
    if quality and quality not in Quality.values:
        raise ValidationError({"quality": _("Chọn một mức tự đánh giá chất lượng.")})


def _check_calendar(
    organization: Organization, held_on: date, kind: str, *, other=None, body: str = Body.CELL
) -> None:
    """One meeting of a kind a day (per body); a cell's regular meetings in a month no more
    than the rule's."""
    same = Meeting.objects.filter(organization=organization, body=body)
    if other is not None:
        same = same.exclude(pk=other.pk)
    if same.filter(held_on=held_on, kind=kind).exists():
        raise ValidationError(
            {"held_on": _("Ngày %(day)s %(who)s đã có một buổi “%(kind)s”.")
             % {"day": vn_date(held_on), "kind": Kind(kind).label,
                "who": _("chi bộ") if body == Body.CELL else Body(body).label.lower()}}
        )  # fmt: skip
    if kind != Kind.REGULAR or body != Body.CELL:
        return
    policy = policy_for(held_on)
    first = month_start(held_on)
    month = same.filter(
        kind=Kind.REGULAR, held_on__year=held_on.year, held_on__month=held_on.month
    ).order_by("held_on")
    if month.count() >= policy.meeting_regular_per_month:
        raise ValidationError(
            {"kind": _(
                "Chi bộ đã sinh hoạt thường kỳ tháng %(month)s (ngày %(day)s); mỗi tháng "
                "%(n)s buổi thường kỳ (%(source)s). Buổi khác trong tháng là chuyên đề hoặc "
                "bất thường."
            ) % {
                "month": f"{first:%m/%Y}", "day": vn_date(month.first().held_on),
                "n": policy.meeting_regular_per_month, "source": policy.meetings_source,
            }}
        )  # fmt: skip


def _check_people(roll: dict[int, RollEntry], chair, secretary) -> None:
    for name, person, label in (
        ("chair", chair, _("Chủ trì")),
        ("secretary", secretary, _("Thư ký")),
    ):
        if person is not None and person.pk not in roll:
            raise ValidationError(
                {name: _("%(who)s: đồng chí %(name)s không sinh hoạt ở chi bộ vào ngày này.")
                 % {"who": label, "name": person.full_name}}
            )  # fmt: skip


def _attendance(meeting: Meeting, roll: dict[int, RollEntry], marks: Marks) -> list[Attendance]:
    unknown = [pk for pk in marks if pk not in roll]
    if unknown:
        raise ValidationError(
            {"attendance": _(
                "Có đảng viên không thuộc danh sách sinh hoạt của chi bộ ngày %(day)s."
            ) % {"day": vn_date(meeting.held_on)}}
        )  # fmt: skip
    rows = []
    for pk, entry in roll.items():
        presence, reason = marks.get(pk, (Presence.PRESENT, ""))
        reason = (reason or "").strip()
        if presence not in Presence.values:
            raise ValidationError({"attendance": _("Điểm danh không hợp lệ.")})
        if presence == Presence.EXCUSED and not reason:
            raise ValidationError(
                {"attendance": _("Đồng chí %(name)s vắng có lý do: hãy ghi lý do.")
                 % {"name": entry.member.full_name}}
            )  # fmt: skip
        if presence == Presence.PRESENT:
            reason = ""
        rows.append(
            Attendance(meeting=meeting, member=entry.member, presence=presence,
                       reason=reason[:255], temporary=entry.temporary)
        )  # fmt: skip
    return rows


def _set_counts(meeting: Meeting, counts: Counts) -> None:
    meeting.present, meeting.excused, meeting.absent = counts.present, counts.excused, counts.absent
    meeting.expected = counts.expected


def _counts_of(rows: list[Attendance]) -> Counts:
    def n(presence):
        return sum(1 for a in rows if a.presence == presence)

    return Counts(n(Presence.PRESENT), n(Presence.EXCUSED), n(Presence.ABSENT))


def expected_on(organization: Organization, held_on: date, body: str) -> list[RollEntry]:
    """Who is expected: the cell's roll from the timeline, or the committee's post holders."""
    if body == Body.CELL:
        return roll_on(organization=organization, on=held_on)
    return committee_roll(organization=organization, body=body, on=held_on)


def _roll(organization: Organization, held_on: date, body: str = Body.CELL) -> dict[int, RollEntry]:
    roll = {e.member.pk: e for e in expected_on(organization, held_on, body)}
    if not roll and body != Body.CELL:
        raise ProcedureError(
            {"held_on": _("Ngày %(day)s %(name)s không có %(who)s đương nhiệm (theo hồ sơ cấp ủy).")
             % {"day": vn_date(held_on), "name": organization.name,
                "who": _("Ban Thường vụ") if body == Body.STANDING else _("cấp ủy")}}
        )  # fmt: skip
    if not roll:
        raise ProcedureError(
            {"held_on": _("Ngày %(day)s chi bộ không có đảng viên sinh hoạt (theo hồ sơ).")
             % {"day": vn_date(held_on)}}
        )  # fmt: skip
    return roll


@transaction.atomic
def meeting_record(
    *,
    organization: Organization,
    held_on: date,
    kind: str,
    body: str = Body.CELL,
    place: str = "",
    topic: str = "",
    agenda: str = "",
    chair: Member | None = None,
    secretary: Member | None = None,
    minutes: str = "",
    resolution: str = "",
    quality: str = "",
    marks: Marks | None = None,
    figures: Counts | None = None,
    by=None,
) -> Meeting:
    """Record a meeting of a cell. With `marks` (or nothing: all present) the roll is the
    timeline's on `held_on`; with `figures` (a history file) only the counts are kept."""
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    _check_cell(organization, held_on, body)
    _check_fields(kind, quality)
    _check_calendar(organization, held_on, kind, body=body)
    meeting = Meeting(
        organization=organization, held_on=held_on, kind=kind, quality=quality, body=body,
        chair=chair, secretary=secretary,
        recorded_by=by if getattr(by, "is_authenticated", False) else None,
        **{name: (value or "").strip() for name, value in zip(
            TEXT_FIELDS, (place, topic, agenda, minutes, resolution), strict=True)},
    )  # fmt: skip
    rows: list[Attendance] = []
    if figures is None:
        roll = _roll(organization, held_on, body)
        _check_people(roll, chair, secretary)
        rows = _attendance(meeting, roll, marks or {})
        _set_counts(meeting, _counts_of(rows))
        meeting.detailed = True
    else:
        if min(figures.present, figures.excused, figures.absent) < 0:
            raise ValidationError({"present": _("Số người không được âm.")})
        _set_counts(meeting, figures)
    meeting.full_clean(exclude=["organization", "recorded_by", "chair", "secretary"])
    meeting.save()
    Attendance.objects.bulk_create(rows)
    audit.record(
        "tochuc.meeting.recorded", by=by, obj=meeting, organization=organization.code,
        on=held_on, kind=kind, body=body, expected=meeting.expected, present=meeting.present,
        excused=meeting.excused, absent=meeting.absent,
    )  # fmt: skip
    return meeting


def _snapshot(meeting: Meeting) -> dict:
    return corrections.snapshot(meeting, [*FIELDS, *COUNTS])


def _lock(meeting: Meeting, expected_version: int | None) -> Meeting:
    current = Meeting.objects.select_for_update().select_related("organization").get(pk=meeting.pk)
    if expected_version is not None and current.row_version != expected_version:
        raise ProcedureError(
            _(
                "Buổi sinh hoạt đã được người khác sửa sau khi đồng chí mở trang này. Thay đổi "
                "của đồng chí chưa được lưu; hãy tải lại trang để xem bản mới rồi sửa lại."
            )
        )
    return current


@transaction.atomic
def meeting_correct(
    *,
    meeting: Meeting,
    grounds: corrections.Grounds,
    expected_version: int | None = None,
    marks: Marks | None = None,
    by=None,
    **changes,
) -> Meeting:
    """Correct what was recorded (`changes`: any of FIELDS) and, for a meeting whose roll is
    kept, the marks (`marks`: those not present; None keeps them). A new date takes the
    roll of that day; the marks of members still on it are kept."""
    grounds.check()
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise ValidationError(_("Không sửa được: %(names)s.") % {"names": ", ".join(unknown)})
    meeting = _lock(meeting, expected_version)
    before = _snapshot(meeting)
    for name, value in changes.items():
        if value is None and name not in ("chair", "secretary"):
            continue
        setattr(meeting, name, value.strip() if isinstance(value, str) else value)
    _check_cell(meeting.organization, meeting.held_on, meeting.body)
    _check_fields(meeting.kind, meeting.quality)
    _check_calendar(
        meeting.organization, meeting.held_on, meeting.kind, other=meeting, body=meeting.body
    )
    if meeting.detailed:
        kept = {
            a.member_id: (a.presence, a.reason)
            for a in meeting.attendance.all()
            if a.presence != Presence.PRESENT
        }
        roll = _roll(meeting.organization, meeting.held_on, meeting.body)
        _check_people(roll, meeting.chair, meeting.secretary)
        given = kept if marks is None else marks
        if marks is None:
            given = {pk: mark for pk, mark in given.items() if pk in roll}
        rows = _attendance(meeting, roll, given)
        meeting.attendance.all().delete()
        Attendance.objects.bulk_create(rows)
        _set_counts(meeting, _counts_of(rows))
    meeting.row_version += 1
    meeting.full_clean(exclude=["organization", "recorded_by", "chair", "secretary"])
    meeting.save()
    corrections.record(
        obj=meeting, entity="meeting", action=corrections.CORRECTED, grounds=grounds,
        before=before, after=_snapshot(meeting), by=by,
    )  # fmt: skip
    return meeting


@transaction.atomic
def meeting_cancel(
    *, meeting: Meeting, grounds: corrections.Grounds, expected_version: int | None = None, by=None
) -> None:
    """A meeting recorded by mistake: its record and attendance are removed (the correction
    keeps what it was, and why)."""
    grounds.check()
    meeting = _lock(meeting, expected_version)
    paths = list(meeting.files.values_list("path", flat=True))
    corrections.record(
        obj=meeting, entity="meeting", action=corrections.CANCELLED, grounds=grounds,
        before={"organization": meeting.organization.code, **_snapshot(meeting)}, by=by,
        effects=[_("Xóa %(n)s tệp đính kèm.") % {"n": len(paths)}] if paths else (),
    )  # fmt: skip
    meeting.delete()
    uploads.discard(paths)


@transaction.atomic
def meeting_attach(*, meeting: Meeting, upload, by=None) -> MeetingFile:
    """A file of the meeting: the signed minutes, a document discussed (core/uploads.py
    checks its size, type and name)."""
    meeting = _lock(meeting, None)
    stored = uploads.store(upload, folder="meetings", on=meeting.held_on)
    row = MeetingFile(meeting=meeting)
    row.fill(stored, by)
    row.save()
    audit.record(
        "tochuc.meeting.file_attached", by=by, obj=meeting,
        organization=meeting.organization.code, filename=row.filename, size=row.size,
    )  # fmt: skip
    return row


@transaction.atomic
def meeting_file_remove(*, row: MeetingFile, grounds: corrections.Grounds, by=None) -> None:
    """A file attached to the wrong meeting, or the wrong file: removed, the reason kept."""
    row = MeetingFile.objects.select_for_update().select_related("meeting").get(pk=row.pk)
    uploads.remove(row, grounds=grounds, by=by, audit_on=[row.meeting])
