"""Reads of API tokens: a user's own list, and the token a request presents."""

import hashlib

from django.db.models import QuerySet
from django.utils import timezone

from .models import ApiToken


def token_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def token_list(*, user) -> QuerySet[ApiToken]:
    """The user's own tokens, newest first (the page shows only these)."""
    return ApiToken.objects.filter(user=user)


def token_get(*, user, pk: int) -> ApiToken:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(token_list(user=user), pk=pk)


def token_for_secret(secret: str) -> ApiToken | None:
    """The live token whose secret this is (not revoked, not expired, its user active)."""
    if not secret or len(secret) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=token_digest(secret), revoked_at__isnull=True)
        .first()
    )
    if token is None or token.expires_on < timezone.localdate() or not token.user.is_active:
        return None
    return token
