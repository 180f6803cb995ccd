"""Pages of transfers: the letters a member gets (official, temporary), the organization's
outgoing and incoming transfers with the overdue ones and its temporary members, a
transfer with its receipt or return, the letters as DOCX and PDF. Members received from
outside the system and the requests to receive are in `outside_views`, members working
away in `away_views`.

A transfer is visible to whoever has the source or the destination in scope (the sender
and the receiver) and to nobody else (404). Receiving needs the right to change members at
the destination, recording a return at the source (403 otherwise).
"""

from datetime import date
from operator import attrgetter

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.accounts.access import organization_view, two_sided_view
from tochuc.accounts.permissions import CHANGE_MEMBERS, EXPORT, VIEW
from tochuc.core import audit
from tochuc.core.pages import (
    DATE,
    DOCX_TYPE,
    INT,
    PDF_TYPE,
    TEXT,
    Col,
    Sheet,
    dated_filename,
    download,
    export_response,
    place,
    procedure_page,
)
from tochuc.lib.dates import parse_query_date, vn_date
from tochuc.members.selectors import temporary_members_on
from tochuc.members.views import member_context, member_view

from . import forms, letters, selectors, services
from .models import ReceiveRequest, Transfer

# ---------------------------------------------------------------- the gate


def _transfer_get(*, scope, pk: int) -> Transfer:
    return get_object_or_404(selectors.transfers_visible(scope=scope), pk=pk)


# A transfer's two sides: the permission is needed at the source (a return), at the
# destination (a receipt), or at either side in scope (reading it, its letters).
SOURCE, DESTINATION = attrgetter("source"), attrgetter("destination")
EITHER_SIDE = (SOURCE, DESTINATION)


def _today() -> date:
    return timezone.localdate()


# ---------------------------------------------------------------- a member's letters


@member_view(CHANGE_MEMBERS)
def issue(request, member):
    """The official introduction letter (inside the system or out of it)."""
    return _letter_page(
        request, member, form_class=forms.TransferIssueForm,
        title=_("Chuyển sinh hoạt đảng chính thức"), service=services.transfer_issue,
    )  # fmt: skip


@member_view(CHANGE_MEMBERS)
def temporary(request, member):
    return _letter_page(
        request, member, form_class=forms.TemporaryTransferForm,
        title=_("Chuyển sinh hoạt đảng tạm thời"), service=services.temporary_transfer_issue,
    )  # fmt: skip


def _letter_page(request, member, *, form_class, title, service):
    posted = request.method == "POST"
    return procedure_page(
        request,
        form=form_class(request.POST if posted else None, member=member, scope=request.scope),
        call=lambda form: service(member=member, by=request.user, **form.service_kwargs()),
        done=lambda transfer: (
            _("Đã cấp giấy giới thiệu số %(number)s.") % {"number": transfer.letter_no}
        ),
        then=lambda transfer: reverse("transfers:transfer_detail", args=[transfer.pk]),
        template="members/procedure_form.html",
        context={
            **member_context(request, member),
            "title": title,
            "open_transfer": selectors.open_transfer(member=member),
        },
    )


# ---------------------------------------------------------------- one transfer


def _transfer_context(request, transfer: Transfer) -> dict:
    scope = request.scope
    here = next(
        (o for o in (transfer.source, transfer.destination) if o is not None and scope.contains(o)),
        None,
    )
    member_visible = scope.members().filter(pk=transfer.member_id).exists()
    today = _today()
    return {
        "transfer": transfer,
        "member": transfer.member,
        "member_visible": member_visible,
        **place(request, here, [(_("Chuyển sinh hoạt"), transfer_list_url(here))] if here else []),
        "is_overdue": bool(
            transfer.is_open and transfer.present_due and transfer.present_due < today
        ),
        "today": today,
    }


def transfer_list_url(organization, tab: str = "") -> str:
    url = reverse("transfers:transfers", args=[organization.code])
    return f"{url}?xem={tab}" if tab else url


@two_sided_view(VIEW, _transfer_get, sides=EITHER_SIDE)
def transfer_detail(request, transfer):
    scope = request.scope
    context = _transfer_context(request, transfer)
    can_receive = (
        transfer.is_open
        and transfer.kind == Transfer.Kind.OFFICIAL
        and transfer.destination is not None
        and scope.contains(transfer.destination)
        and CHANGE_MEMBERS in scope.permissions_for(transfer.destination)
    )
    can_return = (
        transfer.is_open
        and transfer.kind == Transfer.Kind.TEMPORARY
        and transfer.source is not None
        and scope.contains(transfer.source)
        and CHANGE_MEMBERS in scope.permissions_for(transfer.source)
    )
    # Sửa / Hủy the letter or its receipt: on the member's timeline (the member in sight,
    # with the right to change members where they are filed now).
    can_correct = context["member_visible"] and CHANGE_MEMBERS in scope.permissions_for(
        transfer.member.organization
    )
    return render(
        request,
        "transfers/transfer_detail.html",
        {**context, "can_receive": can_receive, "can_return": can_return,
         "can_correct": can_correct},
    )  # fmt: skip


@two_sided_view(CHANGE_MEMBERS, _transfer_get, sides=[DESTINATION])
def receive(request, transfer):
    """The receiving organization records the arrival."""
    context = _transfer_context(request, transfer)
    receivable = transfer.is_open and transfer.kind == Transfer.Kind.OFFICIAL
    initial = {"row_version": transfer.row_version, "arrived_on": _today()}
    form = forms.ReceiveForm(request.POST if request.method == "POST" else None, initial=initial)
    return procedure_page(
        request,
        form=form,
        call=lambda form: services.transfer_receive(
            transfer=transfer, arrived_on=form.cleaned_data["arrived_on"],
            expected_version=form.cleaned_data["row_version"], by=request.user,
        ),
        done=lambda _result: (
            _("Đã tiếp nhận đảng viên %(name)s từ ngày %(day)s.")
            % {"name": transfer.member.full_name, "day": vn_date(form.cleaned_data["arrived_on"])}
        ),
        then=reverse("members:detail", args=[transfer.member_id]),
        template="transfers/transfer_action.html",
        context={**context, "title": _("Tiếp nhận đảng viên"), "allowed": receivable,
                 "refusal": None if receivable else _("Giấy giới thiệu này không chờ tiếp nhận.")},
        allowed=receivable,
    )  # fmt: skip


@two_sided_view(CHANGE_MEMBERS, _transfer_get, sides=[SOURCE])
def temporary_return(request, transfer):
    """The member is back from temporary activity."""
    context = _transfer_context(request, transfer)
    returnable = transfer.is_open and transfer.kind == Transfer.Kind.TEMPORARY
    form = forms.ReturnForm(request.POST if request.method == "POST" else None)
    return procedure_page(
        request,
        form=form,
        call=lambda form: services.temporary_transfer_return(
            transfer=transfer, on=form.cleaned_data["on"], by=request.user
        ),
        done=_("Đã ghi đảng viên trở về sinh hoạt chính thức."),
        then=reverse("transfers:transfer_detail", args=[transfer.pk]),
        template="transfers/transfer_action.html",
        allowed=returnable,
        context={
            **context,
            "title": _("Kết thúc sinh hoạt tạm thời"),
            "allowed": returnable,
            "refusal": None
            if returnable
            else _("Đây không phải giấy sinh hoạt tạm thời còn hiệu lực."),
        },
    )


def _letter_response(request, transfer, content: bytes, extension: str, content_type: str):
    audit.record(
        "tochuc.member.letter_exported", by=request.user, obj=transfer.member,
        reason=transfer.letter_no, format=extension,
    )  # fmt: skip
    return download(content, letters.filename(transfer, extension), content_type)


@two_sided_view(VIEW, _transfer_get, sides=EITHER_SIDE)
def letter_docx(request, transfer):
    if transfer.issuer_id is None:
        return _no_letter(request, transfer)
    return _letter_response(request, transfer, letters.letter_docx(transfer), "docx", DOCX_TYPE)


@two_sided_view(VIEW, _transfer_get, sides=EITHER_SIDE)
def letter_pdf(request, transfer):
    if transfer.issuer_id is None:
        return _no_letter(request, transfer)
    return _letter_response(request, transfer, letters.letter_pdf(transfer), "pdf", PDF_TYPE)


def _no_letter(request, transfer):
    messages.info(request, _("Giấy giới thiệu này do tổ chức đảng ngoài hệ thống cấp."))
    return redirect("transfers:transfer_detail", pk=transfer.pk)


# ---------------------------------------------------------------- an organization's transfers


def _tabs():
    return {
        "di": _("Chuyển đi"),
        "den": _("Chuyển đến"),
        "qua-han": _("Quá hạn xuất trình"),
        "tam-thoi": _("Sinh hoạt tạm thời tại đây"),
    }


def _period(request) -> tuple[date | None, date | None, list[str]]:
    errors, values = [], []
    for name in ("tu", "den_ngay"):
        try:
            values.append(parse_query_date(request.GET.get(name, "")))
        except ValidationError as error:
            errors.extend(error.messages)
            values.append(None)
    return values[0], values[1], errors


def _transfer_rows(organization, tab: str, start, end, today):
    if tab == "den":
        qs = selectors.transfers_in(organization=organization)
    elif tab == "qua-han":
        return list(
            (selectors.overdue(selectors.transfers_out(organization=organization), today=today)
             | selectors.overdue(selectors.transfers_in(organization=organization), today=today))
            .order_by("present_due", "id")
        )  # fmt: skip
    else:
        qs = selectors.transfers_out(organization=organization)
    if start:
        qs = qs.filter(letter_on__gte=start)
    if end:
        qs = qs.filter(letter_on__lte=end)
    return list(qs)


@organization_view(VIEW)
def transfer_list(request, organization):
    today = _today()
    tab = request.GET.get("xem", "di")
    tabs = _tabs()
    if tab not in tabs:
        tab = "di"
    start, end, date_errors = _period(request)
    temporary_rows = temporary_members_on(organization=organization, on=today)
    rows = [] if tab == "tam-thoi" else _transfer_rows(organization, tab, start, end, today)
    overdue_count = (
        selectors.overdue(selectors.transfers_out(organization=organization), today=today)
        | selectors.overdue(selectors.transfers_in(organization=organization), today=today)
    ).count()
    perms = request.org_perms
    return render(
        request,
        "transfers/transfer_list.html",
        {
            **place(request, organization),
            "tab": tab,
            "tabs": tabs,
            "rows": rows,
            "temporary_rows": temporary_rows,
            "overdue_count": overdue_count,
            "today": today,
            "start": start,
            "end": end,
            "date_errors": date_errors,
            "can_receive_outside": CHANGE_MEMBERS in perms,
            "can_export": EXPORT in perms,
            # Requests to receive a record of this subtree, waiting for its confirmation.
            "requests_to_confirm": selectors.receive_requests_to_confirm(scope=request.scope)
            .filter(member__in=request.scope.members(within=organization).values("pk"))
            .filter(state=ReceiveRequest.State.PENDING)
            .count(),
            "query": request.GET.urlencode(),
        },
    )


TRANSFER_COLUMNS = (
    Col(gettext_lazy("STT"), INT, 6), Col(gettext_lazy("Họ và tên"), TEXT, 28),
    Col(gettext_lazy("Loại"), TEXT, 12), Col(gettext_lazy("Số giấy giới thiệu"), TEXT, 16),
    Col(gettext_lazy("Ngày cấp"), DATE, 12), Col(gettext_lazy("Nơi đi"), TEXT, 32),
    Col(gettext_lazy("Nơi đến"), TEXT, 32), Col(gettext_lazy("Hạn xuất trình"), DATE, 14),
    Col(gettext_lazy("Ngày đến, trở về"), DATE, 12), Col(gettext_lazy("Tình trạng"), TEXT, 20),
)  # fmt: skip


@organization_view(EXPORT)
def transfer_export(request, organization):
    today = _today()
    tab = request.GET.get("xem", "di")
    if tab not in _tabs() or tab == "tam-thoi":
        tab = "di"
    start, end, _errors = _period(request)
    rows = _transfer_rows(organization, tab, start, end, today)

    def lines():
        for number, t in enumerate(rows, start=1):
            yield (
                number, t.member.full_name, t.get_kind_display(), t.letter_no, t.letter_on,
                t.source.name if t.source else t.other_party,
                t.destination.name if t.destination else t.other_party,
                t.present_due, t.arrived_on or t.returned_on, t.get_state_display(),
            )  # fmt: skip

    return export_response(
        request,
        sheets=[Sheet(_tabs()[tab], TRANSFER_COLUMNS, lines())],
        filename=dated_filename(f"chuyen-sinh-hoat-{tab}-{organization.code}", today),
        action="tochuc.member.transfers_exported",
        organization=organization.code, tab=tab, start=start, end=end,
    )  # fmt: skip
