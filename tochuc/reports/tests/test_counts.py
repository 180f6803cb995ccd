"""The summary table: the same numbers as the live count, used only while fresh."""

from datetime import date

import pytest
from django.core.management import call_command

from tochuc.members.services import member_exit
from tochuc.reports import counts, definitions, periods, sources
from tochuc.reports.models import CountSnapshot, ReportCount

from .fixtures import people_2025

pytestmark = pytest.mark.django_db
ON = date(2025, 12, 31)


def membership(organization):
    return definitions.build("membership", organization, periods.at(ON)).as_dict()


def test_a_snapshot_gives_exactly_the_live_numbers(cast):
    people_2025(cast)
    live = {org: membership(getattr(cast, org)) for org in ("province", "commune", "base")}
    snapshot = counts.rebuild(ON)
    assert snapshot.members == 7  # the commune's 6 and Khánh in the sibling commune
    assert counts.snapshot_counts(cast.commune, ON) is not None
    for org, expected in live.items():
        assert membership(getattr(cast, org)) == expected, org


def test_it_counts_per_grassroots_organization_not_per_cell(cast):
    people_2025(cast)
    counts.rebuild(ON)
    status = ReportCount.objects.filter(dimension="status")
    by_org = {(r.organization.code, r.value): r.n for r in status.select_related("organization")}
    # The school's cell rolls up into the school's committee.
    assert by_org == {
        ("T01.X01.NAPHAI", "full"): 3,
        ("T01.X01.NAPHAI", "probationary"): 1,
        ("T01.X01.THPT", "full"): 2,
        ("T01.X02.KHONLENG", "full"): 1,
    }


def test_the_province_total_is_summed_from_the_snapshot(cast, django_assert_max_num_queries):
    people_2025(cast)
    counts.rebuild(ON)
    with django_assert_max_num_queries(4):  # snapshot, audit check, version, summed rows
        assert sources.member_total(cast.province, ON) == 7


def test_after_a_write_the_report_counts_live_again(cast):
    people = people_2025(cast)
    counts.rebuild(ON)
    member_exit(member=people["an"], type="resigned", on=date(2025, 12, 1))
    assert counts.snapshot_counts(cast.commune, ON) is None
    members = {r["key"]: r["count"] for r in membership(cast.commune)["tables"][2]["rows"]}
    assert members["total"] == 5


def test_logins_denials_and_exports_leave_the_snapshot_in_use(cast, users, client):
    from tochuc.core import audit

    people_2025(cast)
    counts.rebuild(ON)
    client.force_login(users.commune_officer)
    client.get("/", {"org": cast.sibling_commune.code})  # out of scope: a denial, audited
    audit.record("tochuc.auth.login", by=users.commune_officer)
    audit.record("tochuc.member.exported", by=users.commune_officer)
    audit.record("tochuc.member.letter_exported", by=users.commune_officer)
    assert counts.snapshot_counts(cast.commune, ON) is not None
    audit.record("tochuc.member.updated", by=users.commune_officer)
    assert counts.snapshot_counts(cast.commune, ON) is None


def test_a_cell_below_the_grassroots_level_is_counted_live(cast):
    people_2025(cast)
    counts.rebuild(ON)
    assert counts.snapshot_counts(cast.cell, ON) is None
    assert sources.member_total(cast.cell, ON) == 2


def test_the_command_rebuilds_the_dates_asked(cast, capsys):
    people_2025(cast)
    call_command("report_counts", "--date", "31/12/2025", "--date", "30/09/2025")
    out = capsys.readouterr().out
    assert "31/12/2025: 7 đảng viên" in out
    assert "30/09/2025: 8 đảng viên" in out  # Hải still alive; Dung since 15/09
    assert sorted(CountSnapshot.objects.values_list("on", flat=True)) == [
        date(2025, 9, 30), date(2025, 12, 31),
    ]  # fmt: skip
