"""The member's pages: only their own record, their cell's calendar and documents; every
staff page is not found; opening a document records their read receipt once."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tochuc.core.models import AuditEntry
from tochuc.documents.services import document_distribute, document_register
from tochuc.meetings.planning import meeting_plan
from tochuc.meetings.services import meeting_record
from tochuc.selfservice.models import DocumentRead
from tochuc.testing import PASSWORD, member_account


@pytest.fixture
def signed_in(client, hoa):
    member_account(hoa)
    assert client.login(username=hoa.citizen_id, password=PASSWORD)
    return client


@pytest.fixture
def directive(cast):
    document = document_register(
        organization=cast.province, number="35-CT/TW", issued_on=date(2024, 6, 14),
        title="Chỉ thị về đại hội đảng bộ các cấp", summary="Tổ chức đại hội nhiệm kỳ 2025–2030.",
    )  # fmt: skip
    document_distribute(document=document, organization=cast.cell, sent_on=date(2025, 8, 1))
    return document


def test_opening_a_document_of_the_cell_records_the_members_receipt_once(signed_in, hoa, directive):
    listed = signed_in.get(reverse("selfservice:documents")).content.decode()
    assert "35-CT/TW" in listed and "Chưa đọc" in listed
    url = reverse("selfservice:document", args=[directive.pk])
    assert "Tổ chức đại hội nhiệm kỳ 2025–2030." in signed_in.get(url).content.decode()
    signed_in.get(url)
    assert DocumentRead.objects.filter(member=hoa, document=directive).count() == 1
    assert AuditEntry.objects.filter(action="tochuc.document.read_by_member").count() == 1
    assert "Đã đọc" in signed_in.get(reverse("selfservice:documents")).content.decode()


def test_a_document_sent_to_another_cell_is_not_found(signed_in, cast):
    other = document_register(
        organization=cast.province, number="36-CT/TW", issued_on=date(2024, 7, 1), title="Khác"
    )
    document_distribute(document=other, organization=cast.sibling_cell, sent_on=date(2025, 8, 1))
    assert signed_in.get(reverse("selfservice:document", args=[other.pk])).status_code == 404


def test_the_calendar_shows_the_cells_next_meetings_and_my_attendance(signed_in, cast, hoa):
    held = timezone.localdate() - timedelta(days=20)
    meeting_record(
        organization=cast.cell, held_on=held, kind="regular",
        marks={hoa.pk: ("excused", "Đi công tác")},
    )  # fmt: skip
    soon = timezone.localdate() + timedelta(days=10)
    meeting_plan(organization=cast.cell, on=soon, kind="thematic", topic="Học tập nghị quyết")
    meeting_plan(organization=cast.sibling_cell, on=soon, kind="regular", topic="Của chi bộ khác")
    page = signed_in.get(reverse("selfservice:meetings"))
    assert [p.topic for p in page.context["planned"]] == ["Học tập nghị quyết"]
    assert [(a.meeting.held_on, a.presence) for a in page.context["attended"]] == [
        (held, "excused")
    ]
    assert "Vắng có lý do (Đi công tác)" in page.content.decode()


def test_the_record_shows_what_is_held_and_the_timeline(signed_in, hoa):
    page = signed_in.get(reverse("selfservice:record"))
    held = {str(label): value for label, value in page.context["held"]}
    assert (held["số CCCD"], held["điện thoại"], held["ngày sinh"]) == (
        hoa.citizen_id, "0912000111", "15/03/1985",
    )  # fmt: skip
    assert [e.type for e in page.context["timeline"]][:1] == ["admitted"]


@pytest.mark.parametrize(
    "name", ["members:list", "organizations:search", "reports:index", "selfservice:queue"]
)
def test_staff_pages_are_not_found_for_a_member(signed_in, name):
    assert signed_in.get(reverse(name)).status_code == 404


def test_a_member_without_a_usable_account_sees_no_member_page(client, users):
    client.login(username=users.commune_officer.username, password=PASSWORD)
    assert client.get(reverse("selfservice:home")).status_code == 404
    assert client.get(reverse("home")).status_code == 200  # the staff's dashboard


def test_the_documents_of_the_cell_are_paged_and_all_count_as_unread(
    signed_in, cast, hoa, monkeypatch
):
    from tochuc.selfservice import selectors

    monkeypatch.setattr(selectors, "DOCUMENTS_PAGE", 2)
    for n, sent in enumerate((date(2025, 8, 1), date(2025, 9, 1), date(2025, 10, 1)), start=1):
        document = document_register(
            organization=cast.province, number=f"{n}-HD/BTCTW", issued_on=sent, title=f"Số {n}"
        )
        document_distribute(document=document, organization=cast.cell, sent_on=sent)
    first = signed_in.get(reverse("selfservice:documents")).content.decode()
    second = signed_in.get(reverse("selfservice:documents") + "?trang=2").content.decode()
    assert ("3-HD/BTCTW" in first, "2-HD/BTCTW" in first, "1-HD/BTCTW" in first) == (
        True, True, False,
    )  # fmt: skip
    assert "Trang 1/2" in first and "trang=2" in first
    assert "1-HD/BTCTW" in second and "3-HD/BTCTW" not in second
    assert selectors.unread_documents(member=hoa) == 3
