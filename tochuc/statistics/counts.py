"""The summary table: build a snapshot of the counts at a date, and read it for a report.

Grain (docs/performance.md, "Quy mô quốc gia"): one set of rows per organization above the
grassroots level (province, district, commune, bloc) holding the totals of its whole
subtree, and one set for the whole system — each a few dozen rows (dimension × value), so
a province or the nation is read by its key, not summed from its subtree. Organizations
at the grassroots level and below are counted live: they hold at most a few thousand
members.

Build (`tochuc report_counts`, nightly; after imports; `_write_member_rows`): the members
are grouped in one SQL statement per province set — by the organization's lowest
above-grassroots ancestor (a scratch table maps the organizations of the date to it, hash-
joined) and by every dimension at once (GROUPING SETS on PostgreSQL; one grouped branch per
dimension on SQLite) — then
the grouped rows are summed up the above-grassroots ancestors by one INSERT … SELECT.
Organizations (by kind and grassroots type) are counted from the versions of the date in
the same pass. The session settings the plan needs are set by `rebuild` (SET LOCAL:
`database.BUILD_SESSION`).

Freshness, per province ("part"), from the database itself: triggers on the counted tables
(migration statistics 0003) record every change in `CountChange`, per province and from
the year of the earliest date it affects — whoever wrote the rows (a service, an import's
COPY, raw SQL, a data migration, a restore). A part keeps the sum of its province's
changes up to its date when built (`watermark`); while the sum is the same, nothing that
part counts has changed. A stale province is counted live (and the nation is the fresh
provinces' rows plus the stale ones counted live) until `refresh` rebuilds just the stale
parts of just the dates concerned. A report therefore never shows stale numbers.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from functools import lru_cache

from django.db import connection, router, transaction
from django.db.models import BooleanField, ExpressionWrapper, F, Func, OuterRef, Q, Subquery, Sum
from django.db.models.expressions import RawSQL
from django.utils import timezone

from tochuc.lib import paths
from tochuc.lib.prepared import Prepared
from tochuc.lib.rows import insert_rows
from tochuc.members.models import Affiliation, Member, MemberEvent
from tochuc.organizations.models import (
    ABOVE_GRASSROOTS_KINDS,
    GRASSROOTS_KINDS,
    UNDER_GRASSROOTS_KINDS,
    Organization,
    OrganizationVersion,
)
from tochuc.organizations.selectors import in_force, version_of
from tochuc.statistics.models import CountChange, CountPart, CountSnapshot, ReportCount

from . import database, live
from .bands import AGE_BANDS
from .live import PROFILE_FIELDS, age_band

ORGANIZATIONS = "org"  # the dimension of organization counts: value "kind:grassroots type"
ALL = frozenset({"*"})  # every part
ANCHOR_TABLE = "tochuc_count_anchor"
T = MemberEvent.Type


# ---------------------------------------------------------------- the tree of the date


class _Tree:
    """The organizations above the grassroots level in force on `on` (under `roots`' paths,
    or all) — a few thousand: each one's path and chain up (itself first), and the roots
    among them. The organizations below them (hundreds of thousands) stay in the database:
    `_anchor_sql` maps each to its lowest above-grassroots ancestor there."""

    def __init__(self, on: date, roots: list[str] | None):
        self.on, self.root_paths = on, roots
        rows = list(
            self.versions()
            .filter(kind__in=ABOVE_GRASSROOTS_KINDS)
            .values_list("organization_id", "path", "parent_id")
        )
        above = {path: org for org, path, _parent in rows}
        self.path: dict[int, str] = {org: path for org, path, _parent in rows}
        self.up: dict[int, list[int]] = {}
        self.roots: dict[int, str] = {}
        for org, path, parent in rows:
            chain, prefix = [], ""
            for part in path.strip("/").split("/"):
                prefix += part + "/"
                if prefix in above:
                    chain.append(above[prefix])
            self.up[org] = chain[::-1]
            if parent is None:
                self.roots[org] = path

    def versions(self):
        versions = OrganizationVersion.objects.filter(in_force(self.on))
        if self.root_paths is not None:
            versions = versions.filter(_under(self.root_paths))
        return versions

    def anchor_sql(self) -> tuple[str, list]:
        """(organization_id, anchor_id, kind, grassroots type) of every organization of the
        tree under an
        above-grassroots one: down the parents from each above-grassroots organization
        (its own anchor) through the organizations below the grassroots level, in one
        recursive statement."""
        versions, params = (
            self.versions()
            .annotate(o_id=F("organization_id"), o_parent=F("parent_id"), o_kind=F("kind"),
                      o_type=F("organization__grassroots_type"))
            .values_list("o_id", "o_parent", "o_kind", "o_type")
            .order_by()  # not by name: 300,000 rows sorted for nothing
            .query.sql_with_params()
        )  # fmt: skip
        kinds = ", ".join(["%s"] * len(ABOVE_GRASSROOTS_KINDS))
        sql = (
            f"WITH RECURSIVE v AS ({versions}), a (organization_id, anchor_id, kind, "
            f"grassroots_type) AS (SELECT o_id, o_id, o_kind, o_type FROM v WHERE o_kind IN "
            f"({kinds}) UNION ALL SELECT v.o_id, a.anchor_id, v.o_kind, v.o_type FROM v JOIN a "
            f"ON v.o_parent = a.organization_id WHERE v.o_kind NOT IN ({kinds})) "
            "SELECT organization_id, anchor_id, kind, grassroots_type FROM a"
        )
        return sql, [*params, *ABOVE_GRASSROOTS_KINDS, *ABOVE_GRASSROOTS_KINDS]


# ---------------------------------------------------------------- the members of the date


def _under(roots: list[str]) -> Q:
    condition = Q(pk__in=[])
    for root in roots:
        condition |= paths.under("path", root)
    return condition


Range = tuple[int | None, int | None]  # member ids [low, high); None: no bound


def _counted(on: date, roots: list[str] | None = None, members: Range = (None, None)):
    """One row per official affiliation in force on `on` (in organizations under `roots`'
    paths then, or all; of the members with ids in the range `members`):
    organization, member, whether the member's stored confirmation makes them full on
    `on`, and every other value. The status itself is decided in `_write_member_rows` (the
    re-admitted, rare, by their timeline: `_readmitted`)."""
    columns = {"age": age_band(on, AGE_BANDS)}
    columns.update({field: F(f"member__{field}") for field in PROFILE_FIELDS})
    confirmed = ExpressionWrapper(Q(member__confirmed_on__lte=on), output_field=BooleanField())
    qs = (
        Affiliation.objects.filter(in_force(on), kind=Affiliation.Kind.OFFICIAL)
        .annotate(c_org=F("organization_id"), c_member=F("member_id"), c_confirmed=confirmed)
        .annotate(**{f"c_{d}": e for d, e in columns.items()})
        .values_list("c_org", "c_member", "c_confirmed", *[f"c_{d}" for d in columns])
        .order_by()
    )
    if roots is not None:  # a few provinces: read their affiliations, not the nation's
        under = OrganizationVersion.objects.filter(in_force(on), _under(roots))
        qs = qs.filter(organization_id__in=under.values("organization_id"))
    # A range of members on both sides of the join (Django would compare the affiliation's
    # column only): each side reads and hashes just its range.
    table = connection.ops.quote_name(Member._meta.db_table)
    for bound, operator, lookup in zip(members, (">=", "<"), ("gte", "lt"), strict=True):
        if bound is not None:
            qs = qs.filter(
                RawSQL(f"{table}.id {operator} %s", (bound,), BooleanField()),
                **{f"member_id__{lookup}": bound},
            )
    return ["status", *columns], qs.query.sql_with_params()


def _readmitted(on: date) -> tuple[str, list]:
    """(member_id, is_full) of every re-admitted member: full on `on` when confirmed on or
    before it, after their latest (re-)admission then (`live._full_exactly`, as one grouped
    read of the few re-admitted members' timelines instead of a subquery per row: the
    statement stays parallel-safe on PostgreSQL)."""
    q = connection.ops.quote_name
    events = q(MemberEvent._meta.db_table)
    day = connection.ops.adapt_datefield_value(on)
    sql = (
        f"SELECT s.member_id, MAX(CASE WHEN e.type = %s AND e.{q('on')} <= %s AND "
        f"e.{q('on')} >= s.latest THEN 1 ELSE 0 END) = 1 AS is_full FROM (SELECT member_id, "
        f"MAX(CASE WHEN type IN (%s, %s) AND {q('on')} <= %s THEN {q('on')} END) AS latest "
        f"FROM {events} WHERE member_id IN (SELECT member_id FROM {events} WHERE type = %s) "
        f"GROUP BY member_id) s JOIN {events} e ON e.member_id = s.member_id "
        "GROUP BY s.member_id"
    )
    started, readmitted = live.STARTS
    return sql, [T.CONFIRMED, day, started, readmitted, day, T.READMITTED]


# The whole nation's members are grouped in this many ranges of ids at once, one process
# each (PostgreSQL: the leader and its two parallel workers, max_parallel_workers_per_gather).
PARTS = 3
# The planner's costs for that statement: a parallel join under each range's own Gather
# (its grouping then in one process) must cost more than one Gather over all the ranges
# (`_member_ranges`); the few hundred thousand grouped rows it passes up cost next to nothing.
# A page read out of order at half the default cost (4 → 2): where members and affiliations
# lie on disk in the order of the member ids (their indexes' correlation ≥ 0.9, as when
# written in bulk), each range is read in that order through the two indexes and merge-
# joined — no hash table of the range's 1.8 million members (167 MB) to build and probe;
# scattered (correlation ≤ 0.7) the planner keeps the hash join of whole-table reads
# (docs/performance.md, "Dựng lại toàn quốc, lượt bốn").
PARTS_SESSION = {
    "parallel_setup_cost": "300000",
    "parallel_tuple_cost": "0.01",
    "random_page_cost": "2",
}


def _member_ranges() -> list[Range]:
    """`PARTS` ranges of member ids of about equal size (ids are dense); the first and the
    last open, so that every member is in one whatever was added since."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MIN(id), MAX(id) FROM {Member._meta.db_table}")
        low, high = cursor.fetchone()
    if low is None:
        return [(None, None)]
    step = (high - low) // PARTS + 1
    cuts = [low + k * step for k in range(1, PARTS)]
    return list(zip([None, *cuts], [*cuts, None], strict=True))


# PostgreSQL: the dimensions grouped together, one hash table per set (a few dozen values
# per anchor each), each grouped row then counted once per dimension of its set. A hash
# table per dimension (eight) did more work per member than the sets' few (EXPLAIN ANALYZE,
# docs/performance.md, 07/12/2026).
GROUPED_TOGETHER = (
    ("status", "age", "gender"),
    ("ethnicity",),
    ("religion", "political_theory"),
    ("general_education", "qualification"),
)


def _grouped_select(dimensions: list[str], sql: str) -> str:
    """(anchor, dimension, value, n) of the rows of `sql` (anchor, c_<dimension>…): grouped by
    `GROUPED_TOGETHER`'s sets at once (GROUPING SETS), each set's rows unfolded into one
    per dimension and summed — within the statement, so within the range's own process."""
    sets = [s for s in GROUPED_TOGETHER if set(s) & set(dimensions)]
    assert sorted(d for s in sets for d in s) == sorted(dimensions), dimensions
    values = ", ".join(
        f"CASE WHEN GROUPING(u.c_{d}) = 0 THEN COALESCE(u.c_{d}::text, '') END AS v_{d}"
        for d in dimensions
    )
    grouping = ", ".join("(u.anchor, " + ", ".join(f"u.c_{d}" for d in s) + ")" for s in sets)
    unfolded = ", ".join(f"('{d}', g.v_{d})" for d in dimensions)
    return (
        f"SELECT g.anchor, x.dimension, x.value, SUM(g.n) AS n FROM (SELECT u.anchor, {values}, "
        f"COUNT(*) AS n FROM ({sql}) u GROUP BY GROUPING SETS ({grouping})) g "
        f"CROSS JOIN LATERAL (VALUES {unfolded}) AS x (dimension, value) "
        "WHERE x.value IS NOT NULL GROUP BY g.anchor, x.dimension, x.value"
    )


def _write_member_rows(snapshot: CountSnapshot, on: date, tree: _Tree) -> None:
    """Count the members of the date and write the snapshot's member rows, in the database:

    1. the organizations' anchors (lowest above-grassroots ancestor: one recursive
       statement) and each anchor's chain of above-grassroots ancestors (a few thousand
       rows, COPY) go to two scratch tables;
    2. one statement groups the affiliations of the date joined with their members, the
       anchors (a hash join on the table: no look-up per row) and the re-admitted members'
       timelines by (anchor, dimension, value) into a scratch table. PostgreSQL: GROUPING
       SETS, one hash table per set of dimensions (`GROUPED_TOGETHER`), in one read; it
       cannot spread GROUPING SETS over its parallel workers, so the whole nation's members
       are cut into `PARTS` ranges of ids, each grouped whole by one process: a UNION ALL
       of the ranges, which the planner runs as a Parallel Append under one Gather
       (`PARTS_SESSION`), each range summed by the next statement like any other rows.
       SQLite: one grouped branch per dimension;
    3. the grouped rows (a few hundred thousand at most) are summed up the anchors' chains
       into the summary table by one INSERT … SELECT, with the organizations by kind
       and grassroots type: no row goes through Python."""
    q = connection.ops.quote_name
    postgresql = connection.vendor == "postgresql"
    anchors, chains, grouped = (
        database.scratch(f"{ANCHOR_TABLE}{suffix}") for suffix in ("", "_up", "_grouped")
    )
    scratch = database.scratch_kind()
    readmitted, readmitted_params = _readmitted(on)

    def counted(members: Range = (None, None)) -> tuple[list[str], str, list]:
        dimensions, (inner, params) = _counted(on, tree.root_paths, members)
        values = ", ".join(f"t.c_{d}" for d in dimensions[1:])
        sql = (
            "SELECT m.anchor_id AS anchor, CASE WHEN (CASE WHEN r.member_id IS NULL THEN "
            "t.c_confirmed ELSE r.is_full END) THEN 'full' ELSE 'probationary' END AS "
            f"c_status, {values} FROM ({inner}) t JOIN {q(anchors)} m ON m.organization_id "
            f"= t.c_org LEFT JOIN ({readmitted}) r ON r.member_id = t.c_member"
        )
        return dimensions, sql, [*params, *readmitted_params]

    with connection.cursor() as cursor:
        for table in (anchors, chains, grouped):
            cursor.execute(f"DROP TABLE IF EXISTS {q(table)}")
        # PostgreSQL: no index, read whole into the hash join; SQLite: looked up by key.
        key = "" if postgresql else " PRIMARY KEY"
        cursor.execute(
            f"CREATE {scratch} TABLE {q(anchors)} (organization_id bigint NOT NULL{key}, "
            "anchor_id bigint NOT NULL, kind text NOT NULL, grassroots_type text)"
        )
        anchor_sql, anchor_params = tree.anchor_sql()
        cursor.execute(
            f"INSERT INTO {q(anchors)} (organization_id, anchor_id, kind, grassroots_type) "
            f"{anchor_sql}",
            anchor_params,
        )
        cursor.execute(
            f"CREATE {scratch} TABLE {q(chains)} (anchor_id bigint NOT NULL, "
            "organization_id bigint NOT NULL, path varchar(255) NOT NULL)"
        )
        insert_rows(
            chains,
            ["anchor_id", "organization_id", "path"],
            (
                (anchor, target, tree.path[target])
                for anchor, chain in tree.up.items()
                for target in chain
            ),
        )
        if postgresql:
            cursor.execute(f"ANALYZE {q(anchors)}")
            whole = tree.root_paths is None  # a few provinces: one range (one read of them)
            ranges = _member_ranges() if whole else [(None, None)]
            selects, params = [], []
            for members in ranges:
                dimensions, sql, part_params = counted(members)
                selects.append(_grouped_select(dimensions, sql))
                params += part_params
            union = " UNION ALL ".join(f"({select})" for select in selects)
            with database.settings(PARTS_SESSION if whole else {}):
                cursor.execute(
                    f"CREATE UNLOGGED TABLE {q(grouped)} AS SELECT * FROM ({union}) p", params
                )
            cursor.execute(f"ANALYZE {q(chains)}, {q(grouped)}")
        else:
            dimensions, sql, params = counted()
            branches = " UNION ALL ".join(
                f"SELECT u.anchor, '{d}' AS dimension, COALESCE(u.c_{d}, '') AS value, "
                f"COUNT(*) AS n FROM ({sql}) u GROUP BY 1, 3"
                for d in dimensions
            )
            cursor.execute(f"CREATE TEMPORARY TABLE {q(grouped)} AS {branches}",
                           params * len(dimensions))  # fmt: skip
        # Up the chains, with the organizations under each above-grassroots one by kind and
        # grassroots type (each anchor's first, counted once: a few thousand rows, not one
        # per organization and ancestor; an above-grassroots organization is not under
        # itself: `own`). Summed by hash, only the summed rows sorted (by path: a subtree's
        # rows together on disk).
        cursor.execute(
            f"INSERT INTO {q(ReportCount._meta.db_table)} (snapshot_id, organization_id, path, "
            "dimension, value, n) SELECT %s, s.organization_id, s.path, s.dimension, s.value, "
            "s.n FROM (SELECT c.organization_id, c.path, g.dimension, g.value, SUM(CASE WHEN "
            "c.organization_id = g.anchor THEN g.n - g.own ELSE g.n END) AS n FROM (SELECT "
            f"anchor, dimension, value, n, 0 AS own FROM {q(grouped)} UNION ALL SELECT "
            "anchor_id, %s, kind || ':' || COALESCE(grassroots_type, ''), COUNT(*), SUM(CASE "
            f"WHEN organization_id = anchor_id THEN 1 ELSE 0 END) FROM {q(anchors)} GROUP BY "
            f"anchor_id, kind, grassroots_type) g JOIN {q(chains)} c ON c.anchor_id = g.anchor "
            "GROUP BY c.organization_id, c.path, g.dimension, g.value) s WHERE s.n > 0 "
            "ORDER BY s.path",
            [snapshot.pk, ORGANIZATIONS],
        )
        for table in (anchors, chains, grouped):
            cursor.execute(f"DROP TABLE {q(table)}")


# ---------------------------------------------------------------- build


@transaction.atomic
def rebuild(on: date, provinces: list[int] | None = None) -> CountSnapshot:
    """Count `on` again: every part (replacing that date's snapshot), or only the parts of
    `provinces` (ids of root organizations) in the existing snapshot."""
    built_at = timezone.now()
    database.set_build_session()  # for this transaction: database.BUILD_SESSION
    # Before reading the rows: a change committed meanwhile makes the part stale.
    marks = watermarks(on)
    _summed.cache_clear()
    _organizations_summed.cache_clear()
    snapshot = CountSnapshot.objects.filter(on=on).first()
    if snapshot is None or provinces is None:
        CountSnapshot.objects.filter(on=on).delete()
        snapshot = CountSnapshot.objects.create(on=on, built_at=built_at)
        provinces = None
    else:
        snapshot.built_at = built_at  # the latest build of any part (the cache's key)
        snapshot.save(update_fields=["built_at"])
    roots = None
    if provinces is not None:
        roots = list(
            OrganizationVersion.objects.filter(
                in_force(on), organization_id__in=provinces, parent__isnull=True
            ).values_list("path", flat=True)
        )
        snapshot.rows.filter(_under(roots), organization__isnull=False).delete()
        snapshot.parts.filter(province_id__in=provinces).delete()
    tree = _Tree(on, roots)
    _write_member_rows(snapshot, on, tree)
    CountPart.objects.bulk_create(
        CountPart(snapshot=snapshot, province_id=org, path=path, built_at=built_at,
                  watermark=marks.get(org, 0))
        for org, path in tree.roots.items()
    )  # fmt: skip
    if provinces is None:
        snapshot.elsewhere = _elsewhere(marks, tree.roots)
        snapshot.save(update_fields=["elsewhere"])
    _sum_the_nation(snapshot, on)
    if provinces is None:
        database.analyze(ReportCount)
    return snapshot


def _sum_the_nation(snapshot: CountSnapshot, on: date) -> None:
    """The whole system's rows: the provinces' rows summed, and the provinces counted."""
    snapshot.rows.filter(organization__isnull=True).delete()
    nation: Counter = Counter()
    parts = list(snapshot.parts.values_list("province_id", flat=True))
    for dimension, value, n in snapshot.rows.filter(organization_id__in=parts).values_list(
        "dimension", "value", "n"
    ):
        nation[(dimension, value)] += n
    for (kind, gtype), n in _provinces_themselves(parts, on).items():
        nation[(ORGANIZATIONS, f"{kind}:{gtype}")] += n
    ReportCount.objects.bulk_create(
        ReportCount(snapshot=snapshot, organization=None, path="", dimension=dimension,
                    value=value, n=n)
        for (dimension, value), n in nation.items()
    )  # fmt: skip
    snapshot.members = sum(n for (dimension, _v), n in nation.items() if dimension == "status")
    snapshot.save(update_fields=["members"])


def _provinces_themselves(provinces, on: date) -> Counter:
    """(kind, grassroots type) → how many of the root organizations `provinces` were in
    force on `on`: the organizations the whole system counts beside their subtrees."""
    return Counter(
        (kind, gtype or "")
        for kind, gtype in OrganizationVersion.objects.filter(
            in_force(on), organization_id__in=provinces, parent__isnull=True
        ).values_list("kind", "organization__grassroots_type")
    )


def refresh() -> list[tuple[date, int]]:
    """Rebuild the stale parts of every snapshot — the provinces (and dates) whose counted
    rows changed, whoever changed them: (date, parts rebuilt) for each."""
    compact_changes()
    done = []
    for snapshot in CountSnapshot.objects.order_by("on"):
        stale = stale_provinces(snapshot)
        if stale == ALL:
            stale = set(snapshot.parts.values_list("province_id", flat=True))
            rebuild(snapshot.on)
        elif stale:
            rebuild(snapshot.on, sorted(stale))
        done.append((snapshot.on, len(stale)))
    return done


# ---------------------------------------------------------------- freshness


def watermarks(on: date) -> dict[int, int]:
    """Province id → its changes that can alter the counts of `on` (CountChange rows
    from a year up to `on`'s): recorded by the database's triggers, so any write counts,
    whatever made it. Equal to a part's `watermark`: nothing changed since it was built."""
    return dict(
        CountChange.objects.filter(since__lte=on)
        .values_list("province_id")
        .annotate(n=Sum("n"))
        .order_by()
    )


def changes_of(province_id: int | None) -> int:
    """How many changes the database's triggers recorded in the province (and in rows of no
    province), every year: it grows with any write of the counted tables there, by any path
    (the home page's panels key on it: core.dashboard.register_data_version)."""
    wanted = [0] if province_id is None else [province_id, 0]
    return CountChange.objects.filter(province_id__in=wanted).aggregate(n=Sum("n"))["n"] or 0


def _elsewhere(marks: dict[int, int], parts) -> int:
    return sum(n for province, n in marks.items() if province not in parts)


def stale_provinces(snapshot: CountSnapshot, parts: dict | None = None) -> set[int] | frozenset:
    """The provinces whose counts of the snapshot's date changed since their part was built
    (ALL: every one — a change in a province the snapshot has no part for)."""
    parts = _parts(snapshot) if parts is None else parts
    if not parts:
        return ALL
    marks = watermarks(snapshot.on)
    if _elsewhere(marks, parts) != snapshot.elsewhere:
        return ALL
    return {province for province, mark in parts.items() if marks.get(province, 0) != mark}


def _parts(snapshot: CountSnapshot) -> dict[int, int]:
    """Province id → its part's watermark."""
    return dict(snapshot.parts.values_list("province_id", "watermark"))


def compact_changes() -> int:
    """Fold the change rows into one per (province, year), keeping every sum (PostgreSQL,
    where each statement adds rows; on SQLite there is one row per key already). Rows a
    transaction still writes are not seen, hence untouched. Returns the rows removed."""
    if connection.vendor != "postgresql":
        return 0
    table = connection.ops.quote_name(CountChange._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"WITH gone AS (DELETE FROM {table} RETURNING province_id, since, n), "
            f"kept AS (INSERT INTO {table} (province_id, since, n) SELECT province_id, since, "
            "SUM(n) FROM gone GROUP BY 1, 2 RETURNING 1) "
            "SELECT (SELECT COUNT(*) FROM gone) - (SELECT COUNT(*) FROM kept)"
        )
        return cursor.fetchone()[0]


# ---------------------------------------------------------------- read


class _Served:
    """A snapshot that can serve a report: its parts, the stale ones, and a key for the
    cache that changes with every build of any part."""

    def __init__(self, snapshot: CountSnapshot, parts: dict, stale: set[int]):
        self.snapshot, self.parts, self.stale = snapshot, parts, stale
        self.key = (snapshot.pk, snapshot.built_at)

    def rows(self, organization_id: int | None) -> dict[str, dict]:
        return _summed(*self.key, organization_id)

    def provinces(self, *, fresh: bool) -> list[int]:
        return sorted(p for p in self.parts if (p in self.stale) != fresh)


SNAPSHOT_FIELDS = [field.attname for field in CountSnapshot._meta.concrete_fields]


def _parts_of(on: date):
    """The parts of the snapshot of `on`: each part's province and watermark, the snapshot,
    the changes of the part's province and the changes of every province the snapshot has
    no part for."""
    changes = CountChange.objects.filter(since__lte=on).order_by()
    total = Func(F("n"), function="SUM")  # over the whole filtered set: no GROUP BY
    parts_of_on = CountPart.objects.filter(snapshot__on=on).values("province_id")
    return (
        CountPart.objects.filter(snapshot__on=on)
        .annotate(
            mark=Subquery(
                changes.filter(province_id=OuterRef("province_id")).annotate(t=total).values("t")
            ),
            marks_elsewhere=Subquery(
                changes.exclude(province_id__in=parts_of_on).annotate(t=total).values("t")
            ),
        )
        .values_list(
            "province_id",
            "watermark",
            *(f"snapshot__{f}" for f in SNAPSHOT_FIELDS),
            "mark",
            "marks_elsewhere",
        )  # fmt: skip
    )


# Compiled once (lib.prepared): every page that shows a figure from the summary reads it.
_PARTS_OF = Prepared(_parts_of, on=date(1901, 2, 3))


def _resolve(on: date) -> tuple[CountSnapshot, dict, set[int]] | None:
    """The snapshot of `on`, its parts and its stale provinces; None when none can serve.

    One query (every page that shows a figure from the summary asks it): the snapshot's
    parts, each with the snapshot, the changes of its province and the changes of every
    province the snapshot has no part for — what `stale_provinces` reads in three."""
    using = router.db_for_read(CountPart)
    rows = _PARTS_OF.rows(using, on=on)
    if not rows:  # no snapshot, or one without parts: `stale_provinces` says ALL
        return None
    snapshot = CountSnapshot.from_db(using, SNAPSHOT_FIELDS, rows[0][2 : 2 + len(SNAPSHOT_FIELDS)])
    if (rows[0][-1] or 0) != snapshot.elsewhere:
        return None
    parts = {province: watermark for province, watermark, *_ in rows}
    stale = {province for province, watermark, *_, mark, _ in rows if (mark or 0) != watermark}
    return snapshot, parts, stale


class SnapshotReader:
    """Resolves the summary table's freshness once per date for as long as it lives (one
    request): every report and panel of a page that reads the same date shares the answer,
    instead of reading the snapshot, its parts and the changes again each time."""

    def __init__(self):
        self._resolved: dict[tuple[str, date], tuple | None] = {}
        self.memo: dict = {}  # figures computed once per reading (sources.movement_of)

    def resolve(self, on: date) -> tuple[CountSnapshot, dict, set[int]] | None:
        # Per database read from: the reports replica (core/routers.py) may lag the primary.
        key = (router.db_for_read(CountSnapshot), on)
        if key not in self._resolved:
            self._resolved[key] = _resolve(on)
        return self._resolved[key]


_reader: ContextVar[SnapshotReader | None] = ContextVar("snapshot_reader", default=None)


@contextmanager
def one_reading() -> Iterator[SnapshotReader]:
    """Within this block the freshness of each date is resolved once (nested: the outer
    reader). Entered per request by `SnapshotReaderMiddleware` (reads only)."""
    current = _reader.get()
    if current is not None:
        yield current
        return
    token = _reader.set(SnapshotReader())
    try:
        yield _reader.get()
    finally:
        _reader.reset(token)


def reading_memo() -> dict | None:
    """The current reading's memo (None outside `one_reading`)."""
    reader = _reader.get()
    return reader.memo if reader is not None else None


def _served(root, on: date) -> _Served | None:
    """The snapshot of `on` when it can serve `root` (None: the whole system), else None."""
    reader = _reader.get()
    resolved = reader.resolve(on) if reader is not None else _resolve(on)
    if resolved is None:
        return None
    snapshot, parts, stale = resolved
    if root is not None:
        version = version_of(organization=root, on=on)
        if version is None or version.kind not in ABOVE_GRASSROOTS_KINDS:
            return None
        if version.province_id not in parts or version.province_id in stale:
            return None
    return _Served(snapshot, parts, stale)


def snapshot_counts(root, on: date) -> dict[str, Counter] | None:
    """Dimension → value → members under `root` (None: the whole system) on `on`, from a
    fresh snapshot; or None (then count live). For the whole system with some provinces
    stale: the fresh provinces' rows plus the stale ones counted live."""
    served = _served(root, on)
    if served is None:
        return None
    if root is not None or not served.stale:
        rows = served.rows(root.pk if root else None)
        return {d: Counter(v) for d, v in rows.items() if d != ORGANIZATIONS}
    profile: dict[str, Counter] = defaultdict(Counter)
    for province in served.provinces(fresh=True):
        for dimension, values in served.rows(province).items():
            if dimension != ORGANIZATIONS:
                profile[dimension].update(values)
    for province in Organization.objects.filter(pk__in=served.provinces(fresh=False)):
        for dimension, values in live.member_profile(province, on, AGE_BANDS).items():
            profile[dimension].update(values)
    return dict(profile)


def snapshot_organizations(root, on: date) -> Counter | None:
    """(kind, grassroots type) → organizations under `root` (None: the whole system) on
    `on`, root excluded, from a fresh snapshot; or None (then count live)."""
    served = _served(root, on)
    if served is None:
        return None
    if root is not None or not served.stale:
        return _organization_counter(served.rows(root.pk if root else None))
    total: Counter = Counter()
    for province in served.provinces(fresh=True):
        total.update(_organization_counter(served.rows(province)))
    for province in Organization.objects.filter(pk__in=served.provinces(fresh=False)):
        total.update(live.organization_counts(province, on))
    total.update(_provinces_themselves(list(served.parts), on))
    return total


def snapshot_organizations_of(versions, on: date) -> dict[int, tuple[int, int, int]]:
    """(grassroots, under the grassroots, all) organizations under each of `versions`'
    organizations (above the grassroots; itself excluded) on `on`, from a fresh snapshot:
    only the ones whose province is fresh (organizations.hooks.subtree_organizations). One
    query, summed in the database: one row per organization, not one per kind and type."""
    reader = _reader.get()
    resolved = reader.resolve(on) if reader is not None else _resolve(on)
    if resolved is None:
        return {}
    snapshot, parts, stale = resolved
    found: dict[int, tuple[int, int, int]] = {
        v.organization_id: (0, 0, 0)
        for v in versions
        if v.kind in ABOVE_GRASSROOTS_KINDS and v.province_id in parts
        and v.province_id not in stale
    }  # fmt: skip
    found.update(_organizations_summed(snapshot.pk, snapshot.built_at, tuple(found)))
    return found


@lru_cache(maxsize=256)
def _organizations_summed(
    snapshot_id: int, built_at, ids: tuple[int, ...]
) -> dict[int, tuple[int, int, int]]:
    """`snapshot_organizations_of`'s figures of `ids` in a snapshot as it was built, cached
    as `_summed` is (per snapshot, latest build of any of its parts, and organizations): the
    snapshot's rows do not change until its next build, and its freshness is resolved at
    every reading before these are used."""
    found = {}
    for start in range(0, len(ids), 2000):  # under every database's limit of parameters
        rows = (
            ReportCount.objects.filter(
                snapshot_id=snapshot_id,
                organization_id__in=ids[start : start + 2000],
                dimension=ORGANIZATIONS,
            )
            .values("organization_id")
            .annotate(
                grassroots=Sum("n", filter=_of_kinds(GRASSROOTS_KINDS)),
                under=Sum("n", filter=_of_kinds(UNDER_GRASSROOTS_KINDS)),
                all=Sum("n"),
            )
            .values_list("organization_id", "grassroots", "under", "all")
            .order_by()
        )
        for pk, grassroots, under, total in rows:
            found[pk] = (grassroots or 0, under or 0, total or 0)
    return found


def _of_kinds(kinds) -> Q:
    """The rows of the `ORGANIZATIONS` dimension (value "kind:grassroots type") of `kinds`."""
    return Q(*(Q(value__startswith=f"{kind}:") for kind in kinds), _connector=Q.OR)


def _organization_counter(rows: dict[str, dict]) -> Counter:
    values = rows.get(ORGANIZATIONS, {})
    return Counter({tuple(key.split(":", 1)): n for key, n in values.items()})


@lru_cache(maxsize=256)
def _summed(snapshot_id: int, built_at, organization_id: int | None) -> dict[str, dict]:
    """Cached per snapshot, latest build of any of its parts, and organization."""
    rows = ReportCount.objects.filter(snapshot_id=snapshot_id, organization_id=organization_id)
    result: dict[str, dict] = {}
    for dimension, value, n in rows.values_list("dimension", "value", "n"):
        result.setdefault(dimension, {})[value] = n
    return result
