from django.utils.functional import SimpleLazyObject

from tochuc.accounts.access import READ_WITH

from .selectors import unread_count


def inbox(request):
    """`unread_notifications` for the bell of base.html, counted only if a page shows it."""
    user = getattr(request, "user", None)
    known = getattr(user, READ_WITH, {}).get("unread_notifications")  # read with the user
    if known is not None:
        return {"unread_notifications": known}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user=user))}
