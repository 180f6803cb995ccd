"""Bearer-token authentication for the API: the token's user, their scope, a rate limit.

A request with a token acts as the token's user, with the scope the one gate computes for
that user today (tochuc.accounts.access.Scope): nothing more, nothing less."""

from django.conf import settings
from ninja.security import HttpBearer

from tochuc.accounts.access import Scope
from tochuc.core import throttle

from .selectors import token_for_secret
from .services import token_used


class RateLimited(Exception):
    pass


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        found = token_for_secret(token)
        if found is None:
            return None
        if not throttle.spend(
            "api",
            user_id=found.pk,  # per token, not per user
            amount=1,
            limit=settings.TOCHUC_API_REQUESTS_PER_MINUTE,
            window_seconds=60,
        ):
            raise RateLimited
        token_used(token=found)
        request.user = found.user
        request.scope = Scope.for_user(found.user)
        request.api_token = found
        return found
