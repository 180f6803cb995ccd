"""Sign-in of members with their CCCD or party-card number and their password.

It runs after the lockout check (accounts.backends.LockoutBackend, keyed by what was typed)
and before the staff's username backend; a staff user is never found by it. A member whose
account is locked or not yet activated is refused like a wrong password."""

from django.contrib.auth.backends import ModelBackend

from tochuc.accounts.backends import WithGrantsMixin

from .accounts import members_by_identifier
from .models import MemberAccount


class MemberIdentityBackend(WithGrantsMixin, ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or not password:
            return None
        account = (
            MemberAccount.objects.filter(
                member__in=members_by_identifier(username),
                activated_at__isnull=False,
                deactivated_at__isnull=True,
            )
            .select_related("user")
            .first()
        )
        if account is None:
            return None
        user = account.user
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
