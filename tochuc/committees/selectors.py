"""Reads of the committees app: the committee of an organization on a date and its posts,
its vacancies, a member's posts, the due lists (vacancies, terms ending) over a scope, and
the consolidations of a period in a subtree."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from tochuc.lib.dates import add_months
from tochuc.lib.paths import under
from tochuc.lib.vntext import person_sort_key
from tochuc.members.models import ACTIVE_STATUSES, Affiliation, Member
from tochuc.organizations.models import Organization
from tochuc.policy.rules import policy_for

from .models import (
    COMMITTEE_ROLES,
    INSPECTION_ROLES,
    ROLE_ORDER,
    STANDING_ROLES,
    Committee,
    Congress,
    Delegate,
    DelegateKind,
    Post,
    Role,
    Term,
)


def open_on(on: date) -> Q:
    return Q(began_on__lte=on) & (Q(ended_on__isnull=True) | Q(ended_on__gt=on))


def committee_on(*, organization: Organization, on: date) -> Committee | None:
    """The committee in office on `on`: the latest formed by then."""
    return (
        Committee.objects.filter(organization=organization, formed_on__lte=on)
        .select_related("term", "organization")
        .order_by("-formed_on")
        .first()
    )


def committees_of(*, organization: Organization) -> QuerySet[Committee]:
    return Committee.objects.filter(organization=organization).select_related("term")


def posts_on(*, committee: Committee, on: date) -> list[Post]:
    """The posts held on `on`, by rank, then by the holder's name (Vietnamese order)."""
    posts = list(committee.posts.filter(open_on(on)).select_related("member"))
    return sorted(
        posts, key=lambda p: (ROLE_ORDER[p.role], person_sort_key(p.member.full_name), p.pk)
    )


def post_history(*, organization: Organization) -> QuerySet[Post]:
    return (
        Post.objects.filter(committee__organization=organization)
        .select_related("member", "committee__term")
        .order_by("-began_on", "-id")
    )


def open_posts(*, committee: Committee) -> QuerySet[Post]:
    return committee.posts.filter(ended_on__isnull=True).select_related("member")


def posts_of_member(*, member: Member) -> QuerySet[Post]:
    return (
        Post.objects.filter(member=member)
        .select_related("committee__organization", "committee__term")
        .order_by("-began_on", "-id")
    )


@dataclass
class Vacancy:
    label: str
    seats: int
    held: int

    @property
    def missing(self) -> int:
        return max(self.seats - self.held, 0)


def vacancies(*, committee: Committee, posts: list[Post]) -> list[Vacancy]:
    """Seats below the elected sizes, among `posts` (those held on the date in view)."""

    def holders(roles) -> int:
        return len({p.member_id for p in posts if p.role in roles})

    found = [
        Vacancy(_("Bí thư"), 1, holders((Role.SECRETARY,))),
        Vacancy(_("Phó Bí thư"), committee.deputies, holders((Role.DEPUTY,))),
        Vacancy(_("Cấp ủy viên"), committee.size, holders(COMMITTEE_ROLES)),
    ]
    if committee.standing_size:
        found.append(Vacancy(_("Ủy viên Ban Thường vụ"), committee.standing_size,
                             holders(STANDING_ROLES)))  # fmt: skip
    if committee.inspection_size:
        found.append(Vacancy(_("Chủ nhiệm Ủy ban kiểm tra"), 1, holders((Role.INSPECTION_CHAIR,))))
        found.append(Vacancy(_("Ủy viên Ủy ban kiểm tra"), committee.inspection_size,
                             holders(INSPECTION_ROLES)))  # fmt: skip
    return [v for v in found if v.missing]


def full_members_on(*, organization: Organization, on: date) -> int:
    """Full members in official activity in the organization itself on `on`."""
    return (
        Affiliation.objects.filter(
            Q(valid_to__isnull=True) | Q(valid_to__gt=on),
            organization=organization,
            kind=Affiliation.Kind.OFFICIAL,
            valid_from__lte=on,
            member__confirmed_on__lte=on,
        )  # fmt: skip
        .values("member")
        .distinct()
        .count()
    )


def members_in(*, organization: Organization) -> QuerySet[Member]:
    """The members in activity under `organization`, as the forms offer them."""
    return Member.objects.filter(
        under("org_path", organization.path), status__in=ACTIVE_STATUSES
    ).order_by("name_sort", "id")


# ---------------------------------------------------------------- over a scope or a subtree


def in_office(committees: QuerySet[Committee], on: date) -> list[Committee]:
    """The committee in office on `on` of each organization, of those given."""
    latest: dict[int, Committee] = {}
    for committee in committees.filter(formed_on__lte=on).order_by("organization", "formed_on"):
        latest[committee.organization_id] = committee
    return list(latest.values())


def _in_force(committees: QuerySet[Committee], on: date) -> QuerySet[Committee]:
    return committees.filter(
        Q(organization__ended_on__isnull=True) | Q(organization__ended_on__gt=on)
    ).select_related("organization", "term__organization")


@dataclass
class VacancyRow:
    committee: Committee
    vacancies: list[Vacancy] = field(default_factory=list)

    @property
    def missing(self) -> int:
        return sum(v.missing for v in self.vacancies)


def vacancy_rows(*, committees: QuerySet[Committee], on: date) -> list[VacancyRow]:
    """The committees in office on `on` below their elected sizes, with what they lack."""
    current = in_office(_in_force(committees, on), on)
    held: dict[int, list[Post]] = {}
    for post in Post.objects.filter(open_on(on), committee__in=[c.pk for c in current]):
        held.setdefault(post.committee_id, []).append(post)
    rows = [VacancyRow(c, vacancies(committee=c, posts=held.get(c.pk, []))) for c in current]
    return sorted((r for r in rows if r.vacancies), key=lambda r: r.committee.organization.path)


def committees_in_scope(*, scope) -> QuerySet[Committee]:
    return scope.filter_by_path(Committee.objects.all(), "organization__path")


def committees_under(*, organization: Organization) -> QuerySet[Committee]:
    return Committee.objects.filter(under("organization__path", organization.path))


def terms_ending(*, scope, today: date) -> list[tuple[Term, int]]:
    """The current terms in the scope that end within the policy's notice (6 months), each
    with the notice it falls in (6 or 3 months; 0: already over), soonest first."""
    notices = sorted(policy_for(today).congress_notice_months, reverse=True)
    horizon = add_months(today, notices[0])
    current = in_office(_in_force(committees_in_scope(scope=scope), today), today)
    rows = []
    for committee in current:
        term = committee.term
        if term.ends_on > horizon:
            continue
        within = 0
        for months in notices:
            if term.ends_on <= add_months(today, months) and term.ends_on > today:
                within = months
        rows.append((term, within))
    return sorted(rows, key=lambda r: (r[0].ends_on, r[0].organization.path))


@dataclass
class Consolidations:
    organizations: int  # whose committees were consolidated in the period
    posts_filled: int
    posts_vacant: int  # at the end of the period
    by_child: list[tuple[str, int, int, int]]


def consolidations(*, organization: Organization, start: date, end: date) -> Consolidations:
    """Consolidations (posts filled after their committee was formed) in [start, end] under
    `organization`, and the seats still vacant at `end`, in total and per direct child."""
    committees = committees_under(organization=organization)
    filled = list(
        Post.objects.filter(
            committee__in=committees, is_consolidation=True, began_on__gte=start,
            began_on__lte=end,
        ).values_list("committee__organization_id", "committee__organization__path")
    )  # fmt: skip
    vacant = vacancy_rows(committees=committees, on=end)
    children = list(
        Organization.objects.filter(parent=organization).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gt=end), founded_on__lte=end
        )
    )
    by_child = []
    for child in sorted(children, key=lambda c: c.path):
        mine = [f for f in filled if f[1].startswith(child.path)]
        by_child.append((
            child.name, len({f[0] for f in mine}), len(mine),
            sum(r.missing for r in vacant if r.committee.organization.path.startswith(child.path)),
        ))  # fmt: skip
    return Consolidations(
        organizations=len({f[0] for f in filled}),
        posts_filled=len(filled),
        posts_vacant=sum(r.missing for r in vacant),
        by_child=by_child,
    )


def committee_people_on(*, organization: Organization, on: date) -> list[tuple[Committee, list]]:
    """The committees in office on `on` in the subtree of `organization` (in tree order), each
    with the members seated in it (the holders of committee roles) that day."""
    current = sorted(
        in_office(_in_force(committees_under(organization=organization), on), on),
        key=lambda c: c.organization.path,
    )
    seated: dict[int, dict[int, Member]] = {}
    posts = Post.objects.filter(
        open_on(on), committee__in=[c.pk for c in current], role__in=COMMITTEE_ROLES
    ).select_related("member")
    for post in posts:
        seated.setdefault(post.committee_id, {})[post.member_id] = post.member
    return [(c, list(seated.get(c.pk, {}).values())) for c in current]


def committees_without_congress(*, organization: Organization) -> QuerySet[Committee]:
    """The organization's elected committees whose congress is not recorded yet."""
    return (
        Committee.objects.filter(organization=organization, formed_how="elected")
        .filter(term__congress__isnull=True)
        .select_related("term")
        .order_by("-formed_on")
    )


def congresses_of(*, organization: Organization) -> QuerySet:
    return (
        Congress.objects.filter(organization=organization)
        .select_related("term__committee")
        .prefetch_related("candidates", "delegates_elected")
        .order_by("-starts_on")
    )


@dataclass
class DelegatesFrom:
    """The delegates one congress below elected to a congress: counted by kind."""

    congress: Congress
    delegates: list[Delegate]

    @property
    def official(self) -> int:
        return sum(d.kind == DelegateKind.OFFICIAL for d in self.delegates)

    @property
    def alternate(self) -> int:
        return sum(d.kind == DelegateKind.ALTERNATE for d in self.delegates)


def delegates_for(*, congress: Congress) -> list[DelegatesFrom]:
    """The delegates elected to `congress` by the congresses of the organizations below,
    held since the previous congress of its organization (in tree order)."""
    previous = (
        Congress.objects.filter(
            organization=congress.organization_id, starts_on__lt=congress.starts_on
        )
        .order_by("-starts_on")
        .values_list("starts_on", flat=True)
        .first()
    )
    found = Delegate.objects.filter(
        above=congress.organization_id, congress__starts_on__lte=congress.starts_on
    ).select_related("congress__organization")
    if previous is not None:
        found = found.filter(congress__starts_on__gt=previous)
    by_congress: dict[int, DelegatesFrom] = {}
    for delegate in found.order_by("kind", "-votes", "id"):
        entry = by_congress.setdefault(delegate.congress_id, DelegatesFrom(delegate.congress, []))
        entry.delegates.append(delegate)
    return sorted(by_congress.values(), key=lambda e: e.congress.organization.path)


def members_by_name(*, organization: Organization, names: list[str]) -> dict[str, Member]:
    """The members in activity under `organization` with exactly one of `names` each."""
    found: dict[str, list[Member]] = {}
    for member in members_in(organization=organization).filter(full_name__in=names):
        found.setdefault(member.full_name, []).append(member)
    return {name: people[0] for name, people in found.items() if len(people) == 1}


def congresses_held(*, organization: Organization, start: date, end: date) -> QuerySet:
    return Congress.objects.filter(
        under("organization__path", organization.path), starts_on__gte=start, starts_on__lte=end
    ).select_related("organization", "term")


def terms_ending_between(*, organization: Organization, start: date, end: date) -> list[Term]:
    """The terms of committees in office at `start` under `organization` ending in the period."""
    current = in_office(_in_force(committees_under(organization=organization), start), start)
    return sorted(
        (c.term for c in current if start <= c.term.ends_on <= end),
        key=lambda t: (t.ends_on, t.organization.path),
    )


def elected_members(*, congress: Congress) -> QuerySet[Member]:
    """The members the congress elected to its committee (by the candidates' records)."""
    ids = congress.candidates.filter(elected=True, member__isnull=False).values("member")
    return Member.objects.filter(pk__in=ids).order_by("name_sort", "id")


def post_of(*, organization: Organization, pk: int) -> Post | None:
    """A post of the organization's committees (the gate has given the organization)."""
    return (
        Post.objects.filter(committee__organization=organization, pk=pk)
        .select_related("member", "committee__term", "committee__organization")
        .first()
    )


def congress_of(*, organization: Organization, pk: int) -> Congress | None:
    return (
        Congress.objects.filter(organization=organization, pk=pk)
        .select_related("term__committee", "organization")
        .first()
    )
