"""Issue 23, done when: a member logs in with their CCCD on a phone-sized page, sees their
record, party age and their cell's next meeting, asks to correct their phone number; it
appears in the cell secretary's queue; the secretary accepts and the record changes (with
its audit row); another member's record in the URL is not found."""

import re

from django.urls import reverse

from tochuc.core.models import AuditEntry
from tochuc.meetings.planning import meeting_plan
from tochuc.members.models import Member
from tochuc.members.selectors import member_party_age
from tochuc.selfservice.models import SelfRequest
from tochuc.testing import PASSWORD

NEW_PASSWORD = "Hoa-chi-bo-toan-2026"


def _post(client, url, data):
    """POST a form as the page sent it: with its one-time token."""
    page = client.get(url)
    token = re.search(r'name="_once" value="([^"]+)"', page.content.decode())
    return client.post(url, {**data, **({"_once": token.group(1)} if token else {})})


def test_a_member_asks_from_the_phone_and_the_secretary_corrects_the_record(
    client, cast, users, hoa, binh, next_week
):
    # The cell secretary activates Hoa's account: a one-time code, shown once.
    client.login(username=users.cell_secretary.username, password=PASSWORD)
    slip = _post(client, reverse("selfservice:account", args=[hoa.pk]), {"action": "issue"})
    code = slip.context["code"]
    assert code in slip.content.decode() and hoa.citizen_id in slip.content.decode()
    meeting_plan(
        organization=cast.cell, on=next_week, kind="regular", place="Phòng họp tổ Toán",
        topic="Sinh hoạt thường kỳ", by=users.cell_secretary,
    )  # fmt: skip
    client.logout()

    # Hoa sets her password with the code, then signs in with her CCCD.
    activated = client.post(
        reverse("selfservice:activate"),
        {"identifier": hoa.citizen_id, "code": code.lower().replace("-", " "),
         "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )  # fmt: skip
    assert activated.status_code == 302 and activated["Location"] == reverse("login")
    signed_in = client.post(
        reverse("login"), {"username": hoa.citizen_id, "password": NEW_PASSWORD}, follow=True
    )
    assert signed_in.redirect_chain[-1][0] == reverse("selfservice:home")
    page = signed_in.content.decode()
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in page
    assert 'class="selfservice' in page  # the one-column phone layout
    assert "Lê Thị Hoa" in page and "Chi bộ Tổ Toán" in page
    assert str(member_party_age(member=hoa)) in page  # "16 năm …" from 19/05/2010
    assert f"{next_week:%d/%m/%Y}" in page and "Phòng họp tổ Toán" in page
    assert 'href="/dang-vien/' not in page  # no staff navigation for a member

    # She asks for her phone number to be corrected.
    asked = _post(
        client, reverse("selfservice:request_new", args=["sua-thong-tin"]),
        {"field": "phone", "asked_value": "0987 654 321", "note": "Đổi số"},
    )  # fmt: skip
    assert asked.status_code == 302
    request = SelfRequest.objects.get(member=hoa)
    assert (request.held_value, request.asked_value, request.state) == (
        "0912000111", "0987 654 321", "pending",
    )  # fmt: skip

    # Another member's record, by its id in the URL: not found, on staff and member pages.
    assert client.get(reverse("members:detail", args=[binh.pk])).status_code == 404
    assert client.get(reverse("members:detail", args=[hoa.pk])).status_code == 404
    other = SelfRequest.objects.create(
        member=binh, organization=cast.village_cell, kind="transfer_letter",
        received_on=request.received_on, due_on=request.due_on,
    )  # fmt: skip
    assert client.post(reverse("selfservice:request_withdraw", args=[other.pk])).status_code == 404
    client.logout()

    # It is in the cell secretary's queue; she accepts it.
    client.login(username=users.cell_secretary.username, password=PASSWORD)
    queue = client.get(reverse("selfservice:queue"))
    assert [r.pk for r in queue.context["rows"]] == [request.pk]
    assert "0987 654 321" in queue.content.decode()
    answered = _post(
        client, reverse("selfservice:answer", args=[cast.cell.code, request.pk]),
        {"decision": "accept", "version": Member.objects.get(pk=hoa.pk).row_version},
    )  # fmt: skip
    assert answered.status_code == 302
    hoa.refresh_from_db()
    assert hoa.phone == "0987 654 321"
    entry = AuditEntry.objects.filter(action="tochuc.member.updated").latest("id")
    assert (entry.user, entry.object_id, entry.data["fields"]) == (
        users.cell_secretary, str(hoa.pk), ["phone"],
    )  # fmt: skip
    request.refresh_from_db()
    assert request.state == "accepted" and request.answered_by == users.cell_secretary
