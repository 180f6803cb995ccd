"""The staff's side: a member's account (issue the one-time code, print it, lock the
account), and the queue of the members' requests with its answer page."""

from operator import attrgetter

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from tochuc.accounts.access import object_view, organization_view, scoped_view
from tochuc.accounts.permissions import ANSWER_REQUESTS, MANAGE_MEMBER_ACCOUNTS
from tochuc.core.pages import (
    DATE,
    INT,
    TEXT,
    Col,
    Sheet,
    dated_filename,
    export_response,
    place,
    recorded_by,
    show_refusal,
)
from tochuc.members.selectors import member_get

from . import accounts, selectors, services
from .forms import AccountForm, AnswerForm, ReopenForm
from .models import RequestState

STATES = {"cho": RequestState.PENDING, "da-tra-loi": RequestState.ACCEPTED,
          "tu-choi": RequestState.REFUSED, "da-rut": RequestState.WITHDRAWN}  # fmt: skip


@object_view(MANAGE_MEMBER_ACCOUNTS, member_get, attrgetter("organization"))
@never_cache
@require_http_methods(["GET", "POST"])
def account(request, member):
    form = AccountForm(request.POST or None)
    context = {
        "member": member, "account": selectors.account_for_member(member=member),
        **place(request, member.organization,
                [(member.full_name, reverse("members:detail", args=[member.pk]))]),
    }  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            with recorded_by(request):
                if form.cleaned_data["action"] == AccountForm.ISSUE:
                    issued, code = accounts.account_issue(member=member, by=request.user)
                    return render(request, "selfservice/account_code.html", {
                        **context, "account": issued, "code": code,
                    })  # fmt: skip
                current = context["account"]
                if current is None:
                    raise ValidationError(_("Đảng viên này chưa có tài khoản."))
                accounts.account_deactivate(
                    account=current, reason=form.cleaned_data["reason"], by=request.user
                )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Đã khóa tài khoản; các phiên đăng nhập đã kết thúc."))
            return redirect("selfservice:account", pk=member.pk)
    return render(request, "selfservice/account.html", {**context, "form": form})


def _queue_rows(request):
    state = STATES.get(request.GET.get("trang_thai", "cho"), RequestState.PENDING)
    return state, selectors.queue(scope=request.scope, state=state)


@scoped_view(ANSWER_REQUESTS)
def queue(request):
    state, rows = _queue_rows(request)
    return render(request, "selfservice/queue.html", {
        "rows": rows[:500], "state": state, "states": STATES,
        "chosen": request.GET.get("trang_thai", "cho"),
    })  # fmt: skip


QUEUE_COLUMNS = (
    Col(gettext_lazy("STT"), INT, 6),
    Col(gettext_lazy("Họ và tên"), TEXT, 28),
    Col(gettext_lazy("Chi bộ"), TEXT, 30),
    Col(gettext_lazy("Loại yêu cầu"), TEXT, 30),
    Col(gettext_lazy("Nội dung"), TEXT, 40),
    Col(gettext_lazy("Ngày nhận"), DATE, 12),
    Col(gettext_lazy("Hạn trả lời"), DATE, 12),
    Col(gettext_lazy("Trạng thái"), TEXT, 18),
    Col(gettext_lazy("Kết quả, lý do"), TEXT, 40),
)


def _summary(row) -> str:
    if row.kind == "correction":
        return f"{services.field_label(row.field)}: {row.held_value or '—'} → {row.asked_value}"
    if row.kind == "transfer_letter":
        return row.detail.get("destination", "")
    return row.detail.get("session", "")


@scoped_view(ANSWER_REQUESTS)
def queue_export(request):
    state, rows = _queue_rows(request)
    lines = (
        (i, r.member.full_name, r.organization.name, r.get_kind_display(), _summary(r),
         r.received_on, r.due_on, r.get_state_display(), r.outcome)
        for i, r in enumerate(rows, 1)
    )  # fmt: skip
    return export_response(
        request, sheets=[Sheet(_("Yêu cầu của đảng viên"), QUEUE_COLUMNS, lines)],
        filename=dated_filename("yeu-cau-dang-vien"), action="tochuc.self_request.exported",
        state=state,
    )  # fmt: skip


@organization_view(ANSWER_REQUESTS)
@require_http_methods(["GET", "POST"])
def answer(request, organization, pk: int):
    found = selectors.request_in(organization=organization, scope=request.scope, pk=pk)
    member = found.member
    form = AnswerForm(request.POST or None, initial={"version": member.row_version})
    if request.method == "POST" and found.is_open and form.is_valid():
        data = form.cleaned_data
        try:
            with recorded_by(request):
                if data["decision"] == AnswerForm.ACCEPT:
                    services.request_accept(
                        request=found, by=request.user, expected_version=data["version"],
                        outcome=data["reason"],
                    )  # fmt: skip
                else:
                    services.request_refuse(request=found, reason=data["reason"], by=request.user)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            found.refresh_from_db()
            messages.success(request, _("Đã trả lời yêu cầu (%(state)s).") % {
                "state": found.get_state_display().lower()})  # fmt: skip
            if found.outcome_url:
                return redirect(found.outcome_url)
            return redirect("selfservice:queue")
    return _answer_page(request, organization, found, form=form)


def _answer_page(request, organization, found, *, form=None, reopen_form=None):
    member = found.member
    if reopen_form is None and found.state in services.REOPENABLE:
        reopen_form = ReopenForm(initial={"version": member.row_version})
    return render(request, "selfservice/answer.html", {
        "req": found, "member": member, "form": form, "summary": _summary(found),
        "current_value": services.current_value(found), "reopen_form": reopen_form,
        **place(request, organization, [(_("Yêu cầu"), reverse("selfservice:queue"))]),
    })  # fmt: skip


@organization_view(ANSWER_REQUESTS)
@require_http_methods(["GET", "POST"])
def reopen(request, organization, pk: int):
    """Sửa an answer given wrongly: the request is pending again (a correction undone)."""
    found = selectors.request_in(organization=organization, scope=request.scope, pk=pk)
    if request.method == "GET":
        return redirect("selfservice:answer", code=organization.code, pk=found.pk)
    if found.state not in services.REOPENABLE:
        messages.error(request, _("Chỉ mở lại được yêu cầu đã chấp nhận hoặc đã từ chối."))
        return redirect("selfservice:answer", code=organization.code, pk=found.pk)
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            with recorded_by(request):
                services.request_reopen(
                    request=found, reason=form.cleaned_data["reason"], by=request.user,
                    expected_version=form.cleaned_data["version"],
                )  # fmt: skip
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Đã mở lại yêu cầu; đảng viên đã được báo."))
            return redirect("selfservice:answer", code=organization.code, pk=found.pk)
    return _answer_page(request, organization, found, reopen_form=form)
