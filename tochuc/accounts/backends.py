"""Authentication backends: the lockout check that runs before the password is checked."""

from axes.backends import AxesStandaloneBackend


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
