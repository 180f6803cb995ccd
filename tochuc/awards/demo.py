"""Party badges and commendations in the demo province.

Badges: every active member of the province receives, for each milestone of party age
already reached by the last occasion, the badge at the first occasion on or after the day
(3/2, 19/5, 2/9, 7/11): proposed two months before by their commune or bloc, decided three
weeks before by the provincial standing committee with the gift at the base salary of that
day, awarded on the anniversary. Party age is the stored anchor that the members' one rule
(`members.party_age`) derived from each timeline; what is reached after the last occasion is
left due for the next one, for the officers to propose. Members who left the Party carry no
badge history here.

Commendations: each year from 2019, the province's Bằng khen to four grassroots
organizations and fifteen members, the commemorative medal to cadres of the sector, the
five-year commendation for 2019–2023; the demo commune's Giấy khen for 2025 to those its
2025 rating decided "hoàn thành xuất sắc nhiệm vụ" (the candidates the page proposes).

A step of `tochuc.demo.builders.STEPS`; written in bulk (bulk_create) with the same rules.
"""

from __future__ import annotations

import random
from bisect import bisect_left
from collections import Counter
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from tochuc.core import audit
from tochuc.lib.paths import under
from tochuc.lib.rows import Table
from tochuc.members.models import ACTIVE_STATUSES, Member
from tochuc.organizations.models import GRASSROOTS_KINDS, Organization
from tochuc.policy.rules import policy_for

from . import rules, selectors
from .models import BadgeCase, Commendation, CommendationForm, ReasonKind, RecipientKind, Stage

FIRST_COMMENDATION_YEAR = 2019
# The sector's cadres honoured with the commemorative medal (other persons: retired, or
# outside the registry of this province).
MEDAL_PEOPLE = (
    ("Hoàng Văn Thụ", "Nguyên Phó Trưởng Ban Tổ chức Tỉnh ủy"),
    ("Lương Thị Hạnh", "Nguyên Trưởng phòng Tổ chức cơ sở đảng, Ban Tổ chức Tỉnh ủy"),
    ("Nông Đức Mạnh", "Nguyên Chánh Văn phòng Ban Tổ chức Tỉnh ủy"),
    ("Vi Văn Thành", "Nguyên Trưởng Ban Tổ chức Huyện ủy Cao Lộc"),
    ("Hà Thị Lan", "Nguyên Phó Trưởng Ban Tổ chức Huyện ủy Văn Quan"),
    ("Lộc Văn Quang", "Nguyên Trưởng Ban Tổ chức Huyện ủy Tràng Định"),
    ("Chu Thị Bích", "Nguyên chuyên viên Ban Tổ chức Tỉnh ủy"),
    ("Mông Văn Tài", "Nguyên Trưởng Ban Tổ chức Huyện ủy Bình Gia"),
    ("Hoàng Thị Nga", "Nguyên Phó Trưởng Ban Tổ chức Thành ủy Lạng Sơn"),
    ("Đinh Văn Khải", "Nguyên Trưởng Ban Tổ chức Huyện ủy Lộc Bình"),
)


def _occasions(first_year: int, last_year: int, policy) -> list[date]:
    return sorted(
        date(year, month, day)
        for year in range(first_year, last_year + 1)
        for month, day in policy.badge_occasions
    )


def _commune_id(org_path: str, province: Organization) -> int | None:
    """The organization right under the province on the member's path (commune or bloc)."""
    parts = org_path[len(province.path) :].strip("/").split("/")
    return int(parts[0]) if parts and parts[0] else None


def seed_badges(province: Organization, *, today: date) -> int:
    policy = policy_for(today)
    years = policy.badge_years
    occasions = _occasions(1960, today.year + 1, policy)
    last = occasions[bisect_left(occasions, today + timedelta(days=1)) - 1]
    members = (
        Member.objects.filter(
            under("org_path", province.path),
            status__in=ACTIVE_STATUSES,
            party_age_anchor__lte=rules.reached_on(last, -min(years)),
        )
        .values_list("pk", "party_age_anchor", "org_path")
        .order_by("party_age_anchor", "pk")
    )
    issuer = f"Ban Thường vụ {province.name.replace('Đảng bộ tỉnh', 'Tỉnh ủy')}"
    gifts, numbers, rows = {}, {}, []
    for pk, anchor, org_path in members.iterator(chunk_size=5000):
        proposer_id = _commune_id(org_path, province) or province.pk
        for milestone in years:
            reached = rules.reached_on(anchor, milestone)
            index = bisect_left(occasions, reached)
            if index == len(occasions) or occasions[index] > last:
                break  # reached after the last occasion: due at the next one
            occasion = occasions[index]
            decided_on = occasion - timedelta(days=21)
            if (milestone, decided_on) not in gifts:
                gifts[(milestone, decided_on)] = rules.gift_under(policy, milestone, decided_on)
            gift = gifts[(milestone, decided_on)]
            number = numbers.setdefault(occasion, 100 + len(numbers) % 300)
            rows.append(
                {
                    "member_id": pk,
                    "milestone": milestone,
                    "occasion": occasion,
                    "reached_on": reached,
                    "proposer_id": proposer_id,
                    "proposal_no": f"{(proposer_id % 90) + 10}-TTr/ĐU",
                    "proposed_on": occasion - timedelta(days=60),
                    "decision_no": f"{number}-QĐ/TU",
                    "decided_on": decided_on,
                    "gift_multiple": gift.multiple,
                    "base_salary": gift.base_salary or None,
                    "gift_amount": gift.amount if gift.base_salary else None,
                    "badge_no": f"{occasion:%y}{len(rows) + 1:07d}",
                    "ceremony_on": occasion,
                }
            )
    table = Table(
        BadgeCase,
        with_pk=False,
        now=timezone.now(),
        constants={
            "stage": Stage.AWARDED,
            "issuer": issuer,
            "early": "",
            "grounds": "",
            "row_version": 1,
            "returned_on": None,
            "return_reason": "",
            "recorded_by_id": None,
        },
    )
    table.insert(rows)
    return len(rows)


def _commendation(
    authority,
    issuer,
    form,
    kind,
    year_from,
    year_to,
    decided_on,
    number,
    *,
    organization=None,
    member=None,
    name="",
    detail="",
    reason_kind=None,
):
    return Commendation(
        authority=authority,
        issuer=issuer,
        form=form,
        recipient_kind=kind,
        recipient_organization=organization,
        recipient_member=member,
        recipient_name=name or (organization.name if organization else member.full_name),
        recipient_detail=detail,
        reason_kind=reason_kind or (ReasonKind.YEAR if year_from == year_to else ReasonKind.PERIOD),
        year_from=year_from,
        year_to=year_to,
        decision_no=number,
        decided_on=decided_on,
    )


# (organizations, members) commended for the year; in REPORT_YEAR some of them for the five
# years instead, so that the year's report reads "4 tổ chức đảng và 15 đảng viên" for the
# year and for 2019–2023 (the sector's report, DESIGN §1), and 15 cadres get the medal.
YEARLY = (4, 15)
REPORT_YEAR, FIVE_YEARS = 2023, (2019, 2023)
SPLIT = {"year": (3, 10), "period": (1, 5)}
MEDALS, REPORT_YEAR_MEDAL_MEMBERS = 3, 5


def seed_commendations(province, commune, *, today: date, rng: random.Random) -> Counter:
    issuer = f"Ban Thường vụ {province.name.replace('Đảng bộ tỉnh', 'Tỉnh ủy')}"
    grassroots = list(
        Organization.objects.filter(
            under("path", province.path), kind__in=GRASSROOTS_KINDS, ended_on__isnull=True
        ).order_by("pk")
    )
    members = list(
        Member.objects.filter(
            under("org_path", province.path),
            status__in=ACTIVE_STATUSES,
            admitted_on__lt=date(2014, 1, 1),
        ).order_by("pk")[:5000]
    )
    rows = []

    def give(form, kind, years, decided, number, **recipient):
        rows.append(
            _commendation(province, issuer, form, kind, *years, decided, number, **recipient)
        )

    last_year = today.year - 1 if today < date(today.year, 12, 20) else today.year
    for year in range(FIRST_COMMENDATION_YEAR, last_year + 1):
        decided, number = date(year, 12, 20), f"{rng.randint(400, 520)}-QĐ/TU"
        founded = [o for o in grassroots if o.founded_on <= date(year, 1, 1)] or grassroots
        parts = SPLIT if year == REPORT_YEAR else {"year": YEARLY}
        for span, (orgs, people) in parts.items():
            years = (year, year) if span == "year" else FIVE_YEARS
            for org in rng.sample(founded, min(orgs, len(founded))):
                give(
                    CommendationForm.CERTIFICATE,
                    RecipientKind.ORGANIZATION,
                    years,
                    decided,
                    number,
                    organization=org,
                )
            for member in rng.sample(members, min(people, len(members))):
                give(
                    CommendationForm.CERTIFICATE,
                    RecipientKind.MEMBER,
                    years,
                    decided,
                    number,
                    member=member,
                )
        medal = f"{rng.randint(520, 560)}-QĐ/TU"
        people = MEDAL_PEOPLE if year == REPORT_YEAR else rng.sample(MEDAL_PEOPLE, MEDALS)
        for name, detail in people:
            give(
                CommendationForm.MEDAL_ORGANIZATION,
                RecipientKind.PERSON,
                (year, year),
                decided,
                medal,
                name=name,
                detail=detail,
                reason_kind=ReasonKind.CONTRIBUTION,
            )
        if year == REPORT_YEAR:
            for member in rng.sample(members, min(REPORT_YEAR_MEDAL_MEMBERS, len(members))):
                give(
                    CommendationForm.MEDAL_ORGANIZATION,
                    RecipientKind.MEMBER,
                    (year, year),
                    decided,
                    medal,
                    member=member,
                    reason_kind=ReasonKind.CONTRIBUTION,
                )
    if commune is not None and last_year >= 2025:
        # The commune's Giấy khen for 2025 to those its 2025 rating decided "xuất sắc".
        found = selectors.candidates(scope=None, organization=commune, year_from=2025, year_to=2025)
        chosen = [c for c in found if c.kind == "organization"][:2] + [
            c for c in found if c.kind == "member"
        ][:6]
        for c in chosen:
            rows.append(
                _commendation(
                    commune,
                    "Ban Thường vụ Đảng ủy xã",
                    CommendationForm.MERIT,
                    c.kind,
                    2025,
                    2025,
                    date(2025, 12, 30),
                    "95-QĐ/ĐU",
                    organization=c.organization,
                    member=c.member,
                )
            )
    Commendation.objects.bulk_create(rows, batch_size=2000)
    return Counter(r.recipient_kind for r in rows)


def build(ctx) -> None:
    """The demo step."""
    if "province" not in ctx.registry:
        return
    province = ctx.registry.get("province")
    commune = ctx.registry.get("commune") if "commune" in ctx.registry else None
    today = timezone.localdate()
    with transaction.atomic():
        badges = seed_badges(province, today=today)
        made = seed_commendations(
            province, commune, today=today, rng=random.Random(f"{ctx.seed}-awards")
        )
        audit.record("tochuc.badge.imported", obj=province, count=badges, reason="Dữ liệu mẫu")
    count = f"{badges:,}".replace(",", ".")
    ctx.write(
        f"  {count} Huy hiệu Đảng đã trao; {sum(made.values())} lượt khen thưởng "
        f"({made['organization']} tổ chức, {made['member']} đảng viên, {made['person']} "
        "cá nhân khác)."
    )
