"""Login in two steps when a second factor is needed, and the two-factor account page.

After a correct password, a user who needs a second factor is not signed in yet: the
session holds only a pending login (user, backend, when), which the TOTP step completes
within TOCHUC_OTP_PENDING_SECONDS. A system administrator without a device enrols one
there before the first sign-in.
"""

import time

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.signals import user_login_failed
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from tochuc.core import audit

from . import otp
from .access import global_lookup
from .forms import TokenForm
from .middleware import EXPIRED

PENDING = "tochuc_otp_pending"
User = get_user_model()


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["expired"] = self.request.session.pop(EXPIRED, False)
        return context

    def form_valid(self, form):
        user = form.get_user()
        if not otp.second_factor_needed(user):
            return super().form_valid(form)
        self.request.session.cycle_key()
        self.request.session[PENDING] = {
            "user": user.pk,
            "backend": user.backend,
            "at": int(time.time()),
            "next": self.get_success_url(),
            "failures": 0,
        }
        audit.record("tochuc.auth.password_accepted", by=None, obj=user)
        if otp.confirmed_device(user) is None:
            return redirect("accounts:otp_enrol")
        return redirect("accounts:otp_verify")


def _pending_user(request):
    """The user whose password was accepted a moment ago, or None."""
    pending = request.session.get(PENDING)
    if not pending or time.time() - pending["at"] > settings.TOCHUC_OTP_PENDING_SECONDS:
        request.session.pop(PENDING, None)
        return None
    user = global_lookup(
        "accounts.views: the user signing in",
        User.objects.filter(pk=pending["user"], is_active=True),
    ).first()
    if user is None:
        request.session.pop(PENDING, None)
    return user


def _restart(request):
    messages.warning(request, _("Phiên đăng nhập đã quá hạn. Đồng chí đăng nhập lại."))
    return redirect("login")


def _complete_login(request, user, device):
    pending = request.session.pop(PENDING)
    user.backend = pending["backend"]
    user.otp_device = device  # django-otp marks the session as verified with it
    auth_login(request, user, backend=pending["backend"])
    return redirect(pending["next"])


def _refuse(request, user, form):
    """A wrong code: counted as a failed login (the lockout applies), audited; after the
    lockout limit the pending login is dropped."""
    pending = request.session[PENDING]
    pending["failures"] += 1
    request.session.modified = True
    user_login_failed.send(
        sender=__name__,
        credentials={"username": user.get_username()},
        request=request,
    )
    audit.record("tochuc.auth.totp_failed", obj=user, failures=pending["failures"])
    form.add_error("token", _("Mã xác thực không đúng hoặc đã dùng. Đồng chí nhập mã mới."))
    if getattr(request, "axes_locked_out", False) or (
        pending["failures"] >= settings.AXES_FAILURE_LIMIT
    ):
        request.session.pop(PENDING, None)
        return render(request, "registration/locked_out.html", _lockout_context(), status=429)
    return None


def _lockout_context():
    from datetime import timedelta

    return {"cooloff_timedelta": timedelta(hours=settings.AXES_COOLOFF_TIME)}


def _is_locked(request, user) -> bool:
    return not AxesProxyHandler.is_allowed(request, {"username": user.get_username()})


@login_not_required
@never_cache
@sensitive_post_parameters("token")
@require_http_methods(["GET", "POST"])
def otp_verify(request):
    user = _pending_user(request)
    if user is None:
        return _restart(request)
    device = otp.confirmed_device(user)
    if device is None:
        return redirect("accounts:otp_enrol")
    if _is_locked(request, user):
        request.session.pop(PENDING, None)
        return render(request, "registration/locked_out.html", _lockout_context(), status=429)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if otp.token_matches(device, form.cleaned_data["token"]):
            return _complete_login(request, user, device)
        refused = _refuse(request, user, form)
        if refused:
            return refused
    return render(request, "registration/otp_verify.html", {"form": form, "pending_user": user})


@login_not_required
@never_cache
@sensitive_post_parameters("token")
@require_http_methods(["GET", "POST"])
def otp_enrol(request):
    """Enrol an authenticator app before the first sign-in (system administrators)."""
    user = _pending_user(request)
    if user is None:
        return _restart(request)
    if otp.confirmed_device(user) is not None:
        return redirect("accounts:otp_verify")
    if _is_locked(request, user):
        request.session.pop(PENDING, None)
        return render(request, "registration/locked_out.html", _lockout_context(), status=429)
    device = otp.pending_device(user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if otp.device_confirm(device=device, token=form.cleaned_data["token"], by=user):
            return _complete_login(request, user, device)
        refused = _refuse(request, user, form)
        if refused:
            return refused
    context = {
        "form": form,
        "pending_user": user,
        "qr": otp.qr_svg(device),
        "secret": otp.secret_for_typing(device),
    }
    return render(request, "registration/otp_enrol.html", context)


@never_cache
@sensitive_post_parameters("token")
@require_http_methods(["GET", "POST"])
def two_factor(request):
    """The signed-in user's own second factor: turn it on (scan, type a code) or off (type a
    code; system administrators cannot)."""
    user = request.user
    device = otp.confirmed_device(user)
    required = otp.is_system_admin(user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"]
        if device is None:
            pending = otp.pending_device(user)
            if otp.device_confirm(device=pending, token=token, by=user):
                from django_otp import login as otp_login

                otp_login(request, pending)
                messages.success(request, _("Đã bật xác thực hai bước."))
                return redirect("accounts:two_factor")
        elif required:
            form.add_error(None, _("Quản trị hệ thống bắt buộc dùng xác thực hai bước."))
        elif otp.token_matches(device, token):
            otp.devices_remove(user=user, by=user)
            messages.success(request, _("Đã tắt xác thực hai bước."))
            return redirect("accounts:two_factor")
        if not form.errors:
            form.add_error("token", _("Mã xác thực không đúng hoặc đã dùng. Đồng chí nhập mã mới."))
            audit.record("tochuc.auth.totp_failed", by=user, obj=user)
    context = {"form": form, "device": device, "required": required}
    if device is None:
        pending = otp.pending_device(user)
        context |= {"qr": otp.qr_svg(pending), "secret": otp.secret_for_typing(pending)}
    return render(request, "registration/two_factor.html", context)
