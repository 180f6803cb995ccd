"""E-mail of notifications, run by the task queue after the writing transaction commits.

Safe to run twice: a notification already mailed is skipped."""

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django_tasks import task

from tochuc.core import audit

from .models import Notification


@task()
def send_emails(ids: list[int]) -> int:
    """Mail each notification not mailed yet to its user's address; how many were sent."""
    sent = 0
    rows = Notification.objects.filter(pk__in=ids, emailed_at__isnull=True).select_related("user")
    for notification in rows:
        if not notification.user.email:
            continue
        link = f"\n\n{settings.TOCHUC_SITE_URL}{notification.url}" if notification.url else ""
        send_mail(
            subject=notification.title,
            message=f"{notification.body}{link}",
            from_email=None,
            recipient_list=[notification.user.email],
        )
        Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
        sent += 1
    if sent:
        audit.record("tochuc.notification.emailed", count=sent)
    return sent
