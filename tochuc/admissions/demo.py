"""Admissions in the demo province: candidates at every stage, the annual targets, and
deadlines due and overdue today.

Called once by `tochuc demo` after the member registry is built (`build` below, a step
of `tochuc.demo.builders.STEPS`). Candidates are bulk-created with dates that obey the
rules (age, introducers full members who worked with them over a year, 2/3 of the cell,
decisions within the working days). The member registry's own probationary members are
those whose probation ends soon (the demo adds no members: its figures stay the registry's).
Targets are set from the admissions the demo actually holds, year by year, for the province
and handed down to its children and theirs, each level adding up to the one above: the
achievement reads like the reports' (102% in 2020).
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from datetime import date, timedelta
from typing import Protocol

from tochuc.lib.dates import add_months
from tochuc.lib.vntext import fold, person_sort_key
from tochuc.members.models import Member, Status
from tochuc.organizations.models import Kind, Organization
from tochuc.policy.rules import policy_for

from . import selectors, services
from .models import (
    AdmissionTarget,
    Candidate,
    CandidateStep,
    Introducer,
    Stage,
    UnionKind,
)

CELL_KINDS = (Kind.CELL, Kind.BASE_CELL)
TARGET_YEARS_FROM = 2019
# The province's achievement in the years its reports give (DESIGN §1: "2,053 of 2,013 =
# 102%" in 2020): its target is set so that the demo's own admissions give the same rate.
REPORTED = {2020: 2053 / 2013}
STAGES = [
    Stage.IDENTIFIED,
    Stage.TRAINED,
    Stage.APPLIED,
    Stage.INTRODUCED,
    Stage.VERIFIED,
    Stage.CELL_APPROVED,
    Stage.COMMITTEE_APPROVED,
    Stage.DECIDED,
]
# How far apart the steps are (calendar days, drawn between the two bounds).
GAPS = {
    Stage.TRAINED: (20, 90),
    Stage.APPLIED: (5, 30),
    Stage.INTRODUCED: (3, 20),
    Stage.VERIFIED: (15, 45),
    Stage.CELL_APPROVED: (7, 25),
    Stage.COMMITTEE_APPROVED: (3, 15),
    Stage.DECIDED: (10, 40),
}
# In the demo accounts' cells: (stage, days ago) of the last step, so that today a decision
# is overdue (60 working days ≈ 84 days) and one due, a ceremony overdue (30 working days ≈
# 42 days) and one due.
FOCUS_DEADLINES = (
    (Stage.CELL_APPROVED, 100), (Stage.COMMITTEE_APPROVED, 70), (Stage.DECIDED, 55),
    (Stage.DECIDED, 25),
)  # fmt: skip
OCCUPATIONS = (
    "Giáo viên",
    "Nông dân",
    "Công chức",
    "Viên chức y tế",
    "Người lao động",
    "Đoàn viên thanh niên",
    "Công an nhân dân",
    "Quân nhân",
)


# ---------------------------------------------------------------- targets


def admissions_as_they_stood(province: Organization, year: int) -> Counter[tuple]:
    """(child, grandchild) → the year's admission decisions, each counted where its cell
    stood on the decision day (as every report counts: a district dissolved since still
    has its admissions); grandchild None: decided in a cell directly under the child."""
    from tochuc.statistics.sources import Span, admissions_in

    start, end = date(year, 1, 1), date(year, 12, 31)
    span = Span(province, start, end)
    counts: Counter[tuple] = Counter()
    for org_id, day, n in admissions_in(span, start, end):
        chain = span.below(org_id, day)
        if chain:
            counts[(chain[0], chain[1] if len(chain) > 1 else None)] += n
    return counts


def _shares(total: int, weights: dict[int, int]) -> dict[int, int]:
    """`total` divided in proportion to `weights`, adding up to `total` exactly (largest
    remainders), as a committee hands a target down; a share of 0 is no target."""
    whole = sum(weights.values())
    if not whole:
        return {}
    exact = {k: total * w / whole for k, w in weights.items()}
    shares = {k: int(v) for k, v in exact.items()}
    left = total - sum(shares.values())
    for k in sorted(exact, key=lambda k: (int(exact[k]) - exact[k], k))[:left]:
        shares[k] += 1
    return {k: n for k, n in shares.items() if n}


def seed_targets(province: Organization, *, today: date, rng: random.Random) -> int:
    """Targets for each demo year, handed down as committees do: the province's (from
    above, near what the demo admitted; the current year's scaled to a whole year), divided
    among the children that admitted members that year, and each child's among its own
    (grassroots organizations, which plan the admissions). Each level's targets add up to
    the target of the level above; an organization that admitted nobody (or whose share
    rounds to nothing) is given none (its report reads "chưa giao chỉ tiêu")."""
    rows = []
    for year in range(TARGET_YEARS_FROM, today.year + 1):
        counts = admissions_as_they_stood(province, year)
        admitted = sum(counts.values())
        if not admitted:
            continue
        share = 1.0
        if year == today.year:
            share = (today - date(year, 1, 1)).days / 365 or 1 / 365
        if year in REPORTED:
            target = round(admitted / REPORTED[year])
        else:
            target = max(1, round(admitted / share / rng.uniform(0.95, 1.06)))
        given = Counter({province.pk: target})
        by_child: dict[int, Counter] = defaultdict(Counter)
        for (child, grandchild), n in counts.items():
            by_child[child][grandchild] += n
        children = _shares(target, {c: sum(g.values()) for c, g in by_child.items()})
        for child, child_target in children.items():
            given[child] += child_target
            below = {g: n for g, n in by_child[child].items() if g is not None}
            direct = by_child[child].get(None, 0)
            if below and not direct:
                for grandchild, n in _shares(child_target, below).items():
                    given[grandchild] += n  # one moved between children (2025): both shares
        rows += [
            AdmissionTarget(organization_id=pk, year=year, target=n) for pk, n in given.items()
        ]
    AdmissionTarget.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


# ---------------------------------------------------------------- candidates


class PersonNames(Protocol):
    """The demo's name generator (the demo package passes `tochuc.demo.builders.names`)."""

    def ETHNICITY(self, rng: random.Random) -> str: ...

    def full_name(self, rng: random.Random, *, gender: str, ethnicity: str, born: int) -> str: ...


def _record(rng: random.Random, today: date, names: PersonNames) -> dict:
    gender = rng.choice(("male", "female"))
    ethnicity = names.ETHNICITY(rng)
    born = date(today.year - rng.randint(19, 34), rng.randint(1, 12), rng.randint(1, 28))
    return {
        "full_name": names.full_name(rng, gender=gender, ethnicity=ethnicity, born=born.year),
        "gender": gender,
        "birth_date": born,
        "ethnicity": ethnicity,
        "occupation": rng.choice(OCCUPATIONS),
        "general_education": "12/12",
    }


def _dates(stage: str, last: date, rng: random.Random) -> dict[str, date]:
    """Each step's date up to `stage`, the last one on `last`, walking back by the gaps."""
    steps = STAGES[: STAGES.index(stage) + 1]
    dates = {steps[-1]: last}
    for before, after in zip(reversed(steps[:-1]), reversed(steps[1:]), strict=True):
        low, high = GAPS[after]
        dates[before] = dates[after] - timedelta(days=rng.randint(low, high))
    return dates


def _candidate(cell, record, stage, dates, full, introducers, rng) -> tuple:
    c = Candidate(
        **record,
        cell=cell,
        stage=stage,
        stage_on=dates[stage],
        identified_on=dates[Stage.IDENTIFIED],
        org_path=cell.path,
        province_id=cell.province_id,
        name_folded=fold(record["full_name"]),
        name_sort=person_sort_key(record["full_name"]),
    )
    if Stage.TRAINED in dates:
        c.course_certificate_no = f"{rng.randint(10, 480)}-GCN/TTCT"
        c.course_on = dates[Stage.TRAINED]
    c.applied_on = dates.get(Stage.APPLIED)
    if Stage.VERIFIED in dates:
        c.verified_on, c.verification_note = dates[Stage.VERIFIED], "Lý lịch rõ ràng"
    if Stage.CELL_APPROVED in dates:
        c.cell_resolved_on = dates[Stage.CELL_APPROVED]
        c.cell_resolution_no = f"{rng.randint(1, 30):02d}-NQ/CB"
        c.cell_full_members = full
        c.votes_for = rng.randint(services.votes_needed(full, policy_for(c.cell_resolved_on)), full)
        c.votes_against = full - c.votes_for
    if Stage.COMMITTEE_APPROVED in dates and cell.kind == Kind.CELL:
        c.committee_resolved_on = dates[Stage.COMMITTEE_APPROVED]
        c.committee_resolution_no = f"{rng.randint(1, 90)}-NQ/ĐU"
    if Stage.DECIDED in dates:
        c.decided_on = dates[Stage.DECIDED]
        c.decision_no = f"{rng.randint(100, 999)}-QĐ/ĐU"
    return c, dates, introducers


def seed_candidates(
    province: Organization,
    *,
    today: date,
    rng: random.Random,
    focus: list[Organization],
    per_province: int,
    names: PersonNames,
) -> list[Candidate]:
    """Candidates at every stage in cells with enough full members, dated back from today:
    cell resolutions waiting for their decision and decisions waiting for their ceremony,
    some still in time, some overdue."""
    members = defaultdict(list)
    for cell_id, pk, confirmed_on in Member.objects.filter(
        province=province,
        status=Status.FULL,
        organization__kind__in=CELL_KINDS,
        organization__ended_on__isnull=True,
    ).values_list("organization_id", "pk", "confirmed_on"):
        members[cell_id].append((pk, confirmed_on))
    eligible = sorted(cell for cell, found in members.items() if len(found) >= 3)
    chosen = rng.sample(eligible, min(per_province, len(eligible)))
    cells = {c.pk: c for c in Organization.objects.filter(pk__in={*chosen, *(f.pk for f in focus)})}
    plan = [(cells[pk], rng.choice(STAGES), None) for pk in chosen]
    for cell in focus:  # every stage in the demo accounts' cells, and deadlines near today
        plan += [(cells[cell.pk], stage, None) for stage in STAGES]
        plan += [(cells[cell.pk], stage, days) for stage, days in FOCUS_DEADLINES]
    made = []
    for cell, stage, days in plan:
        if not members[cell.pk]:
            continue
        if days is not None:
            last = today - timedelta(days=days)
        elif stage in (Stage.CELL_APPROVED, Stage.COMMITTEE_APPROVED):
            last = today - timedelta(days=rng.randint(20, 110))  # decision due ≈ 84 days on
        elif stage == Stage.DECIDED:
            last = today - timedelta(days=rng.randint(5, 55))  # ceremony due ≈ 42 days on
        else:
            last = today - timedelta(days=rng.randint(0, 60))
        dates = _dates(stage, last, rng)
        if stage == Stage.COMMITTEE_APPROVED and cell.kind == Kind.BASE_CELL:
            dates[Stage.COMMITTEE_APPROVED] = dates[Stage.CELL_APPROVED]
        if dates[Stage.IDENTIFIED] < cell.founded_on:
            continue
        full = 0
        if Stage.CELL_APPROVED in dates:
            full = selectors.full_members_on(cell, dates[Stage.CELL_APPROVED]).count()
            if not full:
                continue
        introduced = dates.get(Stage.INTRODUCED)
        pool = [
            pk
            for pk, confirmed in members[cell.pk]
            if introduced and confirmed and confirmed <= introduced
        ]
        if introduced and not pool:
            continue
        record = _record(rng, today, names)
        # Two full members; where the cell has only one, the Youth Union's committee for a
        # candidate of youth age (the rules allow one introducer to be replaced so).
        introducers = rng.sample(pool, min(2, len(pool))) if introduced else []
        if introduced and len(introducers) == 1:
            introducers.append(UnionKind.YOUTH)
            record["birth_date"] = record["birth_date"].replace(
                year=today.year - rng.randint(19, 26)
            )
        made.append(_candidate(cell, record, stage, dates, full, introducers, rng))
    Candidate.objects.bulk_create([c for c, _d, _i in made], batch_size=1000)
    steps, introducers = [], []
    for c, dates, chosen_introducers in made:
        for stage, on in dates.items():
            steps.append(
                CandidateStep(candidate=c, stage=stage, on=on, document_no=_document(c, stage))
            )
        for pk in chosen_introducers:
            if pk == UnionKind.YOUTH:
                introducers.append(
                    Introducer(
                        candidate=c,
                        union=UnionKind.YOUTH,
                        union_resolution_no=f"{rng.randint(1, 20):02d}-NQ/ĐTN",
                        introduced_on=dates[Stage.INTRODUCED],
                    )
                )
                continue
            worked = add_months(dates[Stage.INTRODUCED], -rng.randint(13, 60))
            introducers.append(
                Introducer(
                    candidate=c,
                    member_id=pk,
                    worked_with_from=worked,
                    introduced_on=dates[Stage.INTRODUCED],
                )
            )
    CandidateStep.objects.bulk_create(steps, batch_size=2000)
    Introducer.objects.bulk_create(introducers, batch_size=2000)
    return [c for c, _d, _i in made]


def _document(c: Candidate, stage: str) -> str:
    return {
        Stage.TRAINED: c.course_certificate_no,
        Stage.CELL_APPROVED: c.cell_resolution_no,
        Stage.COMMITTEE_APPROVED: c.committee_resolution_no,
        Stage.DECIDED: c.decision_no,
    }.get(stage, "")


def seed_admissions(
    province: Organization,
    *,
    today: date,
    rng: random.Random,
    names: PersonNames,
    focus: list[Organization] = (),
    small: bool = False,
) -> dict:
    seed_candidates(
        province, today=today, rng=rng, focus=list(focus), per_province=30 if small else 400,
        names=names,
    )  # fmt: skip
    targets = seed_targets(province, today=today, rng=rng)
    stages = Counter(Candidate.objects.filter(province=province).values_list("stage", flat=True))
    return {
        "candidates": sum(stages.values()),
        "targets": targets,
        "stages": stages,
    }


def build(ctx) -> None:
    """The demo step: after the registry and the accounts, with the demo cells in focus."""
    from django.utils import timezone

    province = ctx.registry.get("province")
    focus = [ctx.registry.get(name) for name in ("cell",) if name in ctx.registry]
    made = seed_admissions(
        province,
        today=timezone.localdate(),
        rng=random.Random(f"{ctx.seed}-admissions"),
        names=ctx.names,
        focus=focus,
        small=ctx.small,
    )
    candidates, targets = (f"{made[k]:,}".replace(",", ".") for k in ("candidates", "targets"))
    ctx.write(
        f"  {candidates} quần chúng đang xem xét hoặc đã kết nạp; {targets} chỉ tiêu kết nạp."
    )
