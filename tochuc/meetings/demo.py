"""Cell meetings in the demo: a year of meetings with each member's attendance for every
cell of the demo commune (registry "commune"), and the monthly meetings of every other cell
of the province with their figures, at a realistic rate (most cells meet every month, most
hold their quarter's thematic meeting; this month, those whose day has not come yet have
not; the demo cell secretary's cell waits for its own). Two members of the commune stay
away without reason often enough to be flagged. The committees of the demo's communes and
of their base committees meet too (`seed_committee_meetings`): each commune's standing
committee (Ban Thường vụ) every month, its committee (Ban Chấp hành) every quarter, the
committee of each base committee (đảng ủy cơ sở) every month; who is expected is the
holders of the committee's posts that day (`selectors.committee_roll`, the committees step
runs before this one), with each one's attendance.

A step of `tochuc.demo.builders.STEPS` (`build` below), after the members. Written in bulk
(the rolls of each meeting day from `members.selectors.rolls_on`, as the service takes
them, the commune's meetings audited with `core.audit.record_many`; the province's figures
from one grouped count a month, plain multi-row inserts), so that the step stays fast.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from tochuc.core import audit
from tochuc.lib import paths
from tochuc.lib.dates import add_months
from tochuc.lib.rows import Table
from tochuc.members.models import Affiliation
from tochuc.members.selectors import rolls_on
from tochuc.organizations.models import Organization, OrganizationVersion
from tochuc.organizations.selectors import in_force, version_of

from .models import CELL_KINDS, Attendance, Body, Kind, Meeting, Presence, Quality
from .selectors import committee_roll

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
# The days of the month cells meet on (regular, then thematic): a few, so that the rolls of
# a day are read for all the cells meeting that day at once.
REGULAR_DAYS, THEMATIC_DAYS = (3, 5, 8, 10), (15, 20, 25)


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
        day = month.replace(day=rng.choice(REGULAR_DAYS))
        if day <= today and _alive(cell, day) and rng.random() < REGULAR_RATE:
            yield day, Kind.REGULAR
        quarter = (month.year, (month.month - 1) // 3)
        if (month.month - 1) % 3 == thematic_month[quarter]:
            day = month.replace(day=rng.choice(THEMATIC_DAYS))
            if day <= today and _alive(cell, day) and rng.random() < THEMATIC_RATE:
                yield day, Kind.THEMATIC


def _share(total: int, rate: float, rng: random.Random) -> int:
    """About `rate` of `total` (between none and twice the rate), drawn once."""
    return min(total, int(total * rate * 2 * rng.random() + 0.5))


def _described(cell, day, kind, rng) -> dict:
    """The place, topic and self-assessment of a meeting."""
    return {
        "place": "Nhà văn hóa thôn" if cell.kind == "base_cell" else "Phòng họp cơ quan",
        "topic": (f"Sinh hoạt thường kỳ tháng {day:%m/%Y}" if kind == Kind.REGULAR
                  else rng.choice(THEMES)),
        "quality": _quality(rng),
    }  # fmt: skip


def _meeting(cell, day, kind, rng) -> Meeting:
    return Meeting(organization=cell, held_on=day, kind=kind, **_described(cell, day, kind, rng))


def seed_commune(
    commune: Organization, *, today: date, rng: random.Random, leave_open=None
) -> Counter:
    """A year of meetings with attendance for every cell of `commune`; `leave_open` (the
    demo secretary's cell) has not held this month's regular meeting yet: theirs to record."""
    made: Counter = Counter()
    months = _months(today)
    cells = _cells(commune, today)
    by_day: dict[date, list[tuple[Organization, str]]] = {}
    for cell in cells:
        for day, kind in _schedule(cell, months, today, rng):
            this_month = (day.year, day.month) == (today.year, today.month)
            if not (cell == leave_open and this_month and kind == Kind.REGULAR):
                by_day.setdefault(day, []).append((cell, kind))
    chronic: set[int] = set()
    meetings: list[Meeting] = []
    rows: list[list[Attendance]] = []
    for day in sorted(by_day):
        rolls = rolls_on(organizations=[cell for cell, _kind in by_day[day]], on=day)
        for cell, kind in by_day[day]:
            roll = rolls[cell.pk]
            if not roll:
                continue
            if not chronic and len(roll) >= 8:
                chronic = {roll[-1].member.pk, roll[-2].member.pk}
            meeting = _meeting(cell, day, kind, rng)
            meeting.detailed = True
            meeting.chair, meeting.secretary = roll[0].member, roll[min(1, len(roll) - 1)].member
            attendance = [_mark(entry, chronic, day.year == today.year, rng) for entry in roll]
            counts = Counter(a.presence for a in attendance)
            meeting.present, meeting.excused = counts[Presence.PRESENT], counts[Presence.EXCUSED]
            meeting.absent = counts[Presence.ABSENT]
            meeting.expected = len(attendance)
            meetings.append(meeting)
            rows.append(attendance)
    Meeting.objects.bulk_create(meetings, batch_size=500)
    Table(Attendance, with_pk=False, now=timezone.now()).insert(
        [
            {"meeting_id": meeting.pk, "member_id": a.member_id, "presence": a.presence,
             "reason": a.reason, "temporary": a.temporary}
            for meeting, attendance in zip(meetings, rows, strict=True)
            for a in attendance
        ]
    )  # fmt: skip
    made["commune_meetings"] = len(meetings)
    made["attendance"] = sum(len(group) for group in rows)
    made["cells"] = len(cells)
    _audit(meetings)
    return made


def _mark(entry, chronic: set[int], this_year: bool, rng: random.Random) -> Attendance:
    draw = rng.random()
    away = entry.member.pk in chronic and this_year
    if draw < (CHRONIC_RATE if away else ABSENT_RATE):
        presence, reason = Presence.ABSENT, ""
    elif draw < ABSENT_RATE + EXCUSED_RATE:
        presence, reason = Presence.EXCUSED, rng.choice(EXCUSES)
    else:
        presence, reason = Presence.PRESENT, ""
    return Attendance(
        member=entry.member, presence=presence, reason=reason, temporary=entry.temporary
    )


def _official_counts(cell_ids: list[int], months: list[date]) -> dict[date, Counter]:
    """Official members of each cell on each month's first day (one read of the periods)."""
    counts = {month: Counter() for month in months}
    periods = Affiliation.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=months[0]),
        kind=Affiliation.Kind.OFFICIAL, valid_from__lte=months[-1], organization_id__in=cell_ids,
    ).values_list("organization_id", "valid_from", "valid_to")  # fmt: skip
    for organization_id, valid_from, valid_to in periods:
        for month in months:
            if valid_from <= month and (valid_to is None or valid_to > month):
                counts[month][organization_id] += 1
    return counts


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
    expected_by_month = _official_counts(ids, months)
    rows: list[dict] = []
    for cell in cells:
        for day, kind in _schedule(cell, months, today, rng):
            expected = expected_by_month[day.replace(day=1)].get(cell.pk, 0)
            if not expected:
                continue
            excused = _share(expected, EXCUSED_RATE, rng)
            absent = _share(expected - excused, ABSENT_RATE, rng)
            rows.append({
                "organization_id": cell.pk, "held_on": day, "kind": kind,
                **_described(cell, day, kind, rng),
                "expected": expected, "present": expected - excused - absent,
                "excused": excused, "absent": absent,
            })  # fmt: skip
    # Plain multi-row inserts (the figures of a year of the province's cells); the demo
    # commune's meetings above are the audited, detailed ones.
    Table(Meeting, with_pk=False, now=timezone.now()).insert(rows)
    return Counter(province_meetings=len(rows), province_cells=len(cells))


def _audit(meetings: list[Meeting]) -> None:
    audit.record_many(
        "tochuc.meeting.recorded",
        (
            (m, "", {"organization": m.organization.code, "on": m.held_on, "kind": m.kind,
                     "body": m.body,
                     "expected": m.expected, "present": m.present, "excused": m.excused,
                     "absent": m.absent})
            for m in meetings
        ),
    )  # fmt: skip


# The committees' own calendar (their working rules): the standing committee and a base
# committee meet on the first days of the month, the commune's committee at the end of each
# quarter.
COMMITTEE_TOPICS = {
    Body.STANDING: "Hội nghị Ban Thường vụ thường kỳ tháng {day:%m/%Y}: kiểm điểm việc "
    "thực hiện nhiệm vụ tháng, triển khai nhiệm vụ tháng tới",
    Body.COMMITTEE: "Hội nghị Ban Chấp hành Đảng bộ thường kỳ tháng {day:%m/%Y}: đánh giá "
    "kết quả lãnh đạo, chỉ đạo, cho ý kiến về công tác xây dựng Đảng",
}


def _committee_schedule(organization, months: list[date], today: date, rng: random.Random):
    """(day, body) of the committee meetings of `organization` over the months, up to today."""
    commune = organization.kind == "commune"
    for month in months:
        if commune:
            yield month.replace(day=rng.choice((2, 4, 6))), Body.STANDING
            if month.month % 3 == 0:
                yield month.replace(day=rng.choice((26, 27, 28))), Body.COMMITTEE
        else:
            yield month.replace(day=rng.choice((2, 4, 6))), Body.COMMITTEE


def seed_committee_meetings(
    communes: list[Organization], *, today: date, rng: random.Random
) -> Counter:
    """The meetings of the committees of `communes` and of their base committees, with the
    attendance of the post holders of each day; none where no committee was in office."""
    months = _months(today)
    meetings: list[Meeting] = []
    rows: list[list[Attendance]] = []
    for commune in communes:
        bases = Organization.objects.filter(
            paths.under("path", commune.path), kind="base_committee", ended_on__isnull=True
        ).order_by("path")
        for organization in [commune, *bases]:
            for day, body in _committee_schedule(organization, months, today, rng):
                if day > today or not _alive(organization, day):
                    continue
                roll = committee_roll(organization=organization, body=body, on=day)
                if not roll:
                    continue
                attendance = [_mark(entry, set(), False, rng) for entry in roll]
                counts = Counter(a.presence for a in attendance)
                meeting = Meeting(
                    organization=organization, held_on=day, kind=Kind.REGULAR, body=body,
                    place="Phòng họp Đảng ủy", topic=COMMITTEE_TOPICS[body].format(day=day),
                    chair=roll[0].member, secretary=roll[min(1, len(roll) - 1)].member,
                    detailed=True, expected=len(attendance),
                    present=counts[Presence.PRESENT], excused=counts[Presence.EXCUSED],
                    absent=counts[Presence.ABSENT],
                )  # fmt: skip
                meetings.append(meeting)
                rows.append(attendance)
    Meeting.objects.bulk_create(meetings, batch_size=500)
    Table(Attendance, with_pk=False, now=timezone.now()).insert(
        [
            {"meeting_id": meeting.pk, "member_id": a.member_id, "presence": a.presence,
             "reason": a.reason, "temporary": a.temporary}
            for meeting, attendance in zip(meetings, rows, strict=True)
            for a in attendance
        ]
    )  # fmt: skip
    _audit(meetings)
    return Counter(committee_meetings=len(meetings), committee_attendance=sum(len(r) for r in rows))


def build(ctx) -> None:
    """The demo step."""
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
        communes = [
            ctx.registry.get(n) for n in ("commune", "sibling_commune") if n in ctx.registry
        ]
        made += seed_committee_meetings(communes, today=today, rng=rng)
    ctx.write(
        f"  {made['commune_meetings']} buổi sinh hoạt có điểm danh ({made['attendance']} lượt) "
        f"của {made['cells']} chi bộ thuộc {commune.name}; {made['province_meetings']} buổi "
        f"sinh hoạt của {made['province_cells']} chi bộ khác trong tỉnh; "
        f"{made['committee_meetings']} hội nghị cấp ủy, Ban Thường vụ "
        f"({made['committee_attendance']} lượt điểm danh)."
    )
