"""An officer's wrong answer is taken back: the request is pending again with a reason, the
member is told, and an accepted correction of personal data is undone through the members'
service with its version check (refused, nothing changed, if the record moved since)."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from tochuc.core.errors import ProcedureError
from tochuc.core.models import AuditEntry
from tochuc.members.models import Member
from tochuc.members.services import member_update
from tochuc.notifications.models import Notification
from tochuc.selfservice import services
from tochuc.testing import PASSWORD, member_account

# Monday 2/3/2026, and the Monday after: reopened then, the request is due ten working days
# later, Monday 23/3 (no holiday between).
MONDAY, NEXT_MONDAY = date(2026, 3, 2), date(2026, 3, 9)


def version(member) -> int:
    return Member.objects.get(pk=member.pk).row_version


@pytest.fixture
def accepted(hoa, users):
    """Hoa's phone corrected to 0987654321 on her request, accepted by the cell secretary."""
    with time_machine.travel(MONDAY, tick=False):
        request = services.request_correction(member=hoa, field="phone", asked_value="0987654321")
        return services.request_accept(
            request=request, by=users.cell_secretary, expected_version=version(hoa)
        )


def test_reopening_an_accepted_correction_puts_back_the_value_held_before(hoa, users, accepted):
    account = member_account(hoa)
    assert Member.objects.get(pk=hoa.pk).phone == "0987654321"
    with time_machine.travel(NEXT_MONDAY, tick=False):
        reopened = services.request_reopen(
            request=accepted, reason="Nhầm người: số này của đồng chí khác",
            by=users.cell_secretary, expected_version=version(hoa),
        )  # fmt: skip
    assert Member.objects.get(pk=hoa.pk).phone == "0912000111"
    reopened.refresh_from_db()
    assert (reopened.state, reopened.outcome, reopened.answered_at) == ("pending", "", None)
    assert (reopened.reopen_reason, reopened.due_on) == (
        "Nhầm người: số này của đồng chí khác",
        date(2026, 3, 23),
    )
    entry = AuditEntry.objects.get(action="tochuc.self_request.reopened")
    assert (entry.data["answer"], entry.data["undone"]) == ("Đã chấp nhận", True)
    notice = Notification.objects.get(user=account.user)
    assert notice.title == "Yêu cầu “Sửa thông tin cá nhân” được mở lại, hạn trả lời 23/03/2026"
    assert notice.body == (
        "Nhầm người: số này của đồng chí khác\n"
        "Hồ sơ đã trở lại giá trị cũ: điện thoại “0912000111”."
    )


def test_a_record_saved_since_the_acceptance_is_not_undone(hoa, users, accepted):
    member_update(member=hoa, changes={"phone": "0977000222"}, expected_version=version(hoa))
    with pytest.raises(ProcedureError) as refused:
        services.request_reopen(
            request=accepted, reason="Nhầm", by=users.cell_secretary,
            expected_version=version(hoa),
        )  # fmt: skip
    assert "“0977000222”" in str(refused.value)
    accepted.refresh_from_db()
    assert (accepted.state, Member.objects.get(pk=hoa.pk).phone) == ("accepted", "0977000222")


def test_a_record_saved_since_in_another_field_is_not_undone_either(hoa, users, accepted):
    member_update(member=hoa, changes={"workplace": "Trường THPT Tân An"},
                  expected_version=version(hoa))  # fmt: skip
    with pytest.raises(ProcedureError):
        services.request_reopen(
            request=accepted, reason="Nhầm", by=users.cell_secretary,
            expected_version=version(hoa),
        )  # fmt: skip
    hoa.refresh_from_db()
    assert (hoa.phone, hoa.workplace) == ("0987654321", "Trường THPT Tân An")


def test_a_refusal_reopened_can_then_be_accepted(hoa, users):
    request = services.request_correction(member=hoa, field="email", asked_value="hoa@example.vn")
    services.request_refuse(request=request, reason="Thiếu giấy tờ", by=users.cell_secretary)
    with pytest.raises(ValidationError) as silent:
        services.request_reopen(request=request, reason=" ", by=users.cell_secretary)
    assert "reason" in silent.value.message_dict
    services.request_reopen(request=request, reason="Đã có giấy tờ", by=users.cell_secretary)
    assert Member.objects.get(pk=hoa.pk).email == ""
    services.request_accept(request=request, by=users.cell_secretary, expected_version=version(hoa))
    assert Member.objects.get(pk=hoa.pk).email == "hoa@example.vn"
    withdrawn = services.request_withdraw(
        request=services.request_correction(member=hoa, field="phone", asked_value="0987654321"),
        by=None,
    )
    with pytest.raises(ProcedureError) as not_answered:
        services.request_reopen(request=withdrawn, reason="Nhầm", by=users.cell_secretary)
    assert "đảng viên đã rút" in str(not_answered.value)


def test_a_refusal_asked_again_since_is_answered_there_not_reopened(hoa, users):
    request = services.request_correction(member=hoa, field="email", asked_value="hoa@example.vn")
    services.request_refuse(request=request, reason="Thiếu giấy tờ", by=users.cell_secretary)
    services.request_correction(member=hoa, field="email", asked_value="hoa@example.vn")
    with pytest.raises(ProcedureError) as refused:
        services.request_reopen(request=request, reason="Nhầm", by=users.cell_secretary)
    assert "đang chờ: trả lời yêu cầu đó" in str(refused.value)
    assert hoa.self_requests.filter(state="pending").count() == 1


def test_the_officer_reopens_on_the_answer_page(client, hoa, users, accepted):
    client.login(username=users.cell_secretary.username, password=PASSWORD)
    url = reverse("selfservice:reopen", args=[accepted.organization.code, accepted.pk])
    page = reverse("selfservice:answer", args=[accepted.organization.code, accepted.pk])
    assert 'id="reopen"' in client.get(page).content.decode()
    empty = client.post(url, {"version": version(hoa)})
    assert "Ghi lý do mở lại để đảng viên biết." in empty.content.decode()
    done = client.post(url, {"reason": "Nhầm người", "version": version(hoa)})
    assert done["Location"] == page
    assert Member.objects.get(pk=hoa.pk).phone == "0912000111"
    shown = client.get(page).content.decode()
    assert "Nhầm người" in shown and 'id="reopen"' not in shown  # pending again: answered
    assert client.post(url, {"reason": "Lại nhầm"})["Location"] == page  # not reopened twice
    assert AuditEntry.objects.filter(action="tochuc.self_request.reopened").count() == 1


def test_another_cells_officer_cannot_reopen(client, hoa, binh, users):
    request = services.request_correction(member=binh, field="phone", asked_value="0911222333")
    services.request_refuse(request=request, reason="Sai", by=users.commune_officer)
    client.login(username=users.cell_secretary.username, password=PASSWORD)
    url = reverse("selfservice:reopen", args=[request.organization.code, request.pk])
    assert client.post(url, {"reason": "Nhầm"}).status_code == 404
    request.refresh_from_db()
    assert request.state == "refused"
