from django.utils.functional import SimpleLazyObject

from .access import Scope


class ScopeMiddleware:
    """Resolve the caller's scope once per request (lazily)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.scope = SimpleLazyObject(lambda: Scope.for_user(request.user))
        request.org_perms = frozenset()
        return self.get_response(request)
