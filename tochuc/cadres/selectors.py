"""Reads of cadre work, always through the caller's scope (by the managing committee's or
the agency's organization path) and below one organization."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Q, QuerySet, Sum

from tochuc.committees.selectors import posts_of_member
from tochuc.lib import vntext
from tochuc.lib.paths import under
from tochuc.organizations.models import Organization
from tochuc.policy.rules import policy_for

from .criteria import planning_failures, rating_levels, retirement_of, unrated_years
from .models import (
    Agency,
    Cadre,
    PlannedPosition,
    PlanningEntry,
    Position,
    Reduction,
    Rotation,
    StaffingQuota,
)


def _below(qs: QuerySet, *, scope, organization: Organization, field: str) -> QuerySet:
    """Rows of `organization`'s subtree by `field`'s path, in the scope (None: the caller
    has checked the scope on `organization`, e.g. the report engine)."""
    if scope is not None:
        qs = scope.filter_by_path(qs, f"{field}__path")
    return qs.filter(under(f"{field}__path", organization.path))


def cadres_under(*, scope, organization: Organization) -> QuerySet[Cadre]:
    return _below(Cadre.objects.all(), scope=scope, organization=organization, field="committee")


def cadre_list(*, scope, organization: Organization, text: str = "") -> QuerySet[Cadre]:
    qs = cadres_under(scope=scope, organization=organization).select_related("committee")
    if text:
        qs = qs.filter(name_folded__contains=vntext.fold(text))
    return qs.order_by("name_sort", "id")


def cadre_get(*, scope, pk: int) -> Cadre:
    from django.shortcuts import get_object_or_404

    qs = scope.filter_by_path(
        Cadre.objects.select_related("committee", "member"), "committee__path"
    )
    return get_object_or_404(qs, pk=pk)


def planned_position_get(*, scope, pk: int) -> PlannedPosition:
    from django.shortcuts import get_object_or_404

    qs = scope.filter_by_path(
        PlannedPosition.objects.select_related("committee"), "committee__path"
    )
    return get_object_or_404(qs, pk=pk)


def current_positions(cadre: Cadre) -> list[Position]:
    return [p for p in cadre.positions.all() if p.ends_on is None]


# ---------------------------------------------------------------- what is due


def reappointments_due(*, scope, organization: Organization, on: date) -> list[Position]:
    """Appointed positions still held whose term ends within the policy's notice (or has
    ended without a re-appointment), soonest first; not those whose term ends with the
    cadre's retirement (nothing to re-appoint: they retire)."""
    policy = policy_for(on)
    qs = _below(Position.objects.all(), scope=scope, organization=organization,
                field="cadre__committee")  # fmt: skip
    qs = (
        qs.filter(ends_on__isnull=True, term_ends_on__isnull=False,
                  term_ends_on__lte=on + timedelta(days=policy.reappointment_notice_days))
        .select_related("cadre", "agency")
        .order_by("term_ends_on", "cadre__name_sort", "id")
    )  # fmt: skip
    return [p for p in qs if p.term_ends_on < retirement_of(p.cadre, policy)]


def rotations_due_back(*, scope, organization: Organization, on: date) -> QuerySet[Rotation]:
    """Rotations not returned whose planned end falls within the notice (or has passed)."""
    days = policy_for(on).reappointment_notice_days
    qs = _below(Rotation.objects.all(), scope=scope, organization=organization,
                field="cadre__committee")  # fmt: skip
    return (
        qs.filter(returned_on__isnull=True, due_back_on__lte=on + timedelta(days=days))
        .select_related("cadre")
        .order_by("due_back_on", "cadre__name_sort", "id")
    )


def rotations_under(*, scope, organization: Organization) -> QuerySet[Rotation]:
    """Cadres on rotation now (not returned), soonest back first."""
    return (
        _below(Rotation.objects.filter(returned_on__isnull=True), scope=scope,
               organization=organization, field="cadre__committee")
        .select_related("cadre")
        .order_by("due_back_on", "cadre__name_sort", "id")
    )  # fmt: skip


def confidence_votes_of(cadre: Cadre) -> list:
    """The votes of confidence (tochuc/ratings) of the member behind the record, if any."""
    if cadre.member_id is None:
        return []
    return list(cadre.member.confidence_votes.order_by("-held_on", "-id"))


def committee_posts_of(cadre: Cadre) -> list:
    """The posts in party committees (tochuc/committees: secretary, deputy, standing or
    committee member…, per term) of the member behind the record, latest first; none for a
    cadre who is not linked to a member."""
    if cadre.member_id is None:
        return []
    return list(posts_of_member(member=cadre.member))


@dataclass
class Retirement:
    cadre: Cadre
    retires_on: date
    positions: list[Position] = field(default_factory=list)
    planned: list[PlanningEntry] = field(default_factory=list)


def retirements_between(
    *, scope, organization: Organization, start: date, end: date
) -> list[Retirement]:
    """Cadres who retire from `start` to `end`, by date then name; with their current
    positions and the planning lists they leave (the effect on planning)."""
    policy = policy_for(end)
    # Nobody younger than the earliest retirement age can retire by `end`.
    youngest = date(end.year - policy.retirement_before_female_months // 12 + 1, 12, 31)
    qs = cadres_under(scope=scope, organization=organization).filter(birth_date__lte=youngest)
    qs = qs.prefetch_related("positions__agency", "planning__position")
    found = []
    for cadre in qs:
        day = retirement_of(cadre, policy)
        if start <= day <= end:
            found.append(Retirement(
                cadre, day, [p for p in cadre.positions.all() if p.ends_on is None],
                [e for e in cadre.planning.all() if e.removed_on is None and
                 e.term_start + 5 > day.year],
            ))  # fmt: skip
    found.sort(key=lambda r: (r.retires_on, r.cadre.name_sort))
    return found


# ---------------------------------------------------------------- planning


def planned_positions(*, scope, organization: Organization) -> QuerySet[PlannedPosition]:
    return (
        _below(
            PlannedPosition.objects.all(), scope=scope, organization=organization, field="committee"
        )
        .select_related("committee")
        .order_by("committee__path", "order", "id")
    )


@dataclass
class PlannedCadre:
    entry: PlanningEntry
    retires_on: date
    failures: list[str]
    # Years the rating criterion looks at without a decided rating in the system.
    unrated: list[int] = field(default_factory=list)

    @property
    def meets(self) -> bool:
        return not self.failures


def planning_list(*, position: PlannedPosition, term_start: int, on: date) -> list[PlannedCadre]:
    """The cadres planned for `position` in the term, on `on` (added by then, not removed),
    each checked against the criteria in force on `on`; sorted the Vietnamese way."""
    policy = policy_for(on)
    entries = (
        position.entries.filter(term_start=term_start, added_on__lte=on)
        .filter(Q(removed_on__isnull=True) | Q(removed_on__gt=on))
        .select_related("cadre")
        .order_by("cadre__name_sort", "id")
    )
    entries = list(entries)
    levels = rating_levels([e.cadre for e in entries], on, policy)
    planned = []
    for e in entries:
        mine = levels.get(e.cadre.member_id, {})
        planned.append(PlannedCadre(
            e, retirement_of(e.cadre, policy),
            planning_failures(e.cadre, position, term_start, policy, on=on, levels=mine),
            unrated_years(e.cadre, on, policy, mine),
        ))  # fmt: skip
    return planned


def planning_coverage(*, positions, term_start: int, on: date) -> list[dict]:
    """Per position: the cadres planned, how many meet the criteria, and the need."""
    policy = policy_for(on)
    rows = []
    for position in positions:
        planned = planning_list(position=position, term_start=term_start, on=on)
        rows.append({
            "position": position,
            "planned": len(planned),
            "meeting": sum(p.meets for p in planned),
            "needed": policy.planning_min_per_position,
            "short": max(policy.planning_min_per_position - sum(p.meets for p in planned), 0),
        })  # fmt: skip
    return rows


def planning_structure(*, positions, term_start: int, on: date) -> dict:
    """The structure of the cadres planned for the term (each person once): how many, how
    many under 45 at the start of the term, women, ethnic minorities, with advanced political
    theory (cao cấp, cử nhân)."""
    start = date(term_start, 1, 1)
    people = {}
    for position in positions:
        for planned in planning_list(position=position, term_start=term_start, on=on):
            people[planned.entry.cadre_id] = planned.entry.cadre
    cadres = list(people.values())

    def age(cadre):
        return (
            start.year
            - cadre.birth_date.year
            - ((start.month, start.day) < (cadre.birth_date.month, cadre.birth_date.day))
        )

    return {
        "total": len(cadres),
        "young": sum(age(c) < 45 for c in cadres),
        "women": sum(c.gender == "female" for c in cadres),
        "minorities": sum(c.ethnicity != "01" for c in cadres),
        "advanced": sum(c.political_theory in ("cao_cap", "cu_nhan") for c in cadres),
    }


# ---------------------------------------------------------------- staffing


def agencies_of(organization: Organization) -> QuerySet[Agency]:
    """The agencies `organization` itself manages (its staffing pages act on these only)."""
    return Agency.objects.filter(organization=organization)


def agencies_under(*, scope, organization: Organization) -> QuerySet[Agency]:
    return _below(Agency.objects.all(), scope=scope, organization=organization,
                  field="organization").order_by("name_sort", "id")  # fmt: skip


@dataclass
class StaffingRow:
    agency: Agency
    assigned: int
    actual: int
    planned_reduction: int
    reduced: int
    quota: StaffingQuota | None = None  # the row recorded (its Sửa / Hủy)

    @property
    def difference(self) -> int:
        return self.assigned - self.actual


def reductions(*, scope, organization: Organization, year: int) -> QuerySet[Reduction]:
    """The reductions recorded in `year` under `organization`, by agency, newest first."""
    rows = _below(Reduction.objects.filter(on__year=year), scope=scope,
                  organization=organization, field="agency__organization")  # fmt: skip
    return rows.select_related("agency__organization").order_by("agency__name_sort", "-on", "-id")


def staffing(*, scope, organization: Organization, year: int) -> list[StaffingRow]:
    """Per agency of the subtree with a quota for `year`: assigned, actual, the difference,
    the reduction planned and the people reduced in the year."""
    quotas = _below(StaffingQuota.objects.filter(year=year), scope=scope,
                    organization=organization, field="agency__organization")  # fmt: skip
    reduced = dict(
        _below(Reduction.objects.filter(on__year=year), scope=scope, organization=organization,
               field="agency__organization")
        .values("agency").annotate(n=Sum("count")).values_list("agency", "n")
    )  # fmt: skip
    return [
        StaffingRow(
            q.agency, q.assigned, q.actual, q.planned_reduction, reduced.get(q.agency_id, 0), q
        )
        for q in quotas.select_related("agency__organization").order_by(
            "agency__name_sort", "agency_id"
        )
    ]
