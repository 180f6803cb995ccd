"""Reads of cell meetings, inside the caller's scope or the subtree an engine has checked.

Per cell and month: meetings held, thematic meetings, attendance (present of expected).
The due list: the cells of a subtree (as the tree is on the day) that have not held their
regular meeting this month or lack this quarter's thematic meeting. The flagged members: those
absent without reason in as many months of a year as the dated rule names (a ground for
removal, which the screening of data quality reads through `absentees_flagged`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from django.db.models import Count, F, Max, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear
from django.shortcuts import get_object_or_404

from tochuc.committees.models import COMMITTEE_ROLES, STANDING_ROLES
from tochuc.committees.selectors import committee_on, posts_on
from tochuc.lib import paths
from tochuc.lib.dates import add_months
from tochuc.lib.vntext import sort_key
from tochuc.members.models import Member
from tochuc.members.selectors import RollEntry
from tochuc.organizations.models import Organization, OrganizationVersion
from tochuc.organizations.selectors import in_force, version_of
from tochuc.policy.acts import PARTY_FOUNDED
from tochuc.policy.rules import policy_for

from .models import (
    CELL_KINDS,
    Attendance,
    Body,
    Kind,
    Meeting,
    MeetingFile,
    PlannedMeeting,
    Presence,
)


def month_start(on: date) -> date:
    return on.replace(day=1)


def quarter_start(on: date) -> date:
    return date(on.year, 3 * ((on.month - 1) // 3) + 1, 1)


@dataclass(frozen=True)
class Cell:
    pk: int
    code: str
    name: str


def _cell_versions(organization: Organization, on: date) -> QuerySet[OrganizationVersion]:
    """The versions in force on `on` of the cells under `organization` (itself if it is one)."""
    version = version_of(organization=organization, on=on)
    if version is None:
        return OrganizationVersion.objects.none()
    return (
        OrganizationVersion.objects.filter(in_force(on), kind__in=CELL_KINDS)
        .filter(paths.under("path", version.path))
        .order_by()
    )


_CELL_COLUMNS = (
    "organization_id", "organization__code", "name", "organization__name",
    "organization__name_sort",
)  # fmt: skip


def _keyed(rows) -> list[tuple[str, int, Cell]]:
    # The stored sort key of the organization where the cell then bore its current name (a
    # province has thousands of cells: computing every key took seconds at national scale).
    return [
        (stored if name == current else sort_key(name), pk, Cell(pk, code, name))
        for pk, code, name, current, stored in rows
    ]


def cells_on(organization: Organization, on: date) -> list[Cell]:
    """The cells under `organization` (itself if it is one) as the tree was on `on`, in
    Vietnamese order of their names then."""
    keyed = _keyed(_cell_versions(organization, on).values_list(*_CELL_COLUMNS))
    keyed.sort(key=lambda item: item[:2])
    return [cell for _key, _pk, cell in keyed]


def first_cells(versions: QuerySet[OrganizationVersion], n: int) -> list[Cell]:
    """The first `n` cells of `versions` in `cells_on`'s order, without reading the others:
    those bearing their current name are ordered by the stored key in the database; the
    few renamed since have their key computed."""
    if n <= 0:
        return []
    plain = versions.filter(name=F("organization__name")).order_by(
        "organization__name_sort", "organization_id"
    )
    renamed = versions.exclude(name=F("organization__name"))
    keyed = _keyed(plain.values_list(*_CELL_COLUMNS)[:n]) + _keyed(
        renamed.values_list(*_CELL_COLUMNS)
    )
    keyed.sort(key=lambda item: item[:2])
    return [cell for _key, _pk, cell in keyed[:n]]


def committee_roll(*, organization: Organization, body: str, on: date) -> list[RollEntry]:
    """Who is expected at a meeting of `organization`'s committee (`Body.COMMITTEE`: the
    holders of committee posts) or standing committee (`Body.STANDING`) on `on`: the
    committee in office that day (committees app), by rank then name; none without one."""
    committee = committee_on(organization=organization, on=on)
    if committee is None:
        return []
    roles = STANDING_ROLES if body == Body.STANDING else COMMITTEE_ROLES
    seen: dict[int, RollEntry] = {}
    for post in posts_on(committee=committee, on=on):
        if post.role in roles and post.member_id not in seen:
            seen[post.member_id] = RollEntry(post.member, False)
    return list(seen.values())


def meetings_under(
    organization: Organization, start: date, end: date, *, body: str = Body.CELL
) -> QuerySet[Meeting]:
    """Meetings held in [start, end] by the cells under `organization` as the tree was on
    `end` (a report's subtree, already checked against the caller's scope). With a
    committee `body`: the meetings of the committees of the organizations of the subtree."""
    if body != Body.CELL:
        version = version_of(organization=organization, on=end)
        if version is None:
            return Meeting.objects.none()
        return Meeting.objects.filter(
            paths.under("organization__path", organization.path),
            body=body, held_on__gte=start, held_on__lte=end,
        )  # fmt: skip
    ids = [c.pk for c in cells_on(organization, end)]
    return Meeting.objects.filter(
        organization_id__in=ids, body=Body.CELL, held_on__gte=start, held_on__lte=end
    )


def committee_meetings(
    *, scope, organization: Organization, start: date, end: date
) -> QuerySet[Meeting]:
    """Meetings of the committees and standing committees in the subtree, newest first."""
    qs = Meeting.objects.filter(
        paths.under("organization__path", organization.path),
        held_on__gte=start, held_on__lte=end,
    ).exclude(body=Body.CELL)  # fmt: skip
    return (
        scope.filter_by_path(qs, "organization__path")
        .select_related("organization")
        .order_by("-held_on", "organization__code", "-id")
    )


def meeting_list(
    *, scope, organization: Organization, start: date, end: date, kind: str = "", body: str = ""
) -> QuerySet[Meeting]:
    """The meetings of the cells under `organization` and of the committees in its subtree
    (`body`: only those of one body)."""
    cells = meetings_under(organization, start, end)
    committees = meetings_under(organization, start, end, body=Body.COMMITTEE) | meetings_under(
        organization, start, end, body=Body.STANDING
    )
    if body == Body.CELL:
        chosen = cells
    elif body in Body.values:
        chosen = committees.filter(body=body)
    else:
        chosen = cells | committees
    qs = scope.filter_by_path(chosen, "organization__path")
    if kind:
        qs = qs.filter(kind=kind)
    return qs.select_related("organization", "chair", "secretary").order_by(
        "-held_on", "organization__code", "-id"
    )


def meeting_get(*, scope, pk: int) -> Meeting:
    qs = scope.filter_by_path(Meeting.objects.all(), "organization__path")
    return get_object_or_404(qs.select_related("organization", "chair", "secretary"), pk=pk)


def meeting_file(*, scope, organization: Organization, pk: int) -> MeetingFile:
    """A file of a meeting held under `organization` (cells or committees), in `scope`."""
    meetings = meeting_list(
        scope=scope, organization=organization, start=PARTY_FOUNDED, end=date.max
    )
    return get_object_or_404(
        MeetingFile.objects.filter(meeting__in=meetings.values("pk")).select_related(
            "meeting__organization"
        ),
        pk=pk,
    )


def attendance_of(meeting: Meeting) -> list[Attendance]:
    rows = meeting.attendance.select_related("member")
    return sorted(rows, key=lambda a: (a.member.name_sort, a.member_id))


# ---------------------------------------------------------------- figures per cell and month


@dataclass
class Figures:
    held: int = 0
    thematic: int = 0
    expected: int = 0
    present: int = 0

    @property
    def rate(self) -> Fraction | None:
        return Fraction(self.present, self.expected) if self.expected else None

    def add(self, other: Figures) -> None:
        self.held += other.held
        self.thematic += other.thematic
        self.expected += other.expected
        self.present += other.present


@dataclass
class CellMonths:
    cell: Cell
    months: dict[tuple[int, int], Figures] = field(default_factory=dict)
    total: Figures = field(default_factory=Figures)


def figures(organization: Organization, start: date, end: date) -> list[CellMonths]:
    """Per cell (under `organization` on `end`) and month of [start, end]: meetings held,
    thematic ones, expected and present (attendance rate). One grouped query."""
    cells = cells_on(organization, end)
    by_cell = {c.pk: CellMonths(c) for c in cells}
    rows = (
        Meeting.objects.filter(
            organization_id__in=list(by_cell), body=Body.CELL, held_on__range=(start, end)
        )
        .annotate(y=ExtractYear("held_on"), m=ExtractMonth("held_on"))
        .values("organization_id", "y", "m")
        .annotate(
            held=Count("id"),
            thematic=Count("id", filter=Q(kind=Kind.THEMATIC)),
            expected=Sum("expected"),
            present=Sum("present"),
        )
    )
    for row in rows:
        item = by_cell[row["organization_id"]]
        month = Figures(row["held"], row["thematic"], row["expected"] or 0, row["present"] or 0)
        item.months[(row["y"], row["m"])] = month
        item.total.add(month)
    return list(by_cell.values())


@dataclass
class CommitteeFigures:
    organization: Cell
    body: str
    total: Figures = field(default_factory=Figures)


def committee_figures(organization: Organization, start: date, end: date) -> list[CommitteeFigures]:
    """Per organization of the subtree and body (committee, standing committee): meetings
    held in [start, end] and attendance. One grouped query."""
    rows = (
        Meeting.objects.filter(
            paths.under("organization__path", organization.path), held_on__range=(start, end)
        )
        .exclude(body=Body.CELL)
        .values("organization_id", "organization__code", "organization__name", "body")
        .annotate(
            held=Count("id"),
            thematic=Count("id", filter=Q(kind=Kind.THEMATIC)),
            expected=Sum("expected"),
            present=Sum("present"),
        )
    )
    found = [
        CommitteeFigures(
            Cell(r["organization_id"], r["organization__code"], r["organization__name"]),
            r["body"],
            Figures(r["held"], r["thematic"], r["expected"] or 0, r["present"] or 0),
        )
        for r in rows
    ]
    return sorted(found, key=lambda f: (sort_key(f.organization.name), f.body))


def months_of(start: date, end: date) -> list[tuple[int, int]]:
    months, cursor = [], month_start(start)
    while cursor <= end:
        months.append((cursor.year, cursor.month))
        cursor = add_months(cursor, 1)
    return months


# ---------------------------------------------------------------- the due list


@dataclass(frozen=True)
class DueCell:
    cell: Cell
    regular_held: int  # regular meetings this month
    thematic_held: int  # thematic meetings this quarter
    last_held_on: date | None
    regular_missing: bool
    thematic_missing: bool


def due_cells(organization: Organization, on: date) -> list[DueCell]:
    """The cells under `organization` on `on` that have not held the regular meetings the
    rule asks for this month, or lack this quarter's thematic meetings (up to `on`)."""
    policy = policy_for(on)
    cells = cells_on(organization, on)
    ids = [c.pk for c in cells]
    month, quarter = month_start(on), quarter_start(on)
    counts = {
        row["organization_id"]: row
        for row in Meeting.objects.filter(organization_id__in=ids, body=Body.CELL, held_on__lte=on)
        .values("organization_id")
        .annotate(
            regular=Count("id", filter=Q(kind=Kind.REGULAR, held_on__gte=month)),
            thematic=Count("id", filter=Q(kind=Kind.THEMATIC, held_on__gte=quarter)),
            last=Max("held_on"),
        )
    }
    due = []
    for cell in cells:
        row = counts.get(cell.pk, {})
        regular, thematic = row.get("regular", 0), row.get("thematic", 0)
        item = DueCell(
            cell, regular, thematic, row.get("last"),
            regular < policy.meeting_regular_per_month,
            thematic < policy.meeting_thematic_per_quarter,
        )  # fmt: skip
        if item.regular_missing or item.thematic_missing:
            due.append(item)
    return due


@dataclass(frozen=True)
class MonthSummary:
    cells: int
    regular_missing: int  # cells without the regular meetings the rule asks for this month
    thematic_missing: int  # cells lacking this quarter's thematic meetings
    month: Figures  # the month up to the day, all cells together
    first_missing: list[Cell]  # the first cells missing their regular meetings


def month_summary(organization: Organization, on: date, first: int = 0) -> MonthSummary:
    """`due_cells` and `figures` of the month counted by the database (the home page's panel
    at a province's scale: thousands of cells): the same cells, rule and numbers, and the
    `first` cells due in `cells_on`'s order."""
    policy = policy_for(on)
    versions = _cell_versions(organization, on)
    month, quarter = month_start(on), quarter_start(on)

    def held(**since) -> Coalesce:
        found = (
            Meeting.objects.filter(
                organization_id=OuterRef("organization_id"), body=Body.CELL, held_on__lte=on,
                **since,
            )
            .order_by()
            .values("organization_id")
            .annotate(n=Count("id"))
            .values("n")
        )  # fmt: skip
        return Coalesce(Subquery(found), 0)

    versions = versions.annotate(
        regular=held(kind=Kind.REGULAR, held_on__gte=month),
        thematic=held(kind=Kind.THEMATIC, held_on__gte=quarter),
    )
    regular_missing = Q(regular__lt=policy.meeting_regular_per_month)
    counts = versions.aggregate(
        cells=Count("pk"),
        regular_missing=Count("pk", filter=regular_missing),
        thematic_missing=Count("pk", filter=Q(thematic__lt=policy.meeting_thematic_per_quarter)),
    )
    totals = Meeting.objects.filter(
        organization_id__in=_cell_versions(organization, on).values("organization_id"),
        body=Body.CELL, held_on__range=(month, on),
    ).aggregate(
        held=Count("id"), thematic=Count("id", filter=Q(kind=Kind.THEMATIC)),
        expected=Sum("expected"), present=Sum("present"),
    )  # fmt: skip
    month_figures = Figures(
        totals["held"], totals["thematic"], totals["expected"] or 0, totals["present"] or 0
    )
    return MonthSummary(
        counts["cells"], counts["regular_missing"], counts["thematic_missing"], month_figures,
        first_cells(versions.filter(regular_missing), first),
    )  # fmt: skip


# ---------------------------------------------------------------- absences without reason


@dataclass(frozen=True)
class Absentee:
    member: Member
    months: tuple[int, ...]  # the months of the year with an absence without reason
    threshold: int


def absentees_flagged(
    *, organization: Organization, year: int, scope=None, on: date | None = None
) -> list[Absentee]:
    """Members of cells under `organization` absent without reason from a meeting in at
    least the rule's number of months of `year` (up to `on`): a ground for removal
    (Điều lệ Đảng art. 8). For the screening of data quality and the cell's page."""
    end = min(on or date(year, 12, 31), date(year, 12, 31))
    threshold = policy_for(end).meeting_absent_months_flag
    meetings = meetings_under(organization, date(year, 1, 1), end)
    if scope is not None:
        meetings = scope.filter_by_path(meetings, "organization__path")
    months: dict[int, set[int]] = defaultdict(set)
    rows = Attendance.objects.filter(meeting__in=meetings, presence=Presence.ABSENT).values_list(
        "member_id", "meeting__held_on"
    )
    for member_id, held_on in rows:
        months[member_id].add(held_on.month)
    flagged = {pk: m for pk, m in months.items() if len(m) >= threshold}
    members = Member.objects.filter(pk__in=list(flagged)).select_related("organization")
    return [
        Absentee(m, tuple(sorted(flagged[m.pk])), threshold)
        for m in sorted(members, key=lambda m: (m.name_sort, m.pk))
    ]


def planned_for(*, organization: Organization, since: date) -> QuerySet:
    """The cell's meetings called for `since` or later (not cancelled), soonest first."""
    return PlannedMeeting.objects.filter(
        organization=organization, on__gte=since, cancelled_at__isnull=True
    ).order_by("on", "id")


def attended_by(*, member, since: date) -> list:
    """The member's attendance at the meetings held since `since`, latest first."""
    return list(
        Attendance.objects.filter(member=member, meeting__held_on__gte=since)
        .select_related("meeting__organization")
        .order_by("-meeting__held_on")
    )
