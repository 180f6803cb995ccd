"""Where each figure of a report comes from. The one module that reads the registries.

Every count is grouped in SQL and bounded to the organization's subtree (a prefix of the
materialized path, lib/paths.py `under`, index `orgver_path_idx`); Python only sums the
grouped rows per organization or per child, never loops over members.

Point in time: the tree on a date is the organization versions in force on it, and the
members on a date are the official affiliations in force on it (a temporary activity does
not count in the host's total). So a report for 2020 shows the tree and members of 2020,
even for an organization merged since.

Sources that other apps will own (admission targets from `tochuc.admissions`, transfer and
exit counts from the transfers procedures) are read here and nowhere else, so that
switching a figure to its final source touches one function.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.apps import apps
from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
)
from django.db.models.functions import ExtractYear

from tochuc.lib import paths
from tochuc.lib.reference import KINH
from tochuc.members.models import Affiliation, MemberEvent
from tochuc.members.selectors import with_sides
from tochuc.organizations.models import (
    Organization,
    OrganizationVersion,
)
from tochuc.organizations.selectors import in_force

from . import counts as counts_table
from . import flows, live
from .live import (
    STARTS,
    AgeBand,
    Profile,
    affiliations_on,
)

T = MemberEvent.Type
# Member events that move the balance of an organization, and the confirmation.
MOVEMENT_TYPES = (
    T.ADMITTED, T.READMITTED, T.CONFIRMED, T.TRANSFERRED_IN, T.TRANSFERRED_OUT,
    T.REORGANIZED, T.DIED, T.REMOVED, T.EXPELLED, T.RESIGNED,
)  # fmt: skip
NATION = flows.NATION  # the bucket of the whole system
EXIT_KEYS = {T.DIED: "died", T.REMOVED: "removed", T.EXPELLED: "expelled", T.RESIGNED: "resigned"}


# ---------------------------------------------------------------- the tree and members at a date


def organization_counts(root: Organization | None, on: date) -> Counter:
    """(kind, grassroots type) → number of organizations under `root` on `on` (root excluded);
    `root` None: every organization of the system then, the provinces included. From a
    fresh snapshot of the summary table when one serves, else live (live.py)."""
    snapshot = counts_table.snapshot_organizations(root, on)
    if snapshot is not None:
        return snapshot
    return live.organization_counts(root, on)


def member_profile(root: Organization | None, on: date, bands: list[AgeBand]) -> Profile:
    """Every count of forms 1-TCTW…4-TCTW for the members under `root` (None: the whole
    system) on `on`: from the summary table when a fresh snapshot serves it, else live in
    one grouped query (the Python loop runs over the distinct combinations, never over
    members)."""
    snapshot = counts_table.snapshot_counts(root, on)
    if snapshot is not None:
        return snapshot
    return live.member_profile(root, on, bands)


def summary_of(profile: Profile, bands: list[AgeBand]) -> dict[str, int]:
    """Total, full, probationary, women, ethnic minorities, religious, and per age band."""
    empty = Counter()
    status = profile.get("status", empty)
    total = sum(status.values())
    result = {
        "total": total,
        "full": status["full"],
        "probationary": status["probationary"],
        "women": profile.get("gender", empty)["female"],
        "minorities": total - profile.get("ethnicity", empty)[KINH],
        "religious": total - profile.get("religion", empty)[""],
    }
    for band in bands:
        result[f"age_{band.key}"] = profile.get("age", empty)[band.key]
    return result


def member_total(root: Organization, on: date) -> int:
    snapshot = counts_table.snapshot_counts(root, on)
    if snapshot is not None:
        return sum(snapshot.get("status", {}).values())
    return affiliations_on(root, on).count()


# ---------------------------------------------------------------- movement over a period


class Span:
    """The organizations under `root` at any time in [first, last], with their versions,
    so that "where was organization X on day D" is answered without another query."""

    def __init__(self, root: Organization | None, first: date, last: date):
        """`root` None: the whole system (its bucket 0; by child, the provinces)."""
        self.root = root
        self.key = root.pk if root is not None else NATION
        overlapping = Q(valid_from__lte=last) & (Q(valid_to__isnull=True) | Q(valid_to__gt=first))
        if root is None:
            self.root_versions = [(date.min, None, "")]
            self.versions_qs = OrganizationVersion.objects.filter(overlapping)
        else:
            self.root_versions = list(
                root.versions.filter(overlapping).values_list("valid_from", "valid_to", "path")
            )
            condition = Q(pk__in=[])
            for _start, _end, path in self.root_versions:
                condition |= paths.under("path", path)
            self.versions_qs = OrganizationVersion.objects.filter(overlapping).filter(condition)
        self.versions: dict[int, list[tuple]] = defaultdict(list)
        for org_id, start, end, path, name in self.versions_qs.values_list(
            "organization_id", "valid_from", "valid_to", "path", "name"
        ):
            self.versions[org_id].append((start, end, path, name))

    def organization_ids(self) -> QuerySet:
        return self.versions_qs.values("organization_id")

    @staticmethod
    def _on(periods, day):
        for period in periods:
            if period[0] <= day and (period[1] is None or period[1] > day):
                return period
        return None

    def bucket(self, org_id: int | None, day: date, *, by_child: bool) -> int | None:
        """The root (or, by child, the root's child) that `org_id` sat under on `day`;
        None when it was outside the root then."""
        root = self._on(self.root_versions, day)
        mine = self._on(self.versions.get(org_id, ()), day) if org_id else None
        if root is None or mine is None or not mine[2].startswith(root[2]):
            return None
        if not by_child:
            return self.key
        rest = mine[2][len(root[2]) :]
        return int(rest.split("/")[0]) if rest else self.key

    def below(self, org_id: int, day: date) -> list[int]:
        """The organizations from the root's child down to `org_id` on `day` (empty when
        it was outside the root then, or is the root)."""
        root = self._on(self.root_versions, day)
        mine = self._on(self.versions.get(org_id, ()), day)
        if root is None or mine is None or not mine[2].startswith(root[2]):
            return []
        return [int(part) for part in mine[2][len(root[2]) :].split("/") if part]

    def name(self, org_id: int, day: date) -> str:
        periods = sorted(self.versions.get(org_id, ()), key=lambda p: p[0])
        current = self._on(periods, day) or (periods[-1] if periods else None)
        return current[3] if current else ""


def counts_by_bucket(span: Span, on: date, *, by_child: bool) -> Counter:
    """Members on `on`, summed per bucket from one count grouped by organization."""
    rows = (
        Affiliation.objects.filter(in_force(on), kind=Affiliation.Kind.OFFICIAL)
        .filter(organization_id__in=span.organization_ids())
        .values_list("organization_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    totals: Counter = Counter()
    for org_id, n in rows:
        key = span.bucket(org_id, on, by_child=by_child)
        if key is not None:
            totals[key] += n
    return totals


def movement_of(
    root: Organization | None, start: date, end: date, *, by_child: bool
) -> dict[int, Counter]:
    """`movement` under `root` (None: the whole system, bucket 0) over [start, end]: from
    the movement summary (flows.py) when it serves, else live. Computed once per reading
    (counts.one_reading: a request, a briefing) for the same arguments."""
    memo = counts_table.reading_memo()
    key = ("movement", root.pk if root else None, start, end, by_child, flows.live_only())
    if memo is not None and key in memo:
        return memo[key]
    found = flows.movement(root, start, end, by_child=by_child)
    if found is None:
        span = Span(root, start - timedelta(days=1), end)
        found = dict(movement(span, start, end, by_child=by_child))
    if memo is not None:
        memo[key] = found
    return found


def children_during(root: Organization | None, first: date, last: date) -> dict[int, str]:
    """Every child of `root` (None: the provinces) at some time in [first, last], with its
    name on `last` (or its last one then): the rows of "by child", as `Span` names them."""
    overlapping = Q(valid_from__lte=last) & (Q(valid_to__isnull=True) | Q(valid_to__gt=first))
    versions = OrganizationVersion.objects.filter(overlapping)
    children = versions.filter(parent=root) if root else versions.filter(parent__isnull=True)
    ids = set(children.values_list("organization_id", flat=True))
    theirs = versions.filter(organization_id__in=ids)
    if root is not None:
        condition = Q(pk__in=[])
        for path in root.versions.filter(overlapping).values_list("path", flat=True):
            condition |= paths.under("path", path)
        theirs = theirs.filter(condition)
    periods: dict[int, list[tuple]] = defaultdict(list)
    for org_id, start, end, name in theirs.values_list(
        "organization_id", "valid_from", "valid_to", "name"
    ):
        periods[org_id].append((start, end, name))
    names = {}
    for org_id in ids:
        ordered = sorted(periods.get(org_id, ()), key=lambda p: p[0])
        current = next(
            (p for p in ordered if p[0] <= last and (p[1] is None or p[1] > last)), None
        ) or (ordered[-1] if ordered else None)
        names[org_id] = current[2] if current else ""
    return names


INCREASE_KEYS = ("admitted", "readmitted", "transferred_in", "restructured_in")
DECREASE_KEYS = ("transferred_out", "restructured_out", "died", "removed", "expelled", "resigned")


def _event_moves(span: Span, rows, *, by_child: bool):
    """(bucket, key, n, rest) for each movement of the grouped event rows
    (type, organization moved to, organization moved from, day, *rest, n).

    The basis of every count is the day the official affiliation changes
    (`members.selectors.with_sides`, shared with the member counts of the members app),
    so that the members on a date and the movements in a period always agree. Where a
    member left from is judged on the day before and only then, as the affiliation that
    ends on the day was last in force on the day before: an organization dissolved that
    day no longer stands, and one moved under a new parent that day (1/7/2025) left the
    member's count under its old parent, never under the new one.
    """
    one_day = timedelta(days=1)
    for type_, org_id, from_id, day, *rest, n in rows:
        here = span.bucket(org_id, day, by_child=by_child)
        if type_ in STARTS or type_ == T.CONFIRMED:
            if here is not None:
                key = {T.ADMITTED: "admitted", T.READMITTED: "readmitted"}.get(type_, "confirmed")
                yield here, key, n, rest
        elif type_ in EXIT_KEYS or type_ == T.TRANSFERRED_OUT:  # an exit, or out of the system
            if from_id is None:
                continue  # a letter inside the system: the arrival counts both sides
            left = span.bucket(from_id, day - one_day, by_child=by_child)
            if left is not None:
                yield left, EXIT_KEYS.get(type_, "transferred_out"), n, rest
        elif type_ == T.TRANSFERRED_IN:  # from_id: the affiliation closed (None: outside)
            source = None
            if from_id is not None:
                source = span.bucket(from_id, day - one_day, by_child=by_child)
            if here != source:
                if here is not None:
                    yield here, "transferred_in", n, rest
                if source is not None:
                    yield source, "transferred_out", n, rest
        elif type_ == T.REORGANIZED:  # here = result on `day`, from = source the day before
            source = span.bucket(from_id, day - one_day, by_child=by_child)
            if here != source:
                if here is not None:
                    yield here, "restructured_in", n, rest
                if source is not None:
                    yield source, "restructured_out", n, rest


def _movement_events(span: Span, start: date, end: date, *extra: str):
    ids = span.organization_ids()
    events = MemberEvent.objects.filter(type__in=MOVEMENT_TYPES, on__gte=start, on__lte=end)
    return (
        with_sides(events)
        .filter(Q(organization_id__in=ids) | Q(moved_from__in=ids))
        .values_list("type", "organization_id", "moved_from", "on", *extra)
        .annotate(n=Count("id"))
        .order_by()
    )


def _organization_moves(span: Span, start: date, end: date, *, by_child: bool):
    """day → {organization: (bucket the day before, bucket on the day)} for every day in
    [start, end] on which an organization of the span moved across a bucket's boundary
    (moved to another parent, or the root itself moved): its members move with it."""
    one_day = timedelta(days=1)

    def boundaries(periods) -> set[date]:
        return {d for p in periods for d in p[:2] if d is not None and start <= d <= end}

    # A bucket changes only on a day a version of the organization, of one above it, or of
    # the root begins or ends: those days, and on each the organizations to look at.
    changing: dict[date, set[int]] = defaultdict(set)
    for org_id, periods in span.versions.items():
        for day in boundaries(periods):
            changing[day].add(org_id)
    everyone = boundaries(span.root_versions)
    moves: dict[date, dict[int, tuple]] = {}
    for day in sorted(set(changing) | everyone):
        # An organization moved with its subtree: each descendant has a new version that
        # day (its path changes), so it is among the day's organizations already.
        for org_id in span.versions if day in everyone else changing[day]:
            was = span.bucket(org_id, day - one_day, by_child=by_child)
            now = span.bucket(org_id, day, by_child=by_child)
            if was != now and (was is not None or now is not None):
                moves.setdefault(day, {})[org_id] = (was, now)
    return moves


def _restructuring_moves(span: Span, start: date, end: date, *extra: str, by_child: bool):
    """(bucket, key, n, rest) for the members who stayed in an organization while it moved
    across a boundary: their affiliation runs through the day before and the day."""
    one_day = timedelta(days=1)
    for day, moved in _organization_moves(span, start, end, by_child=by_child).items():
        rows = (
            Affiliation.objects.filter(kind=Affiliation.Kind.OFFICIAL)
            .filter(valid_from__lte=day - one_day)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day))
            .filter(organization_id__in=list(moved))
            .values_list("organization_id", *extra)
            .annotate(n=Count("id"))
            .order_by()
        )
        for org_id, *rest, n in rows:
            was, now = moved[org_id]
            if was is not None:
                yield was, "restructured_out", n, rest
            if now is not None:
                yield now, "restructured_in", n, rest


def movement(span: Span, start: date, end: date, *, by_child: bool) -> dict[int, Counter]:
    """Per bucket: opening and closing members and each movement in [start, end].

    Keys: start, admitted, readmitted, confirmed, transferred_in, transferred_out,
    restructured_in, restructured_out, died, removed, expelled, resigned, end.
    A transfer counts only when it crosses the bucket's boundary (a move between two cells
    of one commune is not a transfer of the commune). "Restructured" counts members who
    changed organization by a merge (REORGANIZED events) and members of an organization
    that was itself moved across the boundary (on the day it moved). On complete records
    start + in − out = end for every bucket (see `unbalanced_members` for the others).
    """
    before = start - timedelta(days=1)
    result: dict[int, Counter] = defaultdict(Counter)
    for key, n in counts_by_bucket(span, before, by_child=by_child).items():
        result[key]["start"] += n
    for key, n in counts_by_bucket(span, end, by_child=by_child).items():
        result[key]["end"] += n
    rows = _movement_events(span, start, end)
    for bucket, key, n, _rest in _event_moves(span, rows, by_child=by_child):
        result[bucket][key] += n
    for bucket, key, n, _rest in _restructuring_moves(span, start, end, by_child=by_child):
        result[bucket][key] += n
    return result


@dataclass
class Unbalanced:
    """A member whose records do not explain their presence in a bucket over a period."""

    member_id: int
    bucket: int
    counted: int  # in − out from the member's events (and restructurings)
    found: int  # in the bucket at the end − at the start, from their affiliations


def _members_by_bucket(span: Span, on: date, *, by_child: bool) -> dict[tuple[int, int], int]:
    rows = (
        Affiliation.objects.filter(in_force(on), kind=Affiliation.Kind.OFFICIAL)
        .filter(organization_id__in=span.organization_ids())
        .values_list("member_id", "organization_id")
    )
    found: dict[tuple[int, int], int] = defaultdict(int)
    for member_id, org_id in rows:
        key = span.bucket(org_id, on, by_child=by_child)
        if key is not None:
            found[(member_id, key)] += 1
    return found


def unbalanced_members(span: Span, start: date, end: date, *, by_child: bool) -> list[Unbalanced]:
    """The members who make a bucket's balance differ: for each, what their timeline
    counts (in − out) against where their affiliations put them (end − start). On complete
    records the list is empty; otherwise the differences of the list add up to the
    report's difference, bucket by bucket. Read member by member: for a drill-down only."""
    found: dict[tuple[int, int], int] = defaultdict(int)
    for key, n in _members_by_bucket(span, end, by_child=by_child).items():
        found[key] += n
    for key, n in _members_by_bucket(span, start - timedelta(days=1), by_child=by_child).items():
        found[key] -= n
    counted: dict[tuple[int, int], int] = defaultdict(int)
    moves = [
        *_event_moves(span, _movement_events(span, start, end, "member_id"), by_child=by_child),
        *_restructuring_moves(span, start, end, "member_id", by_child=by_child),
    ]
    for bucket, key, n, (member_id,) in moves:
        if key in INCREASE_KEYS:
            counted[(member_id, bucket)] += n
        elif key in DECREASE_KEYS:
            counted[(member_id, bucket)] -= n
    return [
        Unbalanced(member_id, bucket, counted.get(key, 0), found.get(key, 0))
        for key in sorted(set(found) | set(counted))
        for member_id, bucket in [key]
        if counted.get(key, 0) != found.get(key, 0)
    ]


# ---------------------------------------------------------------- admission targets


def admission_targets(organization_ids: list[int], year: int) -> dict[int, int] | None:
    """Targets set for `year` (organization id → target), or None when the admissions app
    (which owns targets) is not installed. Read lazily: reports work without it."""
    if not apps.is_installed("tochuc.admissions"):
        return None
    try:
        model = apps.get_model("admissions", "AdmissionTarget")
    except LookupError:
        return None
    return dict(
        model.objects.filter(organization_id__in=organization_ids, year=year).values_list(
            "organization_id", "target"
        )
    )


def admissions_in(span: Span, start: date, end: date) -> QuerySet:
    """(organization, decision day, n): the admission decisions in [start, end] in the
    organizations of `span` (where each counts is the span's to say: `Span.bucket`)."""
    return (
        MemberEvent.objects.filter(type=T.ADMITTED, on__gte=start, on__lte=end)
        .filter(organization_id__in=span.organization_ids())
        .values_list("organization_id", "on")
        .annotate(n=Count("id"))
        .order_by()
    )


def admitted_by_year(root: Organization, first_year: int, last_year: int) -> Counter:
    """Year → admissions decided in organizations under `root` (at the decision date).

    One grouped query: an admission counts when its organization sat under the root on
    the decision date (the organization's version then has a path under the root's path
    then), so a cell moved or merged since still counts where it was.
    """
    start, end = date(first_year, 1, 1), date(last_year, 12, 31)
    overlapping = Q(valid_from__lte=end) & (Q(valid_to__isnull=True) | Q(valid_to__gt=start))
    counted, subtree = Q(pk__in=[]), Q(pk__in=[])
    for root_from, root_to, path in root.versions.filter(overlapping).values_list(
        "valid_from", "valid_to", "path"
    ):
        subtree |= paths.under("path", path)
        there = OrganizationVersion.objects.filter(
            paths.under("path", path),
            organization_id=OuterRef("organization_id"),
            valid_from__lte=OuterRef("on"),
        ).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=OuterRef("on")))
        while_root = Q(on__gte=root_from) & (Q(on__lt=root_to) if root_to else Q())
        counted |= while_root & Exists(there)
    rows = (
        MemberEvent.objects.filter(type=T.ADMITTED, on__gte=start, on__lte=end)
        .filter(
            organization_id__in=OrganizationVersion.objects.filter(subtree, overlapping).values(
                "organization_id"
            )
        )  # fmt: skip
        .filter(counted)
        .annotate(year=ExtractYear("on"))
        .values_list("year")
        .annotate(n=Count("id"))
        .order_by()
    )
    return Counter(dict(rows))


def admission_targets_by_year(organization: Organization, years: list[int]) -> dict[int, int]:
    """Year → the organization's own admission target (empty without the admissions app)."""
    found: dict[int, int] = {}
    for year in years:
        target = (admission_targets([organization.pk], year) or {}).get(organization.pk)
        if target is not None:
            found[year] = target
    return found
