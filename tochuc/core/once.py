"""One-time form tokens: a form submitted twice (a double click, three identical POSTs at
once, a retry after a slow answer) writes once.

Every form that writes carries a hidden token (`{% once_token %}`, tochuc.core.templatetags
.once). `OnceMiddleware` claims the token before the view runs by inserting it into a
unique column (`SubmittedForm`), an atomic step on SQLite and PostgreSQL alike and across
workers; a POST whose token is already claimed never reaches the view. It is sent to where
the first one went (the created object's page) with a message, or told that the first is
still being handled. A token is released only when its POST failed (an exception or a
5xx), so the same form can be sent again. A form shown again with its errors carries a
fresh token.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import SubmittedForm

FIELD = "_once"
KEEP = timedelta(days=2)  # a form open longer than this is sent again as a new one
_FORMS = {"application/x-www-form-urlencoded", "multipart/form-data"}


def new_token() -> str:
    return secrets.token_urlsafe(24)


def _token(request) -> str:
    # Forms only (the CSRF check reads the same body before any view does).
    if request.method != "POST" or request.content_type not in _FORMS:
        return ""
    token = request.POST.get(FIELD, "")
    return token if 16 <= len(token) <= 64 else ""


def claim(*, token: str, user, path: str) -> SubmittedForm | None:
    """The claim of `token`, or None when an earlier POST holds it."""
    try:
        with transaction.atomic():
            return SubmittedForm.objects.create(token=token, user=user, path=path[:255])
    except IntegrityError:
        return None


def forget_old() -> int:
    """Drop the claims older than KEEP (daily, by `tochuc housekeeping`)."""
    deleted, _by_model = SubmittedForm.objects.filter(at__lt=timezone.now() - KEEP).delete()
    return deleted


class OnceMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _token(request)
        user = getattr(request, "user", None)
        if not token or not getattr(user, "is_authenticated", False):
            return self.get_response(request)
        claimed = claim(token=token, user=user, path=request.path)
        if claimed is None:
            return self._repeated(request, token)
        try:
            response = self.get_response(request)
        except Exception:
            claimed.delete()
            raise
        if response.status_code >= 500:
            claimed.delete()
        elif response.status_code in (301, 302, 303) and response.has_header("Location"):
            claimed.location = response["Location"][:500]
            claimed.save(update_fields=["location"])
        return response

    @staticmethod
    def _repeated(request, token: str):
        first = SubmittedForm.objects.filter(token=token).first()
        if first is not None and first.user_id == request.user.pk and first.location:
            messages.info(request, _("Biểu mẫu này đã được gửi trước đó; không ghi thêm lần nữa."))
            return redirect(first.location)
        message = _(
            "Biểu mẫu này đã được gửi trước đó (đang được xử lý hoặc đã xử lý); "
            "không ghi thêm lần nữa. Hãy mở lại trang để xem kết quả."
        )
        return render(request, "400.html", {"message": message}, status=409)
