"""The transfer pages, with the named cast: the commune's officer sends a member of the
village cell (Nà Phái) to the sibling commune's cell (Khòn Lèng); the sibling commune's
officer receives them."""

import io
from datetime import date

import openpyxl
import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from tochuc.lib.documents import docx_text
from tochuc.members.models import MemberEvent, Status
from tochuc.members.services import member_exit
from tochuc.testing import PASSWORD, register
from tochuc.transfers.models import Transfer
from tochuc.transfers.services import temporary_transfer_issue, transfer_issue

pytestmark = pytest.mark.django_db
T = MemberEvent.Type


@pytest.fixture(autouse=True)
def spring_2026():
    with time_machine.travel(date(2026, 3, 20), tick=False):
        yield


@pytest.fixture
def binh(cast):
    return register(cast.village_cell, "Trần Thị Bình", party_card_no="TB01")


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def listed(client, organization) -> list[str]:
    response = client.get(reverse("members:list"), {"to_chuc": organization.code})
    return [m.full_name for m in response.context["page"].rows]


def figures(client, organization, on: str) -> dict:
    panel = client.get(
        reverse("home_organization", args=[organization.code]), {"ngay": on}
    ).context["panels"]
    return next(ctx for p, ctx in panel if p.key == "members.transfers")


def test_one_officer_sends_a_member_and_the_other_receives_them(client, cast, users, binh):
    login(client, users.commune_officer)
    page = client.get(reverse("members:detail", args=[binh.pk])).content.decode()
    assert reverse("transfers:transfer", args=[binh.pk]) in page
    sent = client.post(
        reverse("transfers:transfer", args=[binh.pk]),
        {"where": "trong", "to_code": cast.sibling_cell.code, "on": "02/03/2026",
         "reason": "Chuyển nơi cư trú"},
    )  # fmt: skip
    transfer = Transfer.objects.get(member=binh)
    assert sent.status_code == 302
    assert sent["Location"] == reverse("transfers:transfer_detail", args=[transfer.pk])
    detail = client.get(sent["Location"]).content.decode()
    assert "1-GGT/ĐU" in detail and "13/04/2026" in detail  # the presentation deadline
    assert reverse("transfers:transfer_receive", args=[transfer.pk]) not in detail
    member_page = client.get(reverse("members:detail", args=[binh.pk])).content.decode()
    assert "Đang chuyển sinh hoạt đến Chi bộ thôn Khòn Lèng" in member_page
    assert listed(client, cast.commune) == ["Trần Thị Bình"]  # still ours until received
    # The commune's officer may not receive for the sibling commune.
    assert client.get(reverse("transfers:transfer_receive", args=[transfer.pk])).status_code == 403

    login(client, users.sibling_officer)
    sibling_transfers = reverse("transfers:transfers", args=[cast.sibling_commune.code])
    incoming = client.get(sibling_transfers, {"xem": "den"})
    assert [t.pk for t in incoming.context["rows"]] == [transfer.pk]
    assert client.get(reverse("members:detail", args=[binh.pk])).status_code == 404
    assert listed(client, cast.sibling_commune) == []
    form = client.get(reverse("transfers:transfer_receive", args=[transfer.pk]))
    assert form.status_code == 200
    received = client.post(
        reverse("transfers:transfer_receive", args=[transfer.pk]),
        {"arrived_on": "10/03/2026", "row_version": transfer.row_version},
    )
    assert received.status_code == 302
    assert received["Location"] == reverse("members:detail", args=[binh.pk])
    assert listed(client, cast.sibling_commune) == ["Trần Thị Bình"]
    page = client.get(received["Location"]).content.decode()
    assert "Chuyển sinh hoạt đảng chính thức đến" in page and "10/03/2026" in page
    assert "Giấy giới thiệu 1-GGT/ĐU ngày 02/03/2026" in page
    # Counts as of before, during and after, on each side's home page.
    for day, sibling in (("01/03/2026", 0), ("05/03/2026", 0), ("10/03/2026", 1)):
        assert figures(client, cast.sibling_commune, day)["members_on"] == sibling, day

    login(client, users.commune_officer)
    assert listed(client, cast.commune) == []
    for day, commune in (("01/03/2026", 1), ("05/03/2026", 1), ("10/03/2026", 0)):
        assert figures(client, cast.commune, day)["members_on"] == commune, day
    # The commune officer keeps seeing the transfer they sent, now received.
    outgoing = client.get(reverse("transfers:transfers", args=[cast.commune.code]))
    assert [(t.pk, t.state) for t in outgoing.context["rows"]] == [
        (transfer.pk, Transfer.State.RECEIVED)
    ]
    assert client.get(reverse("transfers:transfer_detail", args=[transfer.pk])).status_code == 200


def test_a_second_receipt_from_a_stale_page_is_refused_beside_the_form(client, cast, users, binh):
    transfer = transfer_issue(member=binh, on=date(2026, 3, 2), to=cast.sibling_cell)
    login(client, users.sibling_officer)
    url = reverse("transfers:transfer_receive", args=[transfer.pk])
    data = {"arrived_on": "10/03/2026", "row_version": transfer.row_version}
    assert client.post(url, data).status_code == 302
    again = client.post(url, {**data, "arrived_on": "11/03/2026"})
    assert again.status_code == 200
    assert "Giấy giới thiệu này không chờ tiếp nhận." in again.content.decode()
    assert binh.events.filter(type=T.TRANSFERRED_IN).count() == 1


def test_a_receipt_before_the_letter_is_shown_beside_its_field(client, cast, users, binh):
    transfer = transfer_issue(member=binh, on=date(2026, 3, 2), to=cast.sibling_cell)
    login(client, users.sibling_officer)
    response = client.post(
        reverse("transfers:transfer_receive", args=[transfer.pk]),
        {"arrived_on": "01/03/2026", "row_version": transfer.row_version},
    )
    assert response.context["form"].errors["arrived_on"] == [
        "Ngày đến sinh hoạt (01/03/2026) không được trước ngày cấp giấy giới thiệu (02/03/2026)."
    ]
    transfer.refresh_from_db()
    assert transfer.state == Transfer.State.ISSUED


def test_transfers_are_hidden_from_everyone_but_the_two_sides(client, cast, users, binh):
    transfer = transfer_issue(member=binh, on=date(2026, 3, 2), to=cast.sibling_cell)
    url = reverse("transfers:transfer_detail", args=[transfer.pk])
    for user, status in ((users.other_province_officer, 404), (users.cell_secretary, 404),
                         (users.stranger, 404), (users.commune_viewer, 200),
                         (users.sibling_officer, 200)):  # fmt: skip
        login(client, user)
        assert client.get(url).status_code == status, user.username


def test_the_letters_come_as_docx_and_pdf_in_the_party_layout(client, cast, users, binh):
    transfer = transfer_issue(member=binh, on=date(2026, 3, 2), to=cast.sibling_cell,
                              reason="Chuyển nơi cư trú")  # fmt: skip
    login(client, users.commune_officer)
    docx = client.get(reverse("transfers:letter_docx", args=[transfer.pk]))
    assert docx["Content-Disposition"] == (
        'attachment; filename="giay-gioi-thieu-1-ggt-du-2026.docx"'
    )
    text = docx_text(docx.content)
    for expected in ("ĐẢNG BỘ TỈNH A", "ĐẢNG BỘ XÃ TÂN AN", "Số 1-GGT/ĐU", "ĐẢNG CỘNG SẢN VIỆT NAM",
                     "Tân An, ngày 02 tháng 3 năm 2026", "GIẤY GIỚI THIỆU",
                     "sinh hoạt đảng chính thức", "đồng chí Trần Thị Bình, sinh ngày 15/03/1985",
                     "số thẻ đảng viên: TB01", "Hiện sinh hoạt tại Chi bộ thôn Nà Phái",
                     "đến Chi bộ thôn Khòn Lèng", "chậm nhất ngày 13/04/2026",
                     "Lý do: Chuyển nơi cư trú.", "T/M BAN THƯỜNG VỤ", "Nơi nhận:"):  # fmt: skip
        assert expected in text, expected
    pdf = client.get(reverse("transfers:letter_pdf", args=[transfer.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    pdf_text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    for expected in ("GIẤY GIỚI THIỆU", "Số 1-GGT/ĐU", "Trần Thị Bình", "13/04/2026"):
        assert expected in pdf_text, expected
    assert set(
        users.commune_officer.auditentry_set.filter(
            action="tochuc.member.letter_exported"
        ).values_list("data__format", flat=True)
    ) == {"docx", "pdf"}


def test_the_temporary_letter_names_the_host_and_the_period(client, cast, users, binh):
    login(client, users.commune_officer)
    response = client.post(
        reverse("transfers:temporary", args=[binh.pk]),
        {"where": "trong", "to_code": cast.sibling_cell.code, "purpose": "work",
         "on": "02/03/2026", "ends_on": "02/09/2026"},
    )  # fmt: skip
    assert response.status_code == 302
    transfer = Transfer.objects.get(member=binh)
    text = docx_text(client.get(reverse("transfers:letter_docx", args=[transfer.pk])).content)
    assert "sinh hoạt đảng tạm thời" in text and "Số 1-GGTTT/CB" in text
    assert "từ ngày 02/03/2026 đến ngày 02/09/2026" in text
    assert "T/M CHI BỘ" in text
    too_long = client.post(
        reverse("transfers:temporary", args=[register(cast.village_cell, "Hoàng Văn Chiến").pk]),
        {"where": "trong", "to_code": cast.sibling_cell.code, "purpose": "work",
         "on": "02/03/2026", "ends_on": "02/03/2027"},
    )  # fmt: skip
    assert too_long.context["form"].errors["ends_on"] == [
        "Công tác, cư trú: sinh hoạt tạm thời dưới 12 tháng (trước ngày 02/03/2027)."
    ]
    login(client, users.sibling_officer)
    sibling_transfers = reverse("transfers:transfers", args=[cast.sibling_commune.code])
    hosted = client.get(sibling_transfers, {"xem": "tam-thoi"})
    assert [a.member for a in hosted.context["temporary_rows"]] == [binh]
    assert figures(client, cast.sibling_commune, "20/03/2026")["members_on"] == 0
    assert figures(client, cast.sibling_commune, "20/03/2026")["temporary_on"] == 1
    # Only home records the return.
    url = reverse("transfers:transfer_return", args=[transfer.pk])
    assert client.get(url).status_code == 403
    login(client, users.commune_officer)
    assert client.post(url, {"on": "15/03/2026"}).status_code == 302
    transfer.refresh_from_db()
    assert transfer.returned_on == date(2026, 3, 15)


def test_the_overdue_tab_and_the_export_list_the_late_ones(client, cast, users, binh):
    late = transfer_issue(member=binh, on=date(2026, 1, 5), to=cast.sibling_cell)
    transfer_issue(member=register(cast.village_cell, "Hoàng Văn Chiến"), on=date(2026, 3, 2),
                   other_party="Đảng bộ tỉnh Cao Bằng")  # fmt: skip
    login(client, users.sibling_officer)
    sibling_transfers = reverse("transfers:transfers", args=[cast.sibling_commune.code])
    overdue = client.get(sibling_transfers, {"xem": "qua-han"})
    assert [t.pk for t in overdue.context["rows"]] == [late.pk]
    assert overdue.context["overdue_count"] == 1
    login(client, users.commune_officer)
    export = client.get(reverse("transfers:transfers_export", args=[cast.commune.code]))
    sheet = openpyxl.load_workbook(io.BytesIO(export.content), read_only=True).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [(r[1], r[3], r[5], r[6], r[9]) for r in rows] == [
        ("Hoàng Văn Chiến", "2-GGT/ĐU", "Chi bộ thôn Nà Phái", "Đảng bộ tỉnh Cao Bằng",
         "Đã chuyển ra ngoài hệ thống"),
        ("Trần Thị Bình", "1-GGT/ĐU", "Chi bộ thôn Nà Phái", "Chi bộ thôn Khòn Lèng",
         "Đang chuyển"),
    ]  # fmt: skip


def test_a_member_from_another_province_is_received_with_their_letter(client, cast, users):
    login(client, users.commune_officer)
    url = reverse("transfers:receive_from_outside", args=[cast.commune.code])
    data = {
        "cell": cast.village_cell.pk, "full_name": "Mai Văn Đức", "gender": "male",
        "birth_date": "03/04/1990", "ethnicity": "01", "admitted_on": "03/03/2015",
        "ceremony_on": "20/03/2015", "confirmed_on": "20/03/2016", "letter_no": "7-GGT/ĐU",
        "letter_on": "09/03/2026", "issued_by": "Đảng ủy xã Yên Bình, tỉnh Thái Nguyên",
        "arrived_on": "08/03/2026",
    }  # fmt: skip
    before = client.post(url, data)
    assert "không được trước ngày cấp giấy giới thiệu" in before.content.decode()
    response = client.post(url, {**data, "arrived_on": "12/03/2026"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Đảng ủy xã Yên Bình, tỉnh Thái Nguyên" in page and "12/03/2026" in page
    assert listed(client, cast.commune) == ["Mai Văn Đức"]


def test_an_officer_readmits_a_member_who_left(client, cast, users, binh):
    member_exit(member=binh, type=T.RESIGNED, on=date(2025, 8, 1), grounds="Xin ra")
    login(client, users.commune_officer)
    page = client.get(reverse("members:detail", args=[binh.pk])).content.decode()
    assert reverse("members:readmit", args=[binh.pk]) in page
    url = reverse("members:readmit", args=[binh.pk])
    early = client.post(url, {"to_code": cast.village_cell.code, "decided_on": "01/03/2026",
                              "consent": "Công văn 3-CV/TU"})  # fmt: skip
    assert "ít nhất 36 tháng" in early.content.decode()
    with time_machine.travel(date(2028, 9, 1), tick=False):
        login(client, users.commune_officer)  # three years on: a new session
        response = client.post(url, {"to_code": cast.village_cell.code, "decided_on": "01/09/2028",
                                     "consent": "Công văn 3-CV/TU"})  # fmt: skip
    assert response["Location"] == reverse("members:detail", args=[binh.pk])
    binh.refresh_from_db()
    assert binh.status == Status.PROBATIONARY


def test_the_cell_keeps_a_check_list_of_members_working_away(client, cast, users, binh):
    login(client, users.commune_officer)
    url = reverse("transfers:working_away", args=[binh.pk])
    assert client.post(url, {"action": "away", "place": "KCN Vsip, Bình Dương",
                             "starts_on": "01/10/2025", "contact": "0912 345 678"}
                       ).status_code == 302  # fmt: skip
    listing = client.get(reverse("transfers:working_away_list", args=[cast.commune.code]))
    assert [(r.record.member, r.next_check, r.is_due) for r in listing.context["rows"]] == [
        (binh, date(2026, 1, 1), True)
    ]
    assert client.post(url, {"action": "check", "check-checked_on": "15/03/2026",
                             "check-result": "Gọi điện, vẫn làm"}).status_code == 302  # fmt: skip
    listing = client.get(reverse("transfers:working_away_list", args=[cast.commune.code]))
    assert [(r.last_check, r.is_due) for r in listing.context["rows"]] == [
        (date(2026, 3, 15), False)
    ]
    assert "Gọi điện, vẫn làm" in client.get(url).content.decode()
    assert client.post(url, {"action": "end", "end-on": "01/03/2026"}).status_code == 302
    listing = client.get(reverse("transfers:working_away_list", args=[cast.commune.code]))
    assert listing.context["rows"] == []


def test_an_exemption_records_the_cells_decision_and_grounds(client, cast, users, binh):
    login(client, users.commune_officer)
    url = reverse("members:exempt", args=[binh.pk])
    data = {"on": "05/01/2026", "decision_no": "3-NQ/CB", "grounds": "Tuổi cao, sức khỏe yếu"}
    assert client.post(url, data).status_code == 302
    event = binh.events.get(type=T.EXEMPTED)
    assert (event.on, event.decision_no, event.note, event.organization) == (
        date(2026, 1, 5), "3-NQ/CB", "Tuổi cao, sức khỏe yếu", cast.village_cell,
    )  # fmt: skip


def test_a_member_in_temporary_activity_shows_it_on_their_page(client, cast, users, binh):
    temporary_transfer_issue(
        member=binh, on=date(2026, 3, 2), ends_on=date(2026, 9, 2), purpose="study",
        other_party="Học viện Chính trị khu vực I",
    )  # fmt: skip
    login(client, users.commune_officer)
    page = client.get(reverse("members:detail", args=[binh.pk])).content.decode()
    assert "Đang sinh hoạt tạm thời tại Học viện Chính trị khu vực I đến ngày 02/09/2026" in page


def test_a_letter_issued_by_mistake_is_cancelled_from_its_page(client, cast, users, binh):
    transfer = transfer_issue(member=binh, on=date(2026, 3, 2), to=cast.sibling_cell)
    login(client, users.commune_officer)
    page = client.get(reverse("transfers:transfer_detail", args=[transfer.pk])).content.decode()
    url = f"{reverse('members:timeline_correct', args=[binh.pk])}?su_kien={transfer.out_event_id}"
    assert url.replace("&", "&amp;") in page or url in page
    shown = client.post(url, {"mode": "cancelled", "reason": "Cấp nhầm", "action": "preview"})
    assert "Xem trước: hủy bản ghi này (chưa ghi)" in shown.content.decode()
    assert Transfer.objects.get(pk=transfer.pk).state == Transfer.State.ISSUED
    saved = client.post(url, {"mode": "cancelled", "reason": "Cấp nhầm", "action": "save"})
    assert saved.status_code == 302
    assert Transfer.objects.get(pk=transfer.pk).state == Transfer.State.CANCELLED
    assert listed(client, cast.village_cell) == ["Trần Thị Bình"]
    # The receiving side sees the letter but not the member's timeline: no Sửa / Hủy there.
    client.logout()
    login(client, users.sibling_officer)
    page = client.get(reverse("transfers:transfer_detail", args=[transfer.pk])).content.decode()
    assert "correct-letter" not in page
