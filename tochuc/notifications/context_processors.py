from django.utils.functional import SimpleLazyObject

from .selectors import unread_count


def inbox(request):
    """`unread_notifications` for the bell of base.html, counted only if a page shows it."""
    user = getattr(request, "user", None)
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user=user))}
