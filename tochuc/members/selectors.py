"""Reads of the member registry, always inside the caller's scope.

Lists are in Vietnamese order (given name, then middle and family name) and paged by
keyset — (name_sort, id) after the last row shown — so a deep page costs what the first
does. Search folds accents with the same function used when storing names.
"""

import re
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from tochuc.lib import paths
from tochuc.lib.dates import add_months
from tochuc.lib.vntext import fold
from tochuc.organizations.models import Organization

from . import party_age
from .models import ACTIVE_STATUSES, Member, MemberEvent

DIGITS = re.compile(r"^\d+$")


@dataclass
class MemberFilters:
    text: str = ""
    organization: Organization | None = None
    statuses: list[str] = field(default_factory=lambda: list(ACTIVE_STATUSES))
    gender: str = ""
    ethnicity: str = ""
    qualification: str = ""
    political_theory: str = ""
    age_min: int | None = None
    age_max: int | None = None
    party_age_min: int | None = None
    party_age_max: int | None = None


def _text_condition(text: str) -> Q:
    text = text.strip()
    if DIGITS.match(text) and len(text) == 12:
        return Q(citizen_id=text)
    words = fold(text).split()
    condition = Q(party_card_no=text.upper()) if len(words) == 1 else Q(pk__in=[])
    name = Q()
    for word in words:  # every typed word starts a word of the name
        name &= Q(name_folded__startswith=word) | Q(name_folded__contains=f" {word}")
    return condition | name


def member_list(*, scope, filters: MemberFilters, today: date | None = None) -> QuerySet[Member]:
    today = today or timezone.localdate()
    qs = scope.members()
    if filters.organization is not None:
        qs = qs.filter(paths.under("org_path", filters.organization.path))
        if filters.organization.province_id:
            qs = qs.filter(province_id=filters.organization.province_id)
    if filters.statuses:
        qs = qs.filter(status__in=filters.statuses)
    if filters.text.strip():
        qs = qs.filter(_text_condition(filters.text))
    for name in ("gender", "ethnicity", "qualification", "political_theory"):
        value = getattr(filters, name)
        if value:
            qs = qs.filter(**{name: value})
    # Ages in whole years at `today`: born on or before today minus N years.
    if filters.age_min is not None:
        qs = qs.filter(birth_date__lte=add_months(today, -12 * filters.age_min))
    if filters.age_max is not None:
        qs = qs.filter(birth_date__gt=add_months(today, -12 * (filters.age_max + 1)))
    if filters.party_age_min is not None:
        qs = qs.filter(party_age_anchor__lte=add_months(today, -12 * filters.party_age_min))
    if filters.party_age_max is not None:
        qs = qs.filter(party_age_anchor__gt=add_months(today, -12 * (filters.party_age_max + 1)))
    return qs.select_related("organization").order_by("name_sort", "id")


@dataclass
class Page:
    rows: list[Member]
    next_cursor: str | None
    count: int | None = None


def keyset_page(qs: QuerySet[Member], *, after: str | None, size: int) -> Page:
    """Rows after the cursor "<name_sort>.<id>" (as printed by the previous page)."""
    if after:
        sort, _, last_id = after.rpartition(".")
        if sort.isdigit() and last_id.isdigit():
            # The leading range lets the (…, name_sort, id) index start at the cursor.
            qs = qs.filter(
                Q(name_sort__gte=sort),
                Q(name_sort__gt=sort) | Q(name_sort=sort, id__gt=int(last_id)),
            )
    rows = list(qs[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    cursor = f"{rows[-1].name_sort}.{rows[-1].pk}" if more and rows else None
    return Page(rows, cursor)


def member_get(*, scope, pk: int) -> Member:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(scope.members().select_related("organization"), pk=pk)


def member_timeline(*, member: Member) -> list[MemberEvent]:
    return list(
        member.events.select_related("organization", "other_organization", "recorded_by").order_by(
            "on", "id"
        )
    )


def member_party_age(*, member: Member, on: date | None = None):
    return party_age.party_age(list(member.events.all()), on or timezone.localdate())
