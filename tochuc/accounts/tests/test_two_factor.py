"""Two-factor login (TOTP): optional for users, required for system administrators, who
enrol an authenticator app at their first sign-in. Codes are computed as the app would."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tochuc.core.models import AuditEntry
from tochuc.testing import PASSWORD

pytestmark = pytest.mark.django_db

MORNING = datetime(2026, 3, 9, 8, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


def code(device: TOTPDevice) -> str:
    """The code the authenticator app shows now."""
    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def password_step(client, user):
    return client.post(reverse("login"), {"username": user.username, "password": PASSWORD})


def signed_in_as(client) -> str | None:
    from django.contrib.auth import get_user_model

    pk = client.session.get("_auth_user_id")
    return get_user_model().objects.get(pk=pk).username if pk else None


def test_an_administrator_enrols_an_app_at_the_first_sign_in(users):
    with time_machine.travel(MORNING, tick=False) as traveller:
        client = Client()
        response = password_step(client, users.admin)
        assert response["Location"] == reverse("accounts:otp_enrol")
        assert signed_in_as(client) is None  # the password alone signs nobody in
        page = client.get(reverse("accounts:otp_enrol")).content.decode()
        assert "<svg" in page and "Đăng ký xác thực hai bước" in page
        assert "http://" not in page.replace("http://www.w3.org/2000/svg", "")
        device = TOTPDevice.objects.get(user=users.admin, confirmed=False)
        assert device.config_url.startswith("otpauth://totp/tochuc%3Aadmin?secret=")
        wrong = client.post(reverse("accounts:otp_enrol"), {"token": "000000"})
        assert "Mã xác thực không đúng" in wrong.content.decode()
        assert signed_in_as(client) is None
        traveller.shift(timedelta(seconds=30))  # django-otp waits a moment after a failure
        done = client.post(reverse("accounts:otp_enrol"), {"token": code(device)})
        assert done.status_code == 302 and done["Location"] == reverse("home")
        assert signed_in_as(client) == "admin"
        assert client.session["otp_device_id"] == device.persistent_id
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    login = AuditEntry.objects.get(action="tochuc.auth.login")
    assert login.data == {"factor": "totp"}
    assert AuditEntry.objects.filter(action="tochuc.auth.totp_enrolled").count() == 1


def test_an_administrator_with_an_app_must_type_its_code(users):
    device = TOTPDevice.objects.create(user=users.admin, name="tochuc", confirmed=True)
    with time_machine.travel(MORNING, tick=False):
        client = Client()
        assert password_step(client, users.admin)["Location"] == reverse("accounts:otp_verify")
        assert client.get(reverse("home")).status_code == 302  # not signed in yet
        response = client.post(reverse("accounts:otp_verify"), {"token": code(device)})
        assert response["Location"] == reverse("home")
        assert signed_in_as(client) == "admin"


def test_a_code_cannot_be_used_twice(users):
    device = TOTPDevice.objects.create(user=users.admin, name="tochuc", confirmed=True)
    with time_machine.travel(MORNING, tick=False):
        first, second = Client(), Client()
        password_step(first, users.admin)
        token = code(device)
        first.post(reverse("accounts:otp_verify"), {"token": token})
        password_step(second, users.admin)
        replay = second.post(reverse("accounts:otp_verify"), {"token": token})
    assert "Mã xác thực không đúng hoặc đã dùng" in replay.content.decode()
    assert signed_in_as(second) is None


def test_the_password_step_expires_after_five_minutes(users):
    device = TOTPDevice.objects.create(user=users.admin, name="tochuc", confirmed=True)
    with time_machine.travel(MORNING, tick=False) as traveller:
        client = Client()
        password_step(client, users.admin)
        traveller.shift(timedelta(minutes=6))
        response = client.post(reverse("accounts:otp_verify"), {"token": code(device)})
    assert response["Location"] == reverse("login")
    assert signed_in_as(client) is None


def test_wrong_codes_count_towards_the_lockout(users):
    TOTPDevice.objects.create(user=users.admin, name="tochuc", confirmed=True)
    client = Client()
    password_step(client, users.admin)
    statuses = [
        client.post(reverse("accounts:otp_verify"), {"token": "000000"}).status_code
        for _ in range(5)
    ]
    assert statuses == [200, 200, 200, 200, 429]
    assert password_step(client, users.admin).status_code == 429
    assert AuditEntry.objects.filter(action="tochuc.auth.totp_failed").count() == 5


def test_the_second_factor_is_optional_for_other_users(users):
    client = Client()
    response = password_step(client, users.commune_officer)
    assert response["Location"] == reverse("home")
    assert signed_in_as(client) == "commune_officer"


def test_a_user_turns_the_second_factor_on_and_off(users):
    client = Client()
    password_step(client, users.commune_officer)
    with time_machine.travel(MORNING, tick=False) as traveller:
        page = client.get(reverse("accounts:two_factor")).content.decode()
        assert "Xác thực hai bước đang tắt" in page and "<svg" in page
        device = TOTPDevice.objects.get(user=users.commune_officer)
        client.post(reverse("accounts:two_factor"), {"token": code(device)})
        assert TOTPDevice.objects.get(pk=device.pk).confirmed
        # The next sign-in asks for the code.
        other = Client()
        assert password_step(other, users.commune_officer)["Location"] == reverse(
            "accounts:otp_verify"
        )
        traveller.shift(timedelta(seconds=30))
        client.post(reverse("accounts:two_factor"), {"token": code(device)})
    assert not TOTPDevice.objects.filter(user=users.commune_officer).exists()
    assert password_step(Client(), users.commune_officer)["Location"] == reverse("home")


def test_an_administrator_cannot_turn_the_second_factor_off(users, client):
    device = TOTPDevice.objects.create(user=users.admin, name="tochuc", confirmed=True)
    client.force_login(users.admin)
    with time_machine.travel(MORNING, tick=False):
        response = client.post(reverse("accounts:two_factor"), {"token": code(device)})
    assert "bắt buộc dùng xác thực hai bước" in response.content.decode()
    assert TOTPDevice.objects.filter(pk=device.pk, confirmed=True).exists()


def test_the_second_login_step_needs_a_password_first():
    for name in ("accounts:otp_verify", "accounts:otp_enrol"):
        response = Client().get(reverse(name))
        assert response.status_code == 302 and response["Location"] == reverse("login")


def test_the_account_page_needs_a_login():
    url = reverse("accounts:two_factor")
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"
