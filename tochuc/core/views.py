from django.contrib.auth import views as auth_views
from django.shortcuts import render
from django.utils import timezone

from tochuc.lib.dates import date_in_query
from tochuc.organizations.selectors import ancestors_on

from .dashboard import panels_for


def _on(request):
    """The date in view (?ngay=dd/mm/yyyy), today by default; and a note if it is bad."""
    return date_in_query(request.GET, "ngay", default=timezone.localdate())


def home(request):
    """The dashboard of one organization in the user's scope (?org=CODE, their first home by
    default); a user without a grant is told whom to ask."""
    homes = request.scope.home_organizations() if request.scope.grants else []
    code = request.GET.get("org", "")
    if code:
        organization = request.scope.get_organization(code=code)  # out of scope: 404
    else:
        organization = homes[0] if homes else None
    on, date_error = _on(request)
    context = {"homes": homes, "organization": organization, "on": on, "date_error": date_error}
    if organization is not None:
        context["crumbs"] = ancestors_on(scope=request.scope, organization=organization, on=on)
        context["panels"] = panels_for(request, organization, on)
    return render(request, "core/home.html", context)


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change_form.html"
