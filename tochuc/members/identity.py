"""Citizen-ID and party-card numbers: uniqueness without an oracle (issue 17).

A number must stay unique (one living member per citizen ID, one member per party card),
so a form or an import that is refused tells its user that the number is taken: that is
unavoidable. What the answer must not do is say whose record it is, in which
organization, or in what state, when that record is outside the caller's scope; and a
user must not be able to ask about many numbers. So:

- a clash with a record in the caller's scope is answered plainly (they can see it);
- a clash with a record outside it gets one neutral message (`NOT_USABLE`), the same for
  any record and any status, and counts against the user's hourly budget of such answers
  (`TOCHUC_IDENTITY_HIDDEN_PER_HOUR`);
- every number looked up counts against a larger hourly budget
  (`TOCHUC_IDENTITY_CHECKS_PER_HOUR`);
- beyond a budget, checks are refused (`LIMIT_REACHED`) until the next hour.

Out-of-scope answers and refusals are audited (`tochuc.access.identity_*`), even when the
refused service's transaction rolls back (`refusals_audited`). System administrators and
calls without a user (the CLI, the demo) see everything: nothing is hidden from them and
they are not counted.

The member and candidate services, the member import and receiving from outside the
system all check through a `Checker`.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from tochuc.accounts.access import Scope
from tochuc.core import audit, throttle

WINDOW_SECONDS = 3600
NOT_USABLE = {
    "citizen_id": gettext_lazy("Số CCCD này không dùng được; cần cán bộ cấp trên xác minh."),
    "party_card_no": gettext_lazy(
        "Số thẻ đảng viên này không dùng được; cần cán bộ cấp trên xác minh."
    ),
}
LIMIT_REACHED = gettext_lazy(
    "Đồng chí đã kiểm tra quá nhiều số CCCD, số thẻ đảng viên trong một giờ. Hãy thử lại "
    "sau, hoặc nhờ cán bộ cấp trên xác minh."
)


class IdentityRefusal(ValidationError):
    """A refusal that the audit log keeps although the refused transaction rolls back."""

    def __init__(self, message, *, action: str, user=None, **data):
        super().__init__(message)
        self.action = action
        self.user = user
        self.data = data

    def record(self) -> None:
        audit.record(self.action, by=self.user, **self.data)


_depth: contextvars.ContextVar[int] = contextvars.ContextVar("identity_depth", default=0)


def refusals_audited(service):
    """Put outside `@transaction.atomic`: an `IdentityRefusal` raised by the service is
    audited once, after its transaction has rolled back (by the outermost such service)."""

    @wraps(service)
    def wrapper(*args, **kwargs):
        token = _depth.set(_depth.get() + 1)
        try:
            return service(*args, **kwargs)
        except IdentityRefusal as refusal:
            if _depth.get() == 1:
                refusal.record()
            raise
        finally:
            _depth.reset(token)

    return wrapper


def _limit(name: str) -> int:
    return getattr(settings, f"TOCHUC_IDENTITY_{name.upper()}_PER_HOUR")


class Checker:
    """The identity checks of one caller (`scope`: None for the system)."""

    def __init__(self, scope: Scope | None):
        self.scope = None if scope is None or scope.is_admin else scope
        user = getattr(scope, "user", None)
        self.user = user if getattr(user, "is_authenticated", False) else None
        if self.scope is not None and self.user is None:
            self.scope = Scope(None, [])  # nobody: sees nothing, cannot be counted
        self.hidden = 0

    @classmethod
    def for_user(cls, by) -> Checker:
        """The checks of a service called by `by` (None: the system)."""
        if not getattr(by, "is_authenticated", False):
            return cls(None)
        return cls(Scope.for_user(by))

    @property
    def counted(self) -> bool:
        return self.scope is not None

    def _spend(self, name: str, amount: int, field: str | None) -> None:
        if not self.counted or amount <= 0:
            return
        limit = _limit(name)
        if self.user is None or not throttle.spend(
            f"identity:{name}", user_id=self.user.pk, amount=amount, limit=limit,
            window_seconds=WINDOW_SECONDS,
        ):  # fmt: skip
            message = {field: [LIMIT_REACHED]} if field else LIMIT_REACHED
            raise IdentityRefusal(
                message, action="tochuc.access.identity_checks_throttled", user=self.user,
                budget=name, limit=limit, asked=amount,
            )  # fmt: skip

    def spend_checks(self, amount: int, field: str | None = None) -> None:
        """`amount` numbers are about to be looked up."""
        self._spend("checks", amount, field)

    def spend_hidden(self, amount: int, field: str | None = None) -> None:
        """`amount` numbers were found on records outside the caller's scope."""
        self._spend("hidden", amount, field)

    def sees(self, found: QuerySet, visible: Callable[[Scope, QuerySet], QuerySet]) -> bool:
        """Whether one of the records of `found` is in the caller's scope."""
        return self.scope is None or visible(self.scope, found).exists()

    def clash(
        self,
        field: str,
        found: QuerySet,
        *,
        in_scope_message: str,
        visible: Callable[[Scope, QuerySet], QuerySet] = lambda scope, qs: qs.filter(
            pk__in=scope.members().values("pk")
        ),
    ) -> str | None:
        """The message for `field` when `found` (the clashing records) is not empty:
        `in_scope_message` if the caller sees one of them, else the neutral one (counted)."""
        if not found.exists():
            return None
        if self.sees(found, visible):
            return in_scope_message
        self.hidden += 1
        self.spend_hidden(1, field)
        return str(NOT_USABLE[field])

    def raise_errors(self, errors: dict[str, str]) -> None:
        """Raise the field errors; audited when one of them answers about a hidden record."""
        if not errors:
            return
        if self.hidden:
            raise IdentityRefusal(
                errors, action="tochuc.access.identity_hidden_clash", user=self.user,
                fields=sorted(f for f, m in errors.items() if m in map(str, NOT_USABLE.values())),
            )  # fmt: skip
        raise ValidationError(errors)


def not_usable(field: str) -> str:
    return str(NOT_USABLE[field])


def limit_reached() -> str:
    return str(LIMIT_REACHED)
