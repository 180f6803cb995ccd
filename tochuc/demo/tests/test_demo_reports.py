"""The demo's reports: the movement balances for the province and every organization under
it in every year and quarter since 2021, and the admission targets make sense. The small
demo is built once for the module (rolled back at its end)."""

from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import transaction

from tochuc.admissions.models import AdmissionTarget
from tochuc.demo.builders import Registry
from tochuc.reports import periods, registry, renderers
from tochuc.reports.tests.fixtures import imbalances
from tochuc.statistics.reports import movement as movement_report

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        call_command("demo", "--small", stdout=StringIO(), verbosity=0)
        world = SimpleNamespace(province=Registry.load().get("province"))
    yield world
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


def test_the_province_2025_movement_balances_in_every_format(demo):
    data = registry.build("movement", demo.province, periods.year(2025))
    counts = {row["key"]: row["count"] for row in data.table("movement").rows}
    assert counts["start"] > 300 and counts["admitted"] > 0 and counts["transferred_in"] > 0
    assert counts["end"] == movement_report.expected_end(counts)
    assert data.checks[0].ok
    text = renderers.render(data, "text").decode()
    assert "KHÔNG KHỚP" not in text and "khớp" in text
    summary = registry.build("summary", demo.province, periods.year(2025))
    assert not any("chênh lệch" in paragraph for paragraph in summary.paragraphs)


def test_every_organization_balances_in_every_year_and_quarter(demo):
    assert imbalances(demo.province) == []


def test_the_2023_targets_are_given_to_the_children_and_add_up(demo):
    data = registry.build("movement_by_child", demo.province, periods.year(2023))
    table = data.table("by_child")
    given = [row for row in table.rows if row["target"] is not None]
    assert given, "the children that admitted members were given targets"
    for row in table.rows:
        if row["target"] is None:
            assert row["percent"] is None, row
        else:  # the small demo admits a handful a year per district: shares round coarsely
            assert 40 <= row["percent"] <= 250, row
    province_target = AdmissionTarget.objects.get(organization=demo.province, year=2023).target
    assert sum(row["target"] for row in given) == province_target
    assert table.totals["target"] == province_target
    assert 90 <= table.totals["percent"] <= 110
    column = next(c for c in table.columns if c.key == "target")
    assert column.display(None) == "chưa giao chỉ tiêu"


def test_each_childs_target_is_divided_among_its_own(demo):
    data = registry.build("movement_by_child", demo.province, periods.year(2023))
    child = next(row for row in data.table("by_child").rows if row["target"])
    organization = demo.province.__class__.objects.get(code=child["code"])
    below = registry.build("movement_by_child", organization, periods.year(2023))
    table = below.table("by_child")
    assert table.totals["target"] == child["target"]
    assert sum(row["target"] or 0 for row in table.rows) == child["target"]
    assert all(row["percent"] is None for row in table.rows if row["target"] is None)
