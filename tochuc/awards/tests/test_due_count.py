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


# ---------------------------------------------------------------- transfers and broken timelines

T = MemberEvent.Type


def transfer(member, out_on, in_on, *, to, due=None, arrive_first=False):
    """An official transfer out to `to` (with the letter's deadline `due`) and the arrival
    on `in_on` (None: not yet arrived); `arrive_first`: the arrival entered before the
    departure of the same day."""
    detail = {"present_due": due.isoformat()} if due else {}

    def out():
        MemberEvent.objects.create(member=member, type=T.TRANSFERRED_OUT, on=out_on,
                                   other_organization=to, detail=detail)  # fmt: skip

    if not arrive_first:
        out()
    if in_on is not None:
        MemberEvent.objects.create(member=member, type=T.TRANSFERRED_IN, on=in_on)
    if arrive_first:
        out()


def test_a_transfer_arriving_on_the_day_or_by_the_deadline_leaves_party_age_whole(cast, veterans):
    transfer(veterans.an, date(2010, 3, 1), date(2010, 3, 1), to=cast.cell)
    transfer(veterans.binh, date(2011, 3, 1), date(2011, 3, 20), to=cast.village_cell,
             due=date(2011, 3, 31))  # fmt: skip
    assert selectors.due_count(organization=cast.commune, occasion=SEPT_2026) == 3
    assert_same(cast)


def test_a_transfer_arriving_after_the_deadline_counts_the_days_between(cast, veterans):
    # Chiến reaches 30 years on 2/5/2026; five months in transit past the deadline in 2012
    # push it to October: not due on 2/9/2026 any more.
    transfer(veterans.chien, date(2012, 1, 2), date(2012, 7, 1), to=cast.cell,
             due=date(2012, 1, 31))  # fmt: skip
    assert selectors.due_count(organization=cast.commune, occasion=SEPT_2026) == 2
    assert_same(cast)


def test_a_transfer_not_arrived_or_arrived_before_leaving_counts_as_a_gap(cast, veterans):
    transfer(veterans.an, date(2026, 1, 5), None, to=cast.cell)  # in transit since January
    transfer(veterans.chien, date(2012, 1, 2), date(2012, 1, 2), to=cast.cell,
             arrive_first=True)  # fmt: skip
    assert selectors.due_count(organization=cast.commune, occasion=SEPT_2026) == 1  # Bình
    assert_same(cast)


def test_a_member_without_an_admission_event_is_never_due(cast, veterans):
    veterans.an.events.filter(type=T.ADMITTED).delete()  # a timeline broken by hand
    MemberEvent.objects.create(member=veterans.binh, type=T.ADMITTED, on=date(2001, 1, 1))
    assert selectors.due_count(organization=cast.commune, occasion=SEPT_2026) == 2
    assert_same(cast)


def test_the_province_counts_what_its_communes_list(cast, veterans, cycle):
    transfer(veterans.chien, date(2012, 1, 2), date(2012, 7, 1), to=cast.cell,
             due=date(2012, 1, 31))  # fmt: skip
    cycle([veterans.an])
    for occasion in OCCASIONS:
        assert selectors.due_count(organization=cast.province, occasion=occasion) == listed(
            cast.commune, occasion
        ) + listed(cast.sibling_commune, occasion), occasion
