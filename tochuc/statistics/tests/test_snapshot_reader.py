"""One snapshot reader per request: the summary table's freshness is resolved once per date
for a whole page, however many figures of that date the page reads."""

from datetime import date

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tochuc.reports import periods, registry
from tochuc.reports.tests.fixtures import people_2025
from tochuc.statistics import counts, sources
from tochuc.statistics.bands import AGE_BANDS

pytestmark = pytest.mark.django_db
ON = date(2025, 12, 31)


def freshness_reads(queries) -> int:
    """The reads that resolve the freshness of ON: its snapshot's parts (one query per
    resolution; the other dates a page reads, with no snapshot, are resolved apart)."""
    return sum(counts._PARTS_OF.ran(q["sql"]) and ON.isoformat() in q["sql"] for q in queries)


@pytest.fixture
def snapshot(cast):
    people_2025(cast)
    counts.rebuild(ON)
    return cast


def test_without_a_reader_each_figure_resolves_the_freshness_again(snapshot):
    with CaptureQueriesContext(connection) as queries:
        sources.organization_counts(snapshot.commune, ON)
        sources.member_profile(snapshot.commune, ON, AGE_BANDS)
    assert freshness_reads(queries) == 2


def test_within_one_reading_the_freshness_of_a_date_is_resolved_once(snapshot):
    with counts.one_reading(), CaptureQueriesContext(connection) as queries:
        organizations = sources.organization_counts(snapshot.commune, ON)
        profile = sources.member_profile(snapshot.commune, ON, AGE_BANDS)
        total = sources.member_total(snapshot.commune, ON)
        registry.build("membership", snapshot.province, periods.at(ON))
    assert freshness_reads(queries) == 1
    assert total == sum(profile["status"].values()) == 6  # served by the snapshot
    assert organizations == sources.organization_counts(snapshot.commune, ON)


def test_a_report_page_resolves_the_freshness_once(client, users, snapshot):
    client.force_login(users.commune_officer)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(
            reverse("reports:index"),
            {"bao_cao": "membership", "to_chuc": "T01.X01", "ngay": "31/12/2025"},
        )
    assert response.status_code == 200
    members = response.context["data"].table("members")
    assert [row["count"] for row in members.rows] == [6, 5, 1, 3, 3, 2]
    assert freshness_reads(queries) == 1


def test_nested_readings_share_one_reader_which_ends_with_its_block(snapshot):
    with counts.one_reading() as reader:
        assert reader.resolve(ON) is not None
        with counts.one_reading() as inner:
            assert inner is reader
    with counts.one_reading() as later:
        assert later is not reader  # the next request resolves afresh


def test_the_home_page_resolves_the_freshness_of_its_date_once_for_every_panel(
    client, users, snapshot
):
    cache.clear()  # the panels are cached: compute them in this request
    client.force_login(users.commune_officer)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/", {"ngay": "31/12/2025"})
    assert response.status_code == 200
    panels = {panel.key: context for panel, context in response.context["panels"]}
    assert panels["reports.breakdowns"]["members"].rows[0]["count"] == 6
    # Members over the years, the breakdowns and the organization panel all read 31/12/2025.
    assert freshness_reads(queries) == 1


def test_the_freshness_query_is_built_once_and_reads_each_date(snapshot, monkeypatch):
    import threading

    built = []
    build = counts._PARTS_OF.build
    monkeypatch.setattr(counts._PARTS_OF, "build", lambda **v: built.append(v) or build(**v))
    monkeypatch.setattr(counts._PARTS_OF, "_compiled", threading.local())
    snapshot_of_on, parts, stale = counts._resolve(ON)
    assert snapshot_of_on == counts.CountSnapshot.objects.get(on=ON) and not stale
    assert parts == dict(counts.CountPart.objects.values_list("province_id", "watermark"))
    assert counts._resolve(date(2024, 12, 31)) is None  # no snapshot of that date
    with connection.cursor() as cursor:  # any write, by any path, of a counted table
        cursor.execute(
            "DELETE FROM members_affiliation WHERE member_id IN "
            "(SELECT id FROM members_member WHERE province_id = %s)",
            [snapshot.province.pk],
        )
    assert counts._resolve(ON)[2] == {snapshot.province.pk}
    assert len(built) == 1
