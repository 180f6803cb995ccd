"""Reads: the members due for a badge at an occasion, the badge cases of a subtree, a
member's badges, the commendations of a subtree and their counts, and the candidates for a
commendation drawn from the ratings. Every read takes the caller's scope (None: a caller
that has checked the scope on the organization already, e.g. the report engine)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import (
    Count,
    DateField,
    Exists,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce, NullIf

from tochuc.lib.dates import add_months
from tochuc.lib.paths import under
from tochuc.members.models import ACTIVE_STATUSES, Member, MemberEvent
from tochuc.organizations.models import Organization
from tochuc.policy.rules import PolicyLookup, policy_for

from . import rules
from .models import (
    HELD_STAGES,
    BadgeCase,
    Commendation,
    CommendationForm,
    RecipientKind,
    Stage,
)

# ---------------------------------------------------------------- badges due


@dataclass
class DueRow:
    member: Member
    milestone: int
    reached_on: date
    held: int  # the highest milestone already held (0: none)
    overdue: bool  # reached before the previous occasion and still not proposed


def _members(scope, organization: Organization) -> QuerySet[Member]:
    if scope is None:
        if organization.province_id == organization.pk:  # a root: as the gate reads it
            return Member.objects.filter(province_id=organization.pk)
        return Member.objects.filter(under("org_path", organization.path))
    return scope.members(within=organization)


def _events_of(ids) -> dict[int, list[MemberEvent]]:
    events = defaultdict(list)
    for start in range(0, len(ids), 2000):
        chunk = ids[start : start + 2000]
        for event in MemberEvent.objects.filter(member_id__in=chunk).order_by("on", "id"):
            events[event.member_id].append(event)
    return events


def held_milestones(members) -> dict[int, int]:
    """The highest milestone proposed, decided or awarded, per member (`members`: ids or a
    queryset of members, read as a subquery)."""
    rows = (
        BadgeCase.objects.filter(member__in=members, stage__in=HELD_STAGES)
        .values("member_id")
        .annotate(top=Max("milestone"))
        .order_by()
    )
    return {row["member_id"]: row["top"] for row in rows}


def _anchor_window(occasion: date, since: date | None, years) -> Q:
    """Members whose stored party-age anchor can put a milestone in (since, occasion]: a
    prefilter on the indexed column. The stored anchor is party age's as of its last
    computation; gaps only grow later, so it is never later than the anchor at `occasion`
    and the prefilter keeps everyone due. The rule itself is checked on the timeline after."""
    if since is None:
        return Q(party_age_anchor__lte=add_months(occasion, -12 * min(years)))
    condition = Q()
    for m in years:
        condition |= Q(
            party_age_anchor__gt=add_months(since, -12 * m),
            party_age_anchor__lte=add_months(occasion, -12 * m),
        )
    return condition


def badge_due(
    *,
    scope,
    organization: Organization,
    occasion: date,
    since: date | None = None,
    unheld: bool = True,
    among: Q | None = None,
) -> list[DueRow]:
    """Active members of the subtree (exempted included) whose party age, with its gaps,
    reaches a milestone not yet held by `occasion` (only reached after `since`, if given).
    Removed, expelled, resigned and deceased members are not listed (a posthumous award is
    proposed case by case from the member's page). `unheld=False`: whether proposed or not
    (what was due at a past occasion). `among`: only the members it selects.

    Two passes: the stored anchor names the candidates (no later than the true one), then
    the members' one party-age rule (`members.party_age`, on each candidate's timeline)
    decides; the timelines of members not due are never read."""
    policy = policy_for(occasion)
    qs = _members(scope, organization).filter(
        _anchor_window(occasion, since, policy.badge_years), status__in=ACTIVE_STATUSES
    )
    if among is not None:
        qs = qs.filter(among)
    held = held_milestones(qs.values("pk")) if unheld else {}
    ids = [
        pk
        for pk, anchor in qs.values_list("pk", "party_age_anchor").iterator(chunk_size=5000)
        if rules.milestone_by(anchor, occasion, held=held.get(pk, 0), policy=policy)
    ]
    candidates = []
    for start in range(0, len(ids), 2000):  # under every database's limit of parameters
        candidates += Member.objects.filter(pk__in=ids[start : start + 2000]).select_related(
            "organization"
        )
    candidates.sort(key=lambda m: (m.name_sort, m.pk))
    events = _events_of([m.pk for m in candidates])
    previous = rules.previous_occasion(occasion)
    policies = PolicyLookup()
    rows = []
    for member in candidates:
        anchor = rules.member_anchor(events[member.pk], occasion, policies)
        top = held.get(member.pk, 0)
        milestone = rules.milestone_by(anchor, occasion, held=top, policy=policy)
        if milestone is None:
            continue
        day = rules.reached_on(anchor, milestone)
        if since is not None and day <= since:
            continue
        rows.append(DueRow(member, milestone, day, top, day <= previous))
    return rows


# Events that can open a gap in party age (members.party_age.gaps): exits, re-admission,
# an official transfer out.
GAP_EVENTS = (
    MemberEvent.Type.REMOVED, MemberEvent.Type.EXPELLED, MemberEvent.Type.RESIGNED,
    MemberEvent.Type.DIED, MemberEvent.Type.READMITTED, MemberEvent.Type.TRANSFERRED_OUT,
)  # fmt: skip
EXIT_EVENTS = tuple(t for t in GAP_EVENTS if t != MemberEvent.Type.TRANSFERRED_OUT)
# What `due_count` reads of a candidate's timeline: the admissions and the possible gaps (a
# member with none of them has no admission: never due, as `badge_due` finds).
TIMELINE_READ = (MemberEvent.Type.ADMITTED, *GAP_EVENTS)


def gap_events(on: date) -> Q:
    """Timeline events that may open a period without party activity up to `on`: an exit or
    a re-admission, and a transfer out to an organization that no arrival closes (the next
    arrival, in the timeline's order, on or before `on` and on or before the day the gap
    would start: the letter's presentation deadline, else the day of leaving). Wider than
    `members.party_age.gaps` (which also reads the dated rule on transfer gaps), never
    narrower: a member without such an event has no gap, and party age counts from the first
    admission. A transfer inside the system arriving on time is not a gap."""
    T = MemberEvent.Type
    # The transfer's deadline read by its key: the events scanned are read from the index
    # alone (`member_event_timeline_idx` holds every other column this reads), their detail
    # only here.
    deadline = (
        MemberEvent.objects.filter(pk=OuterRef(OuterRef("pk")))
        .order_by()
        .values(due=_deadline(F("detail")))
    )
    arrival = MemberEvent.objects.filter(
        Q(on__gt=OuterRef("on")) | Q(on=OuterRef("on"), pk__gt=OuterRef("pk")),
        member_id=OuterRef("member_id"), type=T.TRANSFERRED_IN, on__lte=on,
    ).filter(on__lte=Coalesce(Subquery(deadline), OuterRef("on")))  # fmt: skip
    unclosed = Q(type=T.TRANSFERRED_OUT, other_organization__isnull=False) & ~Exists(arrival)
    return Q(type__in=EXIT_EVENTS) | unclosed


def _deadline(detail):
    """The letter's presentation deadline kept in a transfer's detail (None: none)."""
    return Cast(NullIf(KeyTextTransform("present_due", detail), Value("")), DateField())


def due_count(*, organization: Organization, occasion: date) -> int:
    """`len(badge_due(scope=None, organization=…, occasion=…))` without reading every
    candidate's timeline into Python (the home page's badge line, at a province's scale).

    One grouped query over the candidates' events (and badges): a member none of whose
    events may open a gap (`gap_events`) counts party age from the first admission decision,
    and is due when that decision is at least a milestone above the highest one held before
    the occasion. The others (a gap possible: a few, read only when there are some) go
    through `badge_due`'s timeline rule."""
    policy = policy_for(occasion)
    # The candidates through the events' own join to their member (the one the badges' join
    # reuses): the members' index read once, no second look-up of each candidate by its key.
    if organization.province_id == organization.pk:  # a root: as the gate reads it
        place = Q(member__province_id=organization.pk)
    else:
        place = under("member__org_path", organization.path)
    window = add_months(occasion, -12 * min(policy.badge_years))  # as `_anchor_window`
    held = Q(member__badge_cases__stage__in=HELD_STAGES)
    timelines = (
        MemberEvent.objects.filter(
            place,
            member__status__in=ACTIVE_STATUSES,
            member__party_age_anchor__lte=window,
            type__in=TIMELINE_READ,
        )
        .order_by()
        .values("member_id")
        .annotate(
            first_admitted=Min("on", filter=Q(type=MemberEvent.Type.ADMITTED)),
            gaps=Count("pk", filter=gap_events(occasion)),  # (times the badges: 0 or not)
            held=Coalesce(Max("member__badge_cases__milestone", filter=held), 0),
        )
    )
    reached = Q()  # rules.milestone_by from the first admission, above the milestones held
    for milestone in policy.badge_years:
        reached |= Q(first_admitted__lte=add_months(occasion, -12 * milestone), held__lt=milestone)
    counts = timelines.aggregate(
        plain=Count("member_id", filter=Q(gaps=0) & reached),
        gapped=Count("member_id", filter=Q(gaps__gt=0)),
    )
    if not counts["gapped"]:
        return counts["plain"]
    gapped = list(timelines.filter(gaps__gt=0).values_list("member_id", flat=True))
    others = badge_due(
        scope=None, organization=organization, occasion=occasion, among=Q(pk__in=gapped)
    )
    return counts["plain"] + len(others)


# ---------------------------------------------------------------- badge cases


def badge_cases(
    *, scope, organization: Organization, occasion: date | None = None, stage: str = ""
) -> QuerySet[BadgeCase]:
    qs = BadgeCase.objects.filter(under("member__org_path", organization.path))
    if scope is not None:
        qs = scope.filter_by_path(qs, "member__org_path")
    if occasion:
        qs = qs.filter(occasion=occasion)
    if stage:
        qs = qs.filter(stage=stage)
    return qs.select_related("member", "member__organization", "proposer").order_by(
        "-occasion", "member__name_sort", "id"
    )


def badges_of(*, member: Member) -> list[BadgeCase]:
    return list(member.badge_cases.prefetch_related("reissues").order_by("milestone", "id"))


@dataclass
class MemberBadges:
    cases: list[BadgeCase]
    next_milestone: int | None
    next_reached_on: date | None
    next_occasion: date | None


def member_badges(*, member: Member, today: date) -> MemberBadges:
    """The member's badges and the next one due: the first milestone above those held, the
    day party age reaches it (if activity goes on) and the occasion on or after it."""
    cases = badges_of(member=member)
    held = max((c.milestone for c in cases if c.stage in HELD_STAGES), default=0)
    upcoming = [m for m in policy_for(today).badge_years if m > held]
    anchor = rules.member_anchor(list(member.events.all()), today)
    if not member.is_active or anchor is None or not upcoming:
        return MemberBadges(cases, None, None, None)
    milestone = rules.milestone_by(anchor, today, held=held) or upcoming[0]
    day = rules.reached_on(anchor, milestone)
    occasion = day if rules.is_occasion(day) else rules.next_occasion(day)
    return MemberBadges(cases, milestone, day, max(occasion, rules.next_occasion(today)))


# ---------------------------------------------------------------- badges per occasion


def _child_finder(organization: Organization, children: list[Organization]):
    """path → the child of `organization` whose subtree holds it (None: none of them): the
    path segment after the organization's names the child, one dictionary look-up."""
    if children == [organization]:
        return lambda path: organization if path.startswith(organization.path) else None
    by_path = {child.path: child for child in children}
    start = len(organization.path)

    def child_of(path: str) -> Organization | None:
        if not path.startswith(organization.path):
            return None
        segment = path[start:].split("/", 1)[0]
        return by_path.get(f"{organization.path}{segment}/")

    return child_of


@dataclass(frozen=True)
class _Event:
    """What the party-age rule reads of a timeline event (`members.party_age`), as plain
    values: a report over a province reads thousands of them."""

    pk: int
    type: str
    on: date
    other_organization_id: int | None
    detail: dict | None


def _timelines(ids: list[int]) -> dict[int, list[_Event]]:
    """The timelines of the members `ids`, in date order; the detail (a JSON document) read
    only for the transfers out to another organization, the one event whose detail the rule
    reads (the letter's presentation deadline)."""
    rows = []
    for start in range(0, len(ids), 2000):  # under every database's limit of parameters
        rows += MemberEvent.objects.filter(member_id__in=ids[start : start + 2000]).values_list(
            "pk", "member_id", "type", "on", "other_organization_id"
        )
    outs = [pk for pk, _m, type_, _on, other in rows
            if type_ == MemberEvent.Type.TRANSFERRED_OUT and other]  # fmt: skip
    details = {}
    for start in range(0, len(outs), 2000):
        details.update(
            MemberEvent.objects.filter(pk__in=outs[start : start + 2000]).values_list(
                "pk", "detail"
            )
        )
    events = defaultdict(list)
    for pk, member_id, type_, on, other in sorted(rows, key=lambda r: (r[3], r[0])):
        events[member_id].append(_Event(pk, type_, on, other, details.get(pk)))
    return events


def _anchored_between(organization: Organization, windows: dict) -> list[tuple[int, date, str]]:
    """(pk, stored anchor, org path) of the active members of `organization`'s subtree whose
    stored anchor lies, for some milestone, in the union over the occasions of its range:
    one range scan a milestone on the index (province, anchor), as one UNION ALL query,
    the subtree and the status then checked on the few rows read (a province's 70,000
    members are never all read)."""
    province_id = organization.province_id or organization.pk
    parts = []
    for m in sorted({m for _since, policy in windows.values() for m in policy.badge_years}):
        low = min(add_months(since, -12 * m) for since, _policy in windows.values())
        high = max(add_months(occasion, -12 * m) for occasion in windows)
        parts.append(
            Member.objects.filter(
                province_id=province_id, party_age_anchor__gt=low, party_age_anchor__lte=high
            )
            .values_list("pk", "party_age_anchor", "org_path", "status")
            .order_by()
        )
    if not parts:
        return []
    found = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    rows = {
        pk: (pk, anchor, path)
        for pk, anchor, path, status in found
        if path.startswith(organization.path) and status in ACTIVE_STATUSES
    }
    return list(rows.values())


def _due_by_occasion(organization: Organization, occasions: list[date]) -> dict[date, list]:
    """`badge_due(since=the previous occasion, unheld=False)` for every occasion at once:
    occasion → the org paths of the members newly due. The same two passes (the stored
    anchor names the candidates, the members' party-age rule on each one's timeline
    decides), with one read of the candidates and one of their timelines for all the
    occasions, and plain values instead of model objects."""
    policies = PolicyLookup()
    windows = {o: (rules.previous_occasion(o), policies(o)) for o in occasions}
    # Each occasion's window of stored anchors, one range per milestone; the query reads
    # the union of the ranges of a milestone over the occasions (a superset), each row is
    # then held against its occasion's own ranges.
    bounds = {
        occasion: [
            (add_months(since, -12 * m), add_months(occasion, -12 * m)) for m in policy.badge_years
        ]
        for occasion, (since, policy) in windows.items()
    }
    rows = _anchored_between(organization, windows)
    candidates: dict[date, list[tuple[int, str]]] = defaultdict(list)
    for occasion, (_since, policy) in windows.items():
        ranges = bounds[occasion]
        for pk, anchor, path in rows:
            if any(low < anchor <= high for low, high in ranges) and any(
                rules.reached_on(anchor, m) <= occasion for m in policy.badge_years
            ):
                candidates[occasion].append((pk, path))
    ids = sorted({pk for found in candidates.values() for pk, _path in found})
    events = _timelines(ids)
    due: dict[date, list[str]] = {o: [] for o in occasions}
    for occasion, (since, policy) in windows.items():
        for pk, path in candidates[occasion]:
            anchor = rules.member_anchor(events[pk], occasion, policies)
            milestone = rules.milestone_by(anchor, occasion, policy=policy)
            if milestone is not None and rules.reached_on(anchor, milestone) > since:
                due[occasion].append(path)
    return due


def badge_counts(*, organization: Organization, occasions: list[date]) -> list[dict]:
    """Per occasion and child organization: members newly due (reaching a milestone since
    the previous occasion, as `badge_due` counts them), proposed, decided and awarded. A
    few queries for all the occasions (bench/badges.py; the figures are `badge_due`'s:
    tests/test_report_badges.py compares)."""
    children = list(
        Organization.objects.filter(parent=organization).order_by("name_sort", "id")
    ) or [organization]
    child_of = _child_finder(organization, children)
    counts: dict[tuple[date, Organization | None], Counter] = defaultdict(Counter)
    for occasion, paths in _due_by_occasion(organization, occasions).items():
        for path in paths:
            counts[(occasion, child_of(path))]["due"] += 1
    cases = (
        BadgeCase.objects.filter(
            under("member__org_path", organization.path), occasion__in=occasions
        )
        .exclude(stage=Stage.WITHDRAWN)
        .values_list("occasion", "stage", "ceremony_on", "member__org_path")
    )
    decided = (Stage.DECIDED, Stage.AWARDED, Stage.RETURNED)
    for occasion, stage, ceremony_on, path in cases:
        counter = counts[(occasion, child_of(path))]
        counter["proposed"] += 1
        counter["decided"] += stage in decided
        counter["awarded"] += ceremony_on is not None
    return [
        {
            "occasion": occasion,
            "organization": child,
            **{k: counts[(occasion, child)][k] for k in ("due", "proposed", "decided", "awarded")},
        }
        for occasion in occasions
        for child in children
    ]


# ---------------------------------------------------------------- commendations


@dataclass
class CommendationFilters:
    start: date | None = None
    end: date | None = None
    form: str = ""
    recipient_kind: str = ""


def commendation_list(
    *, scope, organization: Organization, filters: CommendationFilters
) -> QuerySet[Commendation]:
    qs = Commendation.objects.filter(under("authority__path", organization.path))
    if scope is not None:
        qs = scope.filter_by_path(qs, "authority__path")
    if filters.start:
        qs = qs.filter(decided_on__gte=filters.start)
    if filters.end:
        qs = qs.filter(decided_on__lte=filters.end)
    if filters.form:
        qs = qs.filter(form=filters.form)
    if filters.recipient_kind:
        qs = qs.filter(recipient_kind=filters.recipient_kind)
    return qs.select_related("authority", "recipient_organization", "recipient_member").order_by(
        "-decided_on", "form", "recipient_name", "id"
    )


def commendation_counts(*, scope, organization: Organization, start: date, end: date) -> Counter:
    """(form, recipient kind) → number of commendations decided in [start, end] by the
    organizations of the subtree."""
    qs = commendation_list(
        scope=scope, organization=organization, filters=CommendationFilters(start, end)
    )
    counts = Counter()
    for form, kind in qs.values_list("form", "recipient_kind"):
        counts[(form, kind)] += 1
    return counts


def counts_sentence(counts: Counter, form: str) -> dict[str, int]:
    return {kind: counts[(form, kind)] for kind in RecipientKind.values}


FORMS = list(CommendationForm)


# ---------------------------------------------------------------- candidates from ratings


@dataclass
class Candidate:
    kind: str  # RecipientKind value
    organization: Organization | None
    member: Member | None
    years: tuple[int, ...]
    already: bool  # a commendation for these years by this organization is recorded

    @property
    def name(self) -> str:
        return self.member.full_name if self.member else self.organization.name


def candidates(
    *, scope, organization: Organization, year_from: int, year_to: int
) -> list[Candidate]:
    """Organizations and members of the subtree rated "hoàn thành xuất sắc nhiệm vụ" in
    every year from `year_from` to `year_to` (the ratings app's decided yearly sessions)."""
    from tochuc.ratings.selectors import excellent_years

    years = set(range(year_from, year_to + 1))
    found = excellent_years(organization=organization, years=years)
    org_ids = [pk for (kind, pk), ys in found.items() if kind == "organization" and ys >= years]
    member_ids = [pk for (kind, pk), ys in found.items() if kind == "member" and ys >= years]
    orgs = Organization.objects.filter(pk__in=org_ids)
    members = Member.objects.filter(pk__in=member_ids).select_related("organization")
    if scope is not None:
        orgs = orgs.filter(pk__in=scope.organizations().values("pk"))
        members = scope.filter_by_path(members, "org_path")
    given = set(
        Commendation.objects.filter(
            authority=organization, year_from=year_from, year_to=year_to
        ).values_list("recipient_kind", "recipient_organization_id", "recipient_member_id")
    )
    span = tuple(sorted(years))
    rows = [
        Candidate("organization", o, None, span, ("organization", o.pk, None) in given)
        for o in orgs.order_by("name_sort", "id")
    ] + [
        Candidate("member", None, m, span, ("member", None, m.pk) in given)
        for m in members.order_by("name_sort", "id")
    ]
    return rows
