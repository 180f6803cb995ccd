"""The whole nation's members are grouped in ranges of ids at once (counts._member_ranges):
every member falls in exactly one range, and the ranges' rows add up to the live numbers,
whichever join the planner picks for a range (merge join of the two tables read in member
order, or hash join: counts.PARTS_SESSION)."""

from datetime import date

import pytest
from django.db import connection

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


JOINS = {
    "merge": {"enable_hashjoin": "off", "enable_nestloop": "off"},
    "hash": {"enable_mergejoin": "off", "enable_nestloop": "off"},
}


@pytest.mark.parametrize("join", JOINS)
def test_a_range_counts_the_same_whichever_join_reads_it(cast, monkeypatch, join):
    people_2025(cast)
    live = registry.build("membership", cast.province, periods.at(ON)).as_dict()
    monkeypatch.setattr(counts, "PARTS_SESSION", {**counts.PARTS_SESSION, **JOINS[join]})
    plans = []

    def explained(execute, sql, params, many, context):
        if sql.startswith("CREATE UNLOGGED TABLE") and " AS SELECT " in sql:
            context["cursor"].execute("EXPLAIN " + sql.split(" AS ", 1)[1], params)
            plans.append("\n".join(row[0] for row in context["cursor"].fetchall()))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(explained):
        snapshot = counts.rebuild(ON)
    assert snapshot.members == 7
    if connection.vendor == "postgresql":  # SQLite: one plain statement, no session
        assert f"{join.title()} Join" in plans[0]
    assert registry.build("membership", cast.province, periods.at(ON)).as_dict() == live
