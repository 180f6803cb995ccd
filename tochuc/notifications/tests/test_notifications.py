"""The inbox: who is told what, the bell's count, the e-mail after the commit."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from tochuc.documents.services import document_distribute, document_register
from tochuc.meetings.planning import meeting_plan
from tochuc.notifications.models import Notification
from tochuc.notifications.services import notify
from tochuc.testing import PASSWORD, citizen_id_for, member_account, register

MAIL = {
    "EMAIL_HOST": "mail.tinh.vn",
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    "TOCHUC_SITE_URL": "https://tochuc.tinh.vn",
}


@pytest.fixture
def members(cast):
    """Two members of the maths cell with accounts (one with an e-mail), one without."""
    hoa = register(cast.cell, "Lê Thị Hoa", citizen_id=citizen_id_for("hoa"),
                   email="hoa@truong.edu.vn")  # fmt: skip
    nam = register(cast.cell, "Phạm Văn Nam", citizen_id=citizen_id_for("nam"))
    register(cast.cell, "Đỗ Thị Lan", citizen_id=citizen_id_for("lan"))
    return {"hoa": member_account(hoa).user, "nam": member_account(nam).user}


def test_a_meeting_called_invites_the_cells_members_with_an_account(cast, members):
    on = timezone.localdate() + timedelta(days=5)
    meeting_plan(organization=cast.cell, on=on, kind="regular", place="Phòng 2")
    invited = Notification.objects.filter(kind="meeting").order_by("user__username")
    assert [n.user for n in invited] == sorted(members.values(), key=lambda u: u.username)
    assert invited[0].title == f"Mời dự buổi sinh hoạt thường kỳ ngày {on:%d/%m/%Y}"


def test_a_document_sent_to_the_commune_reaches_the_members_of_its_cells(cast, members):
    document = document_register(
        organization=cast.province, number="35-CT/TW", issued_on=date(2024, 6, 14), title="Đại hội"
    )
    document_distribute(document=document, organization=cast.commune, sent_on=date(2025, 8, 1))
    told = Notification.objects.filter(kind="document")
    assert {n.user for n in told} == set(members.values())
    assert told[0].url == reverse("selfservice:document", args=[document.pk])


@override_settings(**MAIL)
def test_the_mail_leaves_after_the_commit_to_those_with_an_address(
    cast, members, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notify(users=members.values(), kind="due", title="Đảng phí tháng 3", url="/toi/ho-so/")
    assert [(m.to, m.subject) for m in mail.outbox] == [(["hoa@truong.edu.vn"], "Đảng phí tháng 3")]
    assert "https://tochuc.tinh.vn/toi/ho-so/" in mail.outbox[0].body
    assert Notification.objects.filter(emailed_at__isnull=False).count() == 1


@override_settings(**MAIL)
def test_no_mail_leaves_when_the_write_is_rolled_back(
    cast, members, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                notify(users=members.values(), kind="due", title="Không gửi")
                raise RuntimeError
        except RuntimeError:
            pass
    assert callbacks == [] and mail.outbox == []


def test_no_mail_without_the_deployments_settings(
    cast, members, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notify(users=members.values(), kind="due", title="Chỉ trong hộp thư")
    assert mail.outbox == [] and Notification.objects.count() == 2


def test_the_bell_counts_the_unread_and_opening_one_marks_it_read(client, cast, members):
    notify(users=[members["hoa"]], kind="due", title="Một", url="/toi/")
    notify(users=[members["hoa"]], kind="due", title="Hai", url="https://ngoai.vn/")
    client.force_login(members["hoa"])
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert '<span class="badge rounded-pill text-bg-danger" id="bell-count">2' in page
    first, second = Notification.objects.order_by("id")
    assert client.get(reverse("notifications:open", args=[first.pk]))["Location"] == "/toi/"
    # A link to another site is not followed: back to the inbox.
    opened = client.get(reverse("notifications:open", args=[second.pk]))
    assert opened["Location"] == reverse("notifications:inbox")
    assert Notification.objects.filter(read_at__isnull=True).count() == 0


def test_another_users_notification_is_not_found(client, cast, members, users):
    notify(users=[members["hoa"]], kind="due", title="Của Hoa")
    client.login(username=users.commune_officer.username, password=PASSWORD)
    mine = Notification.objects.get()
    assert client.get(reverse("notifications:open", args=[mine.pk])).status_code == 404
    assert list(client.get(reverse("notifications:inbox")).context["page"]) == []


def test_all_read_at_once(client, cast, members):
    for title in ("Một", "Hai", "Ba"):
        notify(users=[members["nam"]], kind="due", title=title)
    client.force_login(members["nam"])
    client.post(reverse("notifications:read_all"))
    assert Notification.objects.filter(user=members["nam"], read_at__isnull=True).count() == 0
