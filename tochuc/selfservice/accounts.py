"""Member accounts: issue a one-time activation code, activate with it, deactivate.

The cell secretary or an officer issues the code for a member of their subtree (shown once,
printed, valid for the dated policy's days, stored hashed); the member sets their password
with it, identified by their CCCD or party-card number. Issuing again (reset) voids the
old password and code and ends the member's sessions. Failures count towards the same
lockout as the login page (django-axes), and every step is audited.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tochuc.accounts.services import sessions_end
from tochuc.core import audit
from tochuc.core.errors import ProcedureError
from tochuc.lib.dates import vn_date
from tochuc.members.models import Member
from tochuc.policy.rules import policy_for

from .models import MemberAccount

User = get_user_model()
# Letters and digits that cannot be misread on paper (no 0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12


def _new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def normalize_code(code: str) -> str:
    raw = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def normalize_identifier(text: str) -> str:
    return "".join((text or "").split()).upper()


def members_by_identifier(identifier: str):
    """Members whose CCCD or party-card number is `identifier` (exact, spaces ignored)."""
    identifier = normalize_identifier(identifier)
    if not identifier:
        return Member.objects.none()
    return Member.objects.filter(Q(citizen_id=identifier) | Q(party_card_no=identifier))


def _check_member(member: Member) -> None:
    if not member.is_active:
        raise ProcedureError(
            _("%(name)s không còn sinh hoạt đảng: không cấp tài khoản.") % {"name": member}
        )
    if not member.citizen_id and not member.party_card_no:
        raise ProcedureError(
            _(
                "Hồ sơ của %(name)s chưa có số CCCD hay số thẻ đảng viên: đảng viên đăng nhập "
                "bằng một trong hai số đó. Bổ sung hồ sơ trước."
            )
            % {"name": member}
        )
    for field in ("citizen_id", "party_card_no"):
        value = getattr(member, field)
        if value and members_by_identifier(value).exclude(pk=member.pk).exists():
            raise ProcedureError(
                _("Số %(value)s trùng với hồ sơ khác: sửa hồ sơ trước khi cấp tài khoản.")
                % {"value": value}
            )


@transaction.atomic
def account_issue(*, member: Member, by=None) -> tuple[MemberAccount, str]:
    """Issue (or issue again) the member's one-time activation code; returns the account and
    the code, which is shown once and never stored in clear."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    _check_member(member)
    now = timezone.now()
    code = _new_code()
    expires = now + timedelta(days=policy_for(timezone.localdate()).selfservice_activation_days)
    account = MemberAccount.objects.select_for_update().filter(member=member).first()
    action = "tochuc.member_account.reset"
    if account is None:
        user = User(username=f"dv.{member.pk}", email=member.email, is_active=False)
        first, _space, last = member.full_name.rpartition(" ")
        user.first_name, user.last_name = first, last
        user.set_unusable_password()
        user.save()
        account = MemberAccount(user=user, member=member, created_by=_by(by))
        action = "tochuc.member_account.issued"
    else:
        user = account.user
        sessions_end(user=user)
        user.set_unusable_password()
        user.is_active = False
        user.save(update_fields=["password", "is_active"])
    account.code_hash = make_password(code)
    account.code_expires_at = expires
    account.activated_at = None
    account.deactivated_at = None  # a new code opens a locked account again
    account.save()
    audit.record(action, by=by, obj=member, expires=expires.date().isoformat())
    return account, code


def _by(user):
    return user if getattr(user, "is_authenticated", False) else None


def _failed(request, identifier: str, why: str) -> ValidationError:
    user_login_failed.send(sender=__name__, credentials={"username": identifier}, request=request)
    audit.record("tochuc.member_account.activation_failed", attempted=identifier, why=why)
    return ValidationError(
        {"code": _("Số CCCD/thẻ đảng viên hoặc mã kích hoạt không đúng, hoặc mã đã hết hạn.")}
    )


def activation_locked(request, identifier: str) -> bool:
    return not AxesProxyHandler.is_allowed(request, {"username": normalize_identifier(identifier)})


def account_activate(*, identifier: str, code: str, password: str, request) -> MemberAccount:
    """The member sets their password with the code; raises ValidationError (Vietnamese,
    by field) when the identifier, the code or the password is refused. A refusal counts
    towards the login lockout; nothing is written but the audit entry."""
    identifier = normalize_identifier(identifier)
    failure = None
    with transaction.atomic():
        account = (
            MemberAccount.objects.select_for_update()
            .filter(member__in=members_by_identifier(identifier), deactivated_at__isnull=True)
            .exclude(code_hash="")
            .select_related("user", "member")
            .first()
        )
        if account is None or not check_password(normalize_code(code), account.code_hash):
            failure = "code"
        elif account.code_expires_at is None or account.code_expires_at < timezone.now():
            failure = "expired"
        else:
            try:
                password_validation.validate_password(password, account.user)
            except ValidationError as error:
                raise ValidationError({"password1": error.messages}) from error
            user = account.user
            user.set_password(password)
            user.is_active = True
            user.save(update_fields=["password", "is_active"])
            account.code_hash = ""
            account.code_expires_at = None
            account.activated_at = timezone.now()
            account.save(update_fields=["code_hash", "code_expires_at", "activated_at"])
            audit.record("tochuc.member_account.activated", by=user, obj=account.member)
            return account
    raise _failed(request, identifier, failure)


@transaction.atomic
def account_deactivate(*, account: MemberAccount, reason: str, by=None) -> MemberAccount:
    """Lock the account: it can no longer sign in and its sessions end now. Issuing a new
    code opens it again."""
    account = MemberAccount.objects.select_for_update().select_related("user").get(pk=account.pk)
    if account.deactivated_at is not None:
        raise ProcedureError(_("Tài khoản này đã bị khóa từ %(day)s.") % {
            "day": vn_date(timezone.localtime(account.deactivated_at).date())})  # fmt: skip
    if not reason.strip():
        raise ValidationError({"reason": _("Ghi lý do khóa tài khoản.")})
    ended = sessions_end(user=account.user)
    account.user.is_active = False
    account.user.save(update_fields=["is_active"])
    account.deactivated_at = timezone.now()
    account.code_hash = ""
    account.code_expires_at = None
    account.save(update_fields=["deactivated_at", "code_hash", "code_expires_at"])
    audit.record(
        "tochuc.member_account.deactivated", by=by, obj=account.member, reason=reason.strip(),
        sessions_ended=ended,
    )  # fmt: skip
    return account
