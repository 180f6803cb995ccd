"""Login and sessions: lockout per user and address, idle and absolute session lifetime,
disabled users and revoked grants take effect on the next request, and every sign-in
event is audited."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from tochuc.accounts.models import UserSession
from tochuc.accounts.services import grant_revoke, user_disable
from tochuc.core.models import AuditEntry
from tochuc.testing import PASSWORD

pytestmark = pytest.mark.django_db

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
MORNING = datetime(2026, 3, 9, 8, 0, tzinfo=HANOI)
ATTACKER = "203.0.113.7"
OFFICE = "10.1.2.3"


def sign_in(client, user, password=PASSWORD, ip=OFFICE):
    return client.post(
        reverse("login"), {"username": user.username, "password": password}, REMOTE_ADDR=ip
    )


def test_five_wrong_passwords_lock_that_user_from_that_address(users):
    attacker = Client()
    for _ in range(4):
        assert sign_in(attacker, users.commune_officer, "sai-mat-khau", ATTACKER).status_code == 200
    assert sign_in(attacker, users.commune_officer, "sai-mat-khau", ATTACKER).status_code == 429
    locked = sign_in(attacker, users.commune_officer, PASSWORD, ATTACKER)
    assert locked.status_code == 429
    body = locked.content.decode()
    assert "Đăng nhập tạm thời bị khóa" in body and "15 phút" in body
    assert "_auth_user_id" not in attacker.session


def test_an_attacker_elsewhere_cannot_lock_the_real_user_out(users):
    attacker = Client()
    for _ in range(6):
        sign_in(attacker, users.commune_officer, "sai-mat-khau", ATTACKER)
    office = Client()
    response = sign_in(office, users.commune_officer, PASSWORD, OFFICE)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    # … nor another user from the attacker's address.
    assert sign_in(attacker, users.commune_viewer, PASSWORD, ATTACKER).status_code == 302


def test_the_lock_lifts_after_the_cool_off(users):
    with time_machine.travel(MORNING, tick=False) as traveller:
        attacker = Client()
        for _ in range(5):
            sign_in(attacker, users.commune_officer, "sai-mat-khau", ATTACKER)
        assert sign_in(attacker, users.commune_officer, PASSWORD, ATTACKER).status_code == 429
        traveller.shift(timedelta(minutes=16))
        assert sign_in(attacker, users.commune_officer, PASSWORD, ATTACKER).status_code == 302


def test_logins_failed_logins_and_logouts_are_audited_with_the_address(users):
    client = Client()
    sign_in(client, users.commune_officer, "sai-mat-khau", ATTACKER)
    sign_in(client, users.commune_officer, PASSWORD, OFFICE)
    client.post(reverse("logout"), REMOTE_ADDR=OFFICE)
    entries = list(
        AuditEntry.objects.filter(action__startswith="tochuc.auth.")
        .order_by("id")
        .values_list("action", "username", "ip")
    )
    assert entries == [
        ("tochuc.auth.login_failed", "", ATTACKER),
        ("tochuc.auth.login", users.commune_officer.username, OFFICE),
        ("tochuc.auth.logout", users.commune_officer.username, OFFICE),
    ]
    failed = AuditEntry.objects.get(action="tochuc.auth.login_failed")
    assert failed.data == {"attempted": users.commune_officer.username, "locked_out": False}


def test_a_session_ends_after_thirty_idle_minutes(users):
    with time_machine.travel(MORNING, tick=False) as traveller:
        client = Client()
        sign_in(client, users.commune_officer)
        traveller.shift(timedelta(minutes=29))
        assert client.get(reverse("home")).status_code == 200
        traveller.shift(timedelta(minutes=31))
        response = client.get(reverse("home"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
        page = client.get(response["Location"]).content.decode()
        assert "Phiên làm việc đã hết hạn" in page
    expired = AuditEntry.objects.get(action="tochuc.auth.session_expired")
    assert expired.username == users.commune_officer.username
    assert expired.data["idle_seconds"] == 31 * 60


def test_a_session_ends_eight_hours_after_the_login_however_busy(users):
    with time_machine.travel(MORNING, tick=False) as traveller:
        client = Client()
        sign_in(client, users.commune_officer)
        for _ in range(16):  # a request every 29 minutes: 7 h 44 min
            traveller.shift(timedelta(minutes=29))
            assert client.get(reverse("home")).status_code == 200
        traveller.shift(timedelta(minutes=17))  # 8 h 1 min after the login
        assert client.get(reverse("home")).status_code == 302
    expired = AuditEntry.objects.get(action="tochuc.auth.session_expired")
    assert expired.data["age_seconds"] == 8 * 3600 + 60


def test_disabling_a_user_ends_all_their_sessions(users):
    laptop, phone = Client(), Client()
    sign_in(laptop, users.commune_officer)
    sign_in(phone, users.commune_officer, ip="10.9.9.9")
    assert UserSession.objects.filter(user=users.commune_officer).count() == 2
    user_disable(user=users.commune_officer, by=users.admin, reason="Nghỉ hưu")
    for client in (laptop, phone):
        assert client.get(reverse("home")).status_code == 302
    keys = {laptop.session.session_key, phone.session.session_key}
    assert not Session.objects.filter(session_key__in=keys).exists()
    assert not UserSession.objects.filter(user=users.commune_officer).exists()
    entry = AuditEntry.objects.get(action="tochuc.user.disabled")
    assert (entry.username, entry.reason) == ("admin", "Nghỉ hưu")
    assert entry.data == {"sessions_ended": 2}
    # A disabled user cannot sign in again.
    assert sign_in(Client(), users.commune_officer).status_code == 200


def test_unticking_active_in_the_django_admin_also_ends_the_sessions(users):
    client = Client()
    sign_in(client, users.commune_viewer)
    users.commune_viewer.is_active = False
    users.commune_viewer.save()
    assert not UserSession.objects.filter(user=users.commune_viewer).exists()
    assert client.get(reverse("home")).status_code == 302


def test_a_revoked_grant_takes_effect_on_the_next_request(cast, users):
    client = Client()
    sign_in(client, users.commune_officer)
    url = reverse("organizations:detail", kwargs={"code": cast.commune.code})
    assert client.get(url).status_code == 200
    grant_revoke(grant=users.commune_officer.grants.get(), by=users.admin)
    assert client.get(url).status_code == 404
    assert client.get(reverse("members:list")).status_code == 404


def test_the_django_admin_has_no_login_form_of_its_own():
    response = Client().get("/quan-tri/login/")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/quan-tri/"
    posted = Client().post("/quan-tri/login/", {"username": "admin", "password": PASSWORD})
    assert posted.status_code == 302 and "_auth_user_id" not in Client().session


# ---------------------------------------------------------------- access denials


def test_a_denial_is_audited_once_per_request_with_its_status(cast, users, client):
    client.force_login(users.commune_officer)
    sibling = reverse("organizations:detail", kwargs={"code": cast.sibling_commune.code})
    assert client.get(sibling).status_code == 404
    client.force_login(users.commune_viewer)
    rename = reverse("organizations:rename", kwargs={"code": cast.commune.code})
    assert client.post(rename).status_code == 403
    denials = AuditEntry.objects.filter(action="tochuc.access.denied").order_by("id")
    assert [(e.username, e.data) for e in denials] == [
        ("commune_officer", {"method": "GET", "path": sibling, "status": 404}),
        ("commune_viewer", {"method": "POST", "path": rename, "status": 403}),
    ]


def test_a_scan_of_denied_urls_does_not_flood_the_log(cast, users, client):
    from django.core.cache import cache

    cache.clear()
    client.force_login(users.commune_officer)
    with time_machine.travel(MORNING, tick=False):
        for number in range(50):
            client.get(reverse("organizations:detail", kwargs={"code": f"KHONG-CO-{number}"}))
    assert AuditEntry.objects.filter(action="tochuc.access.denied").count() == 20
    throttled = AuditEntry.objects.get(action="tochuc.access.denied_throttled")
    assert throttled.data["path"].endswith("KHONG-CO-20/")


# ---------------------------------------------------------------- headers


def test_pages_of_a_signed_in_user_are_never_stored(cast, users, client):
    client.force_login(users.commune_officer)
    for url in (
        reverse("home"),
        reverse("members:list"),
        reverse("members:export"),
        reverse("organizations:detail", kwargs={"code": cast.commune.code}),
    ):
        cache_control = client.get(url)["Cache-Control"]
        assert "no-store" in cache_control and "private" in cache_control, url


def test_every_page_carries_a_content_security_policy_without_inline_scripts(client, users):
    client.force_login(users.commune_officer)
    policy = client.get(reverse("home"))["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "unsafe" not in directives["script-src"]
