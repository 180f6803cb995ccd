"""Reads for admissions, always inside the caller's scope: candidates, the cell's full
members on a date, the due and overdue lists, targets and achievement, the pipeline."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy

from tochuc.accounts.access import Scope
from tochuc.lib import paths, search
from tochuc.lib.dates import add_months
from tochuc.lib.vntext import sort_key
from tochuc.members.models import Affiliation, Member, MemberEvent, Status
from tochuc.organizations.models import Organization
from tochuc.organizations.selectors import children_on
from tochuc.policy.acts import probation_ends
from tochuc.policy.calendar import add_working_days
from tochuc.policy.rules import PolicyLookup, policy_for

from .models import IN_PROGRESS, AdmissionTarget, Candidate, ConfirmationCase, Stage


class WholeDatabase(Scope):
    """Every organization: for the operator's command line and the demo builder."""

    def __init__(self):
        super().__init__(None, [])
        self.is_admin = True


# ---------------------------------------------------------------- candidates


def candidates_in(*, scope) -> QuerySet[Candidate]:
    return scope.filter_by_path(Candidate.objects.all(), "org_path")


def candidate_list(
    *, scope, organization: Organization | None = None, stage: str = "", text: str = ""
) -> QuerySet[Candidate]:
    qs = candidates_in(scope=scope).select_related("cell")
    if organization is not None:
        qs = qs.filter(paths.under("org_path", organization.path))
    if stage == "dang_xem_xet":
        qs = qs.filter(stage__in=IN_PROGRESS)
    elif stage:
        qs = qs.filter(stage=stage)
    qs = qs.filter(search.name_condition(text))  # capped: QueryTooLong over the caps
    return qs.order_by("name_sort", "id")


def candidate_get(*, scope, pk: int) -> Candidate:
    return get_object_or_404(candidates_in(scope=scope).select_related("cell", "member"), pk=pk)


# ---------------------------------------------------------------- the cell on a date


def full_members_on(cell: Organization, on: date) -> QuerySet[Member]:
    """Full members in official activity in `cell` on `on` (the base of the 2/3 vote)."""
    present = Affiliation.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=on),
        organization=cell,
        kind=Affiliation.Kind.OFFICIAL,
        valid_from__lte=on,
    ).values("member_id")
    return Member.objects.filter(pk__in=present, confirmed_on__lte=on)


def is_full_member_on(member: Member, on: date) -> bool:
    """A full member on `on`: confirmed by then and in official party activity that day."""
    if member.confirmed_on is None or member.confirmed_on > on:
        return False
    return member.affiliations.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=on),
        kind=Affiliation.Kind.OFFICIAL,
        valid_from__lte=on,
    ).exists()


# ---------------------------------------------------------------- deadlines


def decision_deadline(
    candidate: Candidate, *, special: bool = False, policies=policy_for
) -> date | None:
    resolved = candidate.cell_resolved_on
    if resolved is None:
        return None
    policy = policies(resolved)
    days = policy.decision_within_working_days
    if special:
        days += policy.decision_extension_working_days
    return add_working_days(resolved, days)


def ceremony_deadline(candidate: Candidate, policies=policy_for) -> date | None:
    if candidate.decided_on is None:
        return None
    policy = policies(candidate.decided_on)
    return add_working_days(candidate.decided_on, policy.ceremony_within_working_days)


def probation_end(member: Member, policies=policy_for) -> date:
    return probation_ends(member.ceremony_on or member.admitted_on, policies)


def proposal_deadline(probation_ends_on: date, policies=policy_for) -> date:
    days = policies(probation_ends_on).confirmation_proposal_working_days
    return add_working_days(probation_ends_on, days)


def confirmation_deadline(proposed_on: date, policies=policy_for) -> date:
    days = policies(proposed_on).confirmation_decision_working_days
    return add_working_days(proposed_on, days)


# ---------------------------------------------------------------- what is due


class Due:
    PROBATION_ENDING = "probation_ending"
    DECISION = "decision"
    CEREMONY = "ceremony"
    PROPOSAL = "proposal"
    CONFIRMATION = "confirmation"

    TITLES = {
        PROBATION_ENDING: gettext_lazy("Sắp hết thời gian dự bị"),
        DECISION: gettext_lazy("Quyết định kết nạp"),
        CEREMONY: gettext_lazy("Lễ kết nạp"),
        PROPOSAL: gettext_lazy("Chi bộ đề nghị công nhận chính thức"),
        CONFIRMATION: gettext_lazy("Quyết định công nhận chính thức"),
    }


@dataclass
class DueItem:
    kind: str
    name: str
    organization: Organization
    deadline: date
    overdue: bool
    days: int  # days left (negative: days late)
    candidate: Candidate | None = None
    member: Member | None = None

    @property
    def late(self) -> int:
        return -self.days

    @property
    def title(self) -> str:
        return str(Due.TITLES[self.kind])


def due_items(*, scope, on: date, organization: Organization | None = None) -> list[DueItem]:
    """Due (within the notice window) and overdue steps in the scope, most urgent first."""
    notice = policy_for(on).due_notice_days
    horizon = on + timedelta(days=notice)
    items: list[DueItem] = []

    def add(kind, deadline, *, name, org, candidate=None, member=None, window=True):
        if deadline is None or (window and deadline > horizon):
            return
        items.append(
            DueItem(
                kind, name, org, deadline, deadline < on, (deadline - on).days, candidate, member
            )
        )

    policies = PolicyLookup()  # one query for all the dates below
    candidates = candidate_list(scope=scope, organization=organization).filter(
        stage__in=[Stage.CELL_APPROVED, Stage.COMMITTEE_APPROVED, Stage.DECIDED]
    )
    for c in candidates:
        if c.stage == Stage.DECIDED:
            add(
                Due.CEREMONY,
                ceremony_deadline(c, policies),
                name=c.full_name,
                org=c.cell,
                candidate=c,
            )
        else:
            special = bool(c.decision_late_reason)
            add(
                Due.DECISION,
                decision_deadline(c, special=special, policies=policies),
                name=c.full_name,
                org=c.cell,
                candidate=c,
            )

    members = scope.members().filter(status=Status.PROBATIONARY).order_by()  # sorted below
    if organization is not None:
        members = members.filter(paths.under("org_path", organization.path))
    # Probation ends (by the policy in force now) months after the ceremony: ask only for
    # those who started early enough to end by the horizon.
    latest_start = add_months(horizon, -policy_for(on).probation_months)
    members = members.filter(
        Q(ceremony_on__lte=latest_start)
        | Q(ceremony_on__isnull=True, admitted_on__lte=latest_start)
    ).select_related("organization")
    cases = {
        case.member_id: case
        for case in ConfirmationCase.objects.filter(member__in=members.values("pk"))
    }
    for m in members:
        ends = probation_end(m, policies)
        if ends > horizon:
            continue
        case = cases.get(m.pk)
        if case is not None and case.outcome:
            continue
        if ends >= on:
            add(Due.PROBATION_ENDING, ends, name=m.full_name, org=m.organization, member=m)
        elif case is not None and case.proposed_on:
            add(
                Due.CONFIRMATION,
                confirmation_deadline(case.proposed_on, policies),
                name=m.full_name,
                org=m.organization,
                member=m,
                window=False,
            )
        else:
            add(
                Due.PROPOSAL,
                proposal_deadline(ends, policies),
                name=m.full_name,
                org=m.organization,
                member=m,
                window=False,
            )
    items.sort(key=lambda i: (i.deadline, sort_key(i.name)))
    return items


# ---------------------------------------------------------------- targets and achievement


def target_for(organization: Organization, year: int, *, _targets=None, _children=None) -> int:
    """The organization's own target for the year, or the sum of its children's."""
    if _targets is None:
        _targets, _children = _target_tree(organization, year)
    if organization.pk in _targets:
        return _targets[organization.pk]
    return sum(
        target_for(child, year, _targets=_targets, _children=_children)
        for child in _children.get(organization.pk, [])
    )


def _target_tree(root: Organization, year: int):
    targets = dict(
        AdmissionTarget.objects.filter(
            paths.under("organization__path", root.path), year=year
        ).values_list("organization_id", "target")
    )
    children: dict[int, list[Organization]] = defaultdict(list)
    if targets:
        ids = {
            int(part)
            for o_path in Organization.objects.filter(pk__in=targets).values_list("path", flat=True)
            for part in o_path.strip("/").split("/")
        }
        for org in Organization.objects.filter(pk__in=ids, path__startswith=root.path).only(
            "pk", "parent_id", "path"
        ):
            children[org.parent_id].append(org)
    return targets, children


def admissions_count(organization: Organization, start: date, end: date) -> Counter[str]:
    """Admission decisions dated in [start, end] under `organization`, by the cell's path."""
    rows = MemberEvent.objects.filter(
        paths.under("organization__path", organization.path),
        type=MemberEvent.Type.ADMITTED,
        on__gte=start,
        on__lte=end,
    ).values_list("organization__path", flat=True)
    return Counter(rows)


@dataclass
class TargetRow:
    """Admissions of an organization against the target given to it (`target`, None when
    the level above gave it none: "chưa giao chỉ tiêu") and, apart, what it gave its own
    children (`children_target`: their targets, each its own or what it gave below)."""

    organization: Organization
    admitted: int
    target: int | None
    children_target: int = 0

    @property
    def percent(self) -> float | None:
        """Only against a target given at this level; never against the children's sum."""
        return round(100 * self.admitted / self.target, 1) if self.target else None


def targets_report(
    *, scope, organization: Organization, start: date, end: date
) -> tuple[TargetRow, list[TargetRow]]:
    """Admissions in [start, end] against the year's target (the year of `end`), for the
    organization and each child organization on `end`. An admission counts where its cell
    stood on the decision date (the tree as it was, as every report counts)."""
    from tochuc.statistics.sources import Span, admissions_in

    span = Span(organization, start, end)
    total, per_child = 0, Counter()
    for org_id, day, n in admissions_in(span, start, end):
        child = span.bucket(org_id, day, by_child=True)
        if child is not None:
            total += n
            per_child[child] += n
    targets, tree = _target_tree(organization, end.year)

    def row(org, admitted: int) -> TargetRow:
        below = sum(
            target_for(child, end.year, _targets=targets, _children=tree)
            for child in tree.get(org.pk, [])
        )
        return TargetRow(org, admitted, targets.get(org.pk), below)

    children = [v.organization for v in children_on(scope=scope, organization=organization, on=end)]
    return row(organization, total), [row(child, per_child[child.pk]) for child in children]


@dataclass
class PipelineRow:
    organization: Organization
    stages: dict[str, int]
    probationary: int

    @property
    def open(self) -> int:
        return sum(self.stages.get(s, 0) for s in IN_PROGRESS)


PIPELINE_STAGES = [s for s in Stage.values if s != Stage.WITHDRAWN]


def pipeline_report(*, scope, organization: Organization, on: date):
    """Candidates by stage and probationary members, for the organization and each child."""
    rows = (
        candidates_in(scope=scope)
        .filter(paths.under("org_path", organization.path))
        .values_list("org_path", "stage")
    )
    probation = (
        scope.members()
        .filter(paths.under("org_path", organization.path), status=Status.PROBATIONARY)
        .values_list("org_path", flat=True)
    )
    probation = list(probation)

    def row(org):
        stages = Counter(stage for p, stage in rows if p.startswith(org.path))
        return PipelineRow(org, dict(stages), sum(1 for p in probation if p.startswith(org.path)))

    rows = list(rows)
    children = [v.organization for v in children_on(scope=scope, organization=organization, on=on)]
    return row(organization), [row(child) for child in children]


def confirmation_case(*, member: Member) -> ConfirmationCase | None:
    """The confirmation case of a member fetched through the caller's scope (with its votes)."""
    return ConfirmationCase.objects.filter(member=member).prefetch_related("votes").first()


def targets_of(*, organizations: list[Organization], year: int) -> dict[int, int]:
    """The year's admission targets set for these organizations (in the caller's scope), by
    organization id."""
    return dict(
        AdmissionTarget.objects.filter(organization__in=organizations, year=year).values_list(
            "organization_id", "target"
        )
    )


def target_of(*, organization: Organization, year: int) -> AdmissionTarget | None:
    return AdmissionTarget.objects.filter(organization=organization, year=year).first()
