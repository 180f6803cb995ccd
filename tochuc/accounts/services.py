from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tochuc.core import audit
from tochuc.core.models import AuditEntry
from tochuc.organizations.models import Organization

from .models import Grant, UserSession
from .permissions import Role

User = get_user_model()


@transaction.atomic
def user_create(
    *, username: str, password: str, full_name: str = "", email: str = "", by=None
) -> User:
    if User.objects.filter(username=username).exists():
        raise ValidationError(
            {"username": _("Tên đăng nhập “%(username)s” đã có.") % {"username": username}}
        )
    first, _space, last = full_name.rpartition(" ")
    user = User.objects.create_user(
        username=username, password=password, email=email, first_name=first, last_name=last
    )
    audit.record("tochuc.user.created", by=by, obj=user)
    return user


@transaction.atomic
def grant_create(
    *,
    user,
    role: str,
    organization: Organization | None,
    valid_from: date | None = None,
    valid_to: date | None = None,
    note: str = "",
    by=None,
) -> Grant:
    if role == Role.MEMBER:
        raise ValidationError(
            {"role": _("Tài khoản đảng viên được kích hoạt từ hồ sơ đảng viên, không phân quyền.")}
        )
    if role != Role.ADMIN and organization is None:
        raise ValidationError({"organization": _("Vai trò này phải gắn với một tổ chức.")})
    if (
        role == Role.CELL_SECRETARY
        and organization
        and organization.kind not in ("cell", "base_cell")
    ):
        raise ValidationError(
            {"organization": _("Bí thư chi bộ chỉ được phân quyền tại một chi bộ.")}
        )
    grant = Grant(
        user=user,
        role=role,
        organization=organization,
        valid_from=valid_from or timezone.localdate(),
        valid_to=valid_to,
        note=note,
        granted_by=by if getattr(by, "is_authenticated", False) else None,
    )
    grant.full_clean()
    grant.save()
    if role == Role.ADMIN and not (user.is_staff and user.is_superuser):
        user.is_staff = user.is_superuser = True
        user.save(update_fields=["is_staff", "is_superuser"])
    audit.record(
        "tochuc.grant.created", by=by, obj=grant, role=role,
        organization=organization.code if organization else None,
    )  # fmt: skip
    return grant


@transaction.atomic
def grant_revoke(*, grant: Grant, by=None, reason: str = "") -> Grant:
    if grant.revoked_at is not None:
        raise ValidationError(_("Quyền này đã bị thu hồi trước đó."))
    grant.revoked_at = timezone.now()
    grant.save(update_fields=["revoked_at"])
    user = grant.user
    if (
        grant.role == Role.ADMIN
        and not user.grants.active_on(timezone.localdate()).filter(role=Role.ADMIN).exists()
    ):
        user.is_staff = user.is_superuser = False
        user.save(update_fields=["is_staff", "is_superuser"])
    audit.record("tochuc.grant.revoked", by=by, obj=grant, reason=reason)
    return grant


def sessions_end(*, user) -> int:
    """End every session of `user` (their next request meets the login page); how many."""
    from django.contrib.sessions.models import Session

    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    UserSession.objects.filter(user=user).delete()
    return len(keys)


@transaction.atomic
def user_disable(*, user, by=None, reason: str = "") -> User:
    """Disable an account: it can no longer sign in, and its open sessions end now."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active:
        raise ValidationError(_("Tài khoản “%(username)s” đã bị khóa trước đó.") % {
            "username": user.get_username()})  # fmt: skip
    ended = sessions_end(user=user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    audit.record("tochuc.user.disabled", by=by, obj=user, reason=reason, sessions_ended=ended)
    return user


@transaction.atomic
def user_enable(*, user, by=None, reason: str = "") -> User:
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active:
        raise ValidationError(_("Tài khoản “%(username)s” đang hoạt động.") % {
            "username": user.get_username()})  # fmt: skip
    user.is_active = True
    user.save(update_fields=["is_active"])
    audit.record("tochuc.user.enabled", by=by, obj=user, reason=reason)
    return user


# ---------------------------------------------------------------- changing one's password
# Wrong old passwords are counted from the audit log itself (one record, shared by every
# worker): PASSWORD_CHANGE_FAILURE_LIMIT of them within PASSWORD_CHANGE_LOCKOUT_MINUTES
# lock the form until the oldest of them is that old.

PASSWORD_CHANGE_FAILED = "tochuc.auth.password_change_failed"


def password_change_locked_until(*, user) -> datetime | None:
    """When the password form opens again for `user`, or None when it is open."""
    window = timedelta(minutes=settings.PASSWORD_CHANGE_LOCKOUT_MINUTES)
    limit = settings.PASSWORD_CHANGE_FAILURE_LIMIT
    failures = list(
        AuditEntry.objects.filter(
            user=user, action=PASSWORD_CHANGE_FAILED, at__gte=timezone.now() - window
        )
        .order_by("-at")
        .values_list("at", flat=True)[:limit]
    )
    if len(failures) < limit:
        return None
    return failures[-1] + window


@transaction.atomic
def password_change_failed(*, user) -> datetime | None:
    """Record a wrong old password; returns when the form opens again if this locked it."""
    audit.record(PASSWORD_CHANGE_FAILED, by=user, obj=user)
    until = password_change_locked_until(user=user)
    if until is not None:
        audit.record("tochuc.auth.password_change_locked", by=user, obj=user, until=until)
    return until


@transaction.atomic
def password_changed(*, user) -> None:
    """Record a password changed by its owner (the new password itself is never kept)."""
    audit.record("tochuc.auth.password_changed", by=user, obj=user)
