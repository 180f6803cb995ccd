"""Reads of quality rating and votes of confidence. Each takes the caller's scope.

A session is seen from an organization it covers: its own or an ancestor's session (a cell
secretary works in the commune's session on the cell's members). Subjects, results and
votes are read within the organization's subtree only.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from tochuc.lib import paths
from tochuc.members.models import Member
from tochuc.organizations.models import Organization
from tochuc.organizations.selectors import children_on
from tochuc.reports.numbers import ratio_percent, vn_int, vn_percent

from .models import (
    LEVEL_ORDER,
    ConfidenceVote,
    Level,
    PeriodKind,
    RatingSession,
    RatingSubject,
    Step,
    SubjectKind,
)


def _ancestor_paths(organization: Organization) -> list[str]:
    parts = [p for p in organization.path.strip("/").split("/") if p]
    return ["/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def sessions_covering(*, organization: Organization) -> QuerySet[RatingSession]:
    """Sessions of the organization or of an ancestor (they cover it), newest first."""
    return RatingSession.objects.filter(org_path__in=_ancestor_paths(organization)).select_related(
        "organization"
    )


def sessions_below(*, organization: Organization) -> QuerySet[RatingSession]:
    """Sessions opened for organizations below it (a province sees its communes')."""
    return (
        RatingSession.objects.filter(paths.under("org_path", organization.path))
        .exclude(organization=organization)
        .select_related("organization")
    )


def session_for(*, organization: Organization, pk: int | None) -> RatingSession | None:
    """The session `pk` if it covers `organization` (else 404); the latest one when None."""
    covering = sessions_covering(organization=organization)
    if pk is None:
        return covering.first()
    return get_object_or_404(covering, pk=pk)


def subject_get(*, scope, pk: int) -> RatingSubject:
    """A subject whose organization is in the caller's scope (else 404)."""
    qs = scope.filter_by_path(RatingSubject.objects.all(), "org_path")
    return get_object_or_404(
        qs.select_related("session", "session__organization", "member", "organization"), pk=pk
    )


def subject_list(
    *, session: RatingSession, organization: Organization, kind: str = "", step: str = ""
) -> QuerySet[RatingSubject]:
    qs = session.subjects.filter(paths.under("org_path", organization.path)).select_related(
        "organization"
    )
    if kind:
        qs = qs.filter(kind=kind)
    if step:
        qs = qs.filter(step=step)
    return qs.order_by("kind", "name_sort", "id")


# ---------------------------------------------------------------- results


@dataclass
class LevelCounts:
    label: str
    code: str = ""
    subjects: int = 0
    counts: Counter = field(default_factory=Counter)

    @property
    def decided(self) -> int:
        return sum(self.counts[level] for level in LEVEL_ORDER)

    @property
    def pending(self) -> int:
        return self.subjects - self.decided

    def share(self, level: str) -> Decimal | None:
        """Percent of those decided, half up to 2 decimals."""
        return ratio_percent(self.counts[level], self.decided, digits=2)

    def cells(self) -> list[tuple[int, Decimal | None]]:
        return [(self.counts[level], self.share(level)) for level in LEVEL_ORDER]

    def display(self) -> list[tuple[str, str]]:
        """(count, share) the Vietnamese way: ("12", "35,29%")."""
        return [(vn_int(n), vn_percent(p)) for n, p in self.cells()]


@dataclass
class Results:
    organization: Organization
    session: RatingSession | None
    members: list[LevelCounts]
    members_total: LevelCounts
    organizations: list[LevelCounts]
    organizations_total: LevelCounts


def results(*, scope, organization: Organization, session: RatingSession | None) -> Results:
    """Counts per level, per direct child of `organization` (as of the session's list date)
    and over its whole subtree, for members and for organizations."""
    rows: dict[str, dict[int | None, LevelCounts]] = {
        SubjectKind.MEMBER: {},
        SubjectKind.ORGANIZATION: {},
    }
    totals = {k: LevelCounts(organization.name, organization.code) for k in rows}
    if session is None:
        return Results(organization, None, [], totals["member"], [], totals["organization"])
    children = children_on(scope=scope, organization=organization, on=session.listed_on)
    child_paths = {}
    for version in children:
        child = version.organization
        child_paths[child.path] = child.pk
        for kind in rows:
            rows[kind][child.pk] = LevelCounts(version.name, child.code)
    own = {k: LevelCounts(organization.name, organization.code) for k in rows}
    prefix = len(organization.path)
    subjects = subject_list(session=session, organization=organization).values_list(
        "kind", "org_path", "final_level"
    )
    for kind, org_path, level in subjects:
        rest = org_path[prefix:]
        child_path = organization.path + rest.split("/", 1)[0] + "/" if rest else None
        bucket = rows[kind].get(child_paths.get(child_path)) if child_path else None
        if bucket is None:
            bucket = own[kind]
        for counts in (bucket, totals[kind]):
            counts.subjects += 1
            if level:
                counts.counts[level] += 1
    listed = {}
    for kind in rows:
        listed[kind] = [c for c in rows[kind].values() if c.subjects]
        if own[kind].subjects:
            listed[kind].insert(0, own[kind])
    return Results(
        organization, session, listed["member"], totals["member"], listed["organization"],
        totals["organization"],
    )  # fmt: skip


def two_years_not_done(*, organization: Organization, year: int | None = None) -> list[dict]:
    """Members rated "không hoàn thành" in two consecutive yearly sessions (ending in
    `year` when given), in `organization`'s subtree: to be screened."""
    rows = (
        RatingSubject.objects.filter(
            paths.under("org_path", organization.path),
            kind=SubjectKind.MEMBER,
            final_level=Level.NOT_DONE,
            session__kind=PeriodKind.YEAR,
        )
        .values_list("member_id", "session__year")
        .distinct()
    )
    years = defaultdict(set)
    for member_id, y in rows:
        years[member_id].add(y)
    flagged = {}
    for member_id, ys in years.items():
        runs = sorted(y for y in ys if y - 1 in ys and (year is None or y == year))
        if runs:
            flagged[member_id] = runs[-1]
    members = Member.objects.filter(pk__in=flagged).select_related("organization")
    return [
        {"member": m, "years": (flagged[m.pk] - 1, flagged[m.pk])}
        for m in sorted(members, key=lambda m: (m.name_sort, m.pk))
    ]


def flagged_member_ids(*, session: RatingSession, organization: Organization) -> set[int]:
    if session.kind != PeriodKind.YEAR:
        return set()
    return {
        row["member"].pk for row in two_years_not_done(organization=organization, year=session.year)
    }


def step_counts(*, session: RatingSession, organization: Organization) -> dict[str, int]:
    counts = Counter(
        subject_list(session=session, organization=organization).values_list("step", flat=True)
    )
    return {step: counts[step] for step in Step.values}


# ---------------------------------------------------------------- votes of confidence


def vote_list(*, organization: Organization, year: int | None = None) -> QuerySet[ConfidenceVote]:
    qs = ConfidenceVote.objects.filter(paths.under("org_path", organization.path))
    if year:
        qs = qs.filter(held_on__year=year)
    return qs.select_related("member", "organization").order_by(
        "-held_on", "member__name_sort", "id"
    )


def votes_of(*, member: Member) -> QuerySet[ConfidenceVote]:
    return member.confidence_votes.select_related("organization").order_by("-held_on", "-id")


def ratings_of(*, member: Member) -> QuerySet[RatingSubject]:
    return member.ratings.select_related("session", "session__organization").order_by(
        "-session__ends_on", "-id"
    )


def vote_flags(vote: ConfidenceVote) -> list[str]:
    """What the policy in force on the vote's date flags (low share too high, high too low)."""
    from django.utils.translation import gettext as _

    from tochuc.policy.rules import policy_for

    policy = policy_for(vote.held_on)
    flags = []
    if vote.ballots_valid:
        low = Decimal(vote.low) / vote.ballots_valid
        high = Decimal(vote.high) / vote.ballots_valid
        low_limit = policy.confidence_low_flag_above
        high_limit = policy.confidence_high_flag_below
        if low * low_limit.denominator > low_limit.numerator:
            flags.append(_("Tín nhiệm thấp trên %(p)s%%") % {"p": _pct(low_limit)})
        if high * high_limit.denominator < high_limit.numerator:
            flags.append(_("Tín nhiệm cao dưới %(p)s%%") % {"p": _pct(high_limit)})
    return flags


def _pct(fraction) -> str:
    value = Decimal(fraction.numerator) * 100 / Decimal(fraction.denominator)
    return format(value.normalize(), "f").replace(".", ",")


def excellent_years(*, organization: Organization, years) -> dict[tuple[str, int], set[int]]:
    """(kind, member or organization id) → the years among `years` in which the subject of
    `organization`'s subtree was decided "hoàn thành xuất sắc nhiệm vụ" in a yearly session:
    the candidates for a commendation (tochuc/awards)."""
    rows = RatingSubject.objects.filter(
        paths.under("org_path", organization.path),
        final_level=Level.EXCELLENT,
        session__kind=PeriodKind.YEAR,
        session__year__in=list(years),
    ).values_list("kind", "member_id", "rated_organization_id", "session__year")
    found: dict[tuple[str, int], set[int]] = defaultdict(set)
    for kind, member_id, organization_id, year in rows:
        found[(kind, member_id or organization_id)].add(year)
    return found


def yearly_levels(*, member_ids, years) -> dict[int, dict[int, str]]:
    """member id → {year: level} of the members' decided yearly ratings in `years` (the
    latest decision of a year when there are several): for criteria that look back over
    the years (tochuc/cadres planning). One query for every member."""
    rows = (
        RatingSubject.objects.filter(
            kind=SubjectKind.MEMBER,
            member_id__in=list(member_ids),
            session__kind=PeriodKind.YEAR,
            session__year__in=list(years),
        )
        .exclude(final_level="")
        .order_by("decided_on", "id")
        .values_list("member_id", "session__year", "final_level")
    )
    found: dict[int, dict[int, str]] = defaultdict(dict)
    for member_id, year, level in rows:
        found[member_id][year] = level
    return dict(found)


def open_subject_of(*, member: Member) -> RatingSubject | None:
    """The member's latest rating not yet proposed by the cell (the self-assessment may still
    be entered or changed), or None."""
    return open_subjects_of(members=[member]).get(member.pk)


def open_subjects_of(*, members: list[Member]) -> dict[int, RatingSubject]:
    """`open_subject_of` for many members in one query: member id → their latest rating not
    yet proposed by the cell (members without one are absent)."""
    found: dict[int, RatingSubject] = {}
    for subject in (
        RatingSubject.objects.filter(
            member_id__in=[m.pk for m in members], step__in=(Step.PENDING, Step.SELF_ASSESSED)
        )
        .select_related("session")
        .order_by("member_id", "-session__ends_on", "-id")
    ):
        found.setdefault(subject.member_id, subject)
    return found
