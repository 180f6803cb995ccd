"""A full scan of an organization's subtree: every record checked against the rules
(`rules.py`) and compared for duplicates (`duplicates.py`), in bulk.

`scan_run` reads the members of the subtree once (a few columns), the events that matter
(deaths, and what follows them), the organizations (ended ones, the tree for the scores)
and the open temporary transfers; finds the problems in memory; then replaces the previous
problems of the subtree, adds the new suspected pairs (a pair already known, in any state,
is left as it is: "not the same person" is never suggested again; an open pair no longer
found is dropped), and stores a score per organization of the subtree for this scan (the
trend). Re-running it on unchanged data changes nothing but the scan's own rows.
"""

from __future__ import annotations

import gc
import json
import time
from collections import Counter, defaultdict
from datetime import date

from django.db import connection, transaction
from django.db.models import JSONField, Q, Value
from django.utils import timezone

from tochuc.core import audit
from tochuc.lib import paths
from tochuc.lib.dates import add_months
from tochuc.lib.rows import Table
from tochuc.members.models import ACTIVE_STATUSES, Member, MemberEvent, Status
from tochuc.organizations.models import Organization
from tochuc.policy.acts import probation_ends
from tochuc.policy.rules import PolicyLookup, policy_for
from tochuc.transfers.models import Transfer

from . import duplicates
from .models import DuplicatePair, OrgScore, Problem, Scan
from .rules import MISSING

T = MemberEvent.Type
BATCH = 2000


class _Found:
    """Problems by member: {member pk: {kind: detail}}."""

    def __init__(self):
        self.by_member: dict[int, dict[str, dict]] = defaultdict(dict)

    def add(self, pk: int, kind: str, **detail) -> None:
        self.by_member[pk][kind] = detail


def _check_records(root: str, today: date, found: _Found) -> tuple[dict[int, tuple], list]:
    """The rules on each member's own fields, in one read of the subtree's members that also
    gives the duplicate search its records; returns the active members {pk: (org, path,
    the kinds of missing fields)} and the records (`duplicates.Record`, every status). The
    missing fields are only counted here (for the scores); their problems are written by
    the database itself (`_write_missing`), from the same condition."""
    policy = policy_for(today)
    required = tuple(policy.quality_required_fields)
    policy_on = PolicyLookup()
    overdue = policy.quality_probation_overdue_months
    active: dict[int, tuple] = {}
    records: list[duplicates.Record] = []
    extra = [name for name in ("status", "ceremony_on", *required)
             if name not in duplicates.FIELDS]  # fmt: skip
    names = [*duplicates.FIELDS, *extra]
    at = {name: i for i, name in enumerate(names)}
    status_at, ceremony_at = at["status"], at["ceremony_on"]
    required_at = [(MISSING + field, at[field]) for field in required]
    width = len(duplicates.FIELDS)
    Record = duplicates.Record
    shared: dict[tuple, tuple] = {}  # one tuple per combination of missing fields
    rows = (
        Member.objects.filter(paths.under("org_path", root))
        .order_by()
        .values_list(*names)
        .iterator(chunk_size=10000)
    )
    for row in rows:
        records.append(Record(*row[:width]))
        status = row[status_at]
        if status not in ACTIVE_STATUSES:
            continue
        pk, org_id, org_path, born, admitted = row[0], row[9], row[10], row[3], row[8]
        missing = tuple([kind for kind, index in required_at if not row[index]])
        active[pk] = (org_id, org_path, shared.setdefault(missing, missing))
        if add_months(born, policy_on(admitted).admission_min_age_months) > admitted:
            found.add(pk, "under_age", born=str(born), admitted=str(admitted))
        if status == Status.PROBATIONARY:
            ends = probation_ends(row[ceremony_at] or admitted, policy_on)
            if add_months(ends, overdue) < today:
                found.add(pk, "probation_overdue", ends=str(ends))
    return active, records


def _candidates(root: str) -> list:
    """The candidates of the subtree still in the admission process (not yet members)."""
    from tochuc.admissions.models import IN_PROGRESS, Candidate

    rows = (
        Candidate.objects.filter(
            paths.under("org_path", root), member__isnull=True, stage__in=IN_PROGRESS
        )  # fmt: skip
        .order_by()
        .values_list(*duplicates.CANDIDATE_FIELDS)
    )
    return [duplicates.Record(*row, kind="candidate") for row in rows.iterator(chunk_size=5000)]


def _check_timelines(root: str, today: date, active: dict, found: _Found) -> None:
    died = dict(
        MemberEvent.objects.filter(type=T.DIED)
        .filter(paths.under("member__org_path", root))
        .values_list("member_id", "on")
    )
    if died:
        later = MemberEvent.objects.filter(member_id__in=list(died)).exclude(type=T.DIED)
        for member_id, on, type_ in later.values_list("member_id", "on", "type"):
            if on > died[member_id]:
                found.add(member_id, "after_death", on=str(on), type=type_)
    ended = set(
        Organization.objects.filter(paths.under("path", root), ended_on__lte=today).values_list(
            "pk", flat=True
        )
    )
    for pk, (org_id, _path, _missing) in active.items():
        if org_id in ended:
            found.add(pk, "ended_organization")
    months = policy_for(today).quality_temporary_overdue_months
    stale = Transfer.objects.filter(
        paths.under("member__org_path", root),
        kind=Transfer.Kind.TEMPORARY,
        state__in=(Transfer.State.ISSUED, Transfer.State.RECEIVED),
        ends_on__lt=add_months(today, -months),
    )
    for member_id, ends_on, letter in stale.values_list("member_id", "ends_on", "letter_no"):
        if member_id in active:
            found.add(member_id, "temporary_overdue", ends=str(ends_on), letter=letter)


def _sync_pairs(root: str, today: date, found: _Found, records: list, candidates: list) -> int:
    """Store the pairs found that are new; drop open pairs of the subtree no longer found.
    A pair is keyed by (what its second record is, first pk, second pk): two members, or a
    member and a candidate (`candidates`, compared with the members only)."""
    threshold = policy_for(today).quality_duplicate_min_score
    keyed = duplicates.index(records)
    matches = {("member", *key): m for key, m in
               duplicates.find(records, min_score=threshold, keyed=keyed).items()}  # fmt: skip
    if candidates:
        across = duplicates.find_candidates(keyed, candidates, min_score=threshold)
        matches.update((("candidate", *key), m) for key, m in across.items())
    del keyed
    under = paths.under("org_path", root) | paths.under("other_path", root)
    known = DuplicatePair.objects.filter(under).values_list(
        "first_id", "second_pk", "candidate_id", "state", "pk", "org_path", "other_path"
    )
    by_key = {("candidate" if c else "member", f, s): (state, pk, (a, b))
              for f, s, c, state, pk, a, b in known}  # fmt: skip
    gone = [pk for key, (state, pk, _p) in by_key.items()
            if state == DuplicatePair.State.OPEN and key not in matches]  # fmt: skip
    DuplicatePair.objects.filter(pk__in=gone).delete()
    moved = [
        DuplicatePair(pk=pk, org_path=m.first.org_path, other_path=m.second.org_path)
        for key, m in matches.items()
        if key in by_key
        for _state, pk, stored in [by_key[key]]
        if stored != (m.first.org_path, m.second.org_path)
    ]  # a record moved since the pair was found: the pair follows it
    DuplicatePair.objects.bulk_update(moved, ["org_path", "other_path"], batch_size=BATCH)
    DuplicatePair.objects.bulk_create(
        [
            DuplicatePair(
                first_id=m.first.pk,
                second_id=m.second.pk if kind == "member" else None,
                second_pk=m.second.pk,
                candidate_id=m.second.pk if kind == "candidate" else None,
                org_path=m.first.org_path,
                other_path=m.second.org_path,
                score=m.score,
                evidence=m.evidence,
                state=DuplicatePair.State.OPEN,
            )  # fmt: skip
            for (kind, *_pks), m in matches.items()
            if (kind, *_pks) not in by_key
        ],
        batch_size=BATCH,
    )
    open_pairs = DuplicatePair.objects.filter(under, state=DuplicatePair.State.OPEN).values_list(
        "first_id", "second_id"
    )
    count = 0
    for first, second in open_pairs:
        count += 1
        for pk in (first, second):
            if pk is not None:  # a candidate's pair: its member only
                found.add(pk, "duplicate")
    return count


def scores(root: Organization, active: dict, found: _Found) -> list[OrgScore]:
    """A score per organization of the subtree: active records under it, those with no
    problem, and the count of each kind of problem."""
    orgs = dict(
        Organization.objects.filter(paths.under("path", root.path)).values_list("path", "pk")
    )
    parents = dict(
        Organization.objects.filter(paths.under("path", root.path)).values_list("pk", "parent_id")
    )
    # First by the records' own paths (a few dozen records share each), then up the tree.
    own_records: Counter = Counter()
    own_clean: Counter = Counter()
    own_kinds: dict[str, Counter] = defaultdict(Counter)
    by_member = found.by_member
    for pk, (_org, path, missing) in active.items():
        own_records[path] += 1
        problems = by_member.get(pk)
        if problems:
            own_kinds[path].update(problems.keys())
            if missing:
                own_kinds[path].update(missing)
        elif missing:
            own_kinds[path].update(missing)
        else:
            own_clean[path] += 1
    records: Counter = Counter()
    clean: Counter = Counter()
    kinds: dict[int, Counter] = defaultdict(Counter)
    cut = len(root.path)
    for path, count in own_records.items():
        prefixes = [path[: i + 1] for i in range(cut - 1, len(path)) if path[i] == "/"]
        for prefix in prefixes:
            org = orgs.get(prefix)
            if org is None:
                continue
            records[org] += count
            clean[org] += own_clean[path]
            if path in own_kinds:
                kinds[org].update(own_kinds[path])
    return [
        OrgScore(
            organization_id=org,
            parent_id=parents.get(org) if org != root.pk else None,
            records=records[org],
            clean=clean[org],
            by_kind=dict(kinds[org]),
        )  # fmt: skip
        for org in records
    ]


def _write_problems(scan: Scan, active: dict, found: _Found) -> None:
    """The problems found in memory, in plain multi-row inserts (`lib.rows.Table`: COPY on
    PostgreSQL); the missing fields, by far the most, by `_write_missing`."""
    table = Table(Problem, with_pk=False, now=timezone.now(), constants={"scan_id": scan.pk},
                  ready=("detail",))  # fmt: skip
    empty = json.dumps({})
    rows = [
        {"member_id": pk, "organization_id": active[pk][0], "org_path": active[pk][1],
         "kind": kind, "detail": json.dumps(detail) if detail else empty}
        for pk, problems in found.by_member.items()
        if pk in active
        for kind, detail in problems.items()
    ]  # fmt: skip
    for start in range(0, len(rows), BATCH * 10):
        table.insert(rows[start : start + BATCH * 10])


def _write_missing(scan: Scan, root: str, today: date) -> None:
    """A problem per active member of the subtree and required field it lacks, written by
    the database (INSERT … SELECT, one per field): a province whose records lack a field
    holds one row per record, and none of them needs to pass through Python. The condition
    is `_check_records`'s: the field empty (or null)."""
    quote = connection.ops.quote_name
    problem = Problem._meta
    columns = ", ".join(quote(problem.get_field(name).column)
                        for name in ("scan", "member", "organization", "org_path", "kind",
                                     "detail"))  # fmt: skip
    active = Member.objects.filter(paths.under("org_path", root), status__in=ACTIVE_STATUSES)
    with connection.cursor() as cursor:
        for field in policy_for(today).quality_required_fields:
            empty = Q(**{f"{field}__isnull": True})
            if Member._meta.get_field(field).empty_strings_allowed:
                empty |= Q(**{field: ""})
            select = (
                active.filter(empty)
                .order_by()
                .values_list(
                    Value(scan.pk),
                    "pk",
                    "organization_id",
                    "org_path",
                    Value(MISSING + field),
                    Value({}, output_field=JSONField()),
                )  # fmt: skip
            )
            sql, params = select.query.sql_with_params()
            cursor.execute(f"INSERT INTO {quote(problem.db_table)} ({columns}) {sql}", params)


def scan_run(scan: Scan, *, with_candidates: bool = True) -> Scan:
    """Run `scan` (state queued → running → done); the caller holds no transaction.
    `with_candidates=False`: members among themselves only (what the scan compared before
    candidates were added; the bench's check that a change finds the same)."""
    started = time.perf_counter()
    Scan.objects.filter(pk=scan.pk).update(state=Scan.State.RUNNING)
    root = scan.organization
    today = scan.on
    found = _Found()
    # Hundreds of thousands of records and keys held at once: the cyclic collector would
    # walk them again and again while they are built (a third of the scan's time) and
    # has nothing to find in them; it runs again at the end.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _run(scan, root, today, found, started, with_candidates)
    finally:
        if collecting:
            gc.enable()


def _run(scan: Scan, root, today: date, found: _Found, started: float, with_candidates: bool):
    active, records = _check_records(root.path, today, found)
    candidates = _candidates(root.path) if with_candidates else []
    _check_timelines(root.path, today, active, found)
    with transaction.atomic():
        pairs = _sync_pairs(root.path, today, found, records, candidates)
        del records, candidates
        Problem.objects.filter(paths.under("org_path", root.path)).delete()
        _write_problems(scan, active, found)
        _write_missing(scan, root.path, today)
        rows = scores(root, active, found)
        for row in rows:
            row.scan = scan
        OrgScore.objects.bulk_create(rows, batch_size=BATCH)
        scan.state = Scan.State.DONE
        scan.records = len(active)
        scan.problems = sum(
            1 for pk, (_o, _p, missing) in active.items() if missing or pk in found.by_member
        )
        scan.pairs = pairs
        scan.finished_at = timezone.now()
        scan.seconds = round(time.perf_counter() - started, 2)
        scan.save()
        audit.record(
            "tochuc.job.quality_scanned", obj=root, scan=scan.pk, records=scan.records,
            problems=scan.problems, pairs=pairs, seconds=scan.seconds,
        )  # fmt: skip
    return scan
