"""Old links that chose the organization by a query parameter, answered by the gate and
sent on to the page with the organization in its path (the one URL form of a tenant)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse


def moved_to_path(url_name: str, permission: str, param: str = "to_chuc"):
    """The view behind an old bookmark that named the organization in its query
    (`?to_chuc=CODE`, the home page's `?org=CODE`): a redirect (302) to `url_name` with the
    organization in its path, the other parameters kept. The gate answers first, as on the
    page itself: no code, missing or out of scope → 404; in scope without `permission` →
    403."""

    def view(request):
        code = request.GET.get(param, "").strip()
        if not code:
            raise Http404
        organization = request.scope.get_organization(code=code)
        if permission not in request.scope.permissions_for(organization):
            raise PermissionDenied
        query = request.GET.copy()
        query.pop(param)
        url = reverse(url_name, args=[organization.code])
        return redirect(f"{url}?{query.urlencode()}" if query else url)

    view.permission = permission
    return view
