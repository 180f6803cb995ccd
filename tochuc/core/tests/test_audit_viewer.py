"""The administrators' audit viewer: filters by user, action and dates; XLSX export (itself
audited)."""

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import time_machine
from django.urls import reverse

from tochuc.core import audit
from tochuc.core.models import AuditEntry

pytestmark = pytest.mark.django_db

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def log(users):
    """Three entries on three days, besides those the cast left."""
    officer, viewer = users.commune_officer, users.commune_viewer
    entries = [
        (datetime(2026, 3, 1, 9, 0, tzinfo=HANOI), officer, "tochuc.member.edited"),
        (datetime(2026, 3, 2, 23, 30, tzinfo=HANOI), viewer, "tochuc.member.exported"),
        (datetime(2026, 3, 3, 0, 15, tzinfo=HANOI), officer, "tochuc.auth.login"),
    ]
    for at, user, action in entries:
        with time_machine.travel(at, tick=False):
            audit.record(action, by=user, obj=user, note="nhật ký thử")
    return entries


def rows(response):
    return [(e.username, e.action) for e in response.context["page"] if e.data.get("note")]


def test_the_viewer_filters_by_user_action_and_vietnamese_dates(client, users, log):
    client.force_login(users.admin)
    url = reverse("audit:list")
    assert rows(client.get(url)) == [
        ("commune_officer", "tochuc.auth.login"),
        ("commune_viewer", "tochuc.member.exported"),
        ("commune_officer", "tochuc.member.edited"),
    ]
    assert rows(client.get(url, {"nguoi_dung": "commune_officer"})) == [
        ("commune_officer", "tochuc.auth.login"),
        ("commune_officer", "tochuc.member.edited"),
    ]
    assert rows(client.get(url, {"thao_tac": "tochuc.member"})) == [
        ("commune_viewer", "tochuc.member.exported"),
        ("commune_officer", "tochuc.member.edited"),
    ]
    # Days are Vietnam's days: 23:30 on 2/3 belongs to 2/3, 00:15 on 3/3 to 3/3.
    assert rows(client.get(url, {"tu_ngay": "02/03/2026", "den_ngay": "02/03/2026"})) == [
        ("commune_viewer", "tochuc.member.exported"),
    ]
    page = client.get(url, {"tu_ngay": "31/02/2026"}).content.decode()
    assert "“31/02/2026” không phải ngày hợp lệ (dd/mm/yyyy)." in page
    assert "tochuc.member" in client.get(url).context["actions"]


def test_the_export_holds_the_filtered_entries_and_is_audited(client, users, log):
    client.force_login(users.admin)
    response = client.get(reverse("audit:export"), {"nguoi_dung": "commune_officer"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).active
    data = [r for r in sheet.iter_rows(min_row=2, values_only=True) if "nhật ký thử" in r[8]]
    assert [(r[0], r[1], r[2]) for r in data] == [
        ("03/03/2026 00:15:00", "commune_officer", "tochuc.auth.login"),
        ("01/03/2026 09:00:00", "commune_officer", "tochuc.member.edited"),
    ]
    exported = AuditEntry.objects.get(action="tochuc.audit.exported")
    assert exported.username == "admin"
    assert exported.data["username"] == "commune_officer"
    assert (
        exported.data["count"]
        == AuditEntry.objects.filter(username="commune_officer")
        .exclude(action="tochuc.audit.exported")
        .count()
    )


def test_only_system_administrators_see_the_log(client, users):
    for user in (users.province_officer, users.commune_viewer, users.stranger):
        client.force_login(user)
        assert client.get(reverse("audit:list")).status_code == 404
        assert client.get(reverse("audit:export")).status_code == 404
