"""The whole country ("Toàn quốc"): the membership report over every province, for system
administrators alone (the page's code `toan-quoc` and its download), audited.

The cast's two provinces on 31/12/2025 (fixtures.py draws Tỉnh A's commune):

  Tỉnh A: 7 members (6 full, Vi Thị Dung probationary; Đàm Văn Hải died 01/10/2025),
          communes Tân An and Tân Bình, 1 base committee, 2 base cells, 1 cell under them.
  Tỉnh B: 2 members in Chi bộ khu phố 1 (Tô Văn Minh full, Hà Thị Ngọc probationary),
          commune Bắc Sơn, 1 base cell.
"""

import io
import json
from datetime import date

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from tochuc.core.models import AuditEntry
from tochuc.organizations.models import GrassrootsType, Kind
from tochuc.reports import periods, registry
from tochuc.reports.forms import NATIONAL
from tochuc.statistics import sources
from tochuc.testing import found, register

from .fixtures import people_2025

pytestmark = pytest.mark.django_db
INDEX = reverse("reports:index")
NATIONAL_DOWNLOAD = reverse("reports:download_national")
ON = date(2025, 12, 31)
AT_YEAR_END = {"bao_cao": "membership", "to_chuc": NATIONAL, "ngay": "31/12/2025"}


@pytest.fixture
def country(cast):
    """Members in both provinces, as drawn above."""
    people_2025(cast)
    cast.other_cell = found(
        "T02.P01.KP1", "Chi bộ khu phố 1", Kind.BASE_CELL, cast.other_commune,
        grassroots_type=GrassrootsType.WARD,
    )  # fmt: skip
    register(cast.other_cell, "Tô Văn Minh")
    register(cast.other_cell, "Hà Thị Ngọc", gender="female", birth_date=date(1998, 4, 4),
             admitted_on=date(2025, 10, 1), confirmed=False)  # fmt: skip
    return cast


def members(data) -> dict[str, int]:
    return {row["key"]: row["count"] for row in data.table("members").rows}


def organizations(data) -> dict[str, int]:
    return {row["key"]: row["count"] for row in data.table("organizations").rows}


# ---------------------------------------------------------------- the dataset


def test_the_national_totals_are_the_sum_of_the_provinces(country):
    period = periods.at(ON)
    tinh_a = registry.build("membership", country.province, period)
    tinh_b = registry.build("membership", country.other_province, period)
    nation = registry.build("membership", None, period)

    assert members(tinh_a)["total"] == 7 and members(tinh_b)["total"] == 2
    assert members(nation)["total"] == 9
    assert members(nation)["full"] == 7 == members(tinh_a)["full"] + members(tinh_b)["full"]
    assert members(nation)["probationary"] == 2
    assert members(nation)["women"] == members(tinh_a)["women"] + members(tinh_b)["women"] == 4

    a, b, whole = organizations(tinh_a), organizations(tinh_b), organizations(nation)
    assert Kind.PROVINCE not in a  # a province's own report does not count itself
    assert whole == {
        "grassroots": 4, Kind.BASE_COMMITTEE: 1, Kind.BASE_CELL: 3,
        "under_grassroots": 1, Kind.SUB_COMMITTEE: 0, Kind.CELL: 1,
        Kind.PROVINCE: 2, Kind.DISTRICT: 0, Kind.COMMUNE: 3, Kind.BLOC: 0,
    }  # fmt: skip
    for key in a:
        assert whole[key] == a[key] + b[key], key
    labels = {row["key"]: row["label"] for row in nation.table("organizations").rows}
    assert labels[Kind.PROVINCE] == "Đảng bộ tỉnh, thành phố"

    by_type = {row["key"]: row["total"] for row in nation.table("grassroots_by_type").rows}
    assert by_type[GrassrootsType.WARD] == 1 and by_type[GrassrootsType.OTHER] == 1
    assert nation.table("grassroots_by_type").totals["total"] == 4


def test_the_national_heading_names_the_country_with_no_code(country):
    nation = registry.build("membership", None, periods.at(ON))
    assert nation.organization_name == "Toàn quốc"
    assert nation.organization_code == ""
    assert nation.issuer == "BAN TỔ CHỨC TRUNG ƯƠNG"
    assert nation.issuer_parent == "BAN CHẤP HÀNH TRUNG ƯƠNG"


def test_a_live_national_count_is_one_grouped_query_each(
    country, monkeypatch, django_assert_num_queries
):
    from tochuc.statistics import counts as counts_table
    from tochuc.statistics.bands import AGE_BANDS

    monkeypatch.setattr(counts_table, "snapshot_organizations", lambda root, on: None)
    monkeypatch.setattr(counts_table, "snapshot_counts", lambda root, on: None)
    with django_assert_num_queries(1):
        counted = sources.organization_counts(None, ON)
    assert counted[(Kind.PROVINCE, "")] == 2
    with django_assert_num_queries(1):
        profile = sources.member_profile(None, ON, AGE_BANDS)
    assert profile["status"] == {"full": 7, "probationary": 2}


def test_the_national_organizations_come_from_a_fresh_snapshot_when_one_serves(
    country, monkeypatch, django_assert_num_queries
):
    from collections import Counter

    from tochuc.statistics import counts as counts_table

    asked = []
    snapshot = Counter({(Kind.PROVINCE, ""): 34})
    monkeypatch.setattr(
        counts_table, "snapshot_organizations", lambda root, on: asked.append(root) or snapshot
    )
    with django_assert_num_queries(0):
        assert sources.organization_counts(None, ON) is snapshot
    assert asked == [None]


def test_a_report_not_declared_national_refuses_the_country_in_vietnamese(country):
    with pytest.raises(ValidationError) as error:
        registry.build("ratings", None, periods.year(2025))
    assert error.value.messages == [
        "Báo cáo “Đánh giá, xếp loại chất lượng” chỉ lập cho từng tổ chức, không lập cho toàn quốc."
    ]


# ---------------------------------------------------------------- the page and the download


def test_an_admin_sees_the_national_report_with_its_downloads(client, users, country):
    client.force_login(users.admin)
    response = client.get(INDEX, AT_YEAR_END)
    assert response.status_code == 200
    page = response.content.decode()
    assert members(response.context["data"])["total"] == 9
    assert response.context["organization"] is None
    assert 'aria-current="page">Toàn quốc</li>' in page
    assert "Báo cáo thống kê — Toàn quốc" in page
    assert f"{NATIONAL_DOWNLOAD}?bao_cao=membership&amp;ngay=31%2F12%2F2025&amp;dinh_dang=xlsx" in (
        page
    )


def test_an_admin_is_offered_the_country_in_the_picker(client, users, country):
    client.force_login(users.admin)
    page = client.get(INDEX).content.decode()
    assert 'list="to-chuc-toan-quoc"' in page
    assert '<option value="toan-quoc">Toàn quốc</option>' in page
    assert "Hoặc “toan-quoc”: Toàn quốc (báo cáo tại một thời điểm)." in page


def test_an_officer_is_not_offered_the_country(client, users, country):
    client.force_login(users.province_officer)
    page = client.get(INDEX).content.decode()
    assert "toan-quoc" not in page


def test_an_admin_downloads_the_national_xlsx_and_it_is_audited(client, users, country):
    client.force_login(users.admin)
    response = client.get(INDEX, {**AT_YEAR_END, "dinh_dang": "xlsx"})
    assert response.status_code == 302
    assert response["Location"].startswith(NATIONAL_DOWNLOAD)
    response = client.get(response["Location"])
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    cover = list(book["Thông tin"].iter_rows(values_only=True))
    assert cover[2][1].startswith("Toàn quốc")
    assert cover[3] == ("Kỳ báo cáo", "Tại ngày 31/12/2025")
    orgs = dict(book["1. Tổ chức đảng"].iter_rows(min_row=2, values_only=True))
    assert orgs["Tổ chức cơ sở đảng"] == 4
    assert orgs["Đảng bộ tỉnh, thành phố"] == 2
    assert orgs["Đảng bộ xã, phường, đặc khu"] == 3
    people = {row[0]: row[1] for row in book["3. Đảng viên"].iter_rows(min_row=2, values_only=True)}
    assert people["Tổng số đảng viên"] == 9
    assert people["Đảng viên chính thức"] == 7
    assert people["Đảng viên dự bị"] == 2

    entry = AuditEntry.objects.get(action="tochuc.report.exported")
    assert entry.user == users.admin
    assert entry.object_type == "" and entry.object_id == ""
    assert entry.data["organization"] == NATIONAL
    assert entry.data["report"] == "membership" and entry.data["format"] == "xlsx"
    assert entry.data["period"]["label"] == "Tại ngày 31/12/2025"


def test_an_admin_asking_the_country_for_another_report_is_told_beside_the_field(
    client, users, country
):
    client.force_login(users.admin)
    response = client.get(INDEX, {"bao_cao": "ratings", "to_chuc": NATIONAL, "nam": "2025"})
    assert response.status_code == 200
    assert response.context["form"].errors["to_chuc"] == [
        "Báo cáo “Đánh giá, xếp loại chất lượng” chỉ lập cho từng tổ chức, không lập cho toàn quốc."
    ]
    assert "data" not in response.context
    response = client.get(NATIONAL_DOWNLOAD, {"bao_cao": "ratings", "nam": "2025"})
    assert response.status_code == 400
    assert not AuditEntry.objects.filter(action="tochuc.report.exported").exists()


def test_a_province_officer_gets_not_found_for_the_country(client, users, country):
    client.force_login(users.province_officer)
    assert client.get(INDEX, AT_YEAR_END).status_code == 404
    movement = {"bao_cao": "movement", "to_chuc": NATIONAL, "nam": "2025"}
    assert client.get(INDEX, movement).status_code == 404
    assert client.get(INDEX, {"to_chuc": NATIONAL}).status_code == 200  # only a pre-fill
    assert client.get(NATIONAL_DOWNLOAD, {"ngay": "31/12/2025"}).status_code == 404
    assert not AuditEntry.objects.filter(action="tochuc.report.exported").exists()


def test_a_stranger_and_a_viewer_get_not_found_for_the_national_download(client, users, country):
    for user in (users.commune_viewer, users.stranger):
        client.force_login(user)
        assert client.get(NATIONAL_DOWNLOAD).status_code == 404


# ---------------------------------------------------------------- the command line


def _command(*args) -> dict:
    out = io.StringIO()
    call_command("report", "membership", "--date", "31/12/2025", "--format", "json", *args,
                 stdout=out)  # fmt: skip
    data = json.loads(out.getvalue())
    return {r["key"]: r["count"] for t in data["tables"] if t["key"] == "members"
            for r in t["rows"]}  # fmt: skip


def test_the_command_reports_the_whole_country_audited_like_the_download(country):
    assert _command("--org", NATIONAL)["total"] == 9  # Tỉnh A's 7 and Tỉnh B's 2
    entry = AuditEntry.objects.get(action="tochuc.report.exported")
    assert entry.user is None  # the operator, as the system
    assert entry.object_id == ""
    assert entry.data["organization"] == NATIONAL
    assert entry.data["channel"] == "cli"
    assert entry.data["period"]["end"] == "2025-12-31"


def test_an_administrator_named_on_the_command_line_reports_the_whole_country(users, country):
    assert _command("--org", "TOAN-QUOC", "--user", "admin")["total"] == 9
    assert AuditEntry.objects.get(action="tochuc.report.exported").user == users.admin


def test_an_officer_named_on_the_command_line_does_not_find_the_country(users, country):
    with pytest.raises(CommandError, match="Không có tổ chức mã toan-quoc"):
        _command("--org", NATIONAL, "--user", "province_officer")
    with pytest.raises(CommandError, match="Không có tổ chức mã T02"):
        _command("--org", "T02", "--user", "province_officer")  # the other province
    assert _command("--org", "T01", "--user", "province_officer")["total"] == 7
    exported = AuditEntry.objects.filter(action="tochuc.report.exported")
    assert [e.object_id for e in exported] == [str(country.province.pk)]  # refusals write none
