"""Reads of the audit log (the administrators' viewer)."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from .models import AuditEntry


@dataclass(frozen=True)
class AuditFilters:
    username: str = ""
    action: str = ""  # a dotted prefix: "tochuc.auth" or "tochuc.auth.login_failed"
    since: date | None = None
    until: date | None = None


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_entry_list(*, filters: AuditFilters) -> QuerySet[AuditEntry]:
    """Entries matching `filters`, newest first (dates inclusive, in Vietnam's time)."""
    entries = AuditEntry.objects.all()
    if filters.username:
        entries = entries.filter(username__iexact=filters.username)
    if filters.action:
        entries = entries.filter(action__startswith=filters.action)
    if filters.since:
        entries = entries.filter(at__gte=_start_of(filters.since))
    if filters.until:
        entries = entries.filter(at__lt=_start_of(filters.until + timedelta(days=1)))
    return entries.order_by("-at", "-id")


def audit_action_prefixes() -> list[str]:
    """The actions recorded so far and their dotted groups, for the filter's choices."""
    actions = AuditEntry.objects.values_list("action", flat=True).distinct().order_by("action")
    prefixes: set[str] = set()
    for action in actions:
        parts = action.split(".")
        prefixes.update(".".join(parts[:n]) for n in range(2, len(parts) + 1))
    return sorted(prefixes)
