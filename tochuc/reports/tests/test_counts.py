"""The summary table: the same numbers as the live count, used only while fresh."""

from collections import Counter
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection

from tochuc.members.services import member_exit
from tochuc.reports import periods, registry
from tochuc.statistics import counts, sources
from tochuc.statistics.models import CountPart, CountSnapshot, ReportCount

from .fixtures import people_2025

pytestmark = pytest.mark.django_db
ON = date(2025, 12, 31)


def membership(organization):
    return registry.build("membership", organization, periods.at(ON)).as_dict()


def test_a_snapshot_gives_exactly_the_live_numbers(cast):
    people_2025(cast)
    live = {org: membership(getattr(cast, org)) for org in ("province", "commune", "base")}
    snapshot = counts.rebuild(ON)
    assert snapshot.members == 7  # the commune's 6 and Khánh in the sibling commune
    assert counts.snapshot_counts(cast.commune, ON) is not None
    for org, expected in live.items():
        assert membership(getattr(cast, org)) == expected, org


def test_it_keeps_subtree_totals_per_organization_above_the_grassroots_and_the_nation(cast):
    people_2025(cast)
    counts.rebuild(ON)
    status = ReportCount.objects.filter(dimension="status").select_related("organization")
    by_org = {(r.organization.code if r.organization else "", r.value): r.n for r in status}
    # Cells and grassroots organizations have no rows of their own: they are counted live.
    assert by_org == {
        ("T01", "full"): 6, ("T01", "probationary"): 1,
        ("T01.X01", "full"): 5, ("T01.X01", "probationary"): 1,
        ("T01.X02", "full"): 1,
        ("", "full"): 6, ("", "probationary"): 1,
    }  # fmt: skip


def test_the_organizations_under_each_one_come_from_the_snapshot_as_counted_live(cast):
    people_2025(cast)
    live = {org: sources.organization_counts(org, ON) for org in (cast.province, cast.commune)}
    counts.rebuild(ON)
    for org, expected in live.items():
        assert counts.snapshot_organizations(org, ON) == expected, org
    nation = counts.snapshot_organizations(None, ON)
    assert nation[("province", "")] == 2  # both provinces themselves
    assert nation == live[cast.province] + sources.organization_counts(
        cast.other_province, ON
    ) + Counter({("province", ""): 2})


def test_the_nation_is_the_sum_of_the_provinces(cast):
    people_2025(cast)
    counts.rebuild(ON)
    nation = counts.snapshot_counts(None, ON)
    assert nation["status"] == Counter({"full": 6, "probationary": 1})
    assert nation["gender"] == Counter({"male": 4, "female": 3})


def test_the_province_total_is_read_by_its_key(cast, django_assert_max_num_queries):
    people_2025(cast)
    counts.rebuild(ON)
    counts._summed.cache_clear()
    # snapshot, parts, the changes recorded, version, the province's rows
    with django_assert_max_num_queries(5):
        assert sources.member_total(cast.province, ON) == 7


def test_after_a_write_the_report_counts_live_again(cast):
    people = people_2025(cast)
    counts.rebuild(ON)
    member_exit(member=people["an"], type="resigned", on=date(2025, 12, 1))
    assert counts.snapshot_counts(cast.commune, ON) is None
    members = {r["key"]: r["count"] for r in membership(cast.commune)["tables"][2]["rows"]}
    assert members["total"] == 5


def test_a_write_in_one_province_leaves_the_other_provinces_part_in_use(cast):
    people = people_2025(cast)
    counts.rebuild(ON)
    member_exit(member=people["an"], type="resigned", on=date(2025, 12, 1))
    snapshot = CountSnapshot.objects.get(on=ON)
    assert counts.stale_provinces(snapshot) == {cast.province.pk}
    assert counts.snapshot_counts(cast.other_province, ON) is not None
    # The nation: the other province's rows, and the written province counted live.
    assert counts.snapshot_counts(None, ON)["status"] == Counter({"full": 5, "probationary": 1})


def test_refresh_rebuilds_only_the_stale_provinces(cast):
    people = people_2025(cast)
    counts.rebuild(ON)
    untouched = CountPart.objects.get(province=cast.other_province).built_at
    member_exit(member=people["an"], type="resigned", on=date(2025, 12, 1))
    assert counts.refresh() == [(ON, 1)]
    assert CountPart.objects.get(province=cast.other_province).built_at == untouched
    assert counts.snapshot_counts(cast.commune, ON)["status"] == Counter(
        {"full": 4, "probationary": 1}
    )
    assert counts.snapshot_counts(None, ON)["status"] == Counter({"full": 5, "probationary": 1})
    assert CountSnapshot.objects.get(on=ON).members == 6
    assert counts.refresh() == [(ON, 0)]  # nothing written since


def test_a_row_of_no_province_makes_every_part_stale(cast):
    people_2025(cast)
    counts.rebuild(ON)
    with connection.cursor() as cursor:  # a fix made in the database, by hand
        cursor.execute(
            "UPDATE organizations_organizationversion SET province_id = NULL "
            "WHERE organization_id = %s",
            [cast.cell.pk],
        )
    assert counts.stale_provinces(CountSnapshot.objects.get(on=ON)) == counts.ALL
    assert counts.snapshot_counts(None, ON) is None


def test_audit_entries_alone_leave_the_snapshot_in_use(cast, users, client):
    from tochuc.core import audit

    people_2025(cast)
    counts.rebuild(ON)
    client.force_login(users.commune_officer)
    client.get("/", {"org": cast.sibling_commune.code})  # out of scope: a denial, audited
    audit.record("tochuc.auth.login", by=users.commune_officer)
    audit.record("tochuc.member.exported", by=users.commune_officer)
    audit.record("tochuc.member.updated", by=users.commune_officer)
    audit.record("tochuc.system.restored", by=users.commune_officer)
    # Freshness comes from the counted rows, not from the names of audited actions.
    assert counts.snapshot_counts(cast.commune, ON) is not None


def test_a_cell_below_the_grassroots_level_is_counted_live(cast):
    people_2025(cast)
    counts.rebuild(ON)
    assert counts.snapshot_counts(cast.cell, ON) is None
    assert sources.member_total(cast.cell, ON) == 2


def test_the_command_rebuilds_the_stale_parts_only_when_asked(cast, capsys):
    people = people_2025(cast)
    counts.rebuild(ON)
    member_exit(member=people["an"], type="resigned", on=date(2025, 12, 1))
    call_command("report_counts", "--stale")
    assert "31/12/2025: 1 tỉnh tính lại" in capsys.readouterr().out
    assert counts.snapshot_counts(cast.commune, ON) is not None


def test_the_command_rebuilds_the_dates_asked(cast, capsys):
    people_2025(cast)
    call_command("report_counts", "--date", "31/12/2025", "--date", "30/09/2025")
    out = capsys.readouterr().out
    assert "31/12/2025: 7 đảng viên" in out
    assert "30/09/2025: 8 đảng viên" in out  # Hải still alive; Dung since 15/09
    assert sorted(CountSnapshot.objects.values_list("on", flat=True)) == [
        date(2025, 9, 30), date(2025, 12, 31),
    ]  # fmt: skip


def test_a_readmitted_member_is_counted_by_his_timeline_in_the_summary_as_live(cast):
    from tochuc.members.services import member_confirm, member_readmit
    from tochuc.organizations.models import Kind
    from tochuc.testing import found, register

    old = date(2000, 1, 1)
    district = found("T01.H09", "Đảng bộ huyện Bình Gia", Kind.DISTRICT, cast.province, on=old)
    cell = found("T01.H09.C1", "Chi bộ thôn Bản Chu", Kind.BASE_CELL, district, on=old)
    tai = register(cell, "Lê Văn Tái")  # admitted 19/05/2010, full from 03/06/2011
    member_exit(member=tai, type="resigned", on=date(2018, 1, 10))
    member_readmit(member=tai, organization=cell, decided_on=date(2022, 3, 1),
                   ceremony_on=date(2022, 3, 15), consent="Văn bản 12-CV/TU")  # fmt: skip
    member_confirm(member=tai, on=date(2023, 3, 15))
    # His stored confirmation is the second one: in 2015 only his timeline says "full".
    for day, expected in (
        (date(2010, 12, 31), {"probationary": 1}),
        (date(2015, 12, 31), {"full": 1}),
        (date(2022, 12, 31), {"probationary": 1}),
        (date(2023, 12, 31), {"full": 1}),
    ):
        counts.rebuild(day)
        assert counts.snapshot_counts(district, day)["status"] == Counter(expected), day


def test_the_build_leaves_none_of_its_scratch_tables_behind(cast):
    people_2025(cast)
    counts.rebuild(ON)
    counts.rebuild(ON, [cast.province.pk])
    assert [t for t in connection.introspection.table_names() if "count_anchor" in t] == []
    assert CountSnapshot.objects.get(on=ON).members == 7
