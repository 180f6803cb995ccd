import math

from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from tochuc.accounts.access import organization_view
from tochuc.accounts.bookmarks import moved_to_path
from tochuc.accounts.hooks import home_page_for
from tochuc.accounts.permissions import VIEW
from tochuc.organizations.selectors import ancestors_on

from .dashboard import panels_for
from .pages import date_in_view


def home(request):
    """The dashboard of the user's first home organization; a user without a grant is told
    whom to ask. An old `?org=CODE` link (and the organization chooser of the page) goes to
    that organization's dashboard, the organization in the path."""
    if "org" in request.GET:
        return moved_to_path("home_organization", VIEW, "org")(request)
    if not request.scope.grants:
        elsewhere = home_page_for(request)  # a member's own page (selfservice)
        if elsewhere:
            return redirect(elsewhere)
    homes = request.scope.home_organizations() if request.scope.grants else []
    return _dashboard(request, homes[0] if homes else None, homes)


@organization_view(VIEW)
def home_organization(request, organization):
    """The dashboard of one organization in the user's scope."""
    homes = request.scope.home_organizations() if request.scope.grants else []
    return _dashboard(request, organization, homes)


def _dashboard(request, organization, homes):
    on, date_error = date_in_view(request)
    context = {"homes": homes, "organization": organization, "on": on, "date_error": date_error}
    if organization is not None:
        context["crumbs"] = ancestors_on(scope=request.scope, organization=organization, on=on)
        context["panels"] = panels_for(request, organization, on)
    return render(request, "core/home.html", context)


class PasswordChangeView(auth_views.PasswordChangeView):
    """One's own password: the change and every wrong old password are audited, and
    repeated wrong old passwords lock the form for a while (accounts.services)."""

    template_name = "registration/password_change_form.html"

    def _locked(self, form=None):
        from tochuc.accounts.services import password_change_locked_until

        until = password_change_locked_until(user=self.request.user)
        return self._refuse(form or self.get_form(), until) if until else None

    def _refuse(self, form, until):
        minutes = max(1, math.ceil((until - timezone.now()).total_seconds() / 60))
        locked = _(
            "Đồng chí đã nhập sai mật khẩu hiện tại nhiều lần; biểu mẫu đổi mật khẩu tạm "
            "khóa. Hãy thử lại sau %(minutes)d phút."
        ) % {"minutes": minutes}
        return self.render_to_response(self.get_context_data(form=form, locked=locked))

    def get(self, request, *args, **kwargs):
        return self._locked() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self._locked() or super().post(request, *args, **kwargs)

    def form_valid(self, form):
        from tochuc.accounts.services import password_changed

        response = super().form_valid(form)
        password_changed(user=self.request.user)
        return response

    def form_invalid(self, form):
        from tochuc.accounts.services import password_change_failed

        if "old_password" in form.errors:
            until = password_change_failed(user=self.request.user)
            if until is not None:
                return self._refuse(form, until)
        return super().form_invalid(form)
