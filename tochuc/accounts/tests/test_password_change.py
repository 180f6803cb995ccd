"""Changing one's password: audited, success and failure, and locked after repeated wrong
old passwords (5 within 15 minutes by default), with a Vietnamese message."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tochuc.core.models import AuditEntry
from tochuc.testing import PASSWORD

pytestmark = pytest.mark.django_db
URL = reverse("password_change")
NEW = "mot-mat-khau-moi-dai-2026"


def change(client, old, new=NEW):
    return client.post(URL, {"old_password": old, "new_password1": new, "new_password2": new})


def actions(user):
    entries = AuditEntry.objects.filter(user=user, action__startswith="tochuc.auth.password")
    return list(entries.order_by("id").values_list("action", flat=True))


def test_a_password_change_is_audited(client, users):
    client.force_login(users.commune_officer)
    response = change(client, PASSWORD)
    assert response.status_code == 302
    assert actions(users.commune_officer) == ["tochuc.auth.password_changed"]
    users.commune_officer.refresh_from_db()
    assert users.commune_officer.check_password(NEW)
    entry = AuditEntry.objects.get(action="tochuc.auth.password_changed")
    assert NEW not in str(entry.data) and PASSWORD not in str(entry.data)


def test_a_wrong_old_password_is_audited_and_changes_nothing(client, users):
    client.force_login(users.commune_officer)
    response = change(client, "sai-mat-khau")
    assert response.status_code == 200
    assert "old_password" in response.context["form"].errors
    assert actions(users.commune_officer) == ["tochuc.auth.password_change_failed"]
    users.commune_officer.refresh_from_db()
    assert users.commune_officer.check_password(PASSWORD)


def test_five_wrong_old_passwords_lock_the_form_for_fifteen_minutes(client, users):
    user = users.commune_officer
    client.force_login(user)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(4):
            change(client, "sai-mat-khau")
        locked = change(client, "sai-mat-khau")
        message = "biểu mẫu đổi mật khẩu tạm khóa. Hãy thử lại sau 15 phút."
        assert message in locked.content.decode()
        assert actions(user).count("tochuc.auth.password_change_locked") == 1
        # Locked: even the right password changes nothing, and the page says so.
        assert message in change(client, PASSWORD).content.decode()
        assert message in client.get(URL).content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    with time_machine.travel(start + timedelta(minutes=10), tick=False):
        assert "Hãy thử lại sau 5 phút." in client.get(URL).content.decode()
    with time_machine.travel(start + timedelta(minutes=15, seconds=1), tick=False):
        assert change(client, PASSWORD).status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW)


def test_the_lock_is_one_users_own(client, users):
    client.force_login(users.commune_officer)
    for _ in range(5):
        change(client, "sai-mat-khau")
    client.force_login(users.province_officer)
    assert change(client, PASSWORD).status_code == 302
