"""The movement summary (flows.py) is the live count: for random organizations above the
grassroots, the whole country and random periods (seeded) over a history with transfers,
exits, admissions and the 1/7/2025 restructuring, and again after rows are inserted,
deleted and updated with raw SQL (the same change records as the membership summary make
the province stale: it is counted live until `refresh`)."""

import random
from collections import Counter
from datetime import date, timedelta

import pytest
from django.db import connection

from tochuc.members.models import MemberEvent
from tochuc.members.selectors import with_sides
from tochuc.organizations.models import ABOVE_GRASSROOTS_KINDS, Organization
from tochuc.reports import periods, registry
from tochuc.reports.tests.fixtures import events_2026, people_2025
from tochuc.reports.tests.test_balance_restructuring import RESTRUCTURED, Restructuring
from tochuc.statistics import counts, flows, sources
from tochuc.statistics.models import FlowCount, FlowPart

pytestmark = pytest.mark.django_db


def sql(statement: str, *params) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, list(params))


def copy_event(event, **changed) -> None:
    """A copy of `event` with `changed` columns, written with raw SQL."""
    with connection.cursor() as cursor:
        table = connection.introspection.get_table_description(cursor, "members_memberevent")
    columns = [c.name for c in table if c.name != "id"]
    quoted = [connection.ops.quote_name(c) for c in columns]
    values = ["%s" if c in changed else quoted[i] for i, c in enumerate(columns)]
    sql(
        f"INSERT INTO members_memberevent ({', '.join(quoted)}) "  # noqa: S608
        f"SELECT {', '.join(values)} FROM members_memberevent WHERE id = %s",
        *[changed[c] for c in columns if c in changed],
        event.pk,
    )


def live(root, period, by_child) -> dict:
    with flows.counting_live():
        found = sources.movement_of(root, period.start, period.end, by_child=by_child)
    return {bucket: +counts for bucket, counts in found.items() if +counts}


def summarized(root, period, by_child) -> dict | None:
    found = flows.movement(root, period.start, period.end, by_child=by_child)
    return None if found is None else {bucket: +c for bucket, c in found.items() if +c}


def random_periods(rng: random.Random, n: int) -> list:
    choices = []
    for year in (2024, 2025, 2026):
        choices.append(periods.year(year))
        choices += [periods.quarter(year, q) for q in range(1, 5)]
        choices += [
            periods.between(date(year, m, 1), date(year, m + 1, 1) - timedelta(days=1))
            for m in range(1, 12)
        ]
    return rng.sample(choices, n)


def above_grassroots() -> list:
    return list(
        Organization.objects.filter(versions__kind__in=ABOVE_GRASSROOTS_KINDS)
        .distinct()
        .order_by("pk")
    )


def assert_exact(rng: random.Random, *, organizations: int = 6, periods_each: int = 5) -> int:
    """Summary = live for random organizations and periods (and the nation); returns how
    many of the comparisons the summary served."""
    roots = [None, *rng.sample(above_grassroots(), organizations)]
    served = 0
    for root in roots:
        for period in random_periods(rng, periods_each):
            for by_child in (False, True):
                found = summarized(root, period, by_child)
                if found is not None:
                    served += 1
                    assert found == live(root, period, by_child), (root, period, by_child)
    return served


@pytest.fixture
def history(cast):
    history = Restructuring(cast, seed=26)
    history.quiet_life(date(2024, 1, 1), RESTRUCTURED - timedelta(days=45))
    history.letters_across()
    history.restructure()
    history.receive()
    history.quiet_life(RESTRUCTURED + timedelta(days=45), date(2026, 11, 30))
    people_2025(cast)
    flows.rebuild()
    return history


def test_the_summary_is_the_live_count_across_a_restructuring(cast, history):
    assert MemberEvent.objects.filter(type=MemberEvent.Type.REORGANIZED).exists()
    served = assert_exact(random.Random(1), organizations=8, periods_each=6)
    assert served >= 50  # of 9 roots × 6 periods × 2 (by child of a commune: live)


def test_the_province_by_child_and_the_nation_by_province_are_served(cast, history):
    year = periods.year(2025)
    by_commune = summarized(cast.province, year, True)
    assert by_commune is not None
    assert by_commune == live(cast.province, year, True)
    moved = sum(c["restructured_in"] for c in by_commune.values())
    assert moved > 0  # the cells of the ended districts came under the new communes
    nation = summarized(None, year, True)
    assert nation == live(None, year, True)
    assert set(nation) == {cast.province.pk, cast.other_province.pk} & set(nation)


def test_a_period_not_of_whole_months_and_a_cell_are_counted_live(cast, history):
    odd = periods.between(date(2025, 3, 2), date(2025, 6, 30))
    assert summarized(cast.province, odd, False) is None
    assert summarized(cast.village_cell, periods.year(2025), False) is None


def test_the_reports_read_the_same_figures_from_the_summary_as_live(cast, history):
    for name in ("movement", "movement_by_child", "summary"):
        for root in (cast.province, None):
            served = registry.build(name, root, periods.year(2025)).as_dict()
            with flows.counting_live():
                counted = registry.build(name, root, periods.year(2025)).as_dict()
            assert served == counted, (name, root)


def test_each_province_rebuilt_alone_writes_the_whole_rebuild_across_a_restructuring(cast, history):
    """Letters between the provinces and organizations moved under new parents: a
    province's build finds the other side of each move among the versions it meets."""

    def rows():
        return sorted(FlowCount.objects.values_list("province_id", "holder", "month", "key", "n"))

    whole = rows()
    assert {r[3] for r in whole} >= {"restructured_in", "transferred_in", "transferred_out"}
    flows.rebuild({cast.province.pk})
    flows.rebuild({cast.other_province.pk})
    assert rows() == whole


def test_an_arrival_finds_the_affiliation_it_closed_without_reading_the_members():
    """The affiliation an arrival closed is at most one: looked up unordered (the model's
    ordering, by the member's name, joined the members for every arrival of the nation:
    most of a province's refresh, docs/performance.md 07/12/2026 `flows3`)."""
    query = str(with_sides(MemberEvent.objects.order_by()).query)
    assert 'JOIN "members_member"' not in query
    assert "ORDER BY" not in query


@pytest.fixture
def people(cast):
    people = events_2026(cast, people_2025(cast))
    flows.rebuild()
    return people


def test_raw_sql_inserts_deletes_and_updates_are_counted_exactly(cast, people):
    rng = random.Random(7)
    year = periods.year(2026)
    assert summarized(cast.commune, year, False)[cast.commune.pk]["admitted"] == 1  # Lâm
    # An admission written by hand into the commune's cell.
    copy_event(people["lam"].events.get(type="admitted"), member_id=people["an"].pk,
               on="2026-03-10")  # fmt: skip
    assert flows.stale_provinces() == {cast.province.pk}
    assert summarized(cast.commune, year, False) is None  # stale: counted live
    assert live(cast.commune, year, False)[cast.commune.pk]["admitted"] == 2
    assert summarized(cast.other_commune, year, False) is not None  # another province
    assert flows.refresh() == 1
    assert summarized(cast.commune, year, False)[cast.commune.pk]["admitted"] == 2
    # Cường's removal deleted, Em's transfer dated in 2025, Dung's affiliation ended.
    sql("DELETE FROM members_memberevent WHERE member_id = %s AND type = 'removed'",
        people["cuong"].pk)  # fmt: skip
    sql("UPDATE members_memberevent SET \"on\" = '2025-12-01' WHERE member_id = %s "
        "AND type = 'transferred_in'", people["em"].pk)  # fmt: skip
    sql("UPDATE members_affiliation SET valid_to = '2026-08-01' WHERE member_id = %s "
        "AND valid_to IS NULL", people["dung"].pk)  # fmt: skip
    assert flows.stale_provinces() == {cast.province.pk}
    flows.refresh()
    assert flows.stale_provinces() == set()
    assert assert_exact(rng, organizations=4, periods_each=8) > 0
    counted = summarized(cast.commune, year, False)[cast.commune.pk]
    assert counted["removed"] == 0
    assert counted["end"] == live(cast.commune, year, False)[cast.commune.pk]["end"]


def test_a_movement_event_change_leaves_the_membership_summary_fresh(cast, people):
    counts.rebuild(date(2025, 12, 31))
    sql("UPDATE members_memberevent SET \"on\" = '2026-07-01' WHERE member_id = %s "
        "AND type = 'removed'", people["cuong"].pk)  # fmt: skip
    snapshot = counts.CountSnapshot.objects.get(on=date(2025, 12, 31))
    assert counts.stale_provinces(snapshot) == set()
    assert flows.stale_provinces() == {cast.province.pk}


def test_report_counts_builds_and_refreshes_the_movement_summary(cast, people):
    from django.core.management import call_command

    FlowPart.objects.all().delete()
    call_command("report_counts", "--year-ends", "0", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert flows.stale_provinces() == set()
    sql("DELETE FROM members_memberevent WHERE member_id = %s AND type = 'confirmed'",
        people["dung"].pk)  # fmt: skip
    call_command("report_counts", "--stale", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert flows.stale_provinces() == set()
    assert (
        summarized(cast.commune, periods.year(2026), False)[cast.commune.pk]["confirmed"]
        == Counter(live(cast.commune, periods.year(2026), False)[cast.commune.pk])["confirmed"]
    )


def test_a_briefing_counts_the_months_movement_once(cast, people, monkeypatch):
    from tochuc.programmes.figures import month_figures

    counted = []
    real = sources.movement

    def counting(*args, **kwargs):
        counted.append(kwargs["by_child"])
        return real(*args, **kwargs)

    monkeypatch.setattr(sources, "movement", counting)
    march = periods.between(date(2026, 3, 1), date(2026, 3, 31))
    with flows.counting_live():
        figures = month_figures(organization=cast.commune, period=march)
    assert {"movement", "movement_by_child", "summary"} <= {f["report"] for f in figures}
    assert counted.count(False) == 1  # the movement and the summary reports share it
    assert counted.count(True) == 1
