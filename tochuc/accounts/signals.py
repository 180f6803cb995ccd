"""Sign-in events: each is audited, and each session is remembered for `sessions_end`."""

import time

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver

from tochuc.core import audit

from .models import UserSession

STARTED = "tochuc_started"  # when the user signed in (seconds since the epoch)
SEEN = "tochuc_seen"  # the last request, at most a minute old


def client_ip(request) -> str | None:
    from django.conf import settings

    if request is None:
        return None
    return request.META.get(settings.TOCHUC_CLIENT_IP_HEADER) or None


@receiver(user_logged_in, dispatch_uid="tochuc.accounts.logged_in")
def on_logged_in(sender, request, user, **kwargs):
    now = int(time.time())
    request.session[STARTED] = request.session[SEEN] = now
    if request.session.session_key is None:
        request.session.save()
    UserSession.objects.update_or_create(
        session_key=request.session.session_key,
        defaults={"user": user, "ip": client_ip(request)},
    )
    factor = "totp" if getattr(user, "otp_device", None) is not None else "password"
    audit.record("tochuc.auth.login", by=user, obj=user, factor=factor)


@receiver(user_logged_out, dispatch_uid="tochuc.accounts.logged_out")
def on_logged_out(sender, request, user, **kwargs):
    if request is not None and request.session.session_key:
        UserSession.objects.filter(session_key=request.session.session_key).delete()
    if user is not None:
        audit.record("tochuc.auth.logout", by=user, obj=user)


@receiver(user_login_failed, dispatch_uid="tochuc.accounts.login_failed")
def on_login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    locked = bool(getattr(request, "axes_locked_out", False))
    audit.record("tochuc.auth.login_failed", attempted=username, locked_out=locked)


@receiver(post_save, sender=get_user_model(), dispatch_uid="tochuc.accounts.user_saved")
def on_user_saved(sender, instance, **kwargs):
    """However an account is disabled (the service, the Django admin), its sessions end."""
    if not instance.is_active and UserSession.objects.filter(user=instance).exists():
        from .services import sessions_end

        sessions_end(user=instance)
