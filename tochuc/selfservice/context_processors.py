from django.utils.functional import SimpleLazyObject

from .selectors import account_of


def _account(request):
    scope = getattr(request, "scope", None)
    if scope is not None and scope.grants:
        return None  # staff: the scope the page reads anyway says so, no query more
    return account_of(getattr(request, "user", None))


def self_account(request):
    """`self_account` for base.html: the member account of a signed-in member (their own
    navigation instead of the staff's), read only if a page asks."""
    return {"self_account": SimpleLazyObject(lambda: _account(request))}
