"""The whole nation's members are grouped in ranges of ids at once (counts._member_ranges):
every member falls in exactly one range, and the ranges' rows add up to the live numbers."""

from datetime import date

import pytest

from tochuc.members.models import Member
from tochuc.reports import periods, registry
from tochuc.reports.tests.fixtures import people_2025
from tochuc.statistics import counts

pytestmark = pytest.mark.django_db
ON = date(2025, 12, 31)


def in_range(pk: int, members: counts.Range) -> bool:
    low, high = members
    return (low is None or pk >= low) and (high is None or pk < high)


def test_every_member_falls_in_exactly_one_range_even_one_added_after(cast):
    people_2025(cast)
    ranges = counts._member_ranges()
    assert len(ranges) == counts.PARTS
    assert ranges[0][0] is None and ranges[-1][1] is None  # open at both ends
    later = max(Member.objects.values_list("pk", flat=True)) + 1000
    for pk in [*Member.objects.values_list("pk", flat=True), later]:
        assert sum(in_range(pk, members) for members in ranges) == 1


def test_the_ranges_of_the_nation_add_up_to_the_live_numbers(cast):
    people_2025(cast)
    live = registry.build("membership", cast.province, periods.at(ON)).as_dict()
    snapshot = counts.rebuild(ON)
    assert snapshot.members == 7
    ranges = counts._member_ranges()
    used = {k for pk in Member.objects.values_list("pk", flat=True)
            for k, members in enumerate(ranges) if in_range(pk, members)}  # fmt: skip
    assert len(used) > 1  # the members are read in several ranges (PostgreSQL)
    assert registry.build("membership", cast.province, periods.at(ON)).as_dict() == live
