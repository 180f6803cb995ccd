"""The "Sửa / Hủy" page of the member's timeline: preview, confirm, refusals, reports."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from tochuc.core.models import Correction
from tochuc.members.models import MemberEvent, Status
from tochuc.members.services import member_exempt, member_exit, member_transfer
from tochuc.reports import periods, registry
from tochuc.testing import PASSWORD, register

pytestmark = pytest.mark.django_db
T = MemberEvent.Type


@pytest.fixture
def officer(client, users):
    assert client.login(username=users.commune_officer.username, password=PASSWORD)
    return client


@pytest.fixture
def an(cast):
    return register(cast.cell, "Nguyễn Văn An")


def page(member, act) -> str:
    return f"{reverse('members:timeline_correct', args=[member.pk])}?su_kien={act.pk}"


def form(action: str, mode: str = "corrected", **fields) -> dict:
    return {"mode": mode, "reason": "Ghi nhầm", "action": action, **fields}


def members_on(organization, on) -> int:
    report = registry.build("membership", organization, periods.at(on))
    return {row["key"]: row["count"] for row in report.table("members").rows}["total"]


def exempted_on(organization, on) -> int:
    report = registry.build("membership", organization, periods.at(on))
    rows = {row["key"]: row["count"] for row in report.table("members").rows}
    return rows.get("exempted", 0)


def test_the_member_page_offers_sua_huy_on_each_act(officer, an):
    member_exempt(member=an, on=date(2025, 9, 1))
    body = officer.get(reverse("members:detail", args=[an.pk])).content.decode()
    exempted = an.events.get(type=T.EXEMPTED)
    assert page(an, exempted).replace("&", "&amp;") in body or page(an, exempted) in body
    assert f"?su_kien={an.events.get(type=T.ADMITTED).pk}" in body
    listing = officer.get(reverse("members:timeline_correct", args=[an.pk])).content.decode()
    assert f"?su_kien={exempted.pk}" in listing and "Miễn công tác và sinh hoạt đảng" in listing


def test_the_admission_is_corrected_never_cancelled_and_party_age_starts_on_the_new_date(
    officer, cast, an
):
    admitted = an.events.get(type=T.ADMITTED)
    anchor = an.party_age_anchor
    shown = officer.get(page(an, admitted)).content.decode()
    assert "Ngày lễ kết nạp" in shown and 'value="cancelled"' not in shown
    data = form("save", on="21/05/2010", decision_no="12-QĐ/HU", ceremony_on="02/06/2010")
    assert officer.post(page(an, admitted), data).status_code == 302
    an.refresh_from_db()
    assert (an.admitted_on, an.ceremony_on) == (date(2010, 5, 21), date(2010, 6, 2))
    assert an.events.get(type=T.ADMITTED).decision_no == "12-QĐ/HU"
    assert an.party_age_anchor == anchor + timedelta(days=2)
    refused = officer.post(page(an, admitted), {**data, "on": "01/01/2012"}).content.decode()
    assert "Ngày lễ kết nạp không được trước ngày quyết định kết nạp." in refused
    an.refresh_from_db()
    assert an.admitted_on == date(2010, 5, 21)


def test_a_wrongly_dated_exemption_is_previewed_then_corrected(officer, an):
    member_exempt(member=an, on=date(2025, 12, 1), decision_no="NQ 3")
    act = an.events.get(type=T.EXEMPTED)
    data = form(
        "preview", on="01/10/2025", decision_no="NQ 3", organization_code="T01.X01.THPT.TOAN"
    )
    shown = officer.post(page(an, act), data).content.decode()
    assert "Xem trước thay đổi (chưa ghi)" in shown
    assert "Miễn công tác và sinh hoạt đảng ngày 01/12/2025 (NQ 3)" in shown
    assert "Miễn công tác và sinh hoạt đảng ngày 01/10/2025 (NQ 3)" in shown
    act.refresh_from_db()
    assert act.on == date(2025, 12, 1)  # the preview wrote nothing
    saved = officer.post(page(an, act), {**data, "action": "save"})
    assert saved.status_code == 302 and saved["Location"] == reverse("members:detail", args=[an.pk])
    act.refresh_from_db()
    assert act.on == date(2025, 10, 1)
    # The member page shows the correction history and a report for a date in between counts it.
    body = officer.get(page(an, act)).content.decode()
    assert "Lịch sử sửa, hủy" in body and "Ghi nhầm" in body


def test_a_removal_corrected_through_the_page_moves_the_report(officer, cast, an):
    member_exit(member=an, type=T.REMOVED, on=date(2025, 9, 1))
    act = an.events.get(type=T.REMOVED)
    assert members_on(cast.commune, date(2025, 10, 15)) == 0
    data = form("save", on="01/11/2025", decision_no="", organization_code="T01.X01.THPT.TOAN")
    assert officer.post(page(an, act), data).status_code == 302
    assert members_on(cast.commune, date(2025, 10, 15)) == 1
    assert members_on(cast.commune, date(2025, 11, 2)) == 0
    an.refresh_from_db()
    assert an.status == Status.LEFT


def test_a_transfer_corrected_through_the_page_moves_the_member(client, users, cast, an):
    member_transfer(member=an, on=date(2025, 8, 1), to=cast.sibling_cell)
    act = an.events.get(type=T.TRANSFERRED_OUT)
    # Now in the sibling commune: its officer, not ours, may correct (ours: not found).
    assert client.login(username=users.commune_officer.username, password=PASSWORD)
    assert client.get(page(an, act)).status_code == 404
    assert client.login(username=users.province_officer.username, password=PASSWORD)
    officer = client
    data = form("preview", on="01/08/2025", decision_no="", organization_code="T01.X01.NAPHAI")
    shown = officer.post(page(an, act), data).content.decode()
    assert (
        "Chi bộ thôn Khòn Lèng 01/08/2025–…" in shown
        and "Chi bộ thôn Nà Phái 01/08/2025–…" in shown
    )
    assert officer.post(page(an, act), {**data, "action": "save"}).status_code == 302
    an.refresh_from_db()
    assert an.organization == cast.village_cell
    assert members_on(cast.sibling_commune, date(2025, 12, 31)) == 0
    assert members_on(cast.commune, date(2025, 12, 31)) == 1


def test_a_correction_that_breaks_a_later_act_is_refused_on_the_page(officer, an):
    member_exempt(member=an, on=date(2025, 9, 1))
    member_exempt(member=an, on=date(2025, 10, 1), end=True)
    act = an.events.get(type=T.EXEMPTED)
    data = form("save", on="05/10/2025", decision_no="", organization_code="T01.X01.THPT.TOAN")
    response = officer.post(page(an, act), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "chưa được miễn công tác và sinh hoạt đảng" in body and "Chưa thay đổi gì" in body
    act.refresh_from_db()
    assert act.on == date(2025, 9, 1)
    assert not Correction.objects.exists()


def test_a_destination_outside_the_scope_is_refused_beside_its_field(officer, cast, an):
    member_transfer(member=an, on=date(2025, 8, 1), to=cast.village_cell)
    act = an.events.get(type=T.TRANSFERRED_OUT)
    data = form("save", on="01/08/2025", decision_no="", organization_code="T02.P01")
    body = officer.post(page(an, act), data).content.decode()
    assert "Không tìm thấy chi bộ mã “T02.P01” trong phạm vi quản lý." in body
    an.refresh_from_db()
    assert an.organization == cast.village_cell


def test_a_cancellation_needs_a_reason_and_an_unknown_act_is_not_found(officer, an):
    member_exempt(member=an, on=date(2025, 9, 1))
    act = an.events.get(type=T.EXEMPTED)
    body = officer.post(page(an, act), {"mode": "cancelled", "action": "save"}).content.decode()
    assert "Hãy ghi lý do sửa, hủy." in body
    assert an.events.filter(type=T.EXEMPTED).exists()
    assert officer.post(page(an, act), form("save", mode="cancelled")).status_code == 302
    an.refresh_from_db()
    assert not an.is_exempted
    url = reverse("members:timeline_correct", args=[an.pk])
    assert officer.get(f"{url}?su_kien={act.pk}").status_code == 404  # cancelled: gone
    assert officer.get(f"{url}?su_kien=abc").status_code == 404
