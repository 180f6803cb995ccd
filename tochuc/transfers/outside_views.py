"""Pages of members received from outside the system: the receiver's form, and the
requests to receive a record kept outside the receiver's scope — seen by the receiving
side and the side that keeps the record, by nobody else (404); confirmed or refused by the
latter, withdrawn by the former."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tochuc.accounts.access import scoped_view
from tochuc.accounts.permissions import CHANGE_MEMBERS, VIEW
from tochuc.lib.dates import vn_date
from tochuc.members.forms import show_refusal
from tochuc.members.views import organization_param_view, recorded_by
from tochuc.organizations.selectors import ancestors_on

from . import forms, selectors, services
from .models import ReceiveRequest
from .views import transfer_list_url


@organization_param_view(CHANGE_MEMBERS)
def receive_from_outside(request, organization):
    posted = request.method == "POST"
    form = forms.ReceiveFromOutsideForm(
        request.POST if posted else None, organization=organization, scope=request.scope
    )
    if posted and form.is_valid():
        try:
            with recorded_by(request):
                transfer = services.transfer_receive_from_outside(
                    by=request.user, **form.service_kwargs()
                )
        except ValidationError as error:
            show_refusal(form, error, form.error_fields)
        else:
            if isinstance(transfer, ReceiveRequest):
                messages.info(
                    request,
                    _(
                        "Đã gửi yêu cầu tiếp nhận. Hồ sơ sẽ được chuyển về %(cell)s khi cấp ủy "
                        "đang quản lý hồ sơ xác nhận."
                    )
                    % {"cell": transfer.organization.name},
                )
                return redirect("transfers:receive_request", pk=transfer.pk)
            messages.success(
                request,
                _("Đã tiếp nhận đảng viên %(name)s chuyển đến từ ngoài hệ thống.")
                % {"name": transfer.member.full_name},
            )
            return redirect("members:detail", pk=transfer.member_id)
    return render(
        request,
        "members/form.html",
        {
            "org": organization,
            "ancestors": ancestors_on(
                scope=request.scope, organization=organization, on=timezone.localdate()
            ),
            "trail": [(_("Chuyển sinh hoạt"), transfer_list_url(organization, "den"))],
            "form": form,
            "title": _("Tiếp nhận đảng viên từ ngoài hệ thống"),
        },
    )


# ---------------------------------------------------------------- requests to receive


def receive_request_view(permission: str, side: str | None = None):
    """Declare a view on one request to receive a member from outside (URL kwarg `pk`).
    Seen by the receiving side (the cell in scope) and the side that keeps the record (the
    record in scope), by nobody else (404). `side="record"`: only the latter may reach the
    view at all (404 for anyone else, the receiver included), with `permission` at the
    record's organization (403 otherwise); `side="receiver"` likewise for the receiving
    cell (the side that keeps the record gets 404)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, pk, *args, **kwargs):
            scope = request.scope
            if side == "record":
                found = selectors.receive_requests_to_confirm(scope=scope)
            elif side == "receiver":
                found = selectors.receive_requests_sent(scope=scope)
            else:
                found = selectors.receive_requests_visible(scope=scope)
            receive_request = get_object_or_404(found.select_related("member__organization"), pk=pk)
            sides = {
                "record": [receive_request.member.organization],
                "receiver": [receive_request.organization],
            }.get(side, [receive_request.member.organization, receive_request.organization])
            perms: set[str] = set()
            for organization in sides:
                if scope.contains(organization):
                    perms |= scope.permissions_for(organization)
            if permission not in perms:
                raise PermissionDenied
            request.org_perms = frozenset(perms)
            return view(request, receive_request, *args, **kwargs)

        wrapper.permission = permission
        return wrapper

    return decorator


def _receive_request_page(request, receive_request, form=None, withdraw_form=None):
    scope = request.scope
    keeps_record = scope.members().filter(pk=receive_request.member_id).exists() or scope.is_admin
    can_decide = (
        keeps_record
        and receive_request.state == ReceiveRequest.State.PENDING
        and CHANGE_MEMBERS in scope.permissions_for(receive_request.member.organization)
    )
    here = receive_request.organization if scope.contains(receive_request.organization) else None
    can_withdraw = (
        receive_request.state == ReceiveRequest.State.PENDING
        and scope.contains(receive_request.organization)
        and CHANGE_MEMBERS in scope.permissions_for(receive_request.organization)
    )
    return render(
        request,
        "transfers/receive_request.html",
        {
            "receive_request": receive_request,
            "member": receive_request.member if keeps_record else None,
            "can_decide": can_decide,
            "form": form or forms.ReceiveRequestDecisionForm(),
            "can_withdraw": can_withdraw,
            "withdraw_form": withdraw_form or forms.ReceiveRequestWithdrawForm(prefix="withdraw"),
            "org": here,
            "ancestors": ancestors_on(scope=scope, organization=here, on=timezone.localdate())
            if here
            else [],
            "trail": [(_("Yêu cầu tiếp nhận"), reverse("transfers:receive_requests"))],
            "title": _("Yêu cầu tiếp nhận đảng viên"),
        },
    )


@scoped_view(VIEW)
def receive_requests(request):
    """Requests to confirm (records in scope) and requests sent (receiving cells in scope)."""
    scope = request.scope
    return render(
        request,
        "transfers/receive_requests.html",
        {
            "to_confirm": list(selectors.receive_requests_to_confirm(scope=scope)[:200]),
            "sent": list(selectors.receive_requests_sent(scope=scope)[:200]),
            "org": None,
            "ancestors": [],
            "trail": [],
            "title": _("Yêu cầu tiếp nhận đảng viên"),
        },
    )


@receive_request_view(VIEW)
def receive_request(request, receive_request):
    return _receive_request_page(request, receive_request)


@receive_request_view(CHANGE_MEMBERS, side="record")
def receive_request_decide(request, receive_request):
    """The side that keeps the record confirms (the record moves) or refuses."""
    if request.method != "POST":
        return redirect("transfers:receive_request", pk=receive_request.pk)
    form = forms.ReceiveRequestDecisionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            with recorded_by(request):
                if data["action"] == form.CONFIRM:
                    services.receive_request_confirm(request=receive_request, by=request.user)
                else:
                    services.receive_request_refuse(
                        request=receive_request, reason=data["note"], by=request.user
                    )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            done = (
                _("Đã xác nhận: %(name)s sinh hoạt tại %(cell)s từ ngày %(day)s.")
                if data["action"] == form.CONFIRM
                else _("Đã từ chối yêu cầu tiếp nhận %(name)s.")
            )
            messages.success(
                request,
                done % {"name": receive_request.full_name,
                        "cell": receive_request.organization.name,
                        "day": vn_date(receive_request.arrived_on)},
            )  # fmt: skip
            return redirect("transfers:receive_request", pk=receive_request.pk)
    return _receive_request_page(request, receive_request, form)


@receive_request_view(CHANGE_MEMBERS, side="receiver")
def receive_request_withdraw(request, receive_request):
    """The receiving side withdraws its request while it waits; nothing moves."""
    if request.method != "POST":
        return redirect("transfers:receive_request", pk=receive_request.pk)
    form = forms.ReceiveRequestWithdrawForm(request.POST, prefix="withdraw")
    if form.is_valid():
        try:
            with recorded_by(request):
                services.receive_request_withdraw(
                    request=receive_request, reason=form.cleaned_data["note"], by=request.user
                )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(
                request,
                _("Đã rút yêu cầu tiếp nhận %(name)s.") % {"name": receive_request.full_name},
            )
            return redirect("transfers:receive_request", pk=receive_request.pk)
    return _receive_request_page(request, receive_request, withdraw_form=form)
