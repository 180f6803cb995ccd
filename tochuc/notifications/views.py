"""The inbox of any signed-in user: their own notifications only (another's is not found)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import selectors, services


@require_http_methods(["GET"])
def inbox(request):
    page = Paginator(selectors.inbox_of(user=request.user), 30).get_page(request.GET.get("trang"))
    return render(request, "notifications/inbox.html", {"page": page})


@require_POST
def read_all(request):
    count = services.notifications_read_all(user=request.user)
    messages.success(request, _("Đã đánh dấu %(n)s thông báo là đã đọc.") % {"n": count})
    return redirect("notifications:inbox")


@require_http_methods(["GET"])
def open_notification(request, pk: int):
    notification = selectors.notification_get(user=request.user, pk=pk)
    services.notification_open(notification=notification)
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        return redirect(target)
    return redirect("notifications:inbox")
