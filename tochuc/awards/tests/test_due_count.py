"""The home page's count of badges due (`due_count`) is `badge_due`'s number, whether a
member's party age has gaps, a badge is held already, or neither (counted in SQL)."""

from datetime import date

import pytest

from tochuc.awards import selectors
from tochuc.members.models import MemberEvent
from tochuc.testing import register

from .conftest import SEPT_2026

pytestmark = pytest.mark.django_db
OCCASIONS = (date(2016, 9, 2), date(2026, 5, 19), SEPT_2026, date(2030, 9, 2))


def listed(organization, occasion) -> int:
    return len(selectors.badge_due(scope=None, organization=organization, occasion=occasion))


def assert_same(cast):
    for organization in (cast.province, cast.commune, cast.sibling_commune):
        for occasion in OCCASIONS:
            assert selectors.due_count(organization=organization, occasion=occasion) == listed(
                organization, occasion
            ), (organization, occasion)


def test_the_count_is_the_list_s_length_for_the_veterans(cast, veterans):
    assert selectors.due_count(organization=cast.commune, occasion=SEPT_2026) == 3
    assert_same(cast)


def test_a_member_out_of_the_party_for_five_years_is_not_due_by_the_admission_date(cast, veterans):
    khanh = register(cast.cell, "Đinh Văn Khánh", admitted_on=date(1994, 3, 1))
    MemberEvent.objects.create(member=khanh, type=MemberEvent.Type.REMOVED, on=date(2000, 1, 1))
    MemberEvent.objects.create(member=khanh, type=MemberEvent.Type.READMITTED, on=date(2005, 1, 1))
    # 30 years from 1/3/1994 plus the 5 years out: 1/3/2029.
    assert selectors.due_count(organization=cast.cell, occasion=SEPT_2026) == 1  # Bình only
    assert_same(cast)


def test_a_badge_held_leaves_only_the_next_milestone_due(cast, veterans, cycle):
    cycle([veterans.an, veterans.binh])
    assert selectors.due_count(organization=cast.commune, occasion=SEPT_2026) == 1  # Chiến
    assert_same(cast)
