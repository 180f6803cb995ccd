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

Build (with `tochuc report_counts`, its `--stale` and the background refresh): each
organization version gets the list of holders its members count in (the whole system, the
above-grassroots organizations of its path, itself when above the grassroots) — a "chain";
the events are grouped in SQL by type, the chain of the version in force on the day (where
the member goes) and the chain of the version in force the day before (where they leave
from, as sources._event_moves judges it), and month; the members by the chain and month in
which each official affiliation's stay in one version begins and ends; the organizations
moved across a boundary by the chains before and after. Python then gives each holder what
the chain difference says (a transfer between two cells of one commune is no transfer of
the commune) — over a few thousand grouped rows, never over members.

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
from django.db.models import Case, IntegerField, Min, Q, Sum, When
from django.utils import timezone

from tochuc.lib.rows import insert_rows
from tochuc.members.models import MemberEvent
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


# ---------------------------------------------------------------- chains


class _Chains:
    """Every organization version's chain: (province, holders), interned to a number."""

    def __init__(self):
        rows = list(
            OrganizationVersion.objects.values_list(
                "organization_id", "valid_from", "valid_to", "path", "kind", "province_id"
            )
        )
        self.above = {org for org, _f, _t, _p, kind, _pr in rows if kind in ABOVE_GRASSROOTS_KINDS}
        self.ids: dict[tuple, int] = {}
        self.chains: list[tuple[int, frozenset]] = []
        self.versions: list[tuple] = []  # (organization, from, to, chain, province)
        self.of_organization: dict[int, list[tuple]] = defaultdict(list)
        for org, valid_from, valid_to, path, _kind, province in rows:
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

    def provinces(self) -> set[int]:
        return {province for province, _h in self.chains}

    def holders(self, chain: int | None) -> frozenset:
        return self.chains[chain][1] if chain is not None else frozenset()

    def moves(self) -> list[tuple]:
        """(organization, day, chain before, chain after) of every day an organization's
        holders change (moved under another parent, its parent moved, a holder founded or
        ended above it; None: no version that side)."""
        moves = []
        for org, periods in self.of_organization.items():
            periods.sort(key=lambda p: p[0])
            days = {d for start, end, _c in periods for d in (start, end) if d is not None}
            for day in days:
                before = _chain_on(periods, day - timedelta(days=1))
                after = _chain_on(periods, day)
                if self.holders(before) != self.holders(after):
                    moves.append((org, day, before, after))
        return moves


def _chain_on(periods, day: date) -> int | None:
    for start, end, chain in periods:
        if start <= day and (end is None or end > day):
            return chain
    return None


# ---------------------------------------------------------------- build

# What a grouped row (`_grouped_sql`: type, here, source, month, n) gives each holder. As
# sources._event_moves, for every holder at once: a holder is "here" when it is in the
# chain where the member goes, the "source" when in the chain they leave.
HERE_KEYS = {T.ADMITTED: "admitted", T.READMITTED: "readmitted", T.CONFIRMED: "confirmed",
             NET: NET}  # fmt: skip
SOURCE_KEYS = {**EXITS, T.TRANSFERRED_OUT: "transferred_out"}
# Into the holders where the member goes that they did not leave, out of the holders they
# leave that they do not join (a transfer between two cells of one commune is no transfer
# of the commune); an organization moved across a boundary counts as a restructuring.
ACROSS_KEYS = {
    T.TRANSFERRED_IN: ("transferred_in", "transferred_out"),
    T.REORGANIZED: ("restructured_in", "restructured_out"),
}


def _where_provinces(alias: str, provinces: set[int] | None) -> str:
    if provinces is None:
        return ""
    listed = ", ".join(str(int(p)) for p in sorted(provinces)) or "NULL"
    return f"{alias}.province_id IN ({listed})"


def _listed(values) -> str:
    """The movement types and keys (constants of the code) as SQL literals."""
    return ", ".join(f"'{value}'" for value in values)


def _case(column: str, keys: dict) -> str:
    whens = " ".join(f"WHEN '{value}' THEN '{key}'" for value, key in keys.items())
    return f"CASE {column} {whens} END"


class _Tables:
    """The names of the build's scratch tables (database.scratch)."""

    def __init__(self):
        q = connection.ops.quote_name
        self.versions, self.holders, self.moves, self.grouped = (
            q(database.scratch(f"tochuc_flow_{name}"))
            for name in ("version", "holder", "move", "grouped")
        )

    def all(self) -> tuple[str, ...]:
        return self.versions, self.holders, self.moves, self.grouped


def _index(cursor, table: str, columns: str) -> None:
    name = connection.ops.quote_name(table.strip('"') + "_key")
    cursor.execute(f"CREATE INDEX {name} ON {table} ({columns})")


def _create(cursor, tables: _Tables, chains: _Chains) -> None:
    """The versions with their chain, each chain's holders and the organization moves: a few
    hundred thousand rows from Python (COPY)."""
    kind = database.scratch_kind()
    for table in tables.all():
        cursor.execute(f"DROP TABLE IF EXISTS {table}")
    cursor.execute(
        f"CREATE {kind} TABLE {tables.versions} (organization_id bigint, valid_from date, "
        "valid_to date, chain integer, province_id bigint)"
    )
    insert_rows(
        tables.versions,
        ["organization_id", "valid_from", "valid_to", "chain", "province_id"],
        chains.versions,
    )
    _index(cursor, tables.versions, "organization_id")
    cursor.execute(
        f"CREATE {kind} TABLE {tables.holders} (chain integer, province_id bigint, holder bigint)"
    )
    insert_rows(
        tables.holders,
        ["chain", "province_id", "holder"],
        (
            (chain, province, holder)
            for chain, (province, holders) in enumerate(chains.chains)
            for holder in holders
        ),
    )
    _index(cursor, tables.holders, "chain, holder")
    cursor.execute(
        f"CREATE {kind} TABLE {tables.moves} (organization_id bigint, day date, "
        "before_chain integer, after_chain integer)"
    )
    insert_rows(
        tables.moves,
        ["organization_id", "day", "before_chain", "after_chain"],
        chains.moves(),
    )
    if connection.vendor == "postgresql":
        cursor.execute(f"ANALYZE {tables.versions}, {tables.holders}, {tables.moves}")


def _grouped_sql(tables: _Tables, provinces: set[int] | None) -> tuple[str, list]:
    """(type, here, source, month, n): the grouped rows of the build, in one statement of
    four parts — the events by type, the chain of the version in force on the day (where the
    member goes) and of the version in force the day before (where they leave from, as
    sources._event_moves judges it), and month; the official affiliations' stays in one
    version by chain and the month they begin (n > 0) and end (n < 0) — "net" — (the stay
    [max of the starts, min of the ends)); the members of an organization on the day its
    chain changes (sources._restructuring_moves), as a restructuring."""
    inner, params = (
        with_sides(MemberEvent.objects.filter(type__in=MOVEMENT_TYPES))
        .values_list("type", "organization_id", "moved_from", "on")
        .order_by()
        .query.sql_with_params()
    )
    on, before = 'e."on"', _day_before('e."on"')
    where = ""
    if provinces is not None:
        where = f"WHERE {_where_provinces('tv', provinces)} OR {_where_provinces('fv', provinces)}"
    events = (
        f"SELECT e.type AS type, tv.chain AS here, fv.chain AS source, {_month(on)} AS month, "
        f"COUNT(*) AS n FROM ({inner}) e "
        f"LEFT JOIN {tables.versions} tv ON tv.organization_id = e.organization_id "
        f"AND tv.valid_from <= {on} AND (tv.valid_to IS NULL OR tv.valid_to > {on}) "
        f"LEFT JOIN {tables.versions} fv ON fv.organization_id = e.moved_from "
        f"AND fv.valid_from <= {before} AND (fv.valid_to IS NULL OR fv.valid_to > {before}) "
        f"{where} GROUP BY 1, 2, 3, 4"
    )
    if connection.vendor == "postgresql":
        start, end = "GREATEST(a.valid_from, v.valid_from)", "LEAST(a.valid_to, v.valid_to)"
        never = "DATE '9999-12-31'"
    else:
        never = "'9999-12-31'"
        start = "max(a.valid_from, v.valid_from)"
        end = f"min(COALESCE(a.valid_to, {never}), COALESCE(v.valid_to, {never}))"
    stays = (
        f"FROM members_affiliation a JOIN {tables.versions} v "
        f"ON v.organization_id = a.organization_id AND v.valid_from < COALESCE(a.valid_to, "
        f"{never}) AND a.valid_from < COALESCE(v.valid_to, {never}) WHERE a.kind = 'official'"
    )
    if provinces is not None:
        stays += f" AND {_where_provinces('v', provinces)}"
    begun = f"SELECT '{NET}', v.chain, NULL, {_month(start)}, COUNT(*) {stays} GROUP BY 2, 4"
    ended = (
        f"SELECT '{NET}', v.chain, NULL, {_month(end)}, -COUNT(*) {stays} AND {end} IS NOT NULL "
        f"AND {end} < {never} GROUP BY 2, 4"
    )
    moved = (
        f"SELECT '{T.REORGANIZED}', m.after_chain, m.before_chain, {_month('m.day')}, COUNT(*) "
        f"FROM {tables.moves} m JOIN members_affiliation a ON a.organization_id = "
        f"m.organization_id AND a.kind = 'official' AND a.valid_from <= {_day_before('m.day')} "
        "AND (a.valid_to IS NULL OR a.valid_to > m.day) GROUP BY 2, 3, 4"
    )
    return f"{events} UNION ALL {begun} UNION ALL {ended} UNION ALL {moved}", params


def _write_flows(cursor, tables: _Tables, provinces: set[int] | None) -> int:
    """Give each holder of the grouped rows' chains what the chain difference says and sum
    them into the summary: one INSERT … SELECT. Returns the rows written."""
    here, source = "h.chain = g.here", "h.chain = g.source"

    def part(on: str, types, key: str, *, unless: str | None = None) -> str:
        conditions = [f"g.type IN ({_listed(types)})"]
        if provinces is not None:
            conditions.append(_where_provinces("h", provinces))
        if unless is not None:  # not a holder of the other side's chain too
            conditions.append(
                f"NOT EXISTS (SELECT 1 FROM {tables.holders} o WHERE o.chain = g.{unless} "
                "AND o.holder = h.holder)"
            )
        return (
            f"SELECT h.province_id, h.holder, g.month, {key} AS key, g.n FROM "
            f"{tables.grouped} g JOIN {tables.holders} h ON {on} WHERE {' AND '.join(conditions)}"
        )

    into = {value: keys[0] for value, keys in ACROSS_KEYS.items()}
    out = {value: keys[1] for value, keys in ACROSS_KEYS.items()}
    parts = [
        part(here, HERE_KEYS, _case("g.type", HERE_KEYS)),
        part(source, SOURCE_KEYS, _case("g.type", SOURCE_KEYS)),
        part(here, ACROSS_KEYS, _case("g.type", into), unless="source"),
        part(source, ACROSS_KEYS, _case("g.type", out), unless="here"),
    ]
    cursor.execute(
        f"INSERT INTO {FlowCount._meta.db_table} (province_id, holder, month, key, n) "
        f"SELECT c.province_id, c.holder, c.month, c.key, SUM(c.n) FROM "
        f"({' UNION ALL '.join(parts)}) c GROUP BY 1, 2, 3, 4 HAVING SUM(c.n) <> 0"
    )
    return cursor.rowcount


def _write_openings(cursor, provinces: set[int] | None) -> int:
    """Add the "opening" rows: on 1 January of each year from the first "net" of a
    (province, holder) to next year, the members at the end of the year before (the sum of
    "net" until then, when not 0) — so that the members at a month's end read at most a
    year of rows. One INSERT … SELECT (a running sum over the years). Returns the rows."""
    if connection.vendor == "postgresql":
        year, january = "CAST(EXTRACT(YEAR FROM month) AS integer)", "make_date(r.year, 1, 1)"
    else:
        year, january = "CAST(strftime('%%Y', month) AS integer)", "printf('%%04d-01-01', r.year)"
    where = f"AND {_where_provinces('f', provinces)}" if provinces is not None else ""
    last = timezone.localdate().year + 1
    table = FlowCount._meta.db_table
    cursor.execute(
        f"INSERT INTO {table} (province_id, holder, month, key, n) "
        f"WITH RECURSIVE yearly AS (SELECT f.province_id, f.holder, {year} AS year, "
        f"SUM(f.n) AS n FROM {table} f WHERE f.key = %s {where} GROUP BY 1, 2, 3), "
        "firsts AS (SELECT province_id, holder, MIN(year) AS first FROM yearly GROUP BY 1, 2), "
        "years (year) AS (SELECT MIN(year) FROM yearly UNION ALL SELECT year + 1 FROM years "
        "WHERE year < %s), "
        "running AS (SELECT f.province_id, f.holder, y.year, SUM(COALESCE(t.n, 0)) OVER "
        "(PARTITION BY f.province_id, f.holder ORDER BY y.year) - COALESCE(t.n, 0) AS total "
        "FROM firsts f JOIN years y ON y.year >= f.first AND y.year <= %s "
        "LEFT JOIN yearly t ON t.province_id = f.province_id AND t.holder = f.holder "
        "AND t.year = y.year) "
        f"SELECT r.province_id, r.holder, {january}, %s, r.total FROM running r "
        "WHERE r.total <> 0",
        [NET, last, last, OPENING],
    )
    return cursor.rowcount


@transaction.atomic
def rebuild(provinces: set[int] | None = None) -> int:
    """Count the movement summary again: every part, or the parts of `provinces` (ids of
    root organizations). Returns the rows written."""
    built_at = timezone.now()
    database.set_build_session()  # for this transaction: database.BUILD_SESSION
    marks = _marks()  # before reading: a change committed meanwhile makes the part stale
    chains = _Chains()
    everyone = chains.provinces()
    if provinces is None:
        FlowCount.objects.all().delete()
        FlowPart.objects.all().delete()
        written = everyone
    else:
        provinces = set(provinces) & everyone
        FlowCount.objects.filter(province_id__in=provinces).delete()
        FlowPart.objects.filter(province_id__in=[*provinces, ELSEWHERE]).delete()
        written = provinces
    tables = _Tables()
    with connection.cursor() as cursor:
        _create(cursor, tables, chains)
        grouped, params = _grouped_sql(tables, provinces)
        cursor.execute(f"CREATE {database.scratch_kind()} TABLE {tables.grouped} AS {grouped}",
                       params)  # fmt: skip
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {tables.grouped}")
        rows = _write_flows(cursor, tables, provinces)
        rows += _write_openings(cursor, provinces)
        for table in tables.all():
            cursor.execute(f"DROP TABLE {table}")
    parts = set(FlowPart.objects.values_list("province_id", flat=True)) | written
    FlowPart.objects.bulk_create(
        [FlowPart(province_id=p, built_at=built_at, watermark=marks.get(p, 0)) for p in written]
        + [FlowPart(province_id=ELSEWHERE, built_at=built_at,
                    watermark=_elsewhere(marks, parts))]
    )  # fmt: skip
    return rows


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


def _this_year():
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
