"""The demo step on the cast's province: committees for the terms, congresses, and in 2026
some posts left and filled again (consolidations) or still vacant."""

import random
from datetime import date

import pytest

from tochuc.committees import selectors
from tochuc.committees.demo import seed_committees
from tochuc.committees.models import Committee, Congress, Delegate, DelegateKind, Post, Role
from tochuc.testing import register

pytestmark = pytest.mark.django_db


def test_the_demo_province_gets_committees_terms_and_congresses(cast):
    for n in range(1, 13):
        register(cast.village_cell, f"Đảng viên Nà Phái {n}")
    for n in range(1, 5):
        register(cast.cell, f"Đảng viên Tổ Toán {n}")
    made = seed_committees(cast.province, today=date(2026, 11, 20), rng=random.Random(7))

    # The province: 2020 and 2025 congresses; the commune: designated on 1/7/2025, then
    # elected; the school and the village cell: designated at their founding (1/7/2025).
    province = list(Committee.objects.filter(organization=cast.province).order_by("formed_on"))
    assert [c.formed_on.year for c in province] == [2020, 2025]
    commune = list(Committee.objects.filter(organization=cast.commune).order_by("formed_on"))
    assert [(c.formed_how, c.formed_on.month) for c in commune][0] == ("designated", 7)
    assert commune[1].formed_how == "elected"
    assert made["committees"] == Committee.objects.count()
    assert made["congresses"] == Congress.objects.count() == 3  # province ×2, commune
    # Each committee in office today has its secretary, unless a seat was left vacant.
    today = date(2026, 11, 20)
    for committee in selectors.in_office(Committee.objects.all(), today):
        posts = selectors.posts_on(committee=committee, on=today)
        assert posts
    # The earlier committee's posts ended with the term.
    assert not Post.objects.filter(committee=province[0], ended_on__isnull=True).exists()
    assert Post.objects.filter(committee=commune[1], role=Role.SECRETARY).count() >= 1
    # The commune's congress elected its delegates to the province's congress, and its
    # results count as confirmed (its posts are there already).
    delegates = Delegate.objects.filter(congress__organization=cast.commune)
    assert {d.above for d in delegates} == {cast.province}
    kinds = sorted(d.kind for d in delegates)
    assert kinds.count(DelegateKind.ALTERNATE) == 1 and kinds.count(DelegateKind.OFFICIAL) >= 1
    assert not Congress.objects.filter(confirmed_on__isnull=True).exists()
