"""Requests a member files, with their due day, and the officers' answers."""

import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from tochuc.accounts.access import Scope
from tochuc.core.errors import ProcedureError
from tochuc.members.models import Member
from tochuc.members.services import member_update
from tochuc.notifications.models import Notification
from tochuc.ratings.services import rating_session_open
from tochuc.selfservice import services
from tochuc.selfservice.selectors import assessment_sheet, queue
from tochuc.testing import PASSWORD, member_account

# Monday 2/3/2026: ten working days later is Monday 16/3 (no holiday between).
MONDAY = date(2026, 3, 2)


@pytest.fixture
def frozen():
    with time_machine.travel(MONDAY, tick=False):
        yield


def test_a_correction_is_due_ten_working_days_after_it_is_received(frozen, hoa):
    request = services.request_correction(member=hoa, field="phone", asked_value="0987654321")
    assert (request.received_on, request.due_on) == (MONDAY, date(2026, 3, 16))


def test_the_officers_of_the_cell_and_above_are_told_not_the_others(frozen, hoa, users):
    services.request_correction(member=hoa, field="phone", asked_value="0987654321")
    told = set(Notification.objects.values_list("user__username", flat=True))
    assert told == {"cell_secretary", "commune_officer", "province_officer"}


def test_a_correction_to_the_value_held_or_of_a_protected_field_is_refused(hoa):
    with pytest.raises(ValidationError) as same:
        services.request_correction(member=hoa, field="phone", asked_value=" 0912000111 ")
    assert "trùng" in same.value.message_dict["asked_value"][0]
    with pytest.raises(ValidationError) as protected:
        services.request_correction(member=hoa, field="birth_date", asked_value="01/01/1990")
    assert "field" in protected.value.message_dict
    services.request_correction(member=hoa, field="phone", asked_value="0987654321")
    with pytest.raises(ProcedureError):  # one open request per field
        services.request_correction(member=hoa, field="phone", asked_value="0987000000")


def test_accepting_with_a_stale_version_changes_nothing(hoa, users):
    request = services.request_correction(member=hoa, field="phone", asked_value="0987654321")
    seen = Member.objects.get(pk=hoa.pk).row_version
    member_update(member=hoa, changes={"workplace": "Trường THPT Tân An"}, expected_version=seen)
    with pytest.raises(ProcedureError) as refused:
        services.request_accept(request=request, by=users.cell_secretary, expected_version=seen)
    assert "người khác sửa" in str(refused.value)
    request.refresh_from_db()
    hoa.refresh_from_db()
    assert (request.state, hoa.phone) == ("pending", "0912000111")


def test_a_refusal_needs_a_reason_and_tells_the_member(hoa, users):
    account = member_account(hoa)
    request = services.request_correction(member=hoa, field="email", asked_value="hoa@example.vn")
    with pytest.raises(ValidationError):
        services.request_refuse(request=request, reason="  ", by=users.cell_secretary)
    services.request_refuse(request=request, reason="Cần bản sao CCCD", by=users.cell_secretary)
    notice = Notification.objects.get(user=account.user)
    assert (notice.kind, notice.body) == ("request_out", "Cần bản sao CCCD")
    with pytest.raises(ProcedureError):  # answered already
        services.request_accept(request=request, by=users.cell_secretary, expected_version=1)


def test_a_transfer_letter_accepted_sends_the_officer_to_the_issue_procedure(client, hoa, users):
    request = services.request_transfer_letter(
        member=hoa, destination="Đảng bộ phường Đông Kinh", moving_on=None
    )
    client.login(username=users.cell_secretary.username, password=PASSWORD)
    cast_cell = request.organization.code
    answered = client.post(
        reverse("selfservice:answer", args=[cast_cell, request.pk]), {"decision": "accept"}
    )
    assert answered["Location"] == reverse("transfers:transfer", args=[hoa.pk])


def test_a_self_assessment_accepted_is_entered_in_the_rating(cast, hoa, users):
    rating_session_open(organization=cast.province, kind="year", year=2025)
    subject, criteria = assessment_sheet(hoa)
    assert [top for _label, top in criteria] == [30, 50, 10, 10]
    with pytest.raises(ValidationError) as refused:
        services.request_self_assessment(member=hoa, scores=[31, 40, 8, 8])
    assert list(refused.value.message_dict) == ["c0"]
    request = services.request_self_assessment(member=hoa, scores=[27, 45, 9, 9.5])
    services.request_accept(request=request, by=users.cell_secretary)
    subject.refresh_from_db()
    assert (subject.self_score, subject.self_level, subject.step) == (
        Decimal("90.50"), "excellent", "self_assessed",
    )  # fmt: skip


def test_the_queue_holds_the_scopes_requests_only(hoa, binh, users):
    services.request_correction(member=hoa, field="phone", asked_value="0987654321")
    services.request_transfer_letter(member=binh, destination="Tỉnh B", moving_on=None)
    names = {
        who: {r.member.full_name for r in queue(scope=Scope.for_user(getattr(users, who)))}
        for who in ("cell_secretary", "commune_officer", "sibling_officer")
    }
    assert names == {
        "cell_secretary": {"Lê Thị Hoa"},
        "commune_officer": {"Lê Thị Hoa", "Trần Văn Bình"},
        "sibling_officer": set(),
    }


def test_the_queue_exports_its_rows(client, hoa, binh, users):
    services.request_correction(member=hoa, field="phone", asked_value="0987654321")
    client.login(username=users.commune_officer.username, password=PASSWORD)
    response = client.get(reverse("selfservice:queue_export"))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [r[:5] for r in rows] == [
        (1, "Lê Thị Hoa", "Chi bộ Tổ Toán", "Sửa thông tin cá nhân",
         "Điện thoại: 0912000111 → 0987654321"),
    ]  # fmt: skip


def test_the_member_withdraws_a_pending_request(client, hoa):
    member_account(hoa)
    request = services.request_correction(member=hoa, field="phone", asked_value="0987654321")
    client.login(username=hoa.citizen_id, password=PASSWORD)
    assert (
        client.post(reverse("selfservice:request_withdraw", args=[request.pk])).status_code == 302
    )
    request.refresh_from_db()
    assert request.state == "withdrawn"
    page = client.get(reverse("selfservice:requests")).content.decode()
    assert "Đảng viên đã rút" in page


def test_the_daily_due_run_tells_the_member_and_the_officers_once_a_week(hoa, users):
    from tochuc.selfservice.services import due_notify

    account = member_account(hoa)
    with time_machine.travel(MONDAY, tick=False):
        services.request_correction(member=hoa, field="phone", asked_value="0987654321")
        rating_session_open(organization=hoa.organization, kind="year", year=2025)
    with time_machine.travel(date(2026, 3, 17), tick=False):
        first = due_notify(on=date(2026, 3, 17))
        again = due_notify(on=date(2026, 3, 17))
    assert first == {"members": 1, "officers": 3} and again == {"members": 0, "officers": 0}
    mine = Notification.objects.get(user=account.user, kind="due")
    assert mine.body == (
        "Đảng phí chưa nộp 3 tháng (01/2026, 02/2026, 03/2026): 15.000 đồng.\n"
        "Tự đánh giá, xếp loại: Năm 2025."
    )
    late = Notification.objects.filter(kind="due").exclude(user=account.user).first()
    assert late.body == "Lê Thị Hoa: Sửa thông tin cá nhân (hạn 16/03/2026)"
