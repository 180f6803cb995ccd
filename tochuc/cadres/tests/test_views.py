"""The cadre pages through the client: concealed from users without cadre rights, scoped,
audited, with the numbers and rows the user expects."""

import io
from datetime import date

import openpyxl
import pytest
import time_machine
from django.urls import reverse

from tochuc.cadres import services
from tochuc.cadres.models import Appointment
from tochuc.core.models import AuditEntry
from tochuc.lib.documents import docx_text
from tochuc.reports import periods, registry

from .conftest import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def commune_cadres(cast, cadre):
    """Three cadres of the commune: one due for re-appointment, one retiring this year."""
    an = cadre("Hoàng Văn An", born=date(1978, 5, 12), political_theory="trung_cap")
    services.appointment_record(
        cadre=an, kind="first", title="Trưởng phòng", unit="Phòng Kinh tế",
        decision_no="15-QĐ/ĐU", decided_on=date(2021, 12, 20), starts_on=date(2022, 1, 10),
    )  # fmt: skip
    # Born 12/1964: 61 years 6 months, the age of 2026, in 6/2026: retires from 1/7/2026.
    binh = cadre("Lục Văn Bình", born=date(1964, 12, 3), political_theory="cao_cap")
    cuc = cadre("Nông Thị Cúc", born=date(1985, 2, 1), gender="female",
                political_theory="trung_cap")  # fmt: skip
    return an, binh, cuc


def _pages(cast, an, position):
    code = cast.commune.code
    return [
        reverse("cadres:index"), reverse("cadres:list", args=[code]),
        reverse("cadres:export", args=[code]), reverse("cadres:add", args=[code]),
        reverse("cadres:due", args=[code]), reverse("cadres:retirements", args=[code]),
        reverse("cadres:planning", args=[code]), reverse("cadres:staffing", args=[code]),
        reverse("cadres:detail", args=[an.pk]), reverse("cadres:appoint", args=[an.pk]),
        reverse("cadres:planning_list", args=[position.pk]),
        reverse("cadres:planning_export", args=[position.pk]),
        reverse("cadres:planning_docx", args=[position.pk]),
        reverse("cadres:planning_add", args=[position.pk]),
    ]  # fmt: skip


def test_a_commune_officer_without_cadre_rights_gets_404_on_every_cadre_page(
    client, cast, users, commune_cadres
):
    position = services.planned_position_create(committee=cast.commune, title="Bí thư")
    client.force_login(users.commune_officer)
    pages = _pages(cast, commune_cadres[0], position)
    assert [client.get(url).status_code for url in pages] == [404] * len(pages)
    assert "Cán bộ" not in client.get(reverse("home")).content.decode().split("<main")[0]


def test_the_sibling_communes_cadre_officer_gets_404_on_this_communes_cadres(
    client, cast, cadre_officers, commune_cadres
):
    position = services.planned_position_create(committee=cast.commune, title="Bí thư")
    client.force_login(cadre_officers.sibling)
    pages = _pages(cast, commune_cadres[0], position)[1:]
    assert [client.get(url).status_code for url in pages] == [404] * len(pages)


def test_the_list_sorts_by_given_name_and_its_reading_is_audited(
    client, cast, cadre_officers, commune_cadres
):
    client.force_login(cadre_officers.commune)
    response = client.get(reverse("cadres:list", args=[cast.commune.code]))
    names = [c.full_name for c, _positions, _retires in response.context["rows"]]
    assert names == ["Hoàng Văn An", "Lục Văn Bình", "Nông Thị Cúc"]
    entry = AuditEntry.objects.get(action="tochuc.cadre.list_viewed")
    assert entry.user == cadre_officers.commune and entry.data["count"] == 3

    response = client.get(reverse("cadres:list", args=[cast.commune.code]), {"q": "binh"})
    assert [c.full_name for c, _p, _r in response.context["rows"]] == ["Lục Văn Bình"]


def test_the_export_holds_every_cadre_with_the_retirement_date(
    client, cast, cadre_officers, commune_cadres
):
    client.force_login(cadre_officers.commune)
    response = client.get(reverse("cadres:export", args=[cast.commune.code]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [r[1] for r in rows] == ["Hoàng Văn An", "Lục Văn Bình", "Nông Thị Cúc"]
    assert rows[0][6] == "Trưởng phòng — Phòng Kinh tế"
    assert rows[1][8].date() == date(2026, 7, 1)
    assert AuditEntry.objects.get(action="tochuc.cadre.exported").data["count"] == 3


def test_the_detail_page_is_audited_and_shows_the_positions(
    client, cast, cadre_officers, commune_cadres
):
    an = commune_cadres[0]
    client.force_login(cadre_officers.commune)
    page = client.get(reverse("cadres:detail", args=[an.pk])).content.decode()
    assert "Trưởng phòng" in page and "10/01/2027" in page  # the term's end
    assert AuditEntry.objects.filter(action="tochuc.cadre.viewed", object_id=str(an.pk)).exists()


def test_a_refused_appointment_stays_beside_its_field_and_writes_nothing(
    client, cast, cadre_officers, commune_cadres
):
    binh = commune_cadres[1]
    client.force_login(cadre_officers.commune)
    response = client.post(reverse("cadres:appoint", args=[binh.pk]), {
        "kind": "first", "title": "Phó Chủ tịch", "unit": "Ủy ban nhân dân xã",
        "decision_no": "40-QĐ/ĐU", "decided_on": "10/11/2026", "starts_on": "15/11/2026",
    })  # fmt: skip
    assert response.status_code == 200
    assert "bổ nhiệm lần đầu cần đủ 60 tháng" in str(response.context["form"].errors["starts_on"])
    assert not Appointment.objects.filter(cadre=binh).exists()


def test_the_planning_list_shows_who_no_longer_meets_the_age_criterion(
    client, cast, cadre_officers, commune_cadres
):
    from tochuc.cadres.models import PlanningEntry

    an, binh, cuc = commune_cadres
    position = services.planned_position_create(committee=cast.commune, title="Bí thư Đảng ủy xã")
    # Bình was planned at the 2022 review (recorded then; the age rule now refuses him).
    PlanningEntry.objects.create(position=position, cadre=binh, term_start=2025,
                                 added_on=date(2022, 9, 15))  # fmt: skip
    services.planning_add(position=position, cadre=an, term_start=2025, added_on=date(2026, 1, 5))
    client.force_login(cadre_officers.commune)
    url = reverse("cadres:planning_list", args=[position.pk])
    response = client.get(url, {"nhiem_ky": 2025})
    planned = {p.entry.cadre.full_name: p for p in response.context["planned"]}
    assert planned["Hoàng Văn An"].meets
    assert planned["Lục Văn Bình"].failures[0].startswith("Không đủ tuổi: nghỉ hưu từ 01/07/2026")
    assert response.context["failing"] == 1

    docx = client.get(reverse("cadres:planning_docx", args=[position.pk]), {"nhiem_ky": 2025})
    text = docx_text(docx.content)
    assert "Lục Văn Bình" in text and "1 đồng chí không còn đủ tiêu chuẩn" in text

    coverage = client.get(reverse("cadres:planning", args=[cast.commune.code]),
                          {"nhiem_ky": 2025}).context["coverage"]  # fmt: skip
    assert [(r["planned"], r["meeting"], r["short"]) for r in coverage] == [(2, 1, 1)]
    structure = client.get(reverse("cadres:planning", args=[cast.commune.code]),
                           {"nhiem_ky": 2025}).context["structure"]  # fmt: skip
    # An was 46 on 1/1/2025, Bình 60; both men, both Kinh; Bình "cao cấp".
    assert structure == {"total": 2, "young": 0, "women": 0, "minorities": 0, "advanced": 1}


def test_the_dashboard_lists_reappointments_due_and_retirements_of_the_year(
    client, cast, cadre_officers, commune_cadres, users
):
    an, binh, _cuc = commune_cadres
    # An's term ends 10/01/2027: within 90 days of 20/11/2026.
    client.force_login(cadre_officers.commune)
    panels = {p.key: c for p, c in client.get(reverse("home")).context["panels"]}
    due = panels["cadres_due"]
    assert [(r["name"], r["term_ends_on"]) for r in due["reappointments"]] == [
        ("Hoàng Văn An", date(2027, 1, 10))
    ]
    assert [(r["name"], r["retires_on"]) for r in due["retirements"]] == [
        ("Lục Văn Bình", date(2026, 7, 1))
    ]

    client.force_login(users.commune_officer)
    panels = {p.key: c for p, c in client.get(reverse("home")).context["panels"]}
    assert "cadres_due" not in panels


def test_the_staffing_report_shows_assigned_against_actual_per_agency(cast):
    kinh_te = services.agency_create(organization=cast.commune, code="X01.PKT",
                                     name="Phòng Kinh tế xã Tân An")  # fmt: skip
    van_phong = services.agency_create(organization=cast.commune, code="X01.VP",
                                       name="Văn phòng Đảng ủy xã Tân An")  # fmt: skip
    other = services.agency_create(organization=cast.sibling_commune, code="X02.VP",
                                   name="Văn phòng Đảng ủy xã Tân Bình")  # fmt: skip
    services.quota_set(agency=kinh_te, year=2025, assigned=7, actual=6, planned_reduction=2)
    services.quota_set(agency=van_phong, year=2025, assigned=6, actual=6)
    services.quota_set(agency=other, year=2025, assigned=9, actual=9)
    services.reduction_record(agency=kinh_te, on=date(2025, 6, 30), count=2,
                              reason="early_retirement", decision_no="120-QĐ/UBND")  # fmt: skip
    data = registry.build("cadre_staffing", cast.commune, periods.year(2025))
    table = data.tables[0]
    assert [(r["agency"], r["assigned"], r["actual"], r["difference"], r["reduced"])
            for r in table.rows] == [
        ("Phòng Kinh tế xã Tân An", 7, 6, 1, 2),
        ("Văn phòng Đảng ủy xã Tân An", 6, 6, 0, 0),
    ]  # fmt: skip
    assert table.totals["assigned"] == 13 and table.totals["actual"] == 12


def test_the_list_reads_the_same_number_of_queries_for_more_cadres(
    client, cast, cadre_officers, commune_cadres, cadre
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(cadre_officers.commune)
    url = reverse("cadres:list", args=[cast.commune.code])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(4):
        cadre(f"Cán bộ Số {n}")
    with CaptureQueriesContext(connection) as more:
        client.get(url)
    assert len(more.captured_queries) == len(few.captured_queries)


def test_the_appointment_decision_prints_in_the_party_layout(
    client, cast, cadre_officers, commune_cadres
):
    an = commune_cadres[0]
    client.force_login(cadre_officers.commune)
    response = client.get(reverse("cadres:appointment_docx", args=[an.pk]))
    text = docx_text(response.content)
    assert "QUYẾT ĐỊNH" in text and "về việc bổ nhiệm cán bộ" in text
    assert "Bổ nhiệm đồng chí Hoàng Văn An, sinh ngày 12/05/1978, giữ chức vụ Trưởng phòng" in text
    assert "đến ngày 10/01/2027" in text
    assert AuditEntry.objects.filter(action="tochuc.cadre.appointment_printed").count() == 1
