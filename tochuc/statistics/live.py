"""Membership figures counted live from the registries: the tree and the members at a date,
the dimensions of forms 1-TCTW…4-TCTW. The layer under both the summary table (counts.py,
which builds from it and counts stale provinces with it) and the report sources
(sources.py, which read the summary table first)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)

from tochuc.lib import paths
from tochuc.lib.dates import add_months
from tochuc.members.models import Affiliation, MemberEvent
from tochuc.organizations.models import (
    GRASSROOTS_KINDS,
    UNDER_GRASSROOTS_KINDS,
    Organization,
    OrganizationVersion,
)
from tochuc.organizations.selectors import in_force, version_of

T = MemberEvent.Type
STARTS = (T.ADMITTED, T.READMITTED)


# ---------------------------------------------------------------- the tree at a date


def root_path_on(root: Organization, on: date) -> str | None:
    version = version_of(organization=root, on=on)
    return version.path if version else None


def subtree_versions(root: Organization | None, on: date) -> QuerySet[OrganizationVersion]:
    """Versions in force on `on` of the organizations under `root` then (root included);
    `root` None: the whole system (every version in force)."""
    if root is None:
        return OrganizationVersion.objects.filter(in_force(on))
    path = root_path_on(root, on)
    if path is None:
        return OrganizationVersion.objects.none()
    return OrganizationVersion.objects.filter(in_force(on), paths.under("path", path))


def organization_counts(root: Organization | None, on: date) -> Counter:
    """(kind, grassroots type) → number of organizations under `root` on `on` (root excluded),
    counted in one grouped query; `root` None: every organization of the system then, the
    provinces included. The grassroots type is the organization's (it is not versioned)."""
    versions = subtree_versions(root, on)
    if root is not None:
        versions = versions.exclude(organization_id=root.pk)
    rows = (
        versions.values_list("kind", "organization__grassroots_type")
        .annotate(n=Count("id"))
        .order_by()
    )
    return Counter({(kind, gtype or ""): n for kind, gtype, n in rows})


def grassroots_totals(counts: Counter) -> tuple[int, int]:
    grassroots = sum(n for (kind, _t), n in counts.items() if kind in GRASSROOTS_KINDS)
    under = sum(n for (kind, _t), n in counts.items() if kind in UNDER_GRASSROOTS_KINDS)
    return grassroots, under


# ---------------------------------------------------------------- members at a date


def affiliations_on(root: Organization | None, on: date) -> QuerySet[Affiliation]:
    """The official affiliations in force on `on` in organizations under `root` then: one
    row per member counted (a member has at most one official affiliation at a time).
    `root` None: every official affiliation in force (the whole system)."""
    affiliations = Affiliation.objects.filter(in_force(on), kind=Affiliation.Kind.OFFICIAL)
    if root is None:
        return affiliations
    return affiliations.filter(
        organization_id__in=subtree_versions(root, on).values("organization_id")
    )


def _full_exactly(on: date) -> Exists:
    """Full on `on`: confirmed on or before it, after their latest (re-)admission then."""
    latest_start = (
        MemberEvent.objects.filter(member=OuterRef(OuterRef("member_id")), type__in=STARTS)
        .filter(on__lte=on)
        .order_by("-on")
        .values("on")[:1]
    )
    return Exists(
        MemberEvent.objects.filter(
            member=OuterRef("member_id"),
            type=T.CONFIRMED,
            on__lte=on,
            on__gte=Subquery(latest_start),
        )
    )


def full_on(on: date) -> Case:
    """Whether the member was full on `on`. A member never re-admitted has one confirmation,
    the stored `confirmed_on` (one comparison); a re-admitted member (rare) has their
    timeline read (`_full_exactly`). The re-admitted are one uncorrelated subquery (indexed
    by type), which the database reads once, not once per member."""
    readmitted = Q(member_id__in=MemberEvent.objects.filter(type=T.READMITTED).values("member_id"))
    return Case(
        When(readmitted, then=_full_exactly(on)),
        default=ExpressionWrapper(Q(member__confirmed_on__lte=on), output_field=BooleanField()),
        output_field=BooleanField(),
    )


@dataclass(frozen=True)
class AgeBand:
    key: str
    low: int | None  # full years, inclusive
    high: int | None  # full years, inclusive


def age_condition(band: AgeBand, on: date) -> Q:
    """Age in full years on `on` within the band, as a range of birth dates (indexable)."""
    condition = Q()
    if band.low is not None:  # at least `low` years old: born on or before on − low years
        condition &= Q(member__birth_date__lte=add_months(on, -12 * band.low))
    if band.high is not None:  # younger than high + 1
        condition &= Q(member__birth_date__gt=add_months(on, -12 * (band.high + 1)))
    return condition


def age_band(on: date, bands: list[AgeBand]) -> Case:
    return Case(
        *[When(age_condition(band, on), then=Value(band.key)) for band in bands],
        default=Value(""),
        output_field=CharField(),
    )


# Fields of the record counted value by value (forms 2-TCTW…4-TCTW).
PROFILE_FIELDS = ("gender", "ethnicity", "religion", "general_education", "qualification",
                  "political_theory")  # fmt: skip
Profile = dict[str, Counter]  # dimension ("status", "age" or a field) → value → members


def profile_rows(affiliations: QuerySet[Affiliation], on: date, bands: list[AgeBand],
                 *group_by: str):  # fmt: skip
    """One grouped query: (group_by…, is_full, age band, the fields…, n) over `affiliations`."""
    return (
        affiliations.annotate(is_full=full_on(on), band=age_band(on, bands))
        .values_list(*group_by, "is_full", "band", *[f"member__{f}" for f in PROFILE_FIELDS])
        .annotate(n=Count("id"))
        .order_by()
    )


def add_to_profile(profile: Profile, row: tuple) -> None:
    """Add one grouped row (is_full, band, fields…, n) to the profile."""
    is_full, band, *values, n = row
    profile.setdefault("status", Counter())["full" if is_full else "probationary"] += n
    profile.setdefault("age", Counter())[band] += n
    for field, value in zip(PROFILE_FIELDS, values, strict=True):
        profile.setdefault(field, Counter())[value or ""] += n


def member_profile(root: Organization | None, on: date, bands: list[AgeBand]) -> Profile:
    """Every count of forms 1-TCTW…4-TCTW for the members under `root` (None: the whole
    system) on `on`, live in one grouped query (the Python loop runs over the distinct
    combinations, never over members)."""
    profile: Profile = {}
    for row in profile_rows(affiliations_on(root, on), on, bands):
        add_to_profile(profile, row)
    return profile
