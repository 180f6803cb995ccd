"""The reports page, the downloads (audited), the dashboard panels and the command."""

import io
import json
from datetime import date

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from tochuc.core.models import AuditEntry
from tochuc.statistics import dashboard

from .fixtures import events_2026, people_2025, targets_2026

pytestmark = pytest.mark.django_db
INDEX = reverse("reports:index")


def download_url(code):
    return reverse("reports:download", kwargs={"code": code})


@pytest.fixture
def data(cast):
    events_2026(cast, people_2025(cast))
    targets_2026(cast)
    return cast


def test_an_officer_sees_the_report_with_its_charts_and_downloads(client, users, data):
    client.force_login(users.commune_officer)
    response = client.get(INDEX, {"bao_cao": "membership", "to_chuc": "T01.X01",
                                  "ngay": "31/12/2025"})  # fmt: skip
    assert response.status_code == 200
    page = response.content.decode()
    assert "Tổ chức đảng và đảng viên tại một thời điểm" in page
    assert "Tại ngày 31/12/2025" in page
    members = response.context["data"].table("members")
    assert [row["count"] for row in members.rows] == [6, 5, 1, 3, 3, 2]
    assert 'data-chart="chart-age"' in page
    assert response.context["charts"]["chart-age"]["values"] == [2, 2, 1, 0, 1, 0]
    assert 'id="report-charts"' in page
    assert "vendor/chartjs/chart.umd.min.js" in page
    assert (
        f"{download_url('T01.X01')}?bao_cao=membership&amp;ngay=31%2F12%2F2025&amp;dinh_dang=docx"
        in page
    )


def test_choosing_a_file_format_downloads_the_file_and_audits_it(client, users, data):
    client.force_login(users.commune_officer)
    response = client.get(INDEX, {"bao_cao": "movement", "to_chuc": "T01.X01", "nam": "2026",
                                  "dinh_dang": "xlsx"})  # fmt: skip
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('bao-cao-movement-T01.X01-2026-12-31.xlsx"')
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    movement = list(book[book.sheetnames[1]].iter_rows(values_only=True))
    assert movement[1] == ("Đảng viên đầu kỳ", 6)
    assert movement[-1] == ("Đảng viên cuối kỳ", 6)
    entry = AuditEntry.objects.get(action="tochuc.report.exported")
    assert entry.user == users.commune_officer
    assert entry.object_repr == "Đảng bộ xã Tân An"
    assert entry.data["report"] == "movement" and entry.data["format"] == "xlsx"
    assert entry.data["period"]["label"] == "Năm 2026"


def test_json_download_is_the_dataset(client, users, data):
    client.force_login(users.province_officer)
    response = client.get(download_url("T01.X01"), {"bao_cao": "summary", "nam": "2026",
                                                     "dinh_dang": "json"})  # fmt: skip
    payload = json.loads(response.content)
    assert payload["paragraphs"][0].startswith("Năm 2026, toàn Đảng bộ kết nạp 1 đảng viên")


def test_a_bad_period_is_explained_beside_its_field(client, users, data):
    client.force_login(users.commune_officer)
    response = client.get(INDEX, {"bao_cao": "movement", "to_chuc": "T01.X01", "quy": "2026-Q5"})
    assert response.status_code == 200
    assert response.context["form"].errors["quy"] == [
        "“2026-Q5” không phải quý hợp lệ (viết dạng 2021-Q1)."
    ]
    assert 'id="id_quy-errors"' in response.content.decode()


def test_a_movement_report_at_a_single_date_is_refused(client, users, data):
    client.force_login(users.commune_officer)
    response = client.get(INDEX, {"bao_cao": "movement", "to_chuc": "T01.X01",
                                  "ngay": "31/12/2025"})  # fmt: skip
    assert response.context["form"].errors["ngay"] == [
        "Báo cáo này cần một năm, một quý hoặc một khoảng thời gian."
    ]


def test_another_commune_is_not_found(client, users, data):
    client.force_login(users.commune_officer)
    assert client.get(INDEX, {"bao_cao": "membership", "to_chuc": "T01.X02"}).status_code == 404
    assert client.get(download_url("T01.X02")).status_code == 404
    assert not AuditEntry.objects.filter(action="tochuc.report.exported").exists()


def test_a_cell_secretary_sees_the_report_but_gets_no_download(client, users, data):
    client.force_login(users.cell_secretary)
    response = client.get(INDEX, {"bao_cao": "membership", "to_chuc": "T01.X01.THPT.TOAN",
                                  "ngay": "31/12/2025"})  # fmt: skip
    assert response.status_code == 200
    assert response.context["downloads"] == []
    assert response.context["data"].table("members").rows[0]["count"] == 2
    assert client.get(download_url("T01.X01.THPT.TOAN")).status_code == 403


# ---------------------------------------------------------------- dashboard panels


def test_the_panels_are_registered_for_the_home_page():
    from tochuc.core.dashboard import PANELS

    assert {"reports.members", "reports.breakdowns", "reports.admissions"} <= set(PANELS)


def test_members_over_the_years_panel(rf, data):
    context = dashboard.members_over_years(rf.get("/"), data.commune, date(2026, 11, 20))
    chart = context["charts"]["chart-members-years"]
    assert chart["labels"] == ["31/12/2021", "31/12/2022", "31/12/2023", "31/12/2024",
                               "31/12/2025", "20/11/2026"]  # fmt: skip
    assert chart["values"] == [0, 0, 0, 0, 6, 6]
    assert context["rows"][4][2].endswith(
        "bao_cao=membership&to_chuc=T01.X01&ngay=31%2F12%2F2025#bang-members"
    )


def test_admissions_panel_only_where_targets_exist(rf, data):
    on = date(2026, 11, 20)
    context = dashboard.admissions_vs_target(rf.get("/"), data.commune, on)
    series = context["charts"]["chart-admissions"]["series"]
    assert series[0]["values"] == [0, 0, 0, 0, 1, 1]  # Dung 2025, Lâm 2026
    assert series[1]["values"] == [None, None, None, None, None, 2]
    assert dashboard.admissions_vs_target(rf.get("/"), data.sibling_commune, on) is None


def test_breakdown_panel(rf, data):
    context = dashboard.breakdowns(rf.get("/"), data.commune, date(2026, 11, 20))
    assert [row["count"] for row in context["members"].rows] == [6, 5, 1, 3, 2, 1]
    assert context["charts"]["chart-dash-age"]["type"] == "pie"
    assert context["age_url"].endswith("#bang-age")


# ---------------------------------------------------------------- command line


def test_the_command_prints_json(data, capsys):
    call_command("report", "movement", "--org", "T01.X01", "--year", "2026", "--format", "json")
    payload = json.loads(capsys.readouterr().out)
    rows = {row["key"]: row["count"] for row in payload["tables"][0]["rows"]}
    assert (rows["start"], rows["admitted"], rows["end"]) == (6, 1, 6)
    assert AuditEntry.objects.get(action="tochuc.report.exported").data["channel"] == "cli"


def test_the_command_writes_a_docx_file(data, tmp_path):
    target = tmp_path / "bao-cao.docx"
    call_command("report", "membership", "--org", "T01.X01", "--date", "31/12/2025",
                 "--format", "docx", "-o", str(target))  # fmt: skip
    from tochuc.lib.documents import docx_text

    text = docx_text(target.read_bytes())
    assert "Tổng số đảng viên" in text and "ĐẢNG ỦY XÃ TÂN AN" in text


def test_the_command_takes_a_quarter_and_a_range(data, capsys):
    call_command("report", "movement", "--org", "T01.X01", "--quarter", "2026-Q1")
    text = capsys.readouterr().out
    assert "Quý I năm 2026" in text
    call_command("report", "movement", "--org", "T01.X01", "--from", "01/03/2026",
                 "--to", "31/03/2026", "--format", "text")  # fmt: skip
    text = capsys.readouterr().out
    assert "Từ ngày 01/03/2026 đến ngày 31/03/2026" in text
    out = next(
        line for line in text.splitlines() if line.startswith("Chuyển sinh hoạt đảng chính thức đi")
    )
    assert out.split()[-1] == "1"  # Em, on 05/03/2026


def test_the_command_refuses_what_it_cannot_do(data):
    with pytest.raises(CommandError, match="cần một kỳ"):
        call_command("report", "movement", "--org", "T01.X01", "--date", "31/12/2025")
    with pytest.raises(CommandError, match="Không có tổ chức"):
        call_command("report", "membership", "--org", "KHONG", "--date", "31/12/2025")
    with pytest.raises(CommandError, match="cần tệp kết quả"):
        call_command("report", "membership", "--org", "T01.X01", "--date", "31/12/2025",
                     "--format", "pdf")  # fmt: skip


def test_the_home_page_shows_the_panels_with_links_to_their_tables(client, users, data):
    client.force_login(users.commune_officer)
    response = client.get(reverse("home_organization", args=["T01.X01"]), {"ngay": "20/11/2026"})
    page = response.content.decode()
    assert "Đảng viên qua các năm" in page
    assert "Kết nạp đảng viên so với chỉ tiêu" in page
    assert "Cơ cấu đảng viên tại ngày 20/11/2026" in page
    assert 'data-chart="chart-members-years"' in page
    assert "#bang-age" in page and "#bang-members" in page
    assert page.count("reports/charts.js") == 3  # loaded once by the script itself


def test_the_home_page_of_an_empty_organization_hides_the_member_panels(client, users):
    client.force_login(users.other_province_officer)
    page = client.get(reverse("home_organization", args=["T02.P01"])).content.decode()
    assert "Đảng viên qua các năm" not in page
    assert "Cơ cấu đảng viên" not in page


def test_a_date_before_the_organization_existed_is_explained(client, users, data):
    client.force_login(users.commune_officer)
    response = client.get(INDEX, {"bao_cao": "membership", "to_chuc": "T01.X01",
                                  "ngay": "31/12/2020"})  # fmt: skip
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Đảng bộ xã Tân An không tồn tại trong khoảng thời gian báo cáo (Tại ngày 31/12/2020)."
    ]
    assert "data" not in response.context
