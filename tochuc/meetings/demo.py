"""Cell meetings in the demo: a year of meetings with each member's attendance for every
cell of the demo commune (registry "commune"), and the monthly meetings of every other cell
of the province with their figures, at a realistic rate (most cells meet every month, most
hold their quarter's thematic meeting; this month, those whose day has not come yet have
not; the demo cell secretary's cell waits for its own). Two members of the commune stay
away without reason often enough to be flagged.

A step of `tochuc.demo.builders.STEPS` (`build` below), after the members. Written in bulk
(the roll of each meeting from `members.selectors.roll_on`, as the service takes it; the
province's expected members from one grouped count a month), audited with
`core.audit.record_many`, so that the step stays fast.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import date

from django.db import transaction
from django.db.models import Count, Q

from tochuc.core import audit
from tochuc.lib import paths
from tochuc.lib.dates import add_months
from tochuc.members.models import Affiliation
from tochuc.members.selectors import roll_on
from tochuc.organizations.models import Organization, OrganizationVersion
from tochuc.organizations.selectors import in_force, version_of

from .models import CELL_KINDS, Attendance, Kind, Meeting, Presence, Quality

THEMES = (
    "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    "Nâng cao chất lượng sinh hoạt chi bộ",
    "Xây dựng nông thôn mới kiểu mẫu, giữ gìn cảnh quan thôn bản",
    "Phòng, chống tham nhũng, lãng phí, tiêu cực",
    "Công tác phát triển đảng viên trong đoàn viên thanh niên",
    "Chuyển đổi số và chính quyền số ở cơ sở",
    "Bảo vệ nền tảng tư tưởng của Đảng, đấu tranh phản bác quan điểm sai trái",
    "Phát triển kinh tế cửa khẩu, trồng rừng và cây hồi",
)
EXCUSES = ("Ốm", "Đi công tác", "Đi làm ăn xa", "Việc gia đình", "Đi học tập trung", "Con ốm")
QUALITY_WEIGHTS = {Quality.GOOD: 45, Quality.FAIR: 40, Quality.AVERAGE: 13, Quality.POOR: 2}
MONTHS = 12
REGULAR_RATE, THEMATIC_RATE = 0.96, 0.85  # cells meeting in a month; thematic in a quarter
EXCUSED_RATE, ABSENT_RATE = 0.06, 0.02
CHRONIC_RATE = 0.6  # the two members flagged: absent without reason this often this year


def _months(today: date) -> list[date]:
    first = today.replace(day=1)
    return [add_months(first, -n) for n in range(MONTHS - 1, -1, -1)]


def _cells(root: Organization, on: date) -> list[Organization]:
    version = version_of(organization=root, on=on)
    if version is None:
        return []
    ids = OrganizationVersion.objects.filter(in_force(on), kind__in=CELL_KINDS).filter(
        paths.under("path", version.path)
    )
    return list(Organization.objects.filter(pk__in=ids.values("organization_id")).order_by("path"))


def _alive(cell: Organization, day: date) -> bool:
    return cell.founded_on <= day and (cell.ended_on is None or day < cell.ended_on)


def _quality(rng: random.Random) -> str:
    return rng.choices(list(QUALITY_WEIGHTS), weights=list(QUALITY_WEIGHTS.values()))[0]


def _schedule(cell, months: list[date], today: date, rng: random.Random):
    """(day, kind) of the cell's meetings over the months, up to today."""
    thematic_month = {}
    for month in months:
        quarter = (month.year, (month.month - 1) // 3)
        thematic_month.setdefault(quarter, rng.choice([0, 1, 2]))
    for month in months:
        day = month.replace(day=rng.randint(2, 10))
        if day <= today and _alive(cell, day) and rng.random() < REGULAR_RATE:
            yield day, Kind.REGULAR
        quarter = (month.year, (month.month - 1) // 3)
        if (month.month - 1) % 3 == thematic_month[quarter]:
            day = month.replace(day=rng.randint(15, 25))
            if day <= today and _alive(cell, day) and rng.random() < THEMATIC_RATE:
                yield day, Kind.THEMATIC


def _meeting(cell, day, kind, rng) -> Meeting:
    village = cell.kind == "base_cell"
    return Meeting(
        organization=cell, held_on=day, kind=kind,
        place="Nhà văn hóa thôn" if village else "Phòng họp cơ quan",
        topic=(f"Sinh hoạt thường kỳ tháng {day:%m/%Y}" if kind == Kind.REGULAR
               else rng.choice(THEMES)),
        quality=_quality(rng),
    )  # fmt: skip


def seed_commune(
    commune: Organization, *, today: date, rng: random.Random, leave_open=None
) -> Counter:
    """A year of meetings with attendance for every cell of `commune`; `leave_open` (the
    demo secretary's cell) has not held this month's regular meeting yet: theirs to record."""
    made: Counter = Counter()
    months = _months(today)
    cells = _cells(commune, today)
    chronic: set[int] = set()
    meetings: list[Meeting] = []
    rows: list[list[Attendance]] = []
    for cell in cells:
        for day, kind in _schedule(cell, months, today, rng):
            this_month = (day.year, day.month) == (today.year, today.month)
            if cell == leave_open and this_month and kind == Kind.REGULAR:
                continue
            roll = roll_on(organization=cell, on=day)
            if not roll:
                continue
            if not chronic and len(roll) >= 8:
                chronic = {roll[-1].member.pk, roll[-2].member.pk}
            meeting = _meeting(cell, day, kind, rng)
            meeting.detailed = True
            meeting.chair, meeting.secretary = roll[0].member, roll[min(1, len(roll) - 1)].member
            attendance = []
            for entry in roll:
                draw = rng.random()
                away = entry.member.pk in chronic and day.year == today.year
                if draw < (CHRONIC_RATE if away else ABSENT_RATE):
                    presence, reason = Presence.ABSENT, ""
                elif draw < ABSENT_RATE + EXCUSED_RATE:
                    presence, reason = Presence.EXCUSED, rng.choice(EXCUSES)
                else:
                    presence, reason = Presence.PRESENT, ""
                attendance.append(
                    Attendance(member=entry.member, presence=presence, reason=reason,
                               temporary=entry.temporary)
                )  # fmt: skip
            counts = Counter(a.presence for a in attendance)
            meeting.present, meeting.excused = counts[Presence.PRESENT], counts[Presence.EXCUSED]
            meeting.absent = counts[Presence.ABSENT]
            meeting.expected = len(attendance)
            meetings.append(meeting)
            rows.append(attendance)
    Meeting.objects.bulk_create(meetings, batch_size=500)
    for meeting, attendance in zip(meetings, rows, strict=True):
        for a in attendance:
            a.meeting = meeting
    Attendance.objects.bulk_create([a for group in rows for a in group], batch_size=2000)
    made["commune_meetings"] = len(meetings)
    made["attendance"] = sum(len(group) for group in rows)
    made["cells"] = len(cells)
    _audit(meetings)
    return made


def _official_counts(cell_ids: list[int], day: date) -> dict[int, int]:
    current = Q(valid_to__isnull=True) | Q(valid_to__gt=day)
    return dict(
        Affiliation.objects.filter(
            current,
            kind=Affiliation.Kind.OFFICIAL,
            valid_from__lte=day,
            organization_id__in=cell_ids,
        )  # fmt: skip
        .values("organization_id")
        .annotate(n=Count("id"))
        .values_list("organization_id", "n")
    )


def seed_province(
    province: Organization, *, skip: Organization | None, today: date, rng: random.Random
) -> Counter:
    """The monthly (and thematic) meetings of every cell of `province` but `skip`'s, with
    their figures only: the official members on the month's first day are expected."""
    months = _months(today)
    cells = _cells(province, today)
    if skip is not None:
        cells = [c for c in cells if not c.path.startswith(skip.path)]
    ids = [c.pk for c in cells]
    expected_by_month = {month: _official_counts(ids, month) for month in months}
    meetings: list[Meeting] = []
    for cell in cells:
        for day, kind in _schedule(cell, months, today, rng):
            expected = expected_by_month[day.replace(day=1)].get(cell.pk, 0)
            if not expected:
                continue
            meeting = _meeting(cell, day, kind, rng)
            excused = sum(rng.random() < EXCUSED_RATE for _ in range(expected))
            absent = sum(rng.random() < ABSENT_RATE for _ in range(expected - excused))
            meeting.expected, meeting.excused, meeting.absent = expected, excused, absent
            meeting.present = expected - excused - absent
            meetings.append(meeting)
    Meeting.objects.bulk_create(meetings, batch_size=1000)
    _audit(meetings)
    return Counter(province_meetings=len(meetings), province_cells=len(cells))


def _audit(meetings: list[Meeting]) -> None:
    audit.record_many(
        "tochuc.meeting.recorded",
        (
            (m, "", {"organization": m.organization.code, "on": m.held_on, "kind": m.kind,
                     "expected": m.expected, "present": m.present, "excused": m.excused,
                     "absent": m.absent})
            for m in meetings
        ),
    )  # fmt: skip


def build(ctx) -> None:
    """The demo step."""
    from django.utils import timezone

    if "commune" not in ctx.registry:
        return
    today = timezone.localdate()
    commune = ctx.registry.get("commune")
    rng = random.Random(f"{ctx.seed}-meetings")
    with transaction.atomic():
        secretary_cell = ctx.registry.get("cell") if "cell" in ctx.registry else None
        made = seed_commune(commune, today=today, rng=rng, leave_open=secretary_cell)
        if "province" in ctx.registry:
            made += seed_province(ctx.registry.get("province"), skip=commune, today=today, rng=rng)
    ctx.write(
        f"  {made['commune_meetings']} buổi sinh hoạt có điểm danh ({made['attendance']} lượt) "
        f"của {made['cells']} chi bộ thuộc {commune.name}; {made['province_meetings']} buổi "
        f"sinh hoạt của {made['province_cells']} chi bộ khác trong tỉnh."
    )
