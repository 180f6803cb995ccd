from django.db.models import QuerySet

from .models import Notification


def inbox_of(*, user) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).order_by("-created_at", "-id")


def unread_count(*, user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def unread_count_of(user_ref: str):
    """`unread_count` as an expression on the user's id `user_ref` (read with the user:
    accounts.access.read_with_user)."""
    from django.db.models import Count, IntegerField, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    counted = (
        Notification.objects.filter(user_id=OuterRef(user_ref), read_at__isnull=True)
        .order_by()
        .values("user_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def notification_get(*, user, pk: int) -> Notification:
    """One of the user's own notifications (another's: 404)."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(inbox_of(user=user), pk=pk)


def told_since(*, users, kind: str, since) -> set[tuple[int, str]]:
    """The (user id, body) of the notices of `kind` the users were given since `since`, in
    one query (to tell each the same thing at most once in a while)."""
    return set(
        Notification.objects.filter(
            user_id__in=[u.pk for u in users], kind=kind, created_at__gte=since
        ).values_list("user_id", "body")
    )
