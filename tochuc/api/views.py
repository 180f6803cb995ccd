"""The signed-in user's own API tokens: make one (its secret shown once), revoke one."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from tochuc.core.pages import show_refusal

from . import selectors, services
from .forms import TokenForm


@never_cache
@require_http_methods(["GET", "POST"])
def tokens(request):
    """Any signed-in user: their tokens carry exactly their own grants."""
    form = TokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, secret = services.token_create(
                user=request.user,
                name=form.cleaned_data["name"],
                expires_on=form.cleaned_data["expires_on"],
                by=request.user,
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            form = TokenForm()
    context = {
        "form": form,
        "secret": secret,
        "tokens": selectors.token_list(user=request.user),
    }
    return render(request, "api/tokens.html", context)


@require_POST
def token_revoke(request, pk):
    token = selectors.token_get(user=request.user, pk=pk)
    services.token_revoke(token=token, by=request.user)
    messages.success(request, _("Đã thu hồi mã “%(name)s”.") % {"name": token.name})
    return redirect("api:tokens")
