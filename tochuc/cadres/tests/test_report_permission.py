"""The staffing report needs cadre rights (its definition names VIEW_CADRES): a commune
officer with VIEW and EXPORT alone does not see it anywhere — not in the picker, its page,
its downloads, the API, nor a briefing — and is answered 404, as for a report that does
not exist; the commune's cadre officer sees the numbers."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from tochuc.accounts.permissions import VIEW_CADRES
from tochuc.cadres import services
from tochuc.core.models import AuditEntry
from tochuc.reports import heading, periods, registry
from tochuc.reports.dataset import TEXT, Column, Table

pytestmark = pytest.mark.django_db


@pytest.fixture
def quotas(cast):
    office = services.agency_create(organization=cast.commune, code="X01.VP", name="Văn phòng")
    services.quota_set(agency=office, year=2025, assigned=12, actual=10, planned_reduction=1)
    return office


def _api(client, user, url, **params):
    from tochuc.api.services import token_create

    secret = token_create(user=user, name="thử", by=user,
                          expires_on=timezone.localdate() + timedelta(days=30))[1]  # fmt: skip
    return client.get(url, params, headers={"authorization": f"Bearer {secret}"})


def test_the_staffing_report_names_the_cadre_permission():
    assert registry.get("cadre_staffing").permission == VIEW_CADRES
    assert registry.get("membership").permission == "view"


def test_an_officer_without_cadre_rights_is_not_offered_the_staffing_report(client, users, quotas):
    client.force_login(users.commune_officer)
    response = client.get(reverse("reports:index"))
    offered = [name for name, _title in response.context["form"].fields["bao_cao"].choices]
    assert "membership" in offered and "cadre_staffing" not in offered
    assert "cadre_staffing" not in [r.name for r in response.context["reports"]]
    assert "Biên chế và tinh giản biên chế" not in response.content.decode()


def test_an_officer_without_cadre_rights_gets_404_on_the_report_page_and_its_downloads(
    client, cast, users, quotas
):
    client.force_login(users.commune_officer)
    query = {"bao_cao": "cadre_staffing", "to_chuc": cast.commune.code, "ngay": "31/12/2025"}
    assert client.get(reverse("reports:index"), query).status_code == 404
    download = reverse("reports:download", args=[cast.commune.code])
    for fmt in ("xlsx", "json", "docx", "bogus"):
        response = client.get(download, {**query, "dinh_dang": fmt})
        assert response.status_code == 404, fmt
    assert not AuditEntry.objects.filter(action="tochuc.report.exported").exists()


def test_an_officer_without_cadre_rights_gets_404_from_the_api(client, cast, users, quotas):
    listed = _api(client, users.commune_officer, "/api/v1/reports/").json()
    assert "membership" in [r["name"] for r in listed]
    assert "cadre_staffing" not in [r["name"] for r in listed]
    response = _api(client, users.commune_officer, "/api/v1/reports/cadre_staffing/",
                    organization=cast.commune.code, on="2025-12-31")  # fmt: skip
    assert response.status_code == 404
    assert not AuditEntry.objects.filter(action="tochuc.report.exported").exists()


def test_the_cadre_officer_sees_the_staffing_numbers_on_the_page_and_in_the_api(
    client, cast, cadre_officers, quotas
):
    client.force_login(cadre_officers.commune)
    query = {"bao_cao": "cadre_staffing", "to_chuc": cast.commune.code, "ngay": "31/12/2025"}
    response = client.get(reverse("reports:index"), query)
    assert response.status_code == 200
    assert response.context["data"].table("staffing").rows[0]["assigned"] == 12
    data = _api(client, cadre_officers.commune, "/api/v1/reports/cadre_staffing/",
                organization=cast.commune.code, on="31/12/2025").json()  # fmt: skip
    row = data["tables"][0]["rows"][0]
    assert (row["assigned"], row["actual"], row["difference"]) == (12, 10, 2)


def test_the_cadre_officer_of_the_sibling_commune_gets_404_here(
    client, cast, cadre_officers, quotas
):
    client.force_login(cadre_officers.sibling)
    query = {"bao_cao": "cadre_staffing", "to_chuc": cast.commune.code, "ngay": "31/12/2025"}
    assert client.get(reverse("reports:index"), query).status_code == 404
    download = reverse("reports:download", args=[cast.commune.code])
    assert client.get(download, {**query, "dinh_dang": "xlsx"}).status_code == 404


def _cadre_census(organization, period):
    data = heading.dataset_for(CADRE_CENSUS, organization, period)
    data.tables.append(
        Table("census", "Cán bộ", [Column("label", "Tổ chức", TEXT), Column("count", "Số")],
              [{"label": data.organization_name, "count": 7}])
    )  # fmt: skip
    return data


CADRE_CENSUS = registry.ReportDefinition(
    "cadre_census_test", gettext_lazy("Cán bộ trong tháng"), _cadre_census,
    permission=VIEW_CADRES,
)  # fmt: skip


def test_a_report_needing_cadre_rights_stays_out_of_the_monthly_briefing(cast):
    from tochuc.programmes.figures import month_figures

    registry.register(CADRE_CENSUS)
    try:
        march = periods.between(date(2026, 3, 1), date(2026, 3, 31))
        found = month_figures(organization=cast.commune, period=march)
    finally:
        registry.unregister(CADRE_CENSUS.name)
    names = [f["report"] for f in found]
    assert "movement" in names
    assert "cadre_census_test" not in names
