"""Receiving from outside the system a member whose record is already in it (issue 17).

Bình left the system from the sibling commune's cell (she is "transferred away", her record
kept there). The commune officer receives a member from outside: a record found by its
citizen ID continues only for the same person (name, birth date) and, being outside the
officer's scope, only once the sibling commune's officer confirms. A refusal says nothing of
the record.
"""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from tochuc.core.models import AuditEntry
from tochuc.members.models import MemberEvent, Status
from tochuc.organizations.models import Kind
from tochuc.testing import MEMBER_DEFAULTS, PASSWORD, found, register
from tochuc.transfers.models import ReceiveRequest, Transfer
from tochuc.transfers.services import (
    OutsideLetter,
    receive_request_refuse,
    receive_request_withdraw,
    transfer_issue,
    transfer_receive_from_outside,
)

pytestmark = pytest.mark.django_db
T = MemberEvent.Type
CITIZEN_ID = "004185000777"
NEUTRAL = "Số CCCD này không dùng được; cần cán bộ cấp trên xác minh."
# What the record holds and a refusal must not show.
SECRETS = ("0912000111", "TB-20009", "Khòn Lèng", "Tân Bình", "1-GGT/ĐU", "Hà Giang",
           "Đã chuyển sinh hoạt ra ngoài hệ thống")  # fmt: skip


@pytest.fixture(autouse=True)
def spring_2026():
    with time_machine.travel(date(2026, 3, 20), tick=False):
        yield


@pytest.fixture
def binh(cast):
    member = register(
        cast.sibling_cell, "Trần Thị Bình", citizen_id=CITIZEN_ID, phone="0912000111",
        party_card_no="TB-20009",
    )  # fmt: skip
    transfer_issue(member=member, on=date(2026, 3, 2), other_party="Đảng bộ tỉnh Hà Giang")
    member.refresh_from_db()
    assert member.status == Status.TRANSFERRED_AWAY
    return member


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def receive_data(cast, **changes) -> dict:
    """The receive-from-outside form as the commune officer fills it in for Bình."""
    return {
        "cell": cast.village_cell.pk, "full_name": "Trần Thị Bình", "gender": "female",
        "birth_date": "15/03/1985", "ethnicity": "01", "citizen_id": CITIZEN_ID,
        "admitted_on": "19/05/2010", "letter_no": "9-GGT/ĐU", "letter_on": "16/03/2026",
        "issued_by": "Đảng ủy xã Quảng Uyên, Cao Bằng", "arrived_on": "18/03/2026", **changes,
    }  # fmt: skip


def receive_url(cast) -> str:
    return reverse("transfers:receive_from_outside", args=[cast.commune.code])


def unchanged(member, cast) -> bool:
    member.refresh_from_db()
    return (member.status, member.organization, member.events.count()) == (
        Status.TRANSFERRED_AWAY, cast.sibling_cell, 3,
    )  # fmt: skip


def request_for_binh(client, cast, users) -> ReceiveRequest:
    login(client, users.commune_officer)
    response = client.post(receive_url(cast), receive_data(cast))
    pending = ReceiveRequest.objects.get()
    assert response["Location"] == reverse("transfers:receive_request", args=[pending.pk])
    return pending


# ---------------------------------------------------------------- refused, and no leak


def test_a_citizen_id_alone_with_another_name_is_refused_and_shows_nothing(
    client, cast, users, binh
):
    login(client, users.commune_officer)
    response = client.post(
        receive_url(cast), receive_data(cast, full_name="Nguyễn Văn Lạ", birth_date="01/01/1990")
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert response.context["form"].errors["citizen_id"] == [NEUTRAL]
    for secret in SECRETS:
        assert secret not in page, secret
    assert unchanged(binh, cast)
    assert not ReceiveRequest.objects.exists()
    assert not binh.transfers.filter(state=Transfer.State.RECEIVED).exists()
    refusal = AuditEntry.objects.get(action="tochuc.access.identity_hidden_clash")
    assert refusal.user == users.commune_officer


def test_a_matching_name_with_another_birth_date_is_refused_the_same_way(client, cast, users, binh):
    login(client, users.commune_officer)
    response = client.post(receive_url(cast), receive_data(cast, birth_date="16/03/1985"))
    assert response.context["form"].errors["citizen_id"] == [NEUTRAL]
    assert unchanged(binh, cast)


def test_an_active_member_out_of_scope_gets_the_same_refusal_as_a_mismatch(client, cast, users):
    register(cast.sibling_cell, "Lò Văn Xa", citizen_id="004185000888")
    login(client, users.commune_officer)
    response = client.post(
        receive_url(cast), receive_data(cast, full_name="Lò Văn Xa", citizen_id="004185000888")
    )
    assert response.context["form"].errors["citizen_id"] == [NEUTRAL]
    assert "Lò Văn Xa" not in str(response.context["form"].errors)


# ---------------------------------------------------------------- pending, then confirmed


def test_the_same_person_out_of_scope_waits_for_the_keeping_side(client, cast, users, binh):
    pending = request_for_binh(client, cast, users)
    assert (pending.state, pending.member, pending.organization) == (
        ReceiveRequest.State.PENDING, binh, cast.village_cell,
    )  # fmt: skip
    assert unchanged(binh, cast)
    page = client.get(reverse("transfers:receive_request", args=[pending.pk])).content.decode()
    assert "Chờ xác nhận" in page and "9-GGT/ĐU" in page
    for secret in SECRETS:
        assert secret not in page, secret
    listing = client.get(reverse("transfers:receive_requests"))
    assert [r.pk for r in listing.context["sent"]] == [pending.pk]
    assert listing.context["to_confirm"] == []
    assert AuditEntry.objects.filter(action="tochuc.member.receive_requested").count() == 1
    # Sent again: the same request, not a second one.
    client.post(receive_url(cast), receive_data(cast))
    assert ReceiveRequest.objects.count() == 1


def test_the_officer_covering_the_record_confirms_and_the_record_moves(client, cast, users, binh):
    pending = request_for_binh(client, cast, users)
    login(client, users.sibling_officer)
    transfers = client.get(reverse("transfers:transfers", args=[cast.sibling_commune.code]))
    assert transfers.context["requests_to_confirm"] == 1
    listing = client.get(reverse("transfers:receive_requests"))
    assert [r.pk for r in listing.context["to_confirm"]] == [pending.pk]
    page = client.get(reverse("transfers:receive_request", args=[pending.pk]))
    assert page.context["can_decide"]
    decide = reverse("transfers:receive_request_decide", args=[pending.pk])
    assert client.post(decide, {"action": "xac-nhan"}).status_code == 302
    binh.refresh_from_db()
    assert (binh.status, binh.organization) == (Status.FULL, cast.village_cell)
    arrived = binh.events.get(type=T.TRANSFERRED_IN)
    assert (arrived.on, arrived.decision_no, arrived.other_party) == (
        date(2026, 3, 18), "9-GGT/ĐU", "Đảng ủy xã Quảng Uyên, Cao Bằng",
    )  # fmt: skip
    pending.refresh_from_db()
    assert (pending.state, pending.decided_by) == (
        ReceiveRequest.State.CONFIRMED, users.sibling_officer,
    )  # fmt: skip
    assert pending.transfer.received_by == users.commune_officer
    assert AuditEntry.objects.filter(
        action="tochuc.member.receive_request_confirmed", user=users.sibling_officer
    ).exists()
    # The receiving officer sees the state, and now the member in their cell.
    login(client, users.commune_officer)
    state = client.get(reverse("transfers:receive_request", args=[pending.pk])).content.decode()
    assert "Đã xác nhận, đã tiếp nhận" in state
    listed = client.get(reverse("members:list"), {"to_chuc": cast.commune.code})
    assert [m.full_name for m in listed.context["page"].rows] == ["Trần Thị Bình"]


def test_the_keeping_side_refuses_with_a_reason_and_nothing_moves(client, cast, users, binh):
    pending = request_for_binh(client, cast, users)
    login(client, users.sibling_officer)
    decide = reverse("transfers:receive_request_decide", args=[pending.pk])
    without = client.post(decide, {"action": "tu-choi"})
    assert without.context["form"].errors["note"] == ["Hãy ghi lý do từ chối."]
    client.post(decide, {"action": "tu-choi", "note": "Không phải đảng viên của đơn vị"})
    pending.refresh_from_db()
    assert pending.state == ReceiveRequest.State.REFUSED
    assert unchanged(binh, cast)
    login(client, users.commune_officer)
    page = client.get(reverse("transfers:receive_request", args=[pending.pk])).content.decode()
    assert "Bị từ chối" in page and "Không phải đảng viên của đơn vị" in page


def test_an_officer_out_of_scope_cannot_see_nor_confirm_the_request(client, cast, users, binh):
    pending = request_for_binh(client, cast, users)
    decide = reverse("transfers:receive_request_decide", args=[pending.pk])
    detail = reverse("transfers:receive_request", args=[pending.pk])
    login(client, users.other_province_officer)
    assert client.get(detail).status_code == 404
    assert client.post(decide, {"action": "xac-nhan"}).status_code == 404
    assert client.get(reverse("transfers:receive_requests")).context["to_confirm"] == []
    # The receiving officer follows the request but cannot confirm it themselves.
    login(client, users.commune_officer)
    assert client.post(decide, {"action": "xac-nhan"}).status_code == 404
    pending.refresh_from_db()
    assert pending.state == ReceiveRequest.State.PENDING
    assert unchanged(binh, cast)


# ---------------------------------------------------------------- in scope, and in transfer


def test_an_officer_covering_both_sides_receives_at_once(cast, users, binh):
    transfer = transfer_receive_from_outside(
        organization=cast.village_cell, arrived_on=date(2026, 3, 18),
        letter=OutsideLetter("9-GGT/ĐU", date(2026, 3, 16), "Đảng ủy xã Quảng Uyên"),
        record={"full_name": "TRẦN THỊ  BÌNH", **MEMBER_DEFAULTS, "citizen_id": CITIZEN_ID},
        admitted_on=date(2010, 5, 19), by=users.province_officer,
    )  # fmt: skip
    assert isinstance(transfer, Transfer) and transfer.member == binh
    binh.refresh_from_db()
    assert binh.organization == cast.village_cell


def test_a_member_in_transfer_to_the_receiver_is_received_through_their_letter(client, cast, users):
    moving = register(cast.sibling_cell, "Hà Văn Chuyển", citizen_id="004185000999")
    letter = transfer_issue(member=moving, on=date(2026, 3, 2), to=cast.village_cell)
    login(client, users.commune_officer)
    response = client.post(
        receive_url(cast),
        receive_data(cast, full_name="Hà Văn Chuyển", citizen_id="004185000999"),
    )
    assert letter.letter_no in response.context["form"].errors["citizen_id"][0]
    moving.refresh_from_db()
    assert moving.organization == cast.sibling_cell


def test_a_record_named_directly_out_of_scope_is_refused_neutrally(cast, users, binh):
    with pytest.raises(ValidationError) as refused:
        transfer_receive_from_outside(
            organization=cast.village_cell, member=binh, arrived_on=date(2026, 3, 18),
            letter=OutsideLetter("9-GGT/ĐU", date(2026, 3, 16), "Đảng ủy xã Quảng Uyên"),
            by=users.commune_officer,
        )  # fmt: skip
    assert refused.value.message_dict == {"citizen_id": [NEUTRAL]}
    assert unchanged(binh, cast)


def test_a_second_receiver_of_a_pending_record_learns_nothing_of_the_first(
    client, cast, users, binh
):
    request_for_binh(client, cast, users)
    login(client, users.other_province_officer)
    other = reverse("transfers:receive_from_outside", args=[cast.other_commune.code])
    cell = found("T02.P01.CB1", "Chi bộ khu phố 1", Kind.BASE_CELL, cast.other_commune)
    response = client.post(other, receive_data(cast, cell=cell.pk))
    assert response.context["form"].errors["citizen_id"] == [NEUTRAL]
    assert ReceiveRequest.objects.count() == 1


def test_the_hourly_limit_stops_guessing_names_for_a_citizen_id(
    client, cast, users, binh, settings
):
    settings.TOCHUC_IDENTITY_HIDDEN_PER_HOUR = 2
    login(client, users.commune_officer)
    answers = [
        client.post(receive_url(cast), receive_data(cast, full_name=name))
        .context["form"].errors["citizen_id"][0]
        for name in ("Trần Văn A", "Trần Văn B", "Trần Thị Bình")
    ]  # fmt: skip
    assert answers[:2] == [NEUTRAL, NEUTRAL]
    assert answers[2].startswith("Đồng chí đã kiểm tra quá nhiều số CCCD")
    assert not ReceiveRequest.objects.exists()
    assert AuditEntry.objects.filter(action="tochuc.access.identity_checks_throttled").exists()


# ---------------------------------------------------------------- withdrawn by the receiver


def withdraw_url(pending) -> str:
    return reverse("transfers:receive_request_withdraw", args=[pending.pk])


def test_the_receiving_officer_withdraws_a_waiting_request_and_nothing_moves(
    client, cast, users, binh
):
    pending = request_for_binh(client, cast, users)
    page = client.get(reverse("transfers:receive_request", args=[pending.pk]))
    assert page.context["can_withdraw"] and not page.context["can_decide"]
    assert "Rút yêu cầu" in page.content.decode()
    without = client.post(withdraw_url(pending), {})
    assert without.context["withdraw_form"].errors["note"] == ["Hãy ghi lý do rút yêu cầu."]
    pending.refresh_from_db()
    assert pending.state == ReceiveRequest.State.PENDING
    done = client.post(withdraw_url(pending), {"withdraw-note": "Ghi nhầm giấy giới thiệu"})
    assert done["Location"] == reverse("transfers:receive_request", args=[pending.pk])
    pending.refresh_from_db()
    assert (pending.state, pending.decided_by, pending.note) == (
        ReceiveRequest.State.WITHDRAWN, users.commune_officer, "Ghi nhầm giấy giới thiệu",
    )  # fmt: skip
    assert unchanged(binh, cast)
    entry = AuditEntry.objects.get(action="tochuc.member.receive_request_withdrawn")
    assert (entry.user, entry.reason, entry.data["request"]) == (
        users.commune_officer, "Ghi nhầm giấy giới thiệu", pending.pk,
    )  # fmt: skip
    after = client.get(reverse("transfers:receive_request", args=[pending.pk]))
    assert not after.context["can_withdraw"]
    assert 'id="withdraw"' not in after.content.decode()


def test_the_keeping_side_sees_the_request_withdrawn_and_can_no_longer_confirm_it(
    client, cast, users, binh
):
    pending = request_for_binh(client, cast, users)
    client.post(withdraw_url(pending), {"withdraw-note": "Đảng viên không đến sinh hoạt"})
    login(client, users.sibling_officer)
    page = client.get(reverse("transfers:receive_request", args=[pending.pk]))
    text = page.content.decode()
    assert "Đã rút yêu cầu" in text and "Đảng viên không đến sinh hoạt" in text
    assert not page.context["can_decide"] and not page.context["can_withdraw"]
    listing = client.get(reverse("transfers:receive_requests"))
    assert [(r.pk, r.get_state_display()) for r in listing.context["to_confirm"]] == [
        (pending.pk, "Đã rút yêu cầu")
    ]
    decide = reverse("transfers:receive_request_decide", args=[pending.pk])
    refused = client.post(decide, {"action": "xac-nhan"})
    assert refused.context["form"].non_field_errors() == [
        "Yêu cầu tiếp nhận này đã được xử lý (Đã rút yêu cầu)."
    ]
    assert unchanged(binh, cast)


def test_only_the_receiving_side_may_withdraw(client, cast, users, binh):
    pending = request_for_binh(client, cast, users)
    for user, status in ((users.sibling_officer, 404), (users.other_province_officer, 404),
                         (users.commune_viewer, 403)):  # fmt: skip
        login(client, user)
        response = client.post(withdraw_url(pending), {"withdraw-note": "Thử rút"})
        assert response.status_code == status, user
    pending.refresh_from_db()
    assert pending.state == ReceiveRequest.State.PENDING
    with pytest.raises(ValidationError) as refused:
        receive_request_withdraw(request=pending, reason="Thử rút", by=users.sibling_officer)
    assert refused.value.messages == [
        "Chỉ cấp ủy của chi bộ tiếp nhận mới rút được yêu cầu tiếp nhận này."
    ]
    assert not AuditEntry.objects.filter(action="tochuc.member.receive_request_withdrawn")


def test_a_decided_request_cannot_be_withdrawn_and_a_withdrawn_one_can_be_sent_again(
    client, cast, users, binh
):
    pending = request_for_binh(client, cast, users)
    receive_request_refuse(request=pending, reason="Không đúng người", by=users.sibling_officer)
    with pytest.raises(ValidationError) as refused:
        receive_request_withdraw(request=pending, reason="Rút", by=users.commune_officer)
    assert refused.value.messages == ["Yêu cầu tiếp nhận này đã được xử lý (Bị từ chối)."]
    pending.refresh_from_db()
    assert (pending.state, pending.note) == (ReceiveRequest.State.REFUSED, "Không đúng người")
    # A new request, withdrawn, frees the member for the next one.
    second = request_for_binh_again(client, cast, users)
    receive_request_withdraw(request=second, reason="Sai ngày đến", by=users.commune_officer)
    client.post(receive_url(cast), receive_data(cast, arrived_on="19/03/2026"))
    third = ReceiveRequest.objects.get(state=ReceiveRequest.State.PENDING)
    assert third.arrived_on == date(2026, 3, 19)
    assert ReceiveRequest.objects.count() == 3


def request_for_binh_again(client, cast, users) -> ReceiveRequest:
    login(client, users.commune_officer)
    client.post(receive_url(cast), receive_data(cast))
    return ReceiveRequest.objects.get(state=ReceiveRequest.State.PENDING)
