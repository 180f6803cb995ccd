"""Remittance up the tree: a cell's roll for a month reconciles, level by level, to the
commune's remittance and the province's receipts."""

import pytest

from tochuc.dues import ledger, services
from tochuc.reports import periods, registry

from .conftest import NOVEMBER, TODAY

pytestmark = pytest.mark.django_db


def test_a_cells_roll_reconciles_to_the_communes_remittance_and_the_provinces_receipts(
    cast, people, users, collect_all
):
    collect_all(cast.cell)  # 80.000 + 25.000
    collect_all(cast.village_cell)  # 5.000 (the veteran is exempt)
    services.dues_sheet_report(organization=cast.cell, month=NOVEMBER, today=TODAY)
    [month] = ledger.ledger(root=cast.province, months=[NOVEMBER])
    line = {org.code: month.lines[org.pk] for org in (
        cast.cell, cast.base, cast.village_cell, cast.commune, cast.province)}  # fmt: skip
    figures = {code: (x.collected, x.received, x.retained, x.remitted) for code, x in line.items()}
    assert figures == {
        "T01.X01.THPT.TOAN": (105_000, 0, 31_500, 73_500),  # a cell keeps 30%
        "T01.X01.THPT": (0, 73_500, 51_450, 22_050),  # a grassroots committee 70%
        "T01.X01.NAPHAI": (5_000, 0, 3_500, 1_500),
        "T01.X01": (0, 23_550, 11_775, 11_775),  # above grassroots 50%
        "T01": (0, 11_775, 5_887, 5_888),  # to the Central Committee
    }
    assert all(x.balanced for x in month.lines.values())


def test_the_report_gives_the_communes_children_and_its_balances(cast, people, collect_all):
    collect_all(cast.cell)
    collect_all(cast.village_cell)
    data = registry.build("dues_collected", cast.commune, periods.year(2026))
    rows = data.table("collected").rows
    assert [(r["label"], r["collected"], r["received"], r["remitted"]) for r in rows] == [
        ("Đảng bộ xã Tân An (cả đảng bộ)", 0, 23_550, 11_775),
        ("Chi bộ thôn Nà Phái", 5_000, 0, 1_500),
        ("Đảng bộ Trường THPT Tân An", 0, 73_500, 22_050),
    ]
    assert all(check.ok for check in data.checks)
