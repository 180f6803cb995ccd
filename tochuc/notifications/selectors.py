from django.db.models import QuerySet

from .models import Notification


def inbox_of(*, user) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).order_by("-created_at", "-id")


def unread_count(*, user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notification_get(*, user, pk: int) -> Notification:
    """One of the user's own notifications (another's: 404)."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(inbox_of(user=user), pk=pk)
