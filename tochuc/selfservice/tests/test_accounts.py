"""Member accounts: the one-time code, the login with CCCD or party card, lock and reset."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from tochuc.accounts.permissions import Role
from tochuc.accounts.services import grant_create
from tochuc.core.errors import ProcedureError
from tochuc.core.models import AuditEntry
from tochuc.selfservice.accounts import account_activate, account_deactivate, account_issue
from tochuc.testing import PASSWORD, member_account, register

NEW = "Mat-khau-moi-2026"


def _request():
    return RequestFactory().post("/kich-hoat/", REMOTE_ADDR="10.0.0.9")


def test_the_code_is_stored_hashed_and_expires_after_the_policys_days(hoa, users):
    account, code = account_issue(member=hoa, by=users.cell_secretary)
    assert code not in account.code_hash and check_password(code, account.code_hash)
    assert len(code) == 14 and code.count("-") == 2  # 12 characters in three groups
    days = (account.code_expires_at - timezone.now()).days
    assert days == 13  # 14 days from now, a few microseconds short
    assert not account.user.has_usable_password() and not account.user.is_active
    entry = AuditEntry.objects.get(action="tochuc.member_account.issued")
    assert (entry.user, entry.object_id) == (users.cell_secretary, str(hoa.pk))


def test_an_expired_code_is_refused_and_the_refusal_audited(hoa):
    _account, code = account_issue(member=hoa)
    later = timezone.now() + timedelta(days=15)
    with time_machine.travel(later), pytest.raises(ValidationError) as refused:
        account_activate(identifier=hoa.citizen_id, code=code, password=NEW, request=_request())
    assert "hết hạn" in refused.value.message_dict["code"][0]
    failed = AuditEntry.objects.get(action="tochuc.member_account.activation_failed")
    assert failed.data == {"attempted": hoa.citizen_id, "why": "expired"}


def test_a_wrong_code_is_refused_like_an_unknown_number(hoa):
    account_issue(member=hoa)
    for identifier in (hoa.citizen_id, "001099999999"):
        with pytest.raises(ValidationError):
            account_activate(
                identifier=identifier, code="AAAA-BBBB-CCCC", password=NEW, request=_request()
            )
    assert AuditEntry.objects.filter(action="tochuc.member_account.activation_failed").count() == 2


def test_a_weak_password_is_refused_beside_its_field_and_the_code_still_works(hoa):
    _account, code = account_issue(member=hoa)
    with pytest.raises(ValidationError) as refused:
        account_activate(identifier=hoa.citizen_id, code=code, password="123", request=_request())
    assert "password1" in refused.value.message_dict
    account = account_activate(identifier=hoa.citizen_id, code=code, password=NEW, request=None)
    assert account.user.check_password(NEW) and account.code_hash == ""


def test_the_member_signs_in_with_the_party_card_number_too(client, cast):
    member = register(cast.village_cell, "Hà Văn Sơn", party_card_no="78012345")
    member_account(member, password=NEW)
    assert client.login(username="78012345", password=NEW)
    assert client.get(reverse("home"))["Location"] == reverse("selfservice:home")


def test_a_locked_account_cannot_sign_in_and_its_sessions_end(client, hoa, users):
    account = member_account(hoa, password=NEW)
    assert client.login(username=hoa.citizen_id, password=NEW)
    with pytest.raises(ValidationError):
        account_deactivate(account=account, reason=" ", by=users.cell_secretary)
    account_deactivate(account=account, reason="Chuyển đi nơi khác", by=users.cell_secretary)
    assert client.get(reverse("selfservice:home")).status_code == 302  # signed out
    assert not client.login(username=hoa.citizen_id, password=NEW)
    with pytest.raises(ProcedureError):
        account_deactivate(account=account, reason="lần hai", by=users.cell_secretary)


def test_a_new_code_voids_the_old_password_and_opens_a_locked_account(client, hoa):
    account = member_account(hoa, password=NEW)
    account_deactivate(account=account, reason="Mất điện thoại")
    _account, code = account_issue(member=hoa)
    assert not client.login(username=hoa.citizen_id, password=NEW)
    account_activate(
        identifier=hoa.citizen_id, code=code, password="Mat-khau-thu-ba-9", request=None
    )
    assert client.login(username=hoa.citizen_id, password="Mat-khau-thu-ba-9")
    actions = AuditEntry.objects.filter(action__startswith="tochuc.member_account.")
    assert list(actions.order_by("id").values_list("action", flat=True)) == [
        "tochuc.member_account.issued", "tochuc.member_account.activated",
        "tochuc.member_account.deactivated", "tochuc.member_account.reset",
        "tochuc.member_account.activated",
    ]  # fmt: skip


def test_a_member_without_cccd_or_card_gets_no_account(cast):
    member = register(cast.cell, "Vi Thị Mai")
    with pytest.raises(ProcedureError) as refused:
        account_issue(member=member)
    assert "CCCD" in str(refused.value)


def test_the_member_role_is_never_granted_at_a_node(cast):
    user = cast.user("nguoi.la")
    with pytest.raises(ValidationError) as refused:
        grant_create(user=user, role=Role.MEMBER, organization=cast.cell)
    assert "role" in refused.value.message_dict


def test_staff_without_the_permission_cannot_issue_a_code(client, users, hoa):
    client.login(username=users.commune_viewer.username, password=PASSWORD)
    url = reverse("selfservice:account", args=[hoa.pk])
    assert client.post(url, {"action": "issue"}).status_code == 403
    client.login(username=users.sibling_officer.username, password=PASSWORD)
    assert client.post(url, {"action": "issue"}).status_code == 404
    assert not AuditEntry.objects.filter(action="tochuc.member_account.issued").exists()
