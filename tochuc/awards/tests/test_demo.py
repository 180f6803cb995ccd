"""The demo step on the cast: badge histories that the party-age rule and the occasions
confirm one by one, nothing left due before the next occasion, and commendations per year."""

import random
from datetime import date

import pytest

from tochuc.awards import rules, selectors
from tochuc.awards.demo import seed_badges, seed_commendations
from tochuc.awards.models import BadgeCase, Commendation, Stage
from tochuc.members import party_age
from tochuc.reports import periods, registry

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 6)


def test_the_demo_badges_follow_party_age_and_the_occasions(cast, veterans):
    made = seed_badges(cast.province, today=TODAY)
    got = sorted(
        BadgeCase.objects.values_list("member__full_name", "milestone", "occasion", "gift_amount")
    )
    assert made == 5
    assert got == [
        ("Hoàng Văn An", 30, date(2026, 9, 2), 3_510_000),
        ("Lường Văn Giang", 30, date(2026, 9, 2), 3_510_000),
        ("Lục Thị Bình", 30, date(2016, 9, 2), 1_815_000),  # 1,5 × 1.210.000
        ("Lục Thị Bình", 40, date(2026, 9, 2), 4_680_000),
        ("Nông Văn Chiến", 30, date(2026, 5, 19), 3_510_000),
    ]
    for case in BadgeCase.objects.select_related("member"):
        anchor = party_age.anchor(list(case.member.events.all()), case.occasion)
        assert rules.reached_on(anchor, case.milestone) == case.reached_on <= case.occasion
        assert rules.previous_occasion(case.occasion) < case.reached_on
        assert case.stage == Stage.AWARDED and case.ceremony_on == case.occasion
    assert (
        selectors.badge_due(scope=None, organization=cast.province, occasion=date(2026, 11, 7))
        == []
    )


def test_the_demo_commends_every_year_and_the_five_years_2019_2023(cast, veterans):
    made = seed_commendations(cast.province, cast.commune, today=TODAY, rng=random.Random(3))
    # Seven years (2019–2025) of Bằng khen to 4 grassroots organizations (3 in the cast) and
    # 15 members (5 active before 2014 in the cast), 3 medals; in 2023 the 4 and 15 split
    # between the year and 2019–2023, and 15 medals (10 cadres, 5 members).
    assert made == {
        "organization": 6 * 3 + 3 + 1,
        "member": 6 * 5 + 5 + 5 + 5,
        "person": 6 * 3 + 10,
    }
    assert sorted(set(Commendation.objects.values_list("year_from", flat=True))) == list(
        range(2019, 2026)
    )
    data = registry.build("commendations", cast.province, periods.year(2023))
    rows = {r["form"]: r for r in data.table("commendations").rows}
    assert (rows["Bằng khen"]["organization"], rows["Bằng khen"]["member"]) == (4, 10)
    medal = rows["Kỷ niệm chương “Vì sự nghiệp Tổ chức xây dựng Đảng”"]
    assert medal["person"] + medal["member"] == 15
