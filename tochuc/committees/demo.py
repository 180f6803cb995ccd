"""Committees, terms and congresses of the demo province (registry "province").

Every organization of the province in activity gets its committees: the 2020–2025 term
(congresses of 2020) where it existed then, and the 2025–2030 term (congresses of the spring
of 2025 for the grassroots, the autumn for the levels above); the communes founded on
1/7/2025 get the committee designated by the province that day, then the one their congress
elected in August–September 2025. Some posts end during 2026 (retirement, reassignment) and
most are filled again some weeks later (a consolidation); the others stay vacant.

A step of `tochuc.demo.builders.STEPS`. It writes in bulk (the demo must stay quick); the
holders are members now in activity under each organization, admitted before the term.
"""

from __future__ import annotations

import random
from bisect import bisect_left
from collections import Counter
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from tochuc.lib import rows
from tochuc.lib.dates import add_months
from tochuc.lib.paths import under
from tochuc.members.models import ACTIVE_STATUSES, Member
from tochuc.organizations.models import UNDER_GRASSROOTS_KINDS, Kind, Organization
from tochuc.policy.rules import PolicyLookup

from .models import (
    Began,
    Candidate,
    Committee,
    Congress,
    CongressKind,
    Delegate,
    DelegateKind,
    Ended,
    Formed,
    Post,
    Role,
    Term,
)
from .services import term_months

NEW_COMMUNES = date(2025, 7, 1)
# (committee, standing, deputies, inspection) per kind, within the policy's maximums.
SIZES = {
    Kind.PROVINCE: (53, 15, 3, 11),
    Kind.BLOC: (25, 9, 2, 7),
    Kind.COMMUNE: (25, 9, 2, 7),
    Kind.DISTRICT: (33, 11, 2, 9),
    Kind.BASE_COMMITTEE: (9, 0, 1, 3),
    Kind.SUB_COMMITTEE: (5, 0, 1, 0),
    Kind.BASE_CELL: (3, 0, 1, 0),
    Kind.CELL: (3, 0, 1, 0),
}
GRASSROOTS = (Kind.BASE_COMMITTEE, Kind.BASE_CELL, Kind.SUB_COMMITTEE, Kind.CELL)
ORDINALS = {Kind.PROVINCE: 17, Kind.BLOC: 5, Kind.COMMUNE: 1, Kind.DISTRICT: 20}


def _congress_day(rng, kind, year) -> date:
    if kind in UNDER_GRASSROOTS_KINDS:  # before their grassroots committee's congress
        start, days = date(year - 1, 9, 1), 160
    elif kind in GRASSROOTS:
        start, days = date(year, 3, 20), 75
    elif kind == Kind.PROVINCE:
        start, days = date(year, 10, 5), 20
    else:
        start, days = date(year, 7, 10), 60
    return start + timedelta(days=rng.randrange(days))


class _Pool:
    """Members now in activity in the province, by the path of their organization."""

    def __init__(self, province):
        rows = sorted(
            Member.objects.filter(province=province, status__in=ACTIVE_STATUSES).values_list(
                "org_path", "pk", "full_name", "admitted_on", "confirmed_on"
            )
        )
        self.rows = rows
        self.paths = [r[0] for r in rows]

    def under(self, path, on, rng, count):
        low, high = bisect_left(self.paths, path), bisect_left(self.paths, path + "~")
        fit = [r for r in self.rows[low:high] if r[4] and r[4] <= on]
        return rng.sample(fit, min(count, len(fit)))


def _posts(committee: dict, people, began_how, decision) -> list[dict]:
    """The roles of `people` in order: secretary, deputies, standing, members; the chair and
    members of the inspection commission among the committee members."""
    roles = [Role.SECRETARY] + [Role.DEPUTY] * committee["deputies"]
    roles += [Role.STANDING] * max(committee["standing_size"] - len(roles), 0)
    roles += [Role.MEMBER] * (committee["size"] - len(roles))
    seats = list(zip(people, roles, strict=False))
    inspection = committee["inspection_size"]
    if inspection and len(people) >= inspection:
        seats += [
            (person, Role.INSPECTION_CHAIR if index == 0 else Role.INSPECTION_MEMBER)
            for index, person in enumerate(people[-inspection:])
        ]
    formed_on = committee["formed_on"]
    return [
        {"committee_id": committee["id"], "member_id": person[1], "role": role,
         "began_on": formed_on, "began_how": began_how, "began_decision_no": decision,
         "began_decision_date": formed_on, "ended_on": None}
        for person, role in seats
    ]  # fmt: skip


def _size_for(organization, people_count) -> tuple[int, int, int, int]:
    size, standing, deputies, inspection = SIZES[organization.kind]
    size = max(1, min(size, people_count))
    if organization.kind in (Kind.BASE_CELL, Kind.CELL) and people_count < 9:
        size, deputies = min(size, 2), min(deputies, max(size - 1, 0))
    standing = standing if standing < size else 0
    deputies = deputies if deputies < size else 0
    return size, standing, deputies, inspection


def seed_committees(province: Organization, *, today: date, rng: random.Random) -> Counter:
    made: Counter = Counter()
    pool = _Pool(province)
    organizations = list(
        Organization.objects.filter(under("path", province.path))
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=date(2020, 12, 31)))
        .select_related("successor")
        .order_by("path")
    )
    plans = []  # (organization, formed_on, how)
    for organization in organizations:
        kind = organization.kind
        if organization.founded_on <= date(2020, 3, 1):
            plans.append((organization, _congress_day(rng, kind, 2020), Formed.ELECTED))
            if kind in UNDER_GRASSROOTS_KINDS:  # twice in five years before 294-QĐ/TW
                plans.append((organization, add_months(plans[-1][1], 30), Formed.ELECTED))
        if organization.ended_on is not None:  # ended in the 2020–2025 term (1/7/2025)
            continue
        if organization.founded_on >= NEW_COMMUNES and kind == Kind.COMMUNE:
            plans.append((organization, NEW_COMMUNES, Formed.DESIGNATED))
            plans.append((organization, date(2025, 8, 5) + timedelta(rng.randrange(45)),
                          Formed.ELECTED))  # fmt: skip
        elif organization.founded_on <= date(2025, 3, 1):
            plans.append((organization, _congress_day(rng, kind, 2025), Formed.ELECTED))
        else:
            plans.append((organization, organization.founded_on, Formed.DESIGNATED))
    plans = [p for p in plans if p[1] < today]
    terms, committees, chosen = [], [], []
    policies = PolicyLookup()  # the dated policy's term length, read once per period
    for organization, formed_on, how in plans:
        wanted = SIZES[organization.kind][0]
        people = pool.under(organization.path, formed_on, rng, wanted)
        if not people and organization.successor_id:  # its members are now its successor's
            people = pool.under(organization.successor.path, formed_on, rng, wanted)
        if not people:
            continue
        ends_on = add_months(formed_on, term_months(organization, policies(formed_on)))
        if how == Formed.DESIGNATED and organization.kind == Kind.COMMUNE:
            ends_on = add_months(formed_on, 2)  # until the commune's first congress
        terms.append({"organization_id": organization.pk, "starts_on": formed_on,
                      "ends_on": ends_on, "source": "Điều lệ Đảng (2011)"})  # fmt: skip
        size, standing, deputies, inspection = _size_for(organization, len(people))
        prefix = "QĐ/TU" if how == Formed.DESIGNATED else "NQ/ĐH"
        committees.append({
            "organization_id": organization.pk, "organization": organization,
            "formed_on": formed_on, "formed_how": how, "decision_date": formed_on,
            "decision_no": f"{rng.randrange(1, 400):02d}-{prefix}", "size": size,
            "standing_size": standing, "deputies": deputies, "inspection_size": inspection,
        })  # fmt: skip
        chosen.append(people)
    now = timezone.now()
    term_table = rows.Table(Term, with_pk=True, now=now)
    committee_table = rows.Table(Committee, with_pk=True, now=now)
    for term, committee, pk, committee_pk in zip(
        terms, committees, term_table.reserve(len(terms)),
        committee_table.reserve(len(committees)), strict=True,
    ):  # fmt: skip
        term["id"], committee["id"], committee["term_id"] = pk, committee_pk, pk
    term_table.insert(terms)
    committee_table.insert(committees)
    posts, congresses = [], []
    latest: dict[int, list[dict]] = {}
    for committee, people in zip(committees, chosen, strict=True):
        elected = committee["formed_how"] == Formed.ELECTED
        mine = _posts(committee, people, Began.CONGRESS if elected else Began.DESIGNATED,
                      committee["decision_no"])  # fmt: skip
        for post in latest.get(committee["organization_id"], []):
            if post["ended_on"] is None:
                post.update(ended_on=committee["formed_on"], ended_how=Ended.TERM_END,
                            ended_decision_no=committee["decision_no"],
                            ended_decision_date=committee["formed_on"])  # fmt: skip
        latest[committee["organization_id"]] = mine
        organization = committee["organization"]
        if organization.ended_on is not None:
            for post in mine:
                post.update(ended_on=organization.ended_on, ended_how=Ended.ORGANIZATION_ENDED)
        posts.extend(mine)
        if elected and organization.kind not in UNDER_GRASSROOTS_KINDS:
            congresses.append((committee, people))
    by_id = {c["id"]: c for c in committees}
    made["consolidations"], made["vacant"] = _consolidate(latest, by_id, pool, today, rng, posts)
    rows.Table(Post, with_pk=False, now=now).insert(posts)
    made["congresses"] = _congresses(congresses, rng, now)
    made["committees"] = len(committees)
    made["posts"] = len(posts)
    return made


def _consolidate(latest, by_id, pool, today, rng, posts) -> tuple[int, int]:
    """In one committee in twelve, a member leaves a post during 2026; two in three of those
    seats are filled some weeks later (a consolidation), the others stay vacant."""
    start = date(2026, 1, 10)
    if today <= start + timedelta(days=60):
        return 0, 0
    filled = vacant = 0
    for current in latest.values():
        if not current or rng.random() > 1 / 12:
            continue
        committee = by_id[current[0]["committee_id"]]
        if committee["organization"].ended_on is not None:
            continue
        leaving = [p for p in current if p["role"] in (Role.MEMBER, Role.DEPUTY, Role.SECRETARY)]
        post = rng.choice(leaving or current)
        ended_on = start + timedelta(days=rng.randrange((today - start).days - 45))
        ended_on = max(ended_on, committee["formed_on"] + timedelta(days=30))
        if ended_on >= today:
            continue
        post.update(
            ended_on=ended_on, ended_how=rng.choice([Ended.RETIREMENT, Ended.REASSIGNED]),
            ended_decision_no=f"{rng.randrange(1, 300)}-QĐ/TU", ended_decision_date=ended_on,
        )  # fmt: skip
        holders = {p["member_id"] for p in current}
        fresh = [
            r for r in pool.under(committee["organization"].path, ended_on, rng, 30)
            if r[1] not in holders
        ]  # fmt: skip
        began_on = ended_on + timedelta(days=rng.randrange(20, 50))
        if fresh and began_on < today and rng.random() < 2 / 3:
            posts.append({
                "committee_id": committee["id"], "member_id": fresh[0][1], "role": post["role"],
                "began_on": began_on,
                "began_how": Began.MEETING if post["role"] != Role.MEMBER else Began.ADDED,
                "began_decision_no": f"{rng.randrange(1, 300)}-QĐ/TU",
                "began_decision_date": began_on, "is_consolidation": True, "ended_on": None,
            })  # fmt: skip
            filled += 1
        else:
            vacant += 1
    return filled, vacant


def _congresses(elected, rng, now) -> int:
    congresses, candidates = [], []
    for committee, people in elected:
        organization = committee["organization"]
        base = ORDINALS.get(organization.kind, 3)
        ordinal = base + (1 if committee["formed_on"].year >= 2025 else 0)
        grassroots = organization.kind in GRASSROOTS
        called = len(people) * 3 + rng.randrange(5) if grassroots else 150 + rng.randrange(200)
        present = called - rng.randrange(0, max(called // 20, 1) + 1)
        valid = present - rng.randrange(0, 3)
        formed_on = committee["formed_on"]
        congresses.append({
            "organization_id": organization.pk, "term_id": committee["term_id"],
            "ordinal": ordinal,
            "kind": CongressKind.MEMBERS if grassroots else CongressKind.DELEGATES,
            "starts_on": formed_on - timedelta(days=0 if grassroots else 1),
            "ends_on": formed_on, "directive": "45-CT/TW" if ordinal > base else "35-CT/TW",
            "delegates": called, "delegates_present": present, "ballots_issued": present,
            "ballots_valid": valid, "confirmed_on": formed_on,
        })  # fmt: skip
        names = set()  # one line per name on a congress's ballot
        for person in people[: committee["size"]]:
            if person[2] not in names:
                names.add(person[2])
                votes = valid // 2 + 1 + rng.randrange(max(valid // 2, 1))
                candidates.append((len(congresses) - 1, person, min(votes, valid)))
    table = rows.Table(Congress, with_pk=True, now=now)
    for congress, pk in zip(congresses, table.reserve(len(congresses)), strict=True):
        congress["id"] = pk
    table.insert(congresses)
    rows.Table(Candidate, with_pk=False, now=now).insert([
        {"congress_id": congresses[index]["id"], "member_id": person[1],
         "full_name": person[2], "votes": votes, "elected": True}
        for index, person, votes in candidates
    ])  # fmt: skip
    rows.Table(Delegate, with_pk=False, now=now).insert(_delegates(elected, congresses, rng))
    return len(congresses)


def _delegates(elected, congresses, rng) -> list[dict]:
    """Each congress below the province elects delegates to the congress above: a third of
    its people official (at least one), one more alternate."""
    found = []
    for (committee, people), congress in zip(elected, congresses, strict=True):
        above = committee["organization"].parent_id
        if above is None:
            continue
        unique = list({person[2]: person for person in people}.values())
        official = max(1, len(unique) // 3)
        valid = congress["ballots_valid"]
        for index, person in enumerate(unique[: official + 1]):
            found.append({
                "congress_id": congress["id"], "above_id": above, "member_id": person[1],
                "full_name": person[2],
                "votes": min(valid, valid // 2 + 1 + rng.randrange(valid // 2 + 1)),
                "kind": DelegateKind.OFFICIAL if index < official else DelegateKind.ALTERNATE,
            })  # fmt: skip
    return found


def build(ctx) -> None:
    """The demo step."""
    if "province" not in ctx.registry:
        return
    province = ctx.registry.get("province")
    if Committee.objects.filter(under("organization__path", province.path)).exists():
        return  # built already: the demo changes nothing when run again
    with transaction.atomic():
        made = seed_committees(
            province,
            today=timezone.localdate(),
            rng=random.Random(f"{ctx.seed}-committees"),
        )
    ctx.write(
        f"  {made['committees']} cấp ủy, {made['posts']} chức vụ, {made['congresses']} đại "
        f"hội; {made['consolidations']} lượt kiện toàn, {made['vacant']} chức danh còn khuyết."
    )
