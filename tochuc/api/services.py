"""Writes of API tokens: made and revoked by their owner, each audited.

A token carries no rights of its own: a request with it acts as its user, through the
user's grants as they are on the day (tochuc.accounts.access.Scope)."""

import secrets
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tochuc.core import audit

from .models import ApiToken
from .selectors import token_digest

SECRET_PREFIX = "tc_"


def max_expiry(today: date) -> date:
    return today + timedelta(days=settings.TOCHUC_API_TOKEN_MAX_DAYS)


@transaction.atomic
def token_create(*, user, name: str, expires_on: date, by) -> tuple[ApiToken, str]:
    """A new token for `user`; returns it with its secret, which is never stored."""
    today = timezone.localdate()
    name = " ".join((name or "").split())
    errors = {}
    if not name:
        errors["name"] = _("Hãy đặt tên gợi nhớ cho mã.")
    if expires_on <= today:
        errors["expires_on"] = _("Ngày hết hạn phải sau hôm nay.")
    elif expires_on > max_expiry(today):
        errors["expires_on"] = _("Mã chỉ được dùng tối đa %(days)s ngày.") % {
            "days": settings.TOCHUC_API_TOKEN_MAX_DAYS
        }
    if errors:
        raise ValidationError(errors)
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name[:80],
        prefix=secret[:10],
        digest=token_digest(secret),
        expires_on=expires_on,
    )
    token.full_clean()
    token.save()
    audit.record(
        "tochuc.api.token_created", by=by, obj=token, name=token.name, expires_on=expires_on
    )
    return token, secret


@transaction.atomic
def token_revoke(*, token: ApiToken, by) -> ApiToken:
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        return token  # twice is once
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record("tochuc.api.token_revoked", by=by, obj=token, name=token.name)
    return token


def token_used(*, token: ApiToken) -> None:
    """Note the last use, at most once a minute per token (no write on every request)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
