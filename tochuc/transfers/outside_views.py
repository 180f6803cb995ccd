"""Pages of members received from outside the system: the receiver's form, and the
requests to receive a record kept outside the receiver's scope — seen by the receiving
side and the side that keeps the record, by nobody else (404); confirmed or refused by the
latter, withdrawn by the former."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from tochuc.accounts.access import organization_view, scoped_view, two_sided_view
from tochuc.accounts.permissions import CHANGE_MEMBERS, VIEW
from tochuc.core.pages import place, recorded_by, show_refusal
from tochuc.lib.dates import vn_date

from . import forms, selectors, services
from .models import ReceiveRequest
from .views import transfer_list_url


@organization_view(CHANGE_MEMBERS)
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
            **place(
                request,
                organization,
                [(_("Chuyển sinh hoạt"), transfer_list_url(organization, "den"))],
            ),
            "form": form,
            "title": _("Tiếp nhận đảng viên từ ngoài hệ thống"),
        },
    )


# ---------------------------------------------------------------- requests to receive


def _receive_request_visible(*, scope, pk: int) -> ReceiveRequest:
    """Seen by the receiving side (the cell in scope) and the side that keeps the record
    (the record in scope), by nobody else (404)."""
    found = selectors.receive_requests_visible(scope=scope)
    return get_object_or_404(found.select_related("member__organization"), pk=pk)


def _receive_request_to_confirm(*, scope, pk: int) -> ReceiveRequest:
    """Reached only by the side that keeps the record (404 for anyone else)."""
    found = selectors.receive_requests_to_confirm(scope=scope)
    return get_object_or_404(found.select_related("member__organization"), pk=pk)


def _receive_request_sent(*, scope, pk: int) -> ReceiveRequest:
    """Reached only by the receiving side (404 for anyone else)."""
    found = selectors.receive_requests_sent(scope=scope)
    return get_object_or_404(found.select_related("member__organization"), pk=pk)


# A request's two sides: the organization that keeps the record, the receiving cell.
def _record_side(receive_request: ReceiveRequest):
    return receive_request.member.organization


def _receiving_side(receive_request: ReceiveRequest):
    return receive_request.organization


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
            **place(
                request, here, [(_("Yêu cầu tiếp nhận"), reverse("transfers:receive_requests"))]
            ),
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


@two_sided_view(VIEW, _receive_request_visible, sides=[_record_side, _receiving_side])
def receive_request(request, receive_request):
    return _receive_request_page(request, receive_request)


# Only the side that keeps the record reaches the decision (404 for anyone else, the
# receiver included), with the permission at the record's organization (403 otherwise).
@two_sided_view(CHANGE_MEMBERS, _receive_request_to_confirm, sides=[_record_side])
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


# Only the receiving side reaches the withdrawal (the side that keeps the record gets 404),
# with the permission at the receiving cell (403 otherwise).
@two_sided_view(CHANGE_MEMBERS, _receive_request_sent, sides=[_receiving_side])
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
