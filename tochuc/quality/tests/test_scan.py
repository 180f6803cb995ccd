"""A scan finds what a record lacks and who is entered twice, and scores each organization."""

import pytest

from tochuc.quality import selectors
from tochuc.quality.models import DuplicatePair, OrgScore, Problem

from .conftest import scan

pytestmark = pytest.mark.django_db


def test_a_scan_of_the_province_finds_the_missing_fields_and_the_pair(cast, village):
    done = scan(cast.province)
    assert (done.state, done.records, done.pairs) == ("done", 4, 1)
    kinds = sorted(Problem.objects.values_list("member__full_name", "kind"))
    assert kinds == [
        ("Lâm Thi Hoa", "duplicate"),
        ("Lâm Thi Hoa", "missing_citizen_id"),
        ("Lâm Thị Hoa", "duplicate"),
        ("Nông Thị Lan", "missing_birthplace"),
    ]
    pair = DuplicatePair.objects.get()
    assert (pair.first, pair.second, pair.state) == (village["hoa"], village["twice"], "open")
    assert pair.score == 100
    assert "cùng ngày sinh 12/04/1988" in pair.evidence


def test_the_score_counts_records_without_problems_per_organization(cast, village):
    scan(cast.province)
    province = selectors.score_of(organization=cast.province)
    assert (province.records, province.clean) == (4, 1)
    assert province.by_kind == {"duplicate": 2, "missing_citizen_id": 1, "missing_birthplace": 1}
    ranking = selectors.ranking(organization=cast.province, score=province)
    assert [(r.organization, r.records, r.clean) for r in ranking] == [(cast.commune, 4, 1)]
    commune_rows = selectors.ranking(
        organization=cast.commune, score=selectors.score_of(organization=cast.commune)
    )
    assert [(r.organization, r.clean, r.records) for r in commune_rows] == [
        (cast.village_cell, 1, 3),
        (cast.base, 0, 1),
    ]


def test_scanning_again_changes_nothing_but_adds_a_point_to_the_trend(cast, village):
    scan(cast.province)
    scan(cast.province)
    assert DuplicatePair.objects.count() == 1
    assert Problem.objects.count() == 4
    assert [s.clean for s in selectors.trend(organization=cast.province)] == [1, 1]
    assert OrgScore.objects.filter(organization=cast.province).count() == 2


def test_the_members_page_shows_its_problems_with_where_to_fix_them(client, cast, users, village):
    scan(cast.province)
    client.force_login(users.commune_officer)
    from django.urls import reverse

    body = client.get(reverse("members:detail", args=[village["lan"].pk])).content.decode()
    assert "Thiếu nơi sinh" in body
    assert reverse("members:edit", args=[village["lan"].pk]) in body
