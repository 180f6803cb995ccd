"""The one way to tell users something: an inbox line for each, and an e-mail after the
transaction commits when the deployment configures e-mail (EMAIL_HOST), sent by a task of
the queue (django-tasks), so that a rolled-back write never mails anyone."""

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tochuc.core import audit

from .models import Notification


def email_configured() -> bool:
    return bool(getattr(settings, "EMAIL_HOST", "")) and settings.TOCHUC_NOTIFY_BY_EMAIL


def notify(*, users: Iterable, kind: str, title: str, body: str = "", url: str = "") -> int:
    """Put a notification in each user's inbox (each user once); how many were written."""
    return notify_each(kind=kind, notices=[(user, title, body, url) for user in users])


def notify_each(*, kind: str, notices: Iterable[tuple]) -> int:
    """Put each (user, title, body, url) in its user's inbox (each user once: their first
    notice), in one insert whatever their number; how many were written."""
    unique = {}
    for user, title, body, url in notices:
        if user is not None and user.is_active:
            unique.setdefault(user.pk, (user, title, body, url))
    if not unique:
        return 0
    made = Notification.objects.bulk_create(
        [
            Notification(user=user, kind=kind, title=title[:255], body=body, url=url[:255])
            for user, title, body, url in unique.values()
        ]
    )
    mailed = [n.pk for n, (user, *_) in zip(made, unique.values(), strict=True) if user.email]
    if mailed and email_configured():
        from .tasks import send_emails

        transaction.on_commit(lambda: send_emails.enqueue(mailed))
    return len(made)


@transaction.atomic
def notification_open(*, notification: Notification) -> Notification:
    """Mark one's own notification read (the first time only)."""
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notifications_read_all(*, user) -> int:
    count = Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    if count:
        audit.record("tochuc.notification.all_read", by=user, obj=user, count=count)
    return count
