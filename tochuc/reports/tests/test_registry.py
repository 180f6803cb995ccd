"""Reports are plug-ins: each app registers its own definitions from its ready(); the engine
lists and builds whatever is registered, with no list of its own to edit."""

import io
import json
from datetime import date

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils.translation import gettext_lazy

from tochuc.organizations.selectors import version_of
from tochuc.reports import heading, periods, registry
from tochuc.reports.dataset import TEXT, Column, Table

pytestmark = pytest.mark.django_db


def cell_census(organization, period):
    """A report as a new app would write it: a heading and one table."""
    data = heading.dataset_for(CENSUS, organization, period)
    data.tables.append(
        Table("census", "Điều tra", [Column("label", "Tổ chức", TEXT), Column("count", "Số")],
              [{"label": data.organization_name, "count": 42}])
    )  # fmt: skip
    return data


CENSUS = registry.ReportDefinition(
    "cell_census", gettext_lazy("Điều tra chi bộ"), cell_census, needs_period=False, order=5
)


@pytest.fixture
def census():
    registry.register(CENSUS)
    yield CENSUS
    registry.unregister(CENSUS.name)


def test_each_app_registers_its_own_reports_from_its_ready():
    owners = {d.name: d.build.__module__ for d in registry.definitions()}
    assert owners == {
        "membership": "tochuc.statistics.reports.membership",
        "movement": "tochuc.statistics.reports.movement",
        "movement_by_child": "tochuc.statistics.reports.movement_by_child",
        "summary": "tochuc.statistics.reports.summary",
        "inspections": "tochuc.inspections.report_definition",
        "ratings": "tochuc.ratings.statistics",
        "dues_collected": "tochuc.dues.reports.collected",
        "documents": "tochuc.documents.report_definition",
        "committee_consolidations": "tochuc.committees.reports.consolidations",
        "committee_composition": "tochuc.committees.reports.composition",
        "committee_congresses": "tochuc.committees.reports.congresses",
        "meetings_held": "tochuc.meetings.reports.held",
        "meetings_due": "tochuc.meetings.reports.due",
        "quality": "tochuc.quality.report",
        "badges": "tochuc.awards.reports.badges",
        "commendations": "tochuc.awards.reports.commendations",
        "cadre_staffing": "tochuc.cadres.report_definition",
    }
    assert registry.names()[:4] == ["membership", "movement", "movement_by_child", "summary"]


def test_a_registered_report_is_in_the_picker_on_the_page_and_in_the_command(
    client, users, cast, census
):
    client.force_login(users.commune_officer)
    response = client.get(reverse("reports:index"))
    assert response.context["form"].fields["bao_cao"].choices[0] == ("cell_census", CENSUS.title)
    response = client.get(
        reverse("reports:index"), {"bao_cao": "cell_census", "to_chuc": "T01.X01",
                                   "ngay": "31/12/2025"}
    )  # fmt: skip
    assert response.status_code == 200
    table = response.context["data"].table("census")
    name = version_of(organization=cast.commune, on=date(2025, 12, 31)).name
    assert table.rows == [{"label": name, "count": 42}]
    out = io.StringIO()
    call_command("report", "cell_census", "--org", "T01.X01", "--date", "31/12/2025",
                 "--format", "json", stdout=out)  # fmt: skip
    assert json.loads(out.getvalue())["tables"][0]["rows"][0]["count"] == 42


def test_an_unknown_or_not_national_report_is_refused_in_vietnamese(cast, census):
    with pytest.raises(ValidationError, match="Không có báo cáo “no_such”"):
        registry.build("no_such", cast.commune, periods.at(date(2025, 12, 31)))
    with pytest.raises(ValidationError, match="chỉ lập cho từng tổ chức"):
        registry.build("cell_census", None, periods.at(date(2025, 12, 31)))


def test_two_reports_under_one_name_are_a_configuration_error(census):
    registry.register(CENSUS)  # the same one again (a ready() run twice): harmless
    other = registry.ReportDefinition("cell_census", "Khác", cell_census)
    with pytest.raises(ImproperlyConfigured):
        registry.register(other)
    assert registry.get("cell_census") is CENSUS
