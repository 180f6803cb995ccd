"""`tochuc report_counts` and the movement summary: the nightly command rebuilds only the
provinces whose rows changed since their part was built (the movement does not depend on
the dates asked), the whole of it when there is no part yet or with `--flows`, and a part
built in an earlier year (its "opening" rows stop at the year after)."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tochuc.reports import periods
from tochuc.reports.tests.fixtures import events_2026, people_2025
from tochuc.statistics import database, flows
from tochuc.statistics.models import FlowCount, FlowPart, ReportCount

from .test_flows import copy_event, live, summarized

pytestmark = pytest.mark.django_db


def report_counts(*args: str) -> str:
    out = StringIO()
    call_command("report_counts", "--date", "31/12/2025", *args, stdout=out)
    return out.getvalue()


def built() -> dict[int, object]:
    """Province → when its part of the movement summary was built."""
    return dict(FlowPart.objects.values_list("province_id", "built_at"))


@pytest.fixture
def people(cast):
    return events_2026(cast, people_2025(cast))


@pytest.fixture
def nightly(cast, people):
    """The movement summary as the first night's command builds it (no part yet)."""
    assert not FlowPart.objects.exists()
    out = report_counts()
    assert "biến động theo tháng: dựng lại toàn bộ" in out
    return built()


def test_the_first_night_builds_every_province(cast, nightly):
    assert {cast.province.pk, cast.other_province.pk, flows.ELSEWHERE} <= set(nightly)
    assert flows.stale_provinces() == set()
    year = periods.year(2026)
    assert summarized(cast.commune, year, False) == live(cast.commune, year, False)


def test_a_night_without_changes_rebuilds_no_province(cast, nightly):
    rows = FlowCount.objects.count()
    out = report_counts()
    assert "biến động theo tháng: 0 tỉnh tính lại" in out
    assert built() == nightly
    assert FlowCount.objects.count() == rows


def test_a_raw_sql_change_rebuilds_its_province_only_and_exactly(cast, people, nightly):
    year = periods.year(2026)
    assert summarized(cast.commune, year, False)[cast.commune.pk]["admitted"] == 1  # Lâm
    copy_event(people["lam"].events.get(type="admitted"), member_id=people["an"].pk,
               on="2026-03-10")  # fmt: skip
    assert flows.stale_provinces() == {cast.province.pk}
    out = report_counts()
    assert "biến động theo tháng: 1 tỉnh tính lại" in out
    now = built()
    assert now[cast.province.pk] > nightly[cast.province.pk]
    assert now[cast.other_province.pk] == nightly[cast.other_province.pk]
    assert flows.stale_provinces() == set()
    found = summarized(cast.commune, year, False)
    assert found[cast.commune.pk]["admitted"] == 2
    assert found == live(cast.commune, year, False)
    assert summarized(None, year, True) == live(None, year, True)


def test_flows_rebuilds_every_province(cast, nightly):
    rows = FlowCount.objects.count()
    out = report_counts("--flows")
    assert f"dựng lại toàn bộ, {rows} dòng" in out
    now = built()
    assert set(now) == set(nightly)
    assert all(now[p] > nightly[p] for p in nightly)


def test_a_part_built_last_year_is_rebuilt(cast, nightly):
    last_year = nightly[cast.other_province.pk] - timedelta(days=400)
    FlowPart.objects.filter(province_id=cast.other_province.pk).update(built_at=last_year)
    out = report_counts()
    assert "biến động theo tháng: 1 tỉnh tính lại" in out
    now = built()
    assert now[cast.other_province.pk] > nightly[cast.other_province.pk]
    assert now[cast.province.pk] == nightly[cast.province.pk]


def flow_rows() -> list[tuple]:
    return sorted(FlowCount.objects.values_list("province_id", "holder", "month", "key", "n"))


def test_the_whole_rebuild_writes_what_the_province_rebuilds_write(cast, people, nightly):
    """The rows of a province rebuilt alone are the rows of the whole rebuild."""
    rows = flow_rows
    whole = rows()
    assert whole
    assert {r[3] for r in whole} >= {"admitted", "net", "opening", "transferred_in"}
    flows.rebuild({cast.province.pk})
    flows.rebuild({cast.other_province.pk})
    assert rows() == whole


def test_a_province_build_reads_its_own_organizations_and_writes_no_table_of_versions(
    cast, people, nightly, monkeypatch
):
    """A refresh after an import into one province computes the chains of the versions of
    its organizations and of those its events meet, not of every organization, and reads
    them from the organizations' own table (no temporary table of every version)."""
    made, written = [], []
    chains, insert_rows = flows._Chains, flows.insert_rows

    def spying_chains(*args):
        made.append(chains(*args))
        return made[-1]

    def spying_insert(table, *args):
        written.append(table)
        return insert_rows(table, *args)

    monkeypatch.setattr(flows, "_Chains", spying_chains)
    monkeypatch.setattr(flows, "insert_rows", spying_insert)
    flows.rebuild({cast.province.pk})
    assert flows.VERSION_TABLE not in written
    (loaded,) = made
    assert cast.province.pk in loaded.of_organization
    assert cast.other_province.pk not in loaded.of_organization


def test_a_province_refresh_rewrites_only_the_rows_that_changed(cast, people, nightly):
    """An event inserted with raw SQL: the province's rows it does not change are kept as
    they were (same ids), and the rows are those of a whole rebuild."""
    before = dict(FlowCount.objects.values_list("id", "n"))
    copy_event(people["lam"].events.get(type="admitted"), member_id=people["an"].pk,
               on="2026-03-10")  # fmt: skip
    assert flows.refresh() == 1
    after = dict(FlowCount.objects.values_list("id", "n"))
    kept = before.keys() & after.keys()
    assert len(kept) > len(before) // 2  # most rows did not change: kept as they were
    assert after.keys() - kept  # those of March 2026 did: written
    refreshed = flow_rows()
    flows.rebuild()
    assert flow_rows() == refreshed


def test_flows_does_not_go_with_stale(cast):
    with pytest.raises(CommandError):
        call_command("report_counts", "--stale", "--flows", stdout=StringIO())


def test_the_movement_build_sets_its_own_session_settings(cast, people, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL session settings")
    seen = []
    real = flows._events

    def spying(cursor, *args):
        cursor.execute("SHOW work_mem")
        seen.append(cursor.fetchone()[0])
        return real(cursor, *args)

    monkeypatch.setattr(flows, "_events", spying)
    flows.rebuild()
    assert seen == [database.BUILD_SESSION["work_mem"]]


def test_a_whole_build_leaves_the_planner_statistics_of_the_summary(cast, people):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL planner statistics")
    report_counts()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM pg_stats WHERE tablename = %s", [ReportCount._meta.db_table]
        )
        assert cursor.fetchone()[0] > 0
