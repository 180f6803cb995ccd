"""Pages of the dues app: an organization's month (its cells, reported or not, and the
remittance of its children), a cell's collection page (a treasurer on a phone), arrears and
the removal flag, and a member's dues (category, reliefs, months of the year).

Out of scope → 404, in scope without the permission → 403 (the gate's decorators); writes
need COLLECT_DUES.
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.accounts.access import organization_view, scoped_view
from tochuc.accounts.permissions import COLLECT_DUES, EXPORT, VIEW
from tochuc.core.corrections import Grounds, correction_page
from tochuc.core.pages import (
    INT,
    TEXT,
    Col,
    Sheet,
    dated_filename,
    export_response,
    place,
    procedure_page,
    recorded_by,
    today,
)
from tochuc.lib.dates import add_months, year_in_query
from tochuc.members.views import member_view
from tochuc.policy.dues import first_of_month

from . import corrections, forms, ledger, rolls, selectors, services

# ---------------------------------------------------------------- the month in view


def month_in_view(request) -> tuple[date, str]:
    """`?thang=mm/yyyy`, this month by default; with a Vietnamese note when typed wrong."""
    text = request.GET.get("thang", "").strip()
    current = first_of_month(today())
    if not text:
        return current, ""
    month = forms.parse_month(text)
    if month is None or month > add_months(current, 12):
        return current, _("Tháng “%(text)s” không hợp lệ (mm/yyyy); đang xem tháng này.") % {
            "text": text
        }
    return month, ""


def year_in_view(request) -> tuple[int, str]:
    """`?nam=2025`, this year by default; with the Vietnamese reason when typed wrong."""
    return year_in_query(request.GET, "nam", default=today().year)


def _month_nav(month: date) -> dict:
    return {
        "month": month,
        "previous_month": add_months(month, -1),
        "next_month": add_months(month, 1),
        "is_current": month == first_of_month(today()),
    }


def _roll_url(organization, month) -> str:
    return reverse("dues:roll", args=[organization.code]) + f"?thang={month:%m/%Y}"


def _overview_link(organization) -> tuple[str, str]:
    return (_("Đảng phí"), reverse("dues:overview", args=[organization.code]))


@scoped_view(VIEW)
def index(request):
    homes = request.scope.home_organizations()
    if not homes:
        raise Http404
    return redirect("dues:overview", code=homes[0].code)


# ---------------------------------------------------------------- an organization's month


def _month_lines(organization, month):
    [book] = ledger.ledger(root=organization, months=[month])
    children = book.children(organization.pk)
    names = {o.pk: o for o in selectors.children_of(ids=children)}
    lines = [(names[c], book.lines[c]) for c in sorted(children, key=lambda c: names[c].name_sort)]
    return book.lines.get(organization.pk), lines


@organization_view(VIEW)
def overview(request, organization):
    month, note = month_in_view(request)
    own, children = _month_lines(organization, month)
    states = selectors.cell_states(organization=organization, month=month)
    return render(
        request,
        "dues/overview.html",
        {
            **place(request, organization),
            **_month_nav(month),
            "note": note,
            "own": own,
            "children": children,
            "states": states,
            "unreported": [s for s in states if not s.reported],
            "is_cell": organization.kind in ledger.COLLECTING,
            "can_export": EXPORT in request.org_perms,
        },
    )


@organization_view(EXPORT)
def overview_export(request, organization):
    month, _note = month_in_view(request)
    own, children = _month_lines(organization, month)
    states = selectors.cell_states(organization=organization, month=month)
    money = [Col(_("Thu của đảng viên"), INT, 16), Col(_("Cấp dưới nộp lên"), INT, 16),
             Col(_("Trích giữ lại"), INT, 16), Col(_("Nộp cấp trên"), INT, 16)]  # fmt: skip
    ledger_rows = [
        [org.name, line.collected, line.received, line.retained, line.remitted]
        for org, line in ([(organization, own)] if own else []) + children
    ]
    cell_rows = [
        [s.organization.code, s.organization.name, s.sheet.collected if s.sheet else 0,
         s.sheet.payments if s.sheet else 0,
         _("Đã báo cáo") if s.reported else _("Chưa báo cáo")]
        for s in states
    ]  # fmt: skip
    return export_response(
        request,
        sheets=[
            Sheet(_("Thu nộp"), [Col(_("Tổ chức"), TEXT, 40), *money], ledger_rows),
            Sheet(
                _("Các chi bộ"),
                [
                    Col(_("Mã"), TEXT, 24),
                    Col(_("Chi bộ"), TEXT, 40),
                    Col(_("Đã thu"), INT, 14),
                    Col(_("Lượt nộp"), INT, 10),
                    Col(_("Tình trạng"), TEXT, 16),
                ],
                cell_rows,
            ),
        ],  # fmt: skip
        filename=dated_filename(f"dang-phi-{organization.code}-{month:%Y-%m}", month),
        action="tochuc.dues.exported",
        obj=organization,
        month=f"{month:%m/%Y}",
    )


# ---------------------------------------------------------------- a cell's collection page


@organization_view(VIEW)
def roll(request, organization):
    return _roll_page(request, organization)


def _roll_page(request, organization):
    month, note = month_in_view(request)
    is_cell = organization.kind in ledger.COLLECTING
    lines = rolls.cell_roll(organization=organization, month=month) if is_cell else []
    sheet = selectors.sheet_of(organization=organization, month=month) if is_cell else None
    can_collect = (
        is_cell and COLLECT_DUES in request.org_perms and not (sheet and sheet.reported_on)
    )
    due = sum(line.due.amount for line in lines)
    paid = sum(line.due.amount for line in lines if line.due.paid)
    return render(
        request,
        "dues/roll.html",
        {
            **place(request, organization, [_overview_link(organization)]),
            **_month_nav(month),
            "note": note,
            "is_cell": is_cell,
            "cells": [] if is_cell else selectors.collecting_organizations(
                organization=organization, month=month),
            "lines": lines,
            "sheet": sheet,
            "due_total": due,
            "paid_total": paid,
            "unpaid_count": sum(1 for line in lines if line.due.unpaid),
            "can_collect": can_collect,
            "can_reopen": bool(
                is_cell and sheet and sheet.reported_on and COLLECT_DUES in request.org_perms
            ),
            "can_export": EXPORT in request.org_perms,
            "paid_on": min(today(), rolls.month_end(month)),
            "other_form": forms.OtherMonthsForm(members=[line.member for line in lines])
            if can_collect else None,
        },
    )  # fmt: skip


@organization_view(COLLECT_DUES)
def collect(request, organization):
    """The collection page's POST: the ticked members paid, all paid but the ticked ones,
    a late or advance payment, or the sheet reported; then back to the page. A refusal
    shows the page again with the reasons, nothing written."""
    month, _note = month_in_view(request)
    if request.method != "POST":
        return _roll_page(request, organization)
    ids = rolls.roll_by_month(organization=organization, months=[month])[month]
    try:
        with recorded_by(request):
            done = _collect(request, organization, month, ids)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return _roll_page(request, organization)
    messages.success(request, done)
    return redirect(_roll_url(organization, month))


def _collect(request, organization, month, ids) -> str:
    if request.POST.get("mode") == "other":
        return _other_months(request, organization, month, ids)
    if request.POST.get("mode") == "reopen":
        sheet = selectors.sheet_of(organization=organization, month=month)
        if sheet is None:
            raise ValidationError(
                _("Tháng %(month)s chưa có sổ thu.") % {"month": f"{month:%m/%Y}"}
            )
        corrections.dues_sheet_reopen(
            sheet=sheet, grounds=Grounds(request.POST.get("reason", "")), by=request.user,
            expected_version=_int(request.POST.get("row_version")),
        )  # fmt: skip
        return _("Đã hủy báo cáo sổ thu tháng %(month)s; sổ mở lại để sửa.") % {
            "month": f"{month:%m/%Y}"
        }
    if request.POST.get("mode") == "cancel":
        payment = selectors.payment_on_sheet(
            organization=organization, month=month, pk=request.POST.get("payment", "")
        )
        services.dues_payment_cancel(
            payment=payment, reason=request.POST.get("reason", ""), by=request.user
        )
        return _("Đã hủy lượt nộp đảng phí tháng %(month)s của %(name)s.") % {
            "month": f"{payment.for_month:%m/%Y}",
            "name": payment.member.full_name,
        }
    form = forms.CollectForm(request.POST, roll_ids=ids)
    if not form.is_valid():
        raise ValidationError([e for errors in form.errors.values() for e in errors])
    data = form.cleaned_data
    common = {"organization": organization, "month": month, "by": request.user,
              "row_version": data["row_version"]}  # fmt: skip
    if data["mode"] == "report":
        sheet = services.dues_sheet_report(**common)
        return _("Đã báo cáo sổ thu tháng %(month)s: %(amount)s đồng.") % {
            "month": f"{month:%m/%Y}",
            "amount": f"{sheet.collected:,}".replace(",", "."),
        }
    if data["mode"] == "except":
        made = services.dues_collect_all_except(
            except_ids=data["members"], paid_on=data["paid_on"], **common
        )
    else:
        made = services.dues_payments_record(
            lines=[services.PaymentLine(i, month) for i in data["members"]],
            paid_on=data["paid_on"], **common,
        )  # fmt: skip
    return _paid_message(made)


def _int(text) -> int | None:
    return int(text) if str(text or "").isdigit() else None


def _paid_message(made) -> str:
    total = f"{sum(p.amount for p in made):,}".replace(",", ".")
    return _("Đã ghi %(n)s lượt nộp, %(amount)s đồng.") % {"n": len(made), "amount": total}


def _other_months(request, organization, month, ids) -> str:
    members = selectors.members_by_ids(ids=ids)
    form = forms.OtherMonthsForm(request.POST, members=members)
    if not form.is_valid():
        raise ValidationError([e for errors in form.errors.values() for e in errors])
    data = form.cleaned_data
    lines = [
        services.PaymentLine(data["member"], add_months(data["first_month"], n),
                             reference=data["reference"])
        for n in range(data["months"])
    ]  # fmt: skip
    made = services.dues_payments_record(
        organization=organization, month=month, lines=lines, paid_on=data["paid_on"],
        by=request.user,
    )  # fmt: skip
    return _paid_message(made)


L = gettext_lazy
ROLL_COLUMNS = (
    Col(L("STT"), INT, 6), Col(L("Họ và tên"), TEXT, 28), Col(L("Đối tượng"), TEXT, 30),
    Col(L("Lương, lương hưu"), INT, 14), Col(L("Phải nộp"), INT, 12),
    Col(L("Miễn, giảm"), TEXT, 24), Col(L("Đã nộp"), INT, 12), Col(L("Ngày nộp"), TEXT, 12),
    Col(L("Mã giao dịch"), TEXT, 18),
)  # fmt: skip


@organization_view(EXPORT)
def roll_export(request, organization):
    month, _note = month_in_view(request)
    lines = []
    if organization.kind in ledger.COLLECTING:
        lines = rolls.cell_roll(organization=organization, month=month)
    rows = [
        [n, line.member.full_name, line.due.category_label, line.due.basis or None,
         line.due.amount, line.due.relief, line.due.payment.amount if line.due.paid else None,
         f"{line.due.payment.paid_on:%d/%m/%Y}" if line.due.paid else "",
         line.due.payment.reference if line.due.paid else ""]
        for n, line in enumerate(lines, start=1)
    ]  # fmt: skip
    return export_response(
        request,
        sheets=[Sheet(_("Sổ thu %(month)s") % {"month": f"{month:%m-%Y}"}, ROLL_COLUMNS, rows)],
        filename=dated_filename(f"so-thu-dang-phi-{organization.code}-{month:%Y-%m}", month),
        action="tochuc.dues.roll_exported",
        obj=organization,
        month=f"{month:%m/%Y}",
    )


# ---------------------------------------------------------------- arrears and the flag


def _arrears(organization, year) -> list | None:
    """The arrears of a cell, or the flagged members of a subtree of not too many cells
    (None: too many; the page asks to choose a smaller organization)."""
    if organization.kind in ledger.COLLECTING:
        return rolls.arrears(organization=organization, year=year, today=today())
    if selectors.too_many_cells(organization=organization, year=year):
        return None
    return selectors.members_unpaid(organization=organization, year=year, today=today())


@organization_view(VIEW)
def arrears(request, organization):
    year, note = year_in_view(request)
    return render(
        request,
        "dues/arrears.html",
        {
            **place(request, organization, [_overview_link(organization)]),
            "year": year,
            "note": note,
            "rows": _arrears(organization, year),
            "is_cell": organization.kind in ledger.COLLECTING,
            "can_export": EXPORT in request.org_perms,
        },
    )


@organization_view(EXPORT)
def arrears_export(request, organization):
    year, _note = year_in_view(request)
    rows = [
        [n, a.member.full_name, a.member.organization.name if a.member.organization_id else "",
         ", ".join(f"{d.month:%m}" for d in a.months), len(a.months), a.amount,
         _("Có") if a.flagged else ""]
        for n, a in enumerate(_arrears(organization, year) or [], start=1)
    ]  # fmt: skip
    columns = (
        Col(_("STT"), INT, 6), Col(_("Họ và tên"), TEXT, 28), Col(_("Chi bộ"), TEXT, 30),
        Col(_("Các tháng chưa nộp"), TEXT, 30), Col(_("Số tháng"), INT, 10),
        Col(_("Số tiền"), INT, 14), Col(_("Thuộc diện xem xét xóa tên"), TEXT, 16),
    )  # fmt: skip
    return export_response(
        request,
        sheets=[Sheet(_("Nợ đảng phí %(year)s") % {"year": year}, columns, rows)],
        filename=dated_filename(f"no-dang-phi-{organization.code}-{year}"),
        action="tochuc.dues.arrears_exported",
        obj=organization,
        year=year,
    )


# ---------------------------------------------------------------- a member's dues


def _member_place(request, member, trail=()):
    return {
        **place(request, member.organization, [
            (member.full_name, reverse("members:detail", args=[member.pk])), *trail]),
        "member": member,
    }  # fmt: skip


@member_view(VIEW)
def member_dues(request, member):
    year, note = year_in_view(request)
    return render(
        request,
        "dues/member.html",
        {
            **_member_place(request, member),
            "year": year,
            "note": note,
            "dues": selectors.member_dues(member=member, year=year, today=today()),
            "can_change": COLLECT_DUES in request.org_perms,
        },
    )


def _member_url(member) -> str:
    return reverse("dues:member", args=[member.pk])


@member_view(COLLECT_DUES)
def member_basis(request, member):
    form = forms.BasisForm(
        request.POST or None, initial={"month": first_of_month(today()), "category": "salary"}
    )
    return procedure_page(
        request,
        form=form,
        call=lambda f: services.dues_basis_set(
            member=member, month=f.cleaned_data["month"], category=f.cleaned_data["category"],
            basis=f.cleaned_data["basis"] or 0, note=f.cleaned_data["note"], by=request.user,
        ),  # fmt: skip
        done=_("Đã ghi mức đóng đảng phí."),
        then=_member_url(member),
        template="dues/form.html",
        context={**_member_place(request, member, [(_("Đảng phí"), _member_url(member))]),
                 "title": _("Đối tượng và mức đóng đảng phí"), "cancel": _member_url(member)},
    )  # fmt: skip


@member_view(COLLECT_DUES)
def member_relief(request, member):
    form = forms.ReliefForm(request.POST or None, initial={"kind": "reduction"})
    return procedure_page(
        request,
        form=form,
        call=lambda f: services.dues_relief_grant(
            member=member, kind=f.cleaned_data["kind"], percent=f.cleaned_data["percent"] or 100,
            first_month=f.cleaned_data["first_month"], last_month=f.cleaned_data["last_month"],
            ground=f.cleaned_data["ground"], ground_text=f.cleaned_data["ground_text"],
            decision_no=f.cleaned_data["decision_no"], decided_on=f.cleaned_data["decided_on"],
            by=request.user,
        ),  # fmt: skip
        done=_("Đã ghi miễn, giảm đảng phí."),
        then=_member_url(member),
        template="dues/form.html",
        context={**_member_place(request, member, [(_("Đảng phí"), _member_url(member))]),
                 "title": _("Miễn, giảm đảng phí"), "cancel": _member_url(member)},
    )  # fmt: skip


# ---------------------------------------------------------------- Sửa / Hủy


def _record_of(request, related) -> object:
    """The member's basis or relief named by `?ban_ghi=` (another member's: 404)."""
    raw = request.GET.get("ban_ghi", "")
    record = related.filter(pk=int(raw)).first() if raw.isdigit() else None
    if record is None:
        raise Http404
    return record


def _version(form):
    return form.cleaned_data.get("row_version")


@member_view(COLLECT_DUES)
def basis_correct(request, member):
    """Sửa / Hủy a category and basis; the months already paid follow (dues/corrections.py:
    recomputed on a sheet not yet reported, refused on a reported one)."""
    record = _record_of(request, member.dues_bases)
    return correction_page(
        request,
        obj=record,
        form_class=forms.BasisCorrectionForm,
        title=_("Sửa / Hủy mức đóng đảng phí từ tháng %(month)s")
        % {"month": f"{record.valid_from:%m/%Y}"},
        back_url=_member_url(member),
        initial={
            "month": record.valid_from,
            "category": record.category,
            "basis": record.basis or None,
            "note": record.note,
            "row_version": record.row_version,
        },  # fmt: skip
        correct=lambda form: (
            corrections.dues_basis_correct,
            {"basis": record, "expected_version": _version(form), **form.changes()},
        ),  # fmt: skip
        cancel=lambda form: (
            corrections.dues_basis_cancel,
            {"basis": record, "expected_version": _version(form)},
        ),  # fmt: skip
        error_fields={"amount": "basis"},
        context=_member_place(request, member, [(_("Đảng phí"), _member_url(member))]),
    )


@member_view(COLLECT_DUES)
def relief_correct(request, member):
    """Sửa / Hủy an exemption or a reduction, with the same effect on months paid."""
    record = _record_of(request, member.dues_reliefs)
    return correction_page(
        request,
        obj=record,
        form_class=forms.ReliefCorrectionForm,
        title=_("Sửa / Hủy: %(relief)s") % {"relief": record},
        back_url=_member_url(member),
        initial={
            **{n: getattr(record, n) for n in forms.ReliefCorrectionForm.FIELDS},
            "row_version": record.row_version,
        },  # fmt: skip
        correct=lambda form: (
            corrections.dues_relief_correct,
            {"relief": record, "expected_version": _version(form), **form.changes()},
        ),  # fmt: skip
        cancel=lambda form: (
            corrections.dues_relief_cancel,
            {"relief": record, "expected_version": _version(form)},
        ),  # fmt: skip
        context=_member_place(request, member, [(_("Đảng phí"), _member_url(member))]),
    )
