"""Staffing on the web: the commune's cadre officer records a year's quota and a reduction
for an agency, corrects or cancels each with a reason (both versions kept, audited), renames
an agency, and the staffing report follows; a stale form, a future date or a nonsense figure
is refused beside its field; the sibling commune's officer is answered 404."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from tochuc.cadres import selectors, services
from tochuc.cadres.models import Agency, Reduction, StaffingQuota
from tochuc.core.models import AuditEntry, Correction

from .conftest import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def office(cast):
    return services.agency_create(organization=cast.commune, code="X01.VP", name="Văn phòng")


def _url(name, cast, **query):
    base = reverse(f"cadres:{name}", args=[cast.commune.code])
    return base + "?" + "&".join(f"{k}={v}" for k, v in query.items())


def _report(cast, year=2026):
    return [
        (r.agency.name, r.assigned, r.actual, r.difference, r.planned_reduction, r.reduced)
        for r in selectors.staffing(scope=None, organization=cast.commune, year=year)
    ]


def _fix(**fields):
    return {"mode": "corrected", "reason": "Ghi nhầm khi nhập", "action": "save", **fields}


def test_an_officer_records_a_quota_and_a_reduction_and_the_report_shows_them(
    client, cast, cadre_officers, office
):
    client.force_login(cadre_officers.commune)
    quota = client.post(_url("quota_add", cast, co_quan=office.pk), {
        "year": "2026", "assigned": "12", "actual": "11", "planned_reduction": "2",
        "decision_no": "15-QĐ/UBND",
    })  # fmt: skip
    assert quota.status_code == 302
    reduced = client.post(_url("reduction_add", cast, co_quan=office.pk), {
        "on": "02/03/2026", "count": "1", "reason": "early_retirement", "decision_no": "20-QĐ",
    })  # fmt: skip
    assert reduced.status_code == 302
    assert _report(cast) == [("Văn phòng", 12, 11, 1, 2, 1)]
    page = client.get(reverse("cadres:staffing", args=[cast.commune.code]), {"nam": 2026})
    assert [(r.assigned, r.actual, r.reduced) for r in page.context["rows"]] == [(12, 11, 1)]
    assert [d.decision_no for d in page.context["reductions"]] == ["20-QĐ"]


def test_a_wrong_figure_or_a_future_date_is_refused_beside_its_field(
    client, cast, cadre_officers, office
):
    client.force_login(cadre_officers.commune)
    refused = client.post(_url("reduction_add", cast, co_quan=office.pk), {
        "on": "02/03/2027", "count": "0", "reason": "", "decision_no": "20-QĐ",
    })  # fmt: skip
    assert set(refused.context["form"].errors) == {"count", "reason"}
    late = client.post(_url("reduction_add", cast, co_quan=office.pk), {
        "on": "02/03/2027", "count": "1", "reason": "resignation", "decision_no": "20-QĐ",
    })  # fmt: skip
    assert "on" in late.context["form"].errors
    assert not Reduction.objects.exists()
    future = client.post(_url("quota_add", cast, co_quan=office.pk), {
        "year": "2031", "assigned": "12", "actual": "11",
    })  # fmt: skip
    assert "year" in future.context["form"].errors
    assert not StaffingQuota.objects.exists()


def test_correcting_a_quota_and_cancelling_a_reduction_change_the_report(
    client, cast, cadre_officers, office
):
    services.quota_set(agency=office, year=2026, assigned=12, actual=11, planned_reduction=2)
    wrong = services.reduction_record(agency=office, on=date(2026, 3, 2), count=3,
                                      reason="resignation", decision_no="20-QĐ")  # fmt: skip
    assert _report(cast) == [("Văn phòng", 12, 11, 1, 2, 3)]
    client.force_login(cadre_officers.commune)
    quota = StaffingQuota.objects.get()
    version = Agency.objects.get(pk=office.pk).row_version
    saved = client.post(_url("quota_correct", cast, bien_che=quota.pk), _fix(
        assigned="14", actual="11", planned_reduction="2", decision_no="", row_version=version,
    ))  # fmt: skip
    assert saved.status_code == 302
    corrected = client.post(_url("reduction_correct", cast, tinh_gian=wrong.pk), _fix(
        on="02/03/2026", count="2", cause="resignation", decision_no="20-QĐ",
        row_version=version + 1,
    ))  # fmt: skip
    assert corrected.status_code == 302
    assert _report(cast) == [("Văn phòng", 14, 11, 3, 2, 2)]
    cancel = {"mode": "cancelled", "reason": "Quyết định bị thu hồi", "action": "save",
              "row_version": version + 2}  # fmt: skip
    gone = client.post(_url("reduction_correct", cast, tinh_gian=wrong.pk), cancel)
    assert gone.status_code == 302, gone.context["form"].errors
    assert _report(cast) == [("Văn phòng", 14, 11, 3, 2, 0)]
    assert [(c.entity, c.action) for c in Correction.objects.order_by("id")] == [
        ("staffing_quota", "corrected"), ("reduction", "corrected"), ("reduction", "cancelled"),
    ]  # fmt: skip
    assert AuditEntry.objects.filter(action="tochuc.staffing_quota.corrected").count() == 1
    assert AuditEntry.objects.filter(action="tochuc.reduction.cancelled").count() == 1


def test_a_form_read_before_another_change_is_refused(client, cast, cadre_officers, office):
    services.quota_set(agency=office, year=2026, assigned=12, actual=11)
    quota = StaffingQuota.objects.get()
    client.force_login(cadre_officers.commune)
    stale = Agency.objects.get(pk=office.pk).row_version
    services.reduction_record(agency=office, on=date(2026, 3, 2), count=1,
                              reason="resignation", decision_no="20-QĐ")  # fmt: skip
    refused = client.post(_url("quota_correct", cast, bien_che=quota.pk), _fix(
        assigned="20", actual="11", planned_reduction="0", row_version=stale,
    ))  # fmt: skip
    assert "vừa được người khác thay đổi" in str(refused.context["form"].non_field_errors())
    assert StaffingQuota.objects.get().assigned == 12


def test_an_agency_is_renamed_and_the_report_shows_the_new_name(
    client, cast, cadre_officers, office
):
    services.agency_create(organization=cast.commune, code="X01.MT", name="Ban Mặt trận")
    services.quota_set(agency=office, year=2026, assigned=12, actual=11)
    client.force_login(cadre_officers.commune)
    url = _url("agency_correct", cast, co_quan=office.pk)
    taken = client.post(url, _fix(name="Ban  Mặt trận"))
    assert "đã có cơ quan, đơn vị" in str(taken.context["form"].errors["name"])
    assert client.post(url, _fix(name="Văn phòng Đảng ủy")).status_code == 302
    assert _report(cast) == [("Văn phòng Đảng ủy", 12, 11, 1, 0, 0)]
    cancel = {"mode": "cancelled", "reason": "Lập nhầm", "action": "save"}
    refused = client.post(url, cancel)
    assert "đã có biên chế" in str(refused.context["form"].non_field_errors())
    other = Agency.objects.get(code="X01.MT")
    gone = client.post(_url("agency_correct", cast, co_quan=other.pk), cancel)
    assert gone.status_code == 302
    assert list(Agency.objects.values_list("name", flat=True)) == ["Văn phòng Đảng ủy"]


def test_the_sibling_communes_officer_is_answered_404(client, cast, cadre_officers, office):
    services.quota_set(agency=office, year=2026, assigned=12, actual=11)
    quota = StaffingQuota.objects.get()
    client.force_login(cadre_officers.sibling)
    for url in (
        _url("quota_add", cast, co_quan=office.pk),
        _url("agency_correct", cast, co_quan=office.pk),
        _url("quota_correct", cast, bien_che=quota.pk),
    ):
        assert client.get(url).status_code == 404
    own = reverse("cadres:quota_add", args=[cast.sibling_commune.code])
    assert client.get(own, {"co_quan": office.pk}).status_code == 404


def test_the_reductions_of_the_year_are_exported_row_for_row(client, cast, cadre_officers, office):
    import io

    import openpyxl

    services.reduction_record(agency=office, on=date(2026, 3, 2), count=2,
                              reason="early_retirement", decision_no="20-QĐ")  # fmt: skip
    services.reduction_record(agency=office, on=date(2025, 5, 4), count=1,
                              reason="early_retirement", decision_no="9-QĐ")  # fmt: skip
    client.force_login(cadre_officers.commune)
    page = client.get(_url("staffing", cast, nam=2026)).content.decode()
    assert "xuat=tinh-gian" in page
    response = client.get(_url("staffing", cast, nam=2026, xuat="tinh-gian"))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == ["STT", "Cơ quan, đơn vị", "Ngày", "Số người", "Lý do", "Quyết định"]
    assert [r[:2] + [r[2].date()] + r[3:] for r in rows[1:]] == [
        [1, "Văn phòng", date(2026, 3, 2), 2, "Nghỉ hưu trước tuổi", "20-QĐ"]
    ]
    entry = AuditEntry.objects.get(action="tochuc.staffing.reductions_exported")
    assert (entry.data["year"], entry.data["count"]) == (2026, 1)
