import io
from datetime import date

import openpyxl
import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from tochuc.accounts.access import Scope
from tochuc.admissions import selectors, targets
from tochuc.admissions.models import Stage
from tochuc.testing import register

from .conftest import DATES, carry

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 2)


@pytest.fixture
def pipeline(cast, cell_members, identify):
    """On 2/12/2026: one member whose probation ends on 19/12/2026, one candidate decided
    on 1/10/2026 without a ceremony (due 12/11/2026), one cell resolution of 1/9/2026 still
    without a decision (due 26/11/2026: 2/9 and 24/11 are holidays), and one member whose
    probation ended on 5/9/2026 with no proposal from the cell (due 16/10/2026)."""
    with time_machine.travel(date(2026, 1, 5)):
        carry(identify(), cell_members[:2], Stage.ADMITTED)
    later = {
        **DATES,
        Stage.CELL_APPROVED: date(2026, 9, 1),
        Stage.COMMITTEE_APPROVED: date(2026, 9, 8),
        Stage.DECIDED: date(2026, 10, 1),
    }
    with time_machine.travel(TODAY):
        carry(
            identify({"full_name": "Lò Văn Sơn", "gender": "male"}),
            cell_members[2:4],
            Stage.DECIDED,
            dates=later,
        )
        carry(
            identify({"full_name": "Mông Thị Huệ"}),
            cell_members[4:6],
            Stage.CELL_APPROVED,
            dates=later,
        )
        register(
            cast.village_cell, "Hoàng Văn Khởi", admitted_on=date(2025, 8, 22), confirmed=False
        )  # fmt: skip — ceremony 5/9/2025


def test_the_due_list_shows_what_is_due_and_overdue_in_order(cast, users, pipeline):
    items = selectors.due_items(scope=Scope.for_user(users.commune_officer), on=TODAY)
    assert [(i.kind, i.name, i.deadline, i.overdue) for i in items] == [
        ("proposal", "Hoàng Văn Khởi", date(2026, 10, 16), True),
        ("ceremony", "Lò Văn Sơn", date(2026, 11, 12), True),
        ("decision", "Mông Thị Huệ", date(2026, 11, 26), True),
        ("probation_ending", "Đinh Thị Ngọc", date(2026, 12, 19), False),
    ]
    cell_only = selectors.due_items(scope=Scope.for_user(users.cell_secretary), on=TODAY)
    assert "Hoàng Văn Khởi" not in [i.name for i in cell_only]
    assert selectors.due_items(scope=Scope.for_user(users.sibling_officer), on=TODAY) == []


def test_the_due_command_prints_the_list_for_an_organization(cast, pipeline):
    out = io.StringIO()
    with time_machine.travel(TODAY):
        call_command("due", org=cast.base.code, stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == (
        "Việc đến hạn — Đảng bộ Trường THPT Tân An — ngày 02/12/2026: 3 việc, 2 quá hạn."
    )
    assert lines[1].startswith("12/11/2026  QUÁ HẠN 20 ngày")
    assert lines[1].endswith("Lễ kết nạp: Lò Văn Sơn — Chi bộ Tổ Toán")
    assert lines[3].startswith("19/12/2026  còn 17 ngày")


def test_the_due_page_and_the_dashboard_panel(client, cast, users, pipeline):
    with time_machine.travel(TODAY):
        client.force_login(users.commune_officer)
        page = client.get(reverse("admissions:due"), {"to_chuc": cast.commune.code})
        home = client.get(reverse("home_organization", args=[cast.commune.code]))
    assert "quá 47 ngày" in page.content.decode()  # the proposal for Hoàng Văn Khởi, 16/10
    panel = next(c for p, c in home.context["panels"] if p.key == "admissions_due")
    assert (panel["due_total"], panel["due_overdue"]) == (4, 3)
    html = home.content.decode()
    assert 'id="panel-admissions-due"' in html
    assert "3 quá hạn" in html and "Lò Văn Sơn" in html


# ---------------------------------------------------------------- targets


def test_targets_are_summed_over_a_subtree(cast):
    targets.target_set(organization=cast.base, year=2026, target=6)
    targets.target_set(organization=cast.village_cell, year=2026, target=4)
    targets.target_set(organization=cast.sibling_cell, year=2026, target=3)
    assert selectors.target_for(cast.commune, 2026) == 10
    assert selectors.target_for(cast.province, 2026) == 13
    assert selectors.target_for(cast.cell, 2026) == 0
    # A target set for the node itself is the one the upper level gave it.
    targets.target_set(organization=cast.commune, year=2026, target=12)
    assert selectors.target_for(cast.province, 2026) == 15
    assert selectors.target_for(cast.province, 2025) == 0


def test_admissions_against_the_target_per_child(client, cast, users, cell_members, identify):
    with time_machine.travel(date(2026, 1, 5)):
        carry(identify(), cell_members[:2], Stage.ADMITTED)  # decided 1/12/2025
    with time_machine.travel(date(2026, 3, 2)):
        for n, name in enumerate(["Lò Văn Sơn", "Mông Thị Huệ"]):
            register(cast.village_cell, name, admitted_on=date(2026, 1, 10 + n), confirmed=False)
        register(cast.sibling_cell, "Vi Văn Đức", admitted_on=date(2026, 2, 2), confirmed=False)
        targets.target_set(organization=cast.base, year=2026, target=2)
        targets.target_set(organization=cast.village_cell, year=2026, target=1)
        client.force_login(users.province_officer)
        response = client.get(reverse("admissions:report_targets", args=[cast.province.code]))
        total, rows = response.context["total"], response.context["rows"]
        # No level gave the province or the communes a target of their own: no percentage,
        # the children's targets summed apart.
        assert (total.admitted, total.target, total.children_target) == (3, None, 3)
        assert [(r.organization.name, r.admitted, r.target, r.children_target, r.percent)
                for r in rows] == [
            ("Đảng bộ xã Tân An", 2, None, 3, None),
            ("Đảng bộ xã Tân Bình", 1, None, 0, None),
        ]  # fmt: skip
        assert "chưa giao chỉ tiêu" in response.content.decode()
        response = client.get(
            reverse("admissions:report_targets", args=[cast.commune.code]),
            {"tu": "01/12/2025", "den": "31/12/2025"},
        )
        assert response.context["total"].admitted == 1
        response = client.get(reverse("admissions:report_targets_xlsx", args=[cast.commune.code]))
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        assert list(sheet.iter_rows(min_row=2, values_only=True)) == [
            (1, "Chi bộ thôn Nà Phái", 1, None, 2, 2),
            (2, "Đảng bộ Trường THPT Tân An", 2, None, 0, 0),
            (None, "Tổng cộng", "chưa giao chỉ tiêu", 3, 2, None),
        ]
        # Counts with thousands grouped, the rate as a percentage (200,0%).
        assert sheet["C2"].number_format == "#,##0"
        assert sheet["F2"].number_format == "0.0%"
        assert sheet["F1"].value == "Tỷ lệ"


def test_a_levels_own_target_and_its_childrens_sum_are_shown_apart(client, cast, users):
    with time_machine.travel(date(2026, 3, 2)):
        for n, name in enumerate(["Lò Văn Sơn", "Mông Thị Huệ", "Vi Văn Đức"]):
            register(cast.village_cell, name, admitted_on=date(2026, 1, 10 + n), confirmed=False)
        targets.target_set(organization=cast.commune, year=2026, target=4)  # from the province
        targets.target_set(organization=cast.village_cell, year=2026, target=2)
        client.force_login(users.province_officer)
        response = client.get(reverse("admissions:report_targets", args=[cast.province.code]))
        total, rows = response.context["total"], response.context["rows"]
        assert (total.target, total.children_target, total.percent) == (None, 4, None)
        tan_an = rows[0]
        assert (tan_an.admitted, tan_an.target, tan_an.children_target) == (3, 4, 2)
        assert tan_an.percent == 75.0  # against the commune's own target, not its children's
        response = client.get(reverse("admissions:report_targets", args=[cast.commune.code]))
    total, rows = response.context["total"], response.context["rows"]
    assert (total.target, total.children_target, total.percent) == (4, 2, 75.0)
    by_name = {r.organization.name: (r.target, r.percent) for r in rows}
    assert by_name == {
        "Chi bộ thôn Nà Phái": (2, 150.0),
        "Đảng bộ Trường THPT Tân An": (None, None),
    }
    page = response.content.decode()
    assert "Tổng chỉ tiêu đã giao cho cấp dưới: 2" in page and "chưa giao chỉ tiêu" in page


def test_the_pipeline_by_stage(client, cast, users, cell_members, identify):
    with time_machine.travel(date(2026, 1, 5)):
        carry(identify(), cell_members[:2], Stage.ADMITTED)
        carry(identify({"full_name": "Lò Văn Sơn"}), cell_members[2:4], Stage.VERIFIED)
        identify({"full_name": "Mông Thị Huệ"}, cell=cast.village_cell)
        client.force_login(users.commune_officer)
        response = client.get(reverse("admissions:report_pipeline", args=[cast.commune.code]))
        assert response.context["lines"][-1] == ("", "Tổng cộng", 1, 0, 0, 0, 1, 0, 0, 0, 2, 1)
        response = client.get(reverse("admissions:report_pipeline_xlsx", args=[cast.commune.code]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][2] == "Đã xác định đối tượng"
    assert rows[1] == (1, "Chi bộ thôn Nà Phái", 1, 0, 0, 0, 0, 0, 0, 0, 1, 0)
    assert rows[2] == (2, "Đảng bộ Trường THPT Tân An", 0, 0, 0, 0, 1, 0, 0, 0, 1, 1)


def test_an_officer_distributes_targets_to_the_children(client, cast, users):
    client.force_login(users.commune_officer)
    url = reverse("admissions:targets", args=[cast.commune.code])
    response = client.post(
        url, {"nam": 2026, f"t{cast.base.pk}": 5, f"t{cast.village_cell.pk}": ""}
    )
    assert response.status_code == 302
    assert selectors.target_for(cast.commune, 2026) == 5
    client.force_login(users.cell_secretary)
    assert client.get(reverse("admissions:targets", args=[cast.cell.code])).status_code == 403
