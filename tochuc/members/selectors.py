"""Reads of the member registry, always inside the caller's scope.

Lists are in Vietnamese order (given name, then middle and family name) and paged by
keyset — (name_sort, id) after the last row shown — so a deep page costs what the first
does. Search folds accents with the same function used when storing names.
"""

import calendar
import hashlib
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field, fields, replace
from datetime import date

from django.core.cache import caches
from django.core.exceptions import EmptyResultSet
from django.db import models
from django.db.models import (
    BooleanField,
    Case,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils import timezone

from tochuc.lib import paths, search
from tochuc.lib.dates import add_months
from tochuc.lib.prepared import Prepared
from tochuc.organizations.models import Organization

from . import party_age
from .models import ACTIVE_STATUSES, Affiliation, Member, MemberEvent

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
    words = search.words(text)  # capped: QueryTooLong over the caps
    condition = Q(party_card_no=text.upper()) if len(words) == 1 else Q(pk__in=[])
    return condition | search.name_condition(text)


def _search_province(scope, within: Organization | None) -> int | None:
    """The one province a search stays in, if any. Naming it lets PostgreSQL use that
    province's trigram index on the folded names (`tochuc search_indexes`), which serves
    only a query that says `province_id = N`."""
    if within is not None:
        return within.province_id
    if scope.is_admin:
        return None
    provinces = {g.organization.province_id for g in scope.grants if g.organization_id}
    return provinces.pop() if len(provinces) == 1 else None


def member_list(*, scope, filters: MemberFilters, today: date | None = None) -> QuerySet[Member]:
    today = today or timezone.localdate()
    conditions = []  # one filter() for all: each call copies the query
    if filters.statuses:
        conditions.append(Q(status__in=filters.statuses))
    if filters.text.strip():
        conditions.append(_text_condition(filters.text))
        province = _search_province(scope, filters.organization)
        if province is not None:  # implied by the scope; says so to the planner
            conditions.append(Q(province_id=province))
    for name in ("gender", "ethnicity", "qualification", "political_theory"):
        value = getattr(filters, name)
        if value:
            conditions.append(Q(**{name: value}))
    # Ages in whole years at `today`: born on or before today minus N years.
    if filters.age_min is not None:
        conditions.append(Q(birth_date__lte=add_months(today, -12 * filters.age_min)))
    if filters.age_max is not None:
        conditions.append(Q(birth_date__gt=add_months(today, -12 * (filters.age_max + 1))))
    if filters.party_age_min is not None:
        anchor = add_months(today, -12 * filters.party_age_min)
        conditions.append(Q(party_age_anchor__lte=anchor))
    if filters.party_age_max is not None:
        anchor = add_months(today, -12 * (filters.party_age_max + 1))
        conditions.append(Q(party_age_anchor__gt=anchor))
    qs = scope.members(within=filters.organization)
    if conditions:
        qs = qs.filter(*conditions)
    return qs.select_related("organization").order_by("name_sort", "id")


def search_key(*, scope, filters: MemberFilters, today: date | None = None) -> str:
    """What `member_list` lists, as a key: the scope (its roots), every filter (the
    organization by id and path: a restructuring moves its subtree), the day and the count's
    limit; the key of a search's "more than" mark and of its shape (`_shaped_rows`)."""
    within = filters.organization
    values = [scope.is_admin, sorted(scope.roots), today or timezone.localdate()]
    values += [SEARCH_COUNT_LIMIT, within and (within.pk, within.path)]
    values += [getattr(filters, f.name) for f in fields(MemberFilters) if f.name != "organization"]
    return hashlib.sha256(repr(values).encode()).hexdigest()


@dataclass(frozen=True)
class Count:
    """How many rows matched: exact, or "more than `value`" when counting stopped there."""

    value: int
    capped: bool = False


SEARCH_COUNT_LIMIT = 1000  # a name search stops counting here: the page says "more than"


def count_matches(qs: QuerySet, *, capped: bool) -> Count:
    """The number of rows, exact unless `capped`: a search by name ("nguyen") matches most
    of a province and reads every name to be counted exactly; counting stops at the limit."""
    if not capped:
        return Count(qs.count())
    found = qs.order_by().values("pk")[: SEARCH_COUNT_LIMIT + 1].count()
    if found > SEARCH_COUNT_LIMIT:
        return Count(SEARCH_COUNT_LIMIT, capped=True)
    return Count(found)


@dataclass
class Page:
    rows: list[Member]
    next_cursor: str | None
    count: int | None = None


CURSOR = re.compile(r"([0-9]{1,600})\.([0-9]{1,18})")  # name_sort's length; a 63-bit id


def _cursor(after: str | None) -> tuple[str, int] | None:
    """The cursor "<name_sort>.<id>" (as printed by the previous page) read, or None (none,
    or not one — "²", an id past 64 bits: the first page)."""
    found = CURSOR.fullmatch(after or "")
    return (found[1], int(found[2])) if found else None


def _after(qs: QuerySet[Member], after: str | None) -> QuerySet[Member]:
    """The rows after the cursor "<name_sort>.<id>" (as printed by the previous page)."""
    return _after_cursor(qs, _cursor(after))


def _after_cursor(qs: QuerySet[Member], cursor: tuple[str, int] | None) -> QuerySet[Member]:
    if cursor is None:
        return qs
    sort, last_id = cursor
    # The leading range lets the (…, name_sort, id) index start at the cursor.
    return qs.filter(
        Q(name_sort__gte=sort), Q(name_sort__gt=sort) | Q(name_sort=sort, id__gt=last_id)
    )


def _page(rows: list[Member], size: int) -> Page:
    more = len(rows) > size
    rows = rows[:size]
    cursor = f"{rows[-1].name_sort}.{rows[-1].pk}" if more and rows else None
    return Page(rows, cursor)


def keyset_page(qs: QuerySet[Member], *, after: str | None, size: int) -> Page:
    """Rows after the cursor "<name_sort>.<id>" (as printed by the previous page)."""
    return _page(list(_after(qs, after)[: size + 1]), size)


MATCHES = "_tochuc_matches"  # the count carried by each row of `page_and_count`
# A search found to match more than SEARCH_COUNT_LIMIT rows is taken to still do so for this
# long (the cache, keyed by what is searched: `search_key`): a name as common as "nguyen
# van" is counted once a minute, not at every page. An exact count (at most the limit) is
# never reused. Kept in the web process's own memory (settings: the "local" cache): a mark
# that may be a minute old needs no sharing between processes (each counts such a search at
# most once a minute), and the shared cache is a table of the database on PostgreSQL, a
# round trip more at every page that the mark spares a count.
CAPPED_SECONDS = 60
CAPPED_CACHE = "local"


def _mark(key: str) -> str:
    return f"tochuc:members:capped:{key}"


def member_page(
    *, scope, filters: MemberFilters, today: date, after: str | None, size: int, rows_as=None
) -> tuple[Page, Count]:
    """The page of `member_list` after the cursor, and the count of all its rows: exact,
    or for a search by name capped at the limit. A search already found over the limit
    (its mark, CAPPED_SECONDS) is not counted again, and its page is read by the SQL of its
    shape, compiled once (`_shaped_rows`); otherwise `page_and_count`.

    `rows_as`: a class whose `COLUMNS` are read as plain values (no model objects) and
    passed to it, in that order, for each row; it has the cursor's `name_sort` and `pk`."""
    capped = search_key(scope=scope, filters=filters, today=today) if filters.text.strip() else None
    if capped and caches[CAPPED_CACHE].get(_mark(capped)):
        rows = _shaped_rows(scope, filters, today, after, size, rows_as) if rows_as else None
        if rows is None:
            qs = member_list(scope=scope, filters=filters, today=today)
            rows, _found = _rows(_after(qs, after), size, rows_as)
        return _page(rows, size), Count(SEARCH_COUNT_LIMIT, capped=True)
    qs = member_list(scope=scope, filters=filters, today=today)
    return page_and_count(qs, after=after, size=size, capped=capped, rows_as=rows_as)


def page_and_count(
    qs: QuerySet[Member], *, after: str | None, size: int, capped: str | None, rows_as=None
) -> tuple[Page, Count]:
    """`keyset_page` and `count_matches` in one round trip: the count (of every match, not
    of the rows after the cursor) rides on the page's query as an uncorrelated scalar
    subquery, which the database evaluates once. The same two statements as apart; a
    page with no rows after a cursor counts apart (there is no row to carry it).

    `capped`: None for an exact count; for one that stops at the limit, the search's key
    (`search_key` of what made `qs`), under which a count over the limit is marked.
    `rows_as`: as for `member_page`."""
    if qs.query.is_empty():
        return Page([], None), Count(0)
    counted = qs.order_by().values("pk")
    if capped:
        counted = counted[: SEARCH_COUNT_LIMIT + 1]
    sql, params = counted.query.sql_with_params()
    matches = RawSQL(f"SELECT COUNT(*) FROM ({sql}) AS matches", params)  # noqa: S611
    rows, found = _rows(_after(qs, after).annotate(**{MATCHES: matches}), size, rows_as, MATCHES)
    if not rows:
        return _page(rows, size), count_matches(qs, capped=bool(capped)) if after else Count(0)
    if capped and found > SEARCH_COUNT_LIMIT:
        caches[CAPPED_CACHE].set(_mark(capped), True, CAPPED_SECONDS)
        return _page(rows, size), Count(SEARCH_COUNT_LIMIT, capped=True)
    return _page(rows, size), Count(found)


# The page of a search by name, compiled once per shape (lib.prepared): the same scope and
# filters, the same number of words, a cursor or none. Building and compiling the ORM's
# query was ~1 ms of CPU at each page, more than the database's time for it. Kept for the
# SHAPES_KEPT shapes used last, in each process.
SHAPES_KEPT = 256
_SHAPES: OrderedDict[str, Prepared] = OrderedDict()
_SHAPES_LOCK = threading.Lock()
_WORD_SAMPLES = [f"qzx{letter}q" for letter in "abcdefghijklmnop"]  # no name holds them
_CURSOR_SAMPLE = ("7351902468135", 864_209_751)


def _shaped_rows(scope, filters: MemberFilters, today: date, after, size: int, rows_as):
    """The rows `_rows(_after(member_list(…), after), size, rows_as)` reads, by the SQL of
    the search's shape: the ORM's own query, built and compiled for the shape's first
    search with sample words and cursor (`_WORD_SAMPLES`, `_CURSOR_SAMPLE`) and run with
    this search's. None for what it does not take (a citizen id, a text of no word)."""
    text = filters.text.strip()
    words = search.words(text)
    if not words or len(words) > len(_WORD_SAMPLES) or (DIGITS.match(text) and len(text) == 12):
        return None
    cursor = _cursor(after)
    samples = {f"w{i}": sample for i, sample in enumerate(_WORD_SAMPLES[: len(words)])}
    values = {f"w{i}": word for i, word in enumerate(words)}
    if len(words) == 1:  # a card number too (`_text_condition`)
        samples["card"], values["card"] = samples["w0"].upper(), text.upper()
    if cursor is not None:
        samples["sort"], samples["last"] = _CURSOR_SAMPLE
        values["sort"], values["last"] = cursor
    shape = replace(filters, text=" ".join(_WORD_SAMPLES[: len(words)]))
    key = search_key(scope=scope, filters=shape, today=today)
    key += f":{cursor is not None}:{size}:{','.join(rows_as.COLUMNS)}"
    with _SHAPES_LOCK:
        prepared = _SHAPES.get(key)
        if prepared is not None:
            _SHAPES.move_to_end(key)
    if prepared is None:

        def build(**sample):
            qs = member_list(scope=scope, filters=shape, today=today)
            at = (sample["sort"], sample["last"]) if cursor is not None else None
            return _after_cursor(qs, at).values_list(*rows_as.COLUMNS)[: size + 1]

        prepared = Prepared(build, plan_each=True, **samples)
        with _SHAPES_LOCK:
            _SHAPES[key] = prepared
            while len(_SHAPES) > SHAPES_KEPT:
                _SHAPES.popitem(last=False)
    try:
        return [rows_as(*row) for row in prepared.rows(**values)]
    except EmptyResultSet:  # a scope that lists nothing (not one that searches)
        return []


def _rows(qs: QuerySet, size: int, rows_as, annotation: str | None = None) -> tuple[list, int]:
    """The first `size + 1` rows of `qs` (model objects, or `rows_as` objects built from
    plain values), and the first row's `annotation` (None without one or without rows)."""
    if rows_as is None:
        rows = list(qs[: size + 1])
        return rows, getattr(rows[0], annotation) if rows and annotation else None
    columns = rows_as.COLUMNS
    if annotation is None:
        return [rows_as(*values) for values in qs.values_list(*columns)[: size + 1]], None
    fetched = list(qs.values_list(annotation, *columns)[: size + 1])
    return [rows_as(*values) for _n, *values in fetched], fetched[0][0] if fetched else None


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


# ---------------------------------------------------------------- members as of a date


def _subtree_ids_on(organization: Organization, on: date):
    """Ids of the organizations under `organization` (itself included) as the tree was on
    `on` (a subquery)."""
    from tochuc.organizations.models import OrganizationVersion
    from tochuc.organizations.selectors import in_force, version_of

    version = version_of(organization=organization, on=on)
    if version is None:
        return OrganizationVersion.objects.none().values("organization_id")
    return (
        OrganizationVersion.objects.filter(in_force(on))
        .filter(paths.under("path", version.path))
        .values("organization_id")
    )


def affiliations_on(*, organization: Organization, on: date, kind: str) -> QuerySet[Affiliation]:
    """Activity of `kind` in `organization`'s subtree (as it was) on `on`."""
    return Affiliation.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=on),
        kind=kind,
        valid_from__lte=on,
        organization_id__in=_subtree_ids_on(organization, on),
    )


def member_count_on(*, organization: Organization, on: date) -> int:
    """Members counted in `organization`'s subtree on `on`: official activity only. A member
    in transfer counts at the source until the arrival date; a temporary activity does not
    count at the host."""
    return affiliations_on(organization=organization, on=on, kind=Affiliation.Kind.OFFICIAL).count()


def temporary_member_count_on(*, organization: Organization, on: date) -> int:
    temporary = Affiliation.Kind.TEMPORARY
    return affiliations_on(organization=organization, on=on, kind=temporary).count()


def temporary_members_on(*, organization: Organization, on: date) -> list[Affiliation]:
    """Members in temporary activity in `organization`'s subtree on `on` (the host's list),
    with their home organization, in Vietnamese order."""
    rows = affiliations_on(
        organization=organization, on=on, kind=Affiliation.Kind.TEMPORARY
    ).select_related("member", "member__organization", "organization")
    return sorted(rows, key=lambda a: (a.member.name_sort, a.member_id))


def with_sides(events: QuerySet[MemberEvent]) -> QuerySet[MemberEvent]:
    """`events` with `moved_from` and `moved_to`: the organization whose official members
    each event takes one from, and the one it adds one to (None: none, or outside the
    system). The one basis of every movement count (the reports, `movement_counts`): an
    event moves the count on the day the official affiliation changes.

    - admission, re-admission: into `organization` on the decision date (as party age);
    - an official transfer inside the system: on the arrival day (until then the member
      is counted at the source, "in transfer"), both sides from the one arrival event,
      the source being the affiliation the arrival closed — the letter's source, or where
      a restructuring carried the member while in transfer; the letter moves nothing;
    - a transfer out of the system, an exit: out of `organization` on its day;
    - a transfer in from outside the system: into `organization` on the arrival day;
    - a restructuring (`reorganized`): from `other_organization` to `organization`.
    """
    T = MemberEvent.Type
    # At most one (a member's official affiliations never overlap); unordered, as the
    # model's ordering (by the member's name) would join the members for every arrival.
    closed_by_arrival = (
        Affiliation.objects.filter(
            member=OuterRef("member_id"), kind=Affiliation.Kind.OFFICIAL, valid_to=OuterRef("on")
        )
        .order_by()
        .values("organization_id")[:1]
    )
    return events.annotate(
        moved_from=Case(
            When(
                type=T.TRANSFERRED_IN,
                other_organization__isnull=False,
                then=Coalesce(Subquery(closed_by_arrival), F("other_organization_id")),
            ),
            When(type=T.TRANSFERRED_OUT, other_organization__isnull=True,
                 then=F("organization_id")),
            When(type=T.REORGANIZED, then=F("other_organization_id")),
            When(type__in=party_age.EXITS, then=F("organization_id")),
            default=Value(None),
            output_field=IntegerField(),
        ),
        moved_to=Case(
            When(type__in=(T.ADMITTED, T.READMITTED, T.TRANSFERRED_IN, T.REORGANIZED),
                 then=F("organization_id")),
            default=Value(None),
            output_field=IntegerField(),
        ),
    )  # fmt: skip


@dataclass
class MovementCounts:
    """Movements of members of one subtree in a period (see `movement_counts`)."""

    official_in: int = 0  # received from outside the subtree (other organizations or parties)
    official_out: int = 0  # arrived outside the subtree, or left the system
    official_out_of_system: int = 0  # of which: out of the system (another province, abroad)
    official_in_from_outside: int = 0  # of official_in: from outside the system
    internal: int = 0  # received by one organization of the subtree from another one of it
    temporary_in: int = 0  # temporary letters from outside the subtree to a host in it
    temporary_out: int = 0  # temporary letters from the subtree to outside it
    exits: dict[str, int] = field(default_factory=dict)  # MemberEvent type → count
    readmitted: int = 0

    @property
    def received_and_transferred(self) -> int:
        """ "Received and transferred party activity for N members" (official)."""
        return self.official_in + self.official_out + self.internal


MOVEMENT_TYPES = [
    MemberEvent.Type.TRANSFERRED_IN, MemberEvent.Type.TRANSFERRED_OUT,
    MemberEvent.Type.TEMPORARY_OUT, MemberEvent.Type.READMITTED,
    *party_age.EXITS,
]  # fmt: skip


def movement_counts(organization: Organization, start: date, end: date) -> MovementCounts:
    """Period counts for reports, for the subtree of `organization`, events dated
    `start` ≤ day ≤ `end` (both included), in one grouped query over the timelines.

    Official movements on the reports' basis (`with_sides`: a transfer inside the system
    counts on the arrival day, out of the organization the arrival closed):
    - official transfers in and out cross the subtree's boundary; a move between two cells
      of the subtree counts once, as `internal`;
    - out of / in from the system are counted within `official_out` / `official_in` and
      also on their own;
    - temporary transfers in and out (no official movement), counted when the letter is
      issued;
    - exits by reason: `exits` maps "removed", "expelled", "resigned", "died" to counts
      (every reason present, zero included), and re-admissions.

    Membership of the subtree is by the organizations' paths today (members follow their
    cells through restructurings). The caller checks that `organization` is in scope.
    """
    T = MemberEvent.Type
    subtree = Organization.objects.filter(paths.under("path", organization.path)).values("pk")

    def inside(condition: Q) -> Case:
        return Case(When(condition, then=Value(True)), default=Value(False),
                    output_field=BooleanField())  # fmt: skip

    events = MemberEvent.objects.filter(on__gte=start, on__lte=end, type__in=MOVEMENT_TYPES)
    rows = (
        with_sides(events)
        .filter(
            Q(moved_from__in=subtree) | Q(moved_to__in=subtree)
            | Q(organization_id__in=subtree) | Q(other_organization_id__in=subtree)
        )
        .annotate(
            left=inside(Q(moved_from__in=subtree)), joined=inside(Q(moved_to__in=subtree)),
            here=inside(Q(organization_id__in=subtree)),
            there=inside(Q(other_organization_id__in=subtree)),
            outside_system=inside(Q(other_organization__isnull=True)),
        )
        .values_list("type", "left", "joined", "here", "there", "outside_system")
        .annotate(n=models.Count("id"))
        .order_by()
    )  # fmt: skip
    counts = MovementCounts(exits={str(t): 0 for t in party_age.EXITS})
    for type_, left, joined, here, there, outside_system, n in rows:
        if type_ == T.TRANSFERRED_IN and joined:
            if left:
                counts.internal += n
            else:
                counts.official_in += n
                counts.official_in_from_outside += n if outside_system else 0
        elif type_ in (T.TRANSFERRED_IN, T.TRANSFERRED_OUT) and left and not joined:
            counts.official_out += n
            counts.official_out_of_system += n if type_ == T.TRANSFERRED_OUT else 0
        elif type_ == T.TEMPORARY_OUT and here and not there:
            counts.temporary_out += n
        elif type_ == T.TEMPORARY_OUT and there and not here:
            counts.temporary_in += n
        elif type_ in party_age.EXITS and left:
            counts.exits[str(type_)] += n
        elif type_ == T.READMITTED and joined:
            counts.readmitted += n
    return counts


# ---------------------------------------------------------------- who is in a cell's roll


@dataclass(frozen=True)
class RollEntry:
    """A member in party activity in a cell on a date; `temporary`: in temporary activity
    there (their official activity is elsewhere)."""

    member: Member
    temporary: bool


def exempted_on(member_ids, on: date) -> set[int]:
    """Members (of `member_ids`) exempted from work and activity on `on`, from the timeline."""
    return _exempted_by(_exemption_events(member_ids, on), on)


def roll_on(
    *, organization: Organization, on: date | None = None, month: date | None = None
) -> list[RollEntry]:
    """Who is in party activity in `organization` (a cell) on `on`, from the timeline: its
    official members, less those in temporary activity elsewhere that day, plus those in
    temporary activity there; a member exempted from work and activity that day is not on
    it. In Vietnamese order. `month` (any day of it) instead of `on`: the roll of the month,
    which is the roll on the month's last day."""
    day = month_end(month) if month is not None else on
    return rolls_on(organizations=[organization], on=day).get(organization.pk, [])


def rolls_on(*, organizations, on: date) -> dict[int, list[RollEntry]]:
    """`roll_on` for many cells at once (three queries): organization pk → its roll."""
    ids = [o.pk for o in organizations]
    found = _rolls(organization_ids=ids, days=[on], official=False, with_members=True)[on]
    return {pk: [RollEntry(a.member, temporary) for a, temporary in found[pk]] for pk in ids}


def rolls_by_month(
    *, organization: Organization, months: list[date], official: bool = False
) -> dict[date, list[int]]:
    """The member ids of `organization`'s roll for each month of `months` (first days): the
    roll on the month's last day, by `roll_on`'s rule, in three queries whatever the number
    of months. `official=True`: every member in official activity there that day, including
    those in temporary activity elsewhere and those exempted from activity — the register a
    cell collects dues from (dues.rolls)."""
    return rolls_by_month_of(organization_ids=[organization.pk], months=months,
                             official=official).get(organization.pk, {})  # fmt: skip


def rolls_by_month_of(
    *, organization_ids, months: list[date], official: bool = False
) -> dict[int, dict[date, list[int]]]:
    """`rolls_by_month` of many organizations in the same three queries: organization pk →
    month → member ids."""
    if not months:
        return {}
    days = {month: month_end(month) for month in months}
    ids = list(organization_ids)
    found = _rolls(
        organization_ids=ids, days=sorted(set(days.values())), official=official,
        with_members=False,
    )  # fmt: skip
    return {
        pk: {
            month: [a.member_id for a, _temporary in found[day][pk]] for month, day in days.items()
        }
        for pk in ids
    }


def month_end(month: date) -> date:
    """The last day of `month`'s month."""
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def _in_force(valid_from: date, valid_to: date | None, day: date) -> bool:
    return valid_from <= day and (valid_to is None or valid_to > day)


def _rolls(*, organization_ids, days, official: bool, with_members: bool) -> dict:
    """The one roll rule, on each of `days`: day → organization pk → [(affiliation,
    temporary)], from one read of the affiliations over the span of the days (plus, for the
    activity roll, the temporary activities elsewhere and the exemptions)."""
    first, last = min(days), max(days)
    span = Q(valid_to__isnull=True) | Q(valid_to__gt=first)
    qs = Affiliation.objects.filter(
        span, organization_id__in=organization_ids, valid_from__lte=last
    )
    if official:
        qs = qs.filter(kind=Affiliation.Kind.OFFICIAL)
    if with_members:
        qs = qs.select_related("member")
    here = list(qs.order_by("member__name_sort", "member_id", "valid_from"))
    away, exemptions = [], []
    if not official:
        members = sorted({a.member_id for a in here if a.kind == Affiliation.Kind.OFFICIAL})
        away = list(
            Affiliation.objects.filter(
                span, member_id__in=members, kind=Affiliation.Kind.TEMPORARY, valid_from__lte=last
            ).values_list("member_id", "organization_id", "valid_from", "valid_to")
        )
        exemptions = _exemption_events({a.member_id for a in here}, last)
    result = {}
    for day in days:
        rolls: dict[int, list] = {pk: [] for pk in organization_ids}
        in_force = [a for a in here if _in_force(a.valid_from, a.valid_to, day)]
        home = {
            a.member_id: a.organization_id for a in in_force if a.kind == Affiliation.Kind.OFFICIAL
        }
        gone = {
            m for m, host, start, end in away
            if _in_force(start, end, day) and host != home.get(m)
        }  # fmt: skip
        exempted = _exempted_by(exemptions, day)
        seen: set[tuple[int, int]] = set()
        for a in in_force:
            temporary = a.kind == Affiliation.Kind.TEMPORARY
            if a.member_id in exempted or (not temporary and a.member_id in gone):
                continue
            if (a.organization_id, a.member_id) in seen:
                continue
            seen.add((a.organization_id, a.member_id))
            rolls[a.organization_id].append((a, temporary))
        result[day] = rolls
    return result


def _exemption_events(member_ids, last: date) -> list[tuple[int, date, str]]:
    T = MemberEvent.Type
    return list(
        MemberEvent.objects.filter(
            member_id__in=list(member_ids), type__in=[T.EXEMPTED, T.EXEMPTION_ENDED], on__lte=last
        )
        .order_by("member_id", "on", "id")
        .values_list("member_id", "on", "type")
    )


def _exempted_by(events: list[tuple[int, date, str]], day: date) -> set[int]:
    state: dict[int, bool] = {}
    for member_id, on, type_ in events:
        if on <= day:
            state[member_id] = type_ == MemberEvent.Type.EXEMPTED
    return {pk for pk, exempted in state.items() if exempted}
