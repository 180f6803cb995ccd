"""Freshness that cannot be fooled: the database records every change of the counted rows,
whoever makes it (raw SQL, a data migration, an ORM bulk update), so the next report is
exact and only the provinces and dates concerned are rebuilt."""

from collections import Counter
from datetime import date

import pytest
from django.db import connection
from django.db.models import Count

from tochuc.core.corrections import Grounds
from tochuc.members.corrections import timeline_act_correct
from tochuc.members.models import Member, MemberEvent
from tochuc.members.services import member_exit
from tochuc.reports import periods, registry
from tochuc.reports.tests.fixtures import people_2025
from tochuc.statistics import counts, live, sources
from tochuc.statistics.bands import AGE_BANDS
from tochuc.statistics.models import CountChange, CountPart, CountSnapshot

pytestmark = pytest.mark.django_db
ON = date(2025, 12, 31)
LATER = date(2026, 9, 30)


def sql(statement: str, *params) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, list(params))


def total(organization, on=ON) -> int:
    report = registry.build("membership", organization, periods.at(on)).as_dict()
    return {r["key"]: r["count"] for r in report["tables"][2]["rows"]}["total"]


def assert_exact(cast, on=ON) -> None:
    """Every figure the summary serves is the live count."""
    for organization in (cast.province, cast.commune, cast.sibling_commune, None):
        assert sources.member_profile(organization, on, AGE_BANDS) == live.member_profile(
            organization, on, AGE_BANDS
        ), organization


@pytest.fixture
def people(cast):
    people = people_2025(cast)
    counts.rebuild(ON)
    return people


def test_a_raw_sql_delete_of_affiliations_makes_the_province_stale_and_the_report_exact(
    cast, people
):
    sql("DELETE FROM members_affiliation WHERE member_id = %s", people["an"].pk)
    assert counts.stale_provinces(CountSnapshot.objects.get(on=ON)) == {cast.province.pk}
    assert total(cast.commune) == 5  # counted live: An is gone
    assert counts.refresh() == [(ON, 1)]
    assert counts.snapshot_counts(cast.commune, ON)["status"] == Counter(
        {"full": 4, "probationary": 1}
    )
    assert CountSnapshot.objects.get(on=ON).members == 6
    assert_exact(cast)


def test_a_raw_sql_update_of_a_counted_field_is_seen(cast, people):
    sql("UPDATE members_member SET gender = 'female' WHERE id = %s", people["an"].pk)
    assert counts.snapshot_counts(cast.commune, ON) is None
    counts.refresh()
    assert counts.snapshot_counts(cast.commune, ON)["gender"] == Counter({"female": 4, "male": 2})
    assert_exact(cast)


def test_members_deleted_with_raw_sql_as_the_bench_cleans_up_leave_the_summary_exact(cast, people):
    gone = [people["an"].pk, people["bich"].pk]
    for table, column in (("members_affiliation", "member_id"),
                          ("members_memberevent", "member_id")):  # fmt: skip
        sql(f"DELETE FROM {table} WHERE {column} IN (%s, %s)", *gone)  # noqa: S608
    sql("DELETE FROM members_historicalmember WHERE id IN (%s, %s)", *gone)
    sql("DELETE FROM members_member WHERE id IN (%s, %s)", *gone)
    counts.refresh()
    assert CountSnapshot.objects.get(on=ON).members == 5
    assert total(cast.commune) == 4
    assert_exact(cast)


def test_an_orm_bulk_update_bypassing_the_services_is_seen(cast, people):
    Member.objects.filter(pk=people["bich"].pk).update(birth_date=date(1955, 6, 1))
    assert counts.stale_provinces(CountSnapshot.objects.get(on=ON)) == {cast.province.pk}
    counts.refresh()
    assert counts.snapshot_counts(cast.commune, ON)["age"]["61_70"] == 2  # Cường and Bích
    assert_exact(cast)


def test_a_change_of_a_field_the_summary_does_not_count_leaves_it_fresh(cast, people):
    sql("UPDATE members_member SET phone = '0912345678' WHERE id = %s", people["an"].pk)
    sql("UPDATE members_memberevent SET note = 'sửa' WHERE member_id = %s", people["an"].pk)
    # An was never re-admitted: the count reads his `confirmed_on`, not his events.
    sql(
        "UPDATE members_memberevent SET \"on\" = '2010-05-20' WHERE member_id = %s "
        "AND type = 'admitted'",
        people["an"].pk,
    )
    assert counts.stale_provinces(CountSnapshot.objects.get(on=ON)) == set()


def test_a_change_dated_after_a_snapshot_leaves_that_snapshot_fresh(cast, people):
    counts.rebuild(LATER)
    an = people["an"].pk
    sql("UPDATE members_affiliation SET valid_to = '2026-03-01' WHERE member_id = %s", an)
    assert counts.refresh() == [(ON, 0), (LATER, 1)]  # An counted until 2026 only
    assert total(cast.commune, LATER) == 5
    sql("UPDATE members_affiliation SET valid_to = '2025-10-01' WHERE member_id = %s", an)
    assert counts.refresh() == [(ON, 1), (LATER, 1)]
    assert total(cast.commune) == 5
    assert_exact(cast)
    assert_exact(cast, LATER)


def test_a_refresh_rebuilds_only_the_province_changed(cast, people):
    untouched = CountPart.objects.get(province=cast.other_province).built_at
    sql("UPDATE members_member SET ethnicity = '02' WHERE id = %s", people["an"].pk)
    assert counts.refresh() == [(ON, 1)]
    assert CountPart.objects.get(province=cast.other_province).built_at == untouched
    assert_exact(cast)


def test_compacting_the_changes_keeps_every_part_fresh(cast, people):
    sql("UPDATE members_member SET religion = 'phat_giao' WHERE id = %s", people["an"].pk)
    sql("UPDATE members_member SET religion = '' WHERE id = %s", people["an"].pk)
    counts.refresh()
    before = counts.watermarks(ON)
    counts.compact_changes()
    assert counts.watermarks(ON) == before
    duplicates = (
        CountChange.objects.values("province_id", "since").annotate(rows=Count("id"))
        .filter(rows__gt=1)
    )  # fmt: skip
    assert not duplicates.exists()
    assert counts.stale_provinces(CountSnapshot.objects.get(on=ON)) == set()


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_a_truncate_makes_every_part_stale(cast, people):
    sql("SET CONSTRAINTS ALL IMMEDIATE")  # no pending checks: TRUNCATE may run
    sql("TRUNCATE members_historicalmember")  # not counted: no change
    assert counts.stale_provinces(CountSnapshot.objects.get(on=ON)) == set()
    sql("TRUNCATE members_memberevent CASCADE")
    assert counts.stale_provinces(CountSnapshot.objects.get(on=ON)) == counts.ALL


def test_a_correction_queues_one_refresh_of_what_it_changed_after_commit(
    cast, people, django_capture_on_commit_callbacks
):
    an = people["an"]
    member_exit(member=an, type=MemberEvent.Type.REMOVED, on=date(2025, 9, 1))
    counts.refresh()
    act = an.events.get(type=MemberEvent.Type.REMOVED)
    with django_capture_on_commit_callbacks(execute=True) as queued:
        timeline_act_correct(member=an, act=act, on=date(2026, 1, 10), grounds=Grounds("Sai"))
    assert len(queued) == 1
    assert counts.stale_provinces(CountSnapshot.objects.get(on=ON)) == set()  # refreshed
    assert total(cast.commune) == 6  # An in activity again on 31/12/2025
    assert_exact(cast)
