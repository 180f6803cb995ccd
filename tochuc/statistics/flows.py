"""The movement summary: the reports "movement", "movement by child" and "summary" read it
for the nation and for organizations above the grassroots, as the membership reports read
the summary table of counts.py.

Grain: per month, per holder and per movement key (`FlowCount`). A holder is an organization
above the grassroots (province, district, commune, bloc: every one that ever was one),
standing for its whole subtree; the same organization negated, standing for itself alone
(the members directly in it: a row of "by child"); or 0, the whole system. Beside the
movement keys, "net" is the change over the month of the members counted, so the members
at a month's end are the sum of "net" up to it. A period of whole months (a month, a
quarter, a year) is read as a few sums by the holder's key; any other period, an
organization at the grassroots or below, or a stale part is counted live (sources.py),
and the two agree exactly (tests/test_flows.py).

Build (`tochuc report_counts`: the stale parts, or all of them with `--flows` or when there
is none; its `--stale` and the background refresh: the stale parts): each
organization version gets the list of holders its members count in (the whole system, the
above-grassroots organizations of its path, itself when above the grassroots) — a "chain";
the events are grouped in SQL by type, the chain of the version in force on the day (where
the member goes) and the chain of the version in force the day before (where they leave
from, as sources._event_moves judges it), and month; the members by the chain and month in
which each official affiliation's stay in one version begins and ends; the organizations
moved across a boundary by the chains before and after. Python then gives each holder what
the chain difference says (a transfer between two cells of one commune is no transfer of
the commune) — over grouped rows, never over members (nationally 5 million grouped rows,
6.9 million rows written: ~2 minutes of the build; summed in SQL instead, it was not
faster: docs/performance.md, 07/12/2026). A build of a few provinces (the refresh after
an import) reads only the events with a side in them, found from their organizations by
the indexes, and the moves with a side in them; it computes the chains of their
organizations' versions and of those their events meet only, and joins the
organizations' own version table (grouped by version, summed by chain in Python) instead
of writing the temporary table of every version's chain (`_Versions`). The build sets its
PostgreSQL session settings itself (`database.BUILD_SESSION`, SET LOCAL).

Parts and freshness: rows belong to the province of the version they were counted in, one
`FlowPart` per province. The same `CountChange` rows that the database's triggers write
for the membership summary (migration 0003), and those of the movement events
(migration 0005, dated `FLOWS_ONLY`), make a part stale: its watermark is the sum of every
change of its province. A report whose provinces are not all fresh is counted live.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, timedelta

from django.db import connection, transaction
from django.db.models import BooleanField, Case, IntegerField, Min, Q, Sum, When
from django.db.models.expressions import RawSQL
from django.utils import timezone

from tochuc.lib.rows import insert_rows
from tochuc.members.models import Affiliation, MemberEvent
from tochuc.members.selectors import with_sides
from tochuc.organizations.models import ABOVE_GRASSROOTS_KINDS, OrganizationVersion
from tochuc.statistics.models import CountChange, FlowCount, FlowPart

from . import database

T = MemberEvent.Type
NATION = 0  # the holder of the whole system
ELSEWHERE = -1  # the part holding the changes of provinces without a part
FLOWS_ONLY = date(9999, 1, 1)  # the date of the marks of movement events (migration 0005)
NET = "net"
OPENING = "opening"  # on 1 January: the members at the end of the year before
VERSION_TABLE = "tochuc_flow_version"
MOVE_TABLE = "tochuc_flow_move"
STARTS = (T.ADMITTED, T.READMITTED)
EXITS = {T.DIED: "died", T.REMOVED: "removed", T.EXPELLED: "expelled", T.RESIGNED: "resigned"}
MOVEMENT_TYPES = (*STARTS, T.CONFIRMED, T.TRANSFERRED_IN, T.TRANSFERRED_OUT, T.REORGANIZED,
                  *EXITS)  # fmt: skip

_live_only: ContextVar[bool] = ContextVar("flows_live_only", default=False)


@contextmanager
def counting_live() -> Iterator[None]:
    """Within this block the movement is counted live (the bench and the tests compare)."""
    token = _live_only.set(True)
    try:
        yield
    finally:
        _live_only.reset(token)


def live_only() -> bool:
    return _live_only.get()


# ---------------------------------------------------------------- SQL by vendor


def _month(expression: str) -> str:
    if connection.vendor == "postgresql":
        return f"CAST(date_trunc('month', {expression}) AS date)"
    return f"strftime('%Y-%m-01', {expression})"


def _day_before(expression: str) -> str:
    if connection.vendor == "postgresql":
        return f"({expression} - 1)"
    return f"date({expression}, '-1 day')"


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


# ---------------------------------------------------------------- chains


class _Chains:
    """Organization versions' chains: (province, holders), interned to a number. Every
    version; or, for a build of a few provinces, every version of the organizations that
    were ever in them (their moves: `_organization_moves`), and the others' when the SQL
    meets them (`load`: the other side of an event)."""

    COLUMNS = ("organization_id", "valid_from", "valid_to", "path", "kind", "province_id", "id")

    def __init__(self, provinces: set[int] | None = None):
        self.ids: dict[tuple, int] = {}
        self.chains: list[tuple[int, frozenset]] = []
        self.versions: list[tuple] = []  # (organization, from, to, chain, province)
        self.of_organization: dict[int, list[tuple]] = defaultdict(list)
        self.of_version: dict[int, int] = {}  # OrganizationVersion id → chain
        versions = OrganizationVersion.objects.all()
        if provinces is None:
            rows = list(versions.values_list(*self.COLUMNS))
            self.above = {row[0] for row in rows if row[4] in ABOVE_GRASSROOTS_KINDS}
        else:
            versions = versions.order_by()  # not by the organization's name: no join
            above = versions.filter(kind__in=ABOVE_GRASSROOTS_KINDS)
            self.above = set(above.values_list("organization_id", flat=True))
            theirs = Q(province_id__in=provinces)
            if 0 in provinces:
                theirs |= Q(province_id__isnull=True)
            theirs = versions.filter(theirs).values("organization_id")
            rows = list(versions.filter(organization_id__in=theirs).values_list(*self.COLUMNS))
        self._add(rows)

    def _add(self, rows) -> None:
        for org, valid_from, valid_to, path, _kind, province, version in rows:
            segments = [int(s) for s in path.strip("/").split("/") if s]
            holders = [NATION, *(s for s in segments if s in self.above)]
            if org in self.above:
                holders.append(-org)
            province = province or 0
            key = (province, tuple(holders))
            chain = self.ids.get(key)
            if chain is None:
                chain = self.ids[key] = len(self.chains)
                self.chains.append((province, frozenset(holders)))
            self.versions.append((org, valid_from, valid_to, chain, province))
            self.of_organization[org].append((valid_from, valid_to, chain))
            self.of_version[version] = chain

    def load(self, versions) -> None:
        """Add the versions (ids) not loaded yet."""
        missing = sorted({v for v in versions if v is not None} - self.of_version.keys())
        for i in range(0, len(missing), 2000):
            chunk = OrganizationVersion.objects.filter(id__in=missing[i : i + 2000]).order_by()
            self._add(chunk.values_list(*self.COLUMNS))

    def provinces(self) -> set[int]:
        return {province for province, _h in self.chains}


class _Versions:
    """Where the SQL finds a version's chain. A whole build: a temporary table of every
    version with its chain (`VERSION_TABLE`, written by `rebuild`). A build of a few
    provinces: the organizations' own version table (indexed by organization and by
    province), grouped by version and turned into chains here — no table of 300,000
    versions to write for one province's refresh, nor their chains to compute."""

    def __init__(self, chains: _Chains, provinces: set[int] | None):
        self.whole = provinces is None
        self.of = chains
        if self.whole:
            self.table, self.key = connection.ops.quote_name(VERSION_TABLE), "chain"
        else:
            self.table = connection.ops.quote_name(OrganizationVersion._meta.db_table)
            self.key = "id"

    def by_chain(self, fetched: list[tuple], *columns: int) -> list[tuple]:
        """The fetched rows (their count last) with the given columns' versions
        turned into chains and summed by them; a whole build's rows as they are (grouped
        by chain in SQL already)."""
        if self.whole:
            return fetched
        self.of.load(row[c] for row in fetched for c in columns)
        chain = self.of.of_version.get
        summed: Counter = Counter()
        if columns == (0,):
            for version, *rest, n in fetched:
                summed[(chain(version), *rest)] += n
        else:  # (1, 2)
            for first, here, source, *rest, n in fetched:
                summed[(first, chain(here), chain(source), *rest)] += n
        return [(*key, n) for key, n in summed.items()]


class _Rows:
    """(province, holder, month, key) → n, for the provinces being built."""

    def __init__(self, chains: _Chains, provinces: set[int] | None):
        self.chains, self.provinces = chains, provinces
        self.n: Counter = Counter()

    def add(self, chain: int | None, holders, month, key: str, n: int) -> None:
        if chain is None:
            return
        province = self.chains.chains[chain][0]
        if self.provinces is not None and province not in self.provinces:
            return
        month = _as_date(month)
        for holder in holders:
            self.n[(province, holder, month, key)] += n

    def holders(self, chain: int | None) -> frozenset:
        return self.chains.chains[chain][1] if chain is not None else frozenset()


# ---------------------------------------------------------------- build


def _where_provinces(alias: str, provinces: set[int] | None) -> str:
    """The versions (`alias`: of OrganizationVersion) in the provinces; 0: of none."""
    if provinces is None:
        return ""
    listed = ", ".join(str(int(p)) for p in sorted(provinces)) or "NULL"
    where = f"{alias}.province_id IN ({listed})"
    if 0 in provinces:  # a version without a province, not one missing from an outer join
        where = f"({where} OR ({alias}.province_id IS NULL AND {alias}.id IS NOT NULL))"
    return where


def _of_provinces(provinces: set[int]) -> RawSQL:
    """The events that can touch the provinces: an event's sides are its organization, its
    other organization, or (an arrival) the official affiliation it closed — each found by
    an index, so that one province's build reads its own events, not the 11 million of the
    nation nor every arrival of it. PostgreSQL: `id = ANY(ARRAY(…))`, so that the events
    are then read by their primary key (with `IN (…)` it hashes the ids and reads every
    event)."""
    table = connection.ops.quote_name
    events, affiliations = table(MemberEvent._meta.db_table), table(Affiliation._meta.db_table)
    # Joins, not `IN (…)`: from the provinces' versions by the indexes (with `IN` the
    # planner read all the affiliations of the nation for the third).
    theirs = f"FROM {table(OrganizationVersion._meta.db_table)} v"
    where = f"WHERE {_where_provinces('v', provinces)}"
    ids = (
        f"SELECT e.id {theirs} JOIN {events} e ON e.organization_id = v.organization_id {where} "
        f"UNION SELECT e.id {theirs} JOIN {events} e "
        f"ON e.other_organization_id = v.organization_id {where} "
        f"UNION SELECT e.id {theirs} JOIN {affiliations} a "
        "ON a.organization_id = v.organization_id AND a.kind = %s "
        f'JOIN {events} e ON e.member_id = a.member_id AND e."on" = a.valid_to AND e.type = %s '
        f"{where}"
    )
    if connection.vendor == "postgresql":
        condition = f"{events}.id = ANY(ARRAY({ids}))"
    else:
        condition = f"{events}.id IN ({ids})"
    return RawSQL(
        condition, [Affiliation.Kind.OFFICIAL, T.TRANSFERRED_IN], output_field=BooleanField()
    )


def _events(cursor, rows: _Rows, provinces: set[int] | None, versions: _Versions) -> None:
    events = MemberEvent.objects.filter(type__in=MOVEMENT_TYPES)
    if provinces is not None:
        events = events.filter(_of_provinces(provinces))
    inner, params = (
        with_sides(events)
        .values_list("type", "organization_id", "moved_from", "on")
        .order_by()
        .query.sql_with_params()
    )
    table, key = versions.table, versions.key
    on, before = 'e."on"', _day_before('e."on"')
    where = ""
    if provinces is not None:
        where = f"WHERE {_where_provinces('tv', provinces)} OR {_where_provinces('fv', provinces)}"
    # By version the events hardly group (a province's 358,365 in 352,696 groups): its
    # sort cost more than summing them by chain in Python (`by_chain`).
    count, group = ("COUNT(*)", "GROUP BY 1, 2, 3, 4") if versions.whole else ("1", "")
    cursor.execute(
        f"SELECT e.type, tv.{key}, fv.{key}, {_month(on)}, {count} FROM ({inner}) e "
        f"LEFT JOIN {table} tv ON tv.organization_id = e.organization_id "
        f"AND tv.valid_from <= {on} AND (tv.valid_to IS NULL OR tv.valid_to > {on}) "
        f"LEFT JOIN {table} fv ON fv.organization_id = e.moved_from "
        f"AND fv.valid_from <= {before} AND (fv.valid_to IS NULL OR fv.valid_to > {before}) "
        f"{where} {group}",
        params,
    )
    for type_, here, source, month, n in versions.by_chain(cursor.fetchall(), 1, 2):
        # As sources._event_moves, for every holder at once: a holder is "here" when it is
        # in the chain where the member goes, the "source" when in the chain they leave.
        if type_ in STARTS or type_ == T.CONFIRMED:
            key = {T.ADMITTED: "admitted", T.READMITTED: "readmitted"}.get(type_, "confirmed")
            rows.add(here, rows.holders(here), month, key, n)
        elif type_ in EXITS or type_ == T.TRANSFERRED_OUT:
            rows.add(source, rows.holders(source), month, EXITS.get(type_, "transferred_out"), n)
        else:
            into, out = {
                T.TRANSFERRED_IN: ("transferred_in", "transferred_out"),
                T.REORGANIZED: ("restructured_in", "restructured_out"),
            }[type_]
            came, left = rows.holders(here), rows.holders(source)
            rows.add(here, came - left, month, into, n)
            rows.add(source, left - came, month, out, n)


def _members(cursor, rows: _Rows, provinces: set[int] | None, versions: _Versions) -> None:
    """The "net" rows: +1 in the month an affiliation's stay in a version begins, −1 in the month it
    ends (the stay [max of the starts, min of the ends))."""
    table, key = versions.table, versions.key
    if connection.vendor == "postgresql":
        start, end = "GREATEST(a.valid_from, v.valid_from)", "LEAST(a.valid_to, v.valid_to)"
        never = "DATE '9999-12-31'"
    else:
        never = "'9999-12-31'"
        start = "max(a.valid_from, v.valid_from)"
        end = f"min(COALESCE(a.valid_to, {never}), COALESCE(v.valid_to, {never}))"
    joined = (
        f"FROM members_affiliation a JOIN {table} v ON v.organization_id = a.organization_id "
        f"AND v.valid_from < COALESCE(a.valid_to, {never}) "
        f"AND a.valid_from < COALESCE(v.valid_to, {never}) WHERE a.kind = 'official'"
    )
    if provinces is not None:
        joined += f" AND {_where_provinces('v', provinces)}"
    cursor.execute(f"SELECT v.{key}, {_month(start)}, COUNT(*) {joined} GROUP BY 1, 2")
    for chain, month, n in versions.by_chain(cursor.fetchall(), 0):
        rows.add(chain, rows.holders(chain), month, NET, n)
    cursor.execute(
        f"SELECT v.{key}, {_month(end)}, COUNT(*) {joined} AND {end} IS NOT NULL "
        f"AND {end} < {never} GROUP BY 1, 2"
    )
    for chain, month, n in versions.by_chain(cursor.fetchall(), 0):
        rows.add(chain, rows.holders(chain), month, NET, -n)


def _organization_moves(cursor, rows: _Rows, chains: _Chains) -> None:
    """The members of an organization on the day its chain changes (moved under another
    parent, its parent moved, a holder founded or ended above it): restructured out of the
    holders it leaves and into those it joins (sources._restructuring_moves). Only the
    moves with a side in the provinces being built (`rows.add` would drop the others)."""

    def built(chain: int | None) -> bool:
        return chain is not None and (
            rows.provinces is None or chains.chains[chain][0] in rows.provinces
        )

    organizations = chains.of_organization
    if rows.provinces is not None:  # a move with a side in them: of an organization of theirs
        organizations = {
            org: organizations[org]
            for org, _f, _t, _c, province in chains.versions
            if province in rows.provinces
        }
    moves = []
    for org, periods in organizations.items():
        periods = sorted(periods, key=lambda p: p[0])
        days = {d for start, end, _c in periods for d in (start, end) if d is not None}
        for day in days:
            before = _chain_on(periods, day - timedelta(days=1))
            after = _chain_on(periods, day)
            if rows.holders(before) != rows.holders(after) and (built(before) or built(after)):
                moves.append((org, day, -1 if before is None else before,
                              -1 if after is None else after))  # fmt: skip
    if not moves:
        return
    table = connection.ops.quote_name(MOVE_TABLE)
    cursor.execute(f"DROP TABLE IF EXISTS {table}")
    cursor.execute(
        f"CREATE TEMPORARY TABLE {table} (organization_id bigint, day date, before_chain "
        "integer, after_chain integer)"
    )
    insert_rows(MOVE_TABLE, ["organization_id", "day", "before_chain", "after_chain"], moves)
    cursor.execute(
        f"SELECT m.before_chain, m.after_chain, {_month('m.day')}, COUNT(*) FROM {table} m "
        "JOIN members_affiliation a ON a.organization_id = m.organization_id "
        f"AND a.kind = 'official' AND a.valid_from <= {_day_before('m.day')} "
        "AND (a.valid_to IS NULL OR a.valid_to > m.day) GROUP BY 1, 2, 3"
    )
    for before, after, month, n in cursor.fetchall():
        before = None if before == -1 else before
        after = None if after == -1 else after
        was, now = rows.holders(before), rows.holders(after)
        rows.add(before, was - now, month, "restructured_out", n)
        rows.add(after, now - was, month, "restructured_in", n)
    cursor.execute(f"DROP TABLE {table}")


def _openings(n: Counter) -> None:
    """Add the "opening" rows: on 1 January of each year from the first "net" of a
    (province, holder) to next year, the members at the end of the year before (the sum of
    "net" until then) — so that the members at a month's end read at most a year of rows."""
    nets: dict[tuple, Counter] = defaultdict(Counter)
    for (province, holder, month, key), value in n.items():
        if key == NET:
            nets[(province, holder)][month.year] += value
    last = timezone.localdate().year + 1
    for (province, holder), by_year in nets.items():
        total = 0
        for year in range(min(by_year), last + 1):
            if total:
                n[(province, holder, date(year, 1, 1), OPENING)] = total
            total += by_year.get(year, 0)


def _chain_on(periods, day: date) -> int | None:
    for start, end, chain in periods:
        if start <= day and (end is None or end > day):
            return chain
    return None


@transaction.atomic
def rebuild(provinces: set[int] | None = None) -> int:
    """Count the movement summary again: every part, or the parts of `provinces` (ids of
    root organizations). Returns the rows written."""
    built_at = timezone.now()
    database.set_build_session()  # for this transaction: database.BUILD_SESSION
    marks = _marks()  # before reading: a change committed meanwhile makes the part stale
    chains = _Chains(provinces)
    everyone = chains.provinces()
    if provinces is not None:
        provinces = set(provinces) & everyone
    rows = _Rows(chains, provinces)
    versions = _Versions(chains, provinces)
    table = connection.ops.quote_name(VERSION_TABLE)
    with connection.cursor() as cursor:
        if provinces is None:
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
            cursor.execute(
                f"CREATE TEMPORARY TABLE {table} (organization_id bigint, valid_from date, "
                "valid_to date, chain integer, province_id bigint)"
            )
            insert_rows(
                VERSION_TABLE,
                ["organization_id", "valid_from", "valid_to", "chain", "province_id"],
                chains.versions,
            )
            cursor.execute(f"CREATE INDEX tochuc_flow_version_org ON {table} (organization_id)")
            if connection.vendor == "postgresql":
                cursor.execute(f"ANALYZE {table}")
        _events(cursor, rows, provinces, versions)
        _members(cursor, rows, provinces, versions)
        _organization_moves(cursor, rows, chains)
        if provinces is None:
            cursor.execute(f"DROP TABLE {table}")
    if provinces is None:
        FlowCount.objects.all().delete()
        FlowPart.objects.all().delete()
        written = everyone
        _openings(rows.n)
        new = rows.n
    else:
        FlowPart.objects.filter(province_id__in=[*provinces, ELSEWHERE]).delete()
        written = provinces
        _openings(rows.n)
        new = _changed(rows.n, provinces)
    insert_rows(
        FlowCount._meta.db_table,
        ["province_id", "holder", "month", "key", "n"],
        ((*key, n) for key, n in new.items() if n),
    )
    parts = set(FlowPart.objects.values_list("province_id", flat=True)) | written
    FlowPart.objects.bulk_create(
        [FlowPart(province_id=p, built_at=built_at, watermark=marks.get(p, 0)) for p in written]
        + [FlowPart(province_id=ELSEWHERE, built_at=built_at,
                    watermark=_elsewhere(marks, parts))]
    )  # fmt: skip
    return sum(1 for n in rows.n.values() if n)


def _changed(n: Counter, provinces: set[int]) -> Counter:
    """Delete the provinces' rows that differ from `n` (or are not in it); returns the rows
    of `n` to write. A refresh after an import changes a few months of a province's
    200,000 rows: deleting and writing them all cost more than the counting."""
    unchanged, gone = set(), []
    kept = FlowCount.objects.filter(province_id__in=provinces).order_by()
    for pk, *key, value in kept.values_list("id", "province_id", "holder", "month", "key", "n"):
        key = tuple(key)
        if n.get(key) == value and key not in unchanged:
            unchanged.add(key)
        else:
            gone.append(pk)
    for i in range(0, len(gone), 500):
        FlowCount.objects.filter(id__in=gone[i : i + 500]).delete()
    return Counter({key: value for key, value in n.items() if key not in unchanged})


def refresh() -> int:
    """Rebuild the stale parts (all of them when a province without a part changed), and
    the parts built in an earlier year (their "opening" rows reach the year after only);
    returns how many were rebuilt. Nothing when there is no part yet."""
    if not FlowPart.objects.exists():
        return 0
    stale = stale_provinces()
    if stale is None:
        rebuild()
        return FlowPart.objects.exclude(province_id=ELSEWHERE).count()
    stale |= set(
        FlowPart.objects.exclude(province_id=ELSEWHERE)
        .filter(built_at__lt=_this_year())
        .values_list("province_id", flat=True)
    )
    if stale:
        rebuild(stale)
    return len(stale)


def _this_year() -> datetime:
    """The start of this year in Vietnam (the "opening" rows' years are local ones)."""
    today = timezone.localdate()
    return timezone.make_aware(datetime(today.year, 1, 1))


# ---------------------------------------------------------------- freshness


def _marks() -> dict[int, int]:
    """Province → every change recorded for it (CountChange, whatever its date)."""
    return dict(CountChange.objects.values_list("province_id").annotate(n=Sum("n")).order_by())


def _elsewhere(marks: dict[int, int], parts) -> int:
    return sum(n for province, n in marks.items() if province not in parts)


def stale_provinces() -> set[int] | None:
    """The provinces whose part is stale; None: every one (no part, or a province without
    a part changed)."""
    parts = dict(FlowPart.objects.values_list("province_id", "watermark"))
    if not parts:
        return None
    marks = _marks()
    if _elsewhere(marks, parts) != parts.get(ELSEWHERE):
        return None
    return {p for p, mark in parts.items() if p != ELSEWHERE and marks.get(p, 0) != mark}


# ---------------------------------------------------------------- read


def _month_end(day: date) -> bool:
    return (day + timedelta(days=1)).day == 1


def movement(root, start: date, end: date, *, by_child: bool) -> dict[int, Counter] | None:
    """Per bucket (as sources.movement: the root, or by child each child and the root for
    the members directly in it; the whole system: 0), from the summary; None when it cannot
    serve (then count live): a period not of whole months, a root at the grassroots or
    below, a child that is not above the grassroots or was not under the root all along,
    or a stale part among the provinces concerned."""
    if _live_only.get() or start.day != 1 or not _month_end(end) or start > end:
        return None
    before = start - timedelta(days=1)
    during = Q(valid_from__lte=end) & (Q(valid_to__isnull=True) | Q(valid_to__gt=before))
    versions = OrganizationVersion.objects.filter(during)
    if root is not None and not (
        versions.filter(organization=root).exists()
        and OrganizationVersion.objects.filter(
            organization=root, kind__in=ABOVE_GRASSROOTS_KINDS
        ).exists()
    ):
        return None
    holders = {root.pk if root else NATION: root.pk if root else NATION}
    if by_child:
        children = versions.filter(parent=root) if root else versions.filter(parent__isnull=True)
        children = set(children.values_list("organization_id", flat=True))
        # Each child under the root for the whole period, and above the grassroots.
        elsewhere = versions.filter(organization_id__in=children)
        elsewhere = elsewhere.exclude(parent=root) if root else elsewhere.exclude(parent=None)
        above = set(
            OrganizationVersion.objects.filter(
                organization_id__in=children, kind__in=ABOVE_GRASSROOTS_KINDS
            ).values_list("organization_id", flat=True)
        )
        if above != children or elsewhere.exists():
            return None
        holders = {child: child for child in children}
        if root is not None:
            holders[-root.pk] = root.pk
    built = FlowPart.objects.aggregate(first=Min("built_at"))["first"]
    if built is None or end.year > timezone.localtime(built).year + 1:
        return None  # no opening of that year (_openings): count live
    stale = stale_provinces()
    if stale is None or (stale and root is None):
        return None
    if stale:
        # Every province a holder was ever counted in, up to the period's end: the members
        # at its start sum the rows of every month before it.
        organizations = [abs(h) for h in holders if h != NATION]
        provinces = OrganizationVersion.objects.filter(
            organization_id__in=organizations, valid_from__lte=end
        ).values_list("province_id", flat=True)
        if stale & {p or 0 for p in provinces}:
            return None
    return _read(holders, start, end)


def _read(holders: dict[int, int], start: date, end: date) -> dict[int, Counter]:
    first = start.replace(day=1)
    last = end.replace(day=1)
    result: dict[int, Counter] = defaultdict(Counter)
    rows = (
        FlowCount.objects.filter(holder__in=list(holders), month__gte=first, month__lte=last)
        .exclude(key__in=(NET, OPENING))
        .values_list("holder", "key")
        .annotate(n=Sum("n"))
        .order_by()
    )
    for holder, key, n in rows:
        result[holders[holder]][key] += n

    # The members at a month's end: the year's opening and the "net" of its months since.
    def at(month: date, *, through: bool) -> Case:
        opening = Q(key=OPENING, month=month.replace(month=1))
        months = Q(key=NET, month__gte=month.replace(month=1))
        months &= Q(month__lte=month) if through else Q(month__lt=month)
        return Sum(Case(When(opening | months, then="n"), default=0, output_field=IntegerField()))

    stock = (
        FlowCount.objects.filter(holder__in=list(holders), key__in=(NET, OPENING))
        .filter(month__gte=first.replace(month=1), month__lte=last)
        .values_list("holder")
        .annotate(start=at(first, through=False), end=at(last, through=True))
        .order_by()
    )
    for holder, at_start, at_end in stock:
        if at_start:
            result[holders[holder]]["start"] += at_start
        if at_end:
            result[holders[holder]]["end"] += at_end
    return {bucket: counts for bucket, counts in result.items() if +counts}
