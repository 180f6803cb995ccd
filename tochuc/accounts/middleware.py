import time

from django.conf import settings
from django.contrib.auth import logout
from django.utils.functional import SimpleLazyObject

from tochuc.core import audit

from .access import Scope
from .signals import SEEN, STARTED

EXPIRED = "tochuc_expired"  # left in the fresh session: the login page says why


class ScopeMiddleware:
    """Resolve the caller's scope once per request (lazily)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.scope = SimpleLazyObject(lambda: Scope.for_user(request.user))
        request.org_perms = frozenset()
        return self.get_response(request)


class SessionLifetimeMiddleware:
    """End a session idle for SESSION_IDLE_TIMEOUT seconds, or older than SESSION_COOKIE_AGE
    seconds since the login, whatever the user does. The request then goes on signed out
    (the login requirement sends it to the login page, which says the session ended)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            self._check(request)
        return self.get_response(request)

    @staticmethod
    def _check(request) -> None:
        session, now = request.session, int(time.time())
        started = session.setdefault(STARTED, now)
        seen = session.get(SEEN, now)
        idle, age = now - seen, now - started
        if idle > settings.SESSION_IDLE_TIMEOUT or age > settings.SESSION_COOKIE_AGE:
            audit.record(
                "tochuc.auth.session_expired", by=request.user, obj=request.user,
                idle_seconds=idle, age_seconds=age,
            )  # fmt: skip
            logout(request)
            request.session[EXPIRED] = True
            return
        if SEEN not in session or idle >= 60:
            session[SEEN] = now
