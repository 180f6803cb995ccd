"""Authentication backends: the lockout check that runs before the password is checked."""

from axes.backends import AxesStandaloneBackend
from django.contrib.auth.backends import ModelBackend


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check, for every login that comes with a request.

    The login page, the Django admin's (which sends to the login page) and the TOTP step
    all authenticate with the request. A call without one (the test client's `login`, a
    management command) has no address to lock, so it is left to the next backend
    instead of failing.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class WithGrantsMixin:
    """Loads the signed-in user of each request with their active grants in one query
    (`access.user_with_grants`), which the request's scope then uses."""

    def get_user(self, user_id):
        from .access import user_with_grants

        user = user_with_grants(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class AccountBackend(WithGrantsMixin, ModelBackend):
    """Django's username and password sign-in, the user read with their grants."""
