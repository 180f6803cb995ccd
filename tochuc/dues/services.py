"""Writes of the dues app: a member's category and basis, reliefs, payments on a cell's
monthly sheet (one by one, or "all paid except…"), cancelling a payment, and reporting the
sheet up. Each keyword-only, atomic, validated against the dues policy of the month, and
audited; the views, the importer and the demo call these.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from tochuc.core import audit
from tochuc.core.errors import ProcedureError
from tochuc.lib.dates import add_months
from tochuc.members.models import Member
from tochuc.organizations.models import Organization
from tochuc.policy.acts import check_act_date
from tochuc.policy.dues import dues_policy_for, first_of_month

from . import rolls
from .ledger import COLLECTING
from .models import (
    BASED_ON_INCOME,
    Category,
    DuesBasis,
    DuesPayment,
    DuesRelief,
    DuesSheet,
    Ground,
    ReliefKind,
    SheetSource,
)


def _month_text(month: date) -> str:
    return f"{month:%m/%Y}"


def _today(today: date | None) -> date:
    return today or timezone.localdate()


# ---------------------------------------------------------------- basis and reliefs


def check_basis(*, month: date, category: str, basis: int, today: date | None = None) -> None:
    """The checks of a category and basis from `month` (recording one, correcting one)."""
    if category not in Category.values:
        raise ValidationError({"category": _("Đối tượng đóng đảng phí không hợp lệ.")})
    if category in BASED_ON_INCOME and (basis or 0) <= 0:
        raise ValidationError({"basis": _("Cần số tiền lương hoặc lương hưu (đồng).")})
    if month > add_months(first_of_month(_today(today)), 1):
        raise ValidationError({"month": _("Chỉ ghi mức đóng đến tháng sau.")})
    check_act_date(month, field="month", today=today)


@transaction.atomic
def dues_basis_set(
    *, member: Member, month: date, category: str, basis: int = 0, note: str = "", by=None,
    today: date | None = None,
) -> DuesBasis:  # fmt: skip
    """The member's category and basis from `month` on (replacing one set for that month)."""
    month = first_of_month(month)
    check_basis(month=month, category=category, basis=basis, today=today)
    row, created = DuesBasis.objects.update_or_create(
        member=member,
        valid_from=month,
        defaults={
            "category": category,
            "basis": basis if category in BASED_ON_INCOME else 0,
            "note": note,
            "recorded_by": by if getattr(by, "is_authenticated", False) else None,
        },
    )
    row.full_clean()
    audit.record(
        "tochuc.dues.basis_set", by=by, obj=member, month=_month_text(month),
        category=category, basis=row.basis, replaced=not created,
    )  # fmt: skip
    return row


def check_relief(
    *, member: Member, kind: str, percent: int, first_month: date, last_month: date | None,
    ground: str, decision_no: str, decided_on: date, today: date | None = None,
    exclude: DuesRelief | None = None,
) -> int:  # fmt: skip
    """The checks of granting a relief (and of correcting one, `exclude`: itself): the
    ground, the decision, the months, the percentages and the length the rule of the first
    month allows, no overlap with another relief of the member. Returns the percent (100
    for an exemption)."""
    policy = dues_policy_for(first_month)
    if ground not in Ground.values:
        raise ValidationError({"ground": _("Lý do không hợp lệ.")})
    if not decision_no.strip():
        raise ValidationError({"decision_no": _("Cần số quyết định hoặc văn bản.")})
    check_act_date(decided_on, field="decided_on", today=today)
    if last_month is not None and last_month < first_month:
        raise ValidationError({"last_month": _("Tháng kết thúc trước tháng bắt đầu.")})
    if kind == ReliefKind.EXEMPTION:
        percent = 100
    elif kind == ReliefKind.REDUCTION:
        if percent not in policy.reduction_percents:
            allowed = ", ".join(f"{p}%" for p in policy.reduction_percents)
            raise ValidationError({"percent": _("Mức giảm chỉ được là %(allowed)s.") % {
                "allowed": allowed}})  # fmt: skip
        if last_month is None:
            raise ValidationError({"last_month": _("Giảm đảng phí phải có tháng kết thúc.")})
        months = len(rolls.months_of(first_month, last_month))
        if months > policy.reduction_max_months:
            raise ValidationError({"last_month": _(
                "Giảm đảng phí tối đa %(n)s tháng một lần (đang ghi %(m)s tháng)."
            ) % {"n": policy.reduction_max_months, "m": months}})  # fmt: skip
    else:
        raise ValidationError({"kind": _("Hình thức không hợp lệ.")})
    others = DuesRelief.objects.select_for_update().filter(member=member)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    for other in others:
        ends = other.last_month or date.max
        if other.first_month <= (last_month or date.max) and first_month <= ends:
            raise ValidationError({"first_month": _(
                "Trùng thời gian với %(other)s từ tháng %(month)s."
            ) % {"other": other.get_kind_display().lower(),
                 "month": _month_text(other.first_month)}})  # fmt: skip
    return percent


@transaction.atomic
def dues_relief_grant(
    *, member: Member, kind: str, first_month: date, last_month: date | None,
    ground: str, decision_no: str, decided_on: date, percent: int = 100,
    ground_text: str = "", by=None, today: date | None = None,
) -> DuesRelief:  # fmt: skip
    """An exemption (for the listed hardships) or a reduction of 30/50/70% for up to the
    months the rule allows, dated and resting on a decision."""
    first_month = first_of_month(first_month)
    last_month = first_of_month(last_month) if last_month else None
    percent = check_relief(
        member=member, kind=kind, percent=percent, first_month=first_month,
        last_month=last_month, ground=ground, decision_no=decision_no, decided_on=decided_on,
        today=today,
    )  # fmt: skip
    relief = DuesRelief(
        member=member, kind=kind, percent=percent, first_month=first_month,
        last_month=last_month, ground=ground, ground_text=ground_text.strip(),
        decision_no=decision_no.strip(), decided_on=decided_on,
        recorded_by=by if getattr(by, "is_authenticated", False) else None,
    )  # fmt: skip
    relief.full_clean()
    relief.save()
    audit.record(
        "tochuc.dues.relief_granted", by=by, obj=member, reason=relief.decision_no,
        kind=kind, percent=percent, first_month=_month_text(first_month),
        last_month=_month_text(last_month) if last_month else "", ground=ground,
    )  # fmt: skip
    return relief


# ---------------------------------------------------------------- the monthly sheet


def _sheet(organization: Organization, month: date, row_version: int | None) -> DuesSheet:
    if organization.kind not in COLLECTING:
        raise ProcedureError(_("Chỉ chi bộ mới có sổ thu đảng phí."))
    DuesSheet.objects.get_or_create(organization=organization, month=month)
    sheet = DuesSheet.objects.select_for_update().get(organization=organization, month=month)
    if row_version is not None and sheet.row_version != row_version:
        raise ProcedureError(_(
            "Sổ thu tháng %(month)s vừa được người khác cập nhật; hãy mở lại trang và ghi lại."
        ) % {"month": _month_text(month)})  # fmt: skip
    if sheet.reported_on is not None:
        raise ProcedureError(_(
            "Sổ thu tháng %(month)s đã báo cáo lên cấp trên ngày %(day)s; không ghi thêm được."
        ) % {"month": _month_text(month), "day": f"{sheet.reported_on:%d/%m/%Y}"})  # fmt: skip
    return sheet


@dataclass(frozen=True)
class PaymentLine:
    member_id: int
    for_month: date
    amount: int | None = None  # None: what the member owes that month
    reference: str = ""


@transaction.atomic
def dues_payments_record(
    *, organization: Organization, month: date, lines: Iterable[PaymentLine], paid_on: date,
    by=None, row_version: int | None = None, today: date | None = None,
    source: str = SheetSource.ENTERED,
) -> list[DuesPayment]:  # fmt: skip
    """Payments collected in `month` on the cell's sheet: each for its own month — this
    one, an earlier one (late) or a later one (in advance, up to the rule's months)."""
    month = first_of_month(month)
    lines = list(lines)
    check_act_date(paid_on, field="paid_on", today=today)
    if first_of_month(paid_on) != month:
        raise ValidationError({"paid_on": _("Ngày nộp phải trong tháng %(month)s của sổ thu.") % {
            "month": _month_text(month)}})  # fmt: skip
    if not lines:
        raise ValidationError({"members": _("Chưa chọn đảng viên nào.")})
    sheet = _sheet(organization, month, row_version)
    policy = dues_policy_for(month)
    furthest = add_months(month, policy.advance_max_months)
    for_months = sorted({first_of_month(line.for_month) for line in lines} | {month})
    rolls_by_month = rolls.roll_by_month(organization=organization, months=rolls.months_of(
        for_months[0], max(for_months[-1], month)))  # fmt: skip
    on_roll_now = set(rolls_by_month[month])
    pairs = [(line.member_id, first_of_month(line.for_month)) for line in lines]
    if len(set(pairs)) != len(pairs):
        raise ValidationError({"members": _("Một đảng viên được ghi hai lần cho cùng một tháng.")})
    dues = rolls.dues_of(pairs=pairs)
    made = []
    for line, (member_id, for_month) in zip(lines, pairs, strict=True):
        member = dues.members.get(member_id)
        name = member.full_name if member else str(member_id)
        context = {"name": name, "month": _month_text(for_month)}
        if for_month > furthest:
            raise ValidationError({"members": _(
                "%(name)s: chỉ nộp trước được đến tháng %(last)s."
            ) % {**context, "last": _month_text(furthest)}})  # fmt: skip
        roll = rolls_by_month[for_month] if for_month <= month else on_roll_now
        if member is None or member_id not in roll:
            raise ValidationError({"members": _(
                "%(name)s không sinh hoạt chính thức tại chi bộ trong tháng %(month)s."
            ) % context})  # fmt: skip
        due = dues.of(member_id, for_month)
        if due.payment is not None:
            raise ValidationError({"members": _(
                "%(name)s đã nộp đảng phí tháng %(month)s (ngày %(day)s)."
            ) % {**context, "day": f"{due.payment.paid_on:%d/%m/%Y}"}})  # fmt: skip
        amount = due.amount if line.amount is None else line.amount
        if amount <= 0:
            raise ValidationError({"members": _(
                "%(name)s được miễn đảng phí tháng %(month)s (%(why)s)."
            ) % {**context, "why": due.relief}})  # fmt: skip
        made.append(DuesPayment(
            sheet=sheet, member_id=member_id, for_month=for_month, amount=amount,
            paid_on=paid_on, reference=line.reference.strip(),
            recorded_by=by if getattr(by, "is_authenticated", False) else None,
        ))  # fmt: skip
    DuesPayment.objects.bulk_create(made)
    DuesSheet.objects.filter(pk=sheet.pk).update(
        collected=F("collected") + sum(p.amount for p in made),
        payments=F("payments") + len(made),
        row_version=F("row_version") + 1,
        source=source if sheet.payments == 0 else sheet.source,
    )
    audit.record(
        "tochuc.dues.paid", by=by, obj=sheet, count=len(made),
        amount=sum(p.amount for p in made), paid_on=paid_on,
        months=sorted({_month_text(p.for_month) for p in made}),
        province=audit.province_of(organization),
    )  # fmt: skip
    return made


@transaction.atomic
def dues_collect_all_except(
    *, organization: Organization, month: date, except_ids: Iterable[int], paid_on: date,
    by=None, row_version: int | None = None, today: date | None = None,
) -> list[DuesPayment]:  # fmt: skip
    """ "All paid except…": every member of the month's roll who owes and has not paid, but
    those named, pays the month's amount."""
    month = first_of_month(month)
    skipped = set(except_ids)
    lines = [
        PaymentLine(line.member.pk, month)
        for line in rolls.cell_roll(organization=organization, month=month)
        if line.due.unpaid and line.member.pk not in skipped
    ]
    if not lines:
        raise ProcedureError(_("Không còn ai phải nộp đảng phí tháng %(month)s.") % {
            "month": _month_text(month)})  # fmt: skip
    return dues_payments_record(
        organization=organization, month=month, lines=lines, paid_on=paid_on, by=by,
        row_version=row_version, today=today,
    )  # fmt: skip


@transaction.atomic
def dues_payment_cancel(*, payment: DuesPayment, reason: str, by=None) -> None:
    """Undo a payment entered by mistake, while its sheet is not reported."""
    if not reason.strip():
        raise ValidationError({"reason": _("Cần nêu lý do hủy.")})
    sheet = _sheet(payment.sheet.organization, payment.sheet.month, None)
    DuesSheet.objects.filter(pk=sheet.pk).update(
        collected=F("collected") - payment.amount, payments=F("payments") - 1,
        row_version=F("row_version") + 1,
    )  # fmt: skip
    audit.record(
        "tochuc.dues.payment_cancelled", by=by, obj=payment.member, reason=reason.strip(),
        for_month=_month_text(payment.for_month), amount=payment.amount,
    )  # fmt: skip
    payment.delete()


@transaction.atomic
def dues_sheet_report(
    *, organization: Organization, month: date, by=None, row_version: int | None = None,
    today: date | None = None,
) -> DuesSheet:  # fmt: skip
    """The cell reports the month's sheet up (and remits): from then on the sheet is
    closed. A month not begun cannot be reported."""
    month = first_of_month(month)
    day = _today(today)
    if month > first_of_month(day):
        raise ProcedureError(_("Tháng %(month)s chưa đến.") % {"month": _month_text(month)})
    sheet = _sheet(organization, month, row_version)
    sheet.reported_on = day
    sheet.reported_by = by if getattr(by, "is_authenticated", False) else None
    sheet.row_version += 1
    sheet.save(update_fields=["reported_on", "reported_by", "row_version"])
    audit.record(
        "tochuc.dues.sheet_reported", by=by, obj=sheet, month=_month_text(month),
        collected=sheet.collected, payments=sheet.payments,
        province=audit.province_of(organization),
    )  # fmt: skip
    return sheet
