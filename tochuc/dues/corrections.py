"""Correcting (Sửa) or cancelling (Hủy) a member's dues basis (category and income) or a
relief (exemption, reduction), with the reason kept beside both versions
(`core.corrections`) and the row version the page showed.

What a correction does to the months already recorded — the choice a treasurer expects:

- a month not yet paid simply owes the new amount (dues are computed, never stored);
- a month paid on a sheet **not yet reported** up is recomputed: the payment takes the new
  amount (or is removed when nothing is owed any more) and the sheet's total follows; each
  such month is listed in the correction's effects;
- a month paid on a sheet **already reported** (the money remitted, the ledger of that
  month closed) is never rewritten: the correction is refused, with the month named, and
  the treasurer records the new basis from the next month instead.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.core import corrections
from tochuc.core.errors import ProcedureError
from tochuc.members.models import Member
from tochuc.policy.dues import first_of_month

from . import rolls
from .models import BASED_ON_INCOME, DuesBasis, DuesPayment, DuesRelief, DuesSheet
from .services import check_basis, check_relief

BASIS_FIELDS = ["valid_from", "category", "basis", "note"]
RELIEF_FIELDS = ["kind", "percent", "first_month", "last_month", "ground", "ground_text",
                 "decision_no", "decided_on"]  # fmt: skip


STALE = gettext_lazy(
    "Bản ghi này vừa được người khác sửa sau khi đồng chí mở trang. Thay đổi của "
    "đồng chí chưa được lưu; hãy tải lại trang để xem bản mới rồi sửa lại."
)


def _lock(obj, expected_version: int | None):
    """`obj` (a basis or a relief) locked, its member joined; refused when stale."""
    return corrections.lock(obj, expected_version, stale=STALE, related=("member",))


class _Paid:
    """The member's months paid from `since` on, with what each owed before the change."""

    def __init__(self, member: Member, since: date):
        self.member, self.since = member, first_of_month(since)
        self.payments = list(
            DuesPayment.objects.select_for_update()
            .filter(member=member, for_month__gte=first_of_month(since))
            .select_related("sheet")
            .order_by("for_month")
        )
        self.before = self._owed()

    def _owed(self) -> dict[date, int]:
        dues = rolls.dues_of(pairs=[(self.member.pk, p.for_month) for p in self.payments])
        return {p.for_month: dues.of(self.member.pk, p.for_month).amount for p in self.payments}

    def settle(self, field: str) -> list[str]:
        """After the change: refuse it when a changed month is on a reported sheet; else
        recompute the payments of the changed months. The effects, one line a month."""
        after, effects = self._owed(), []
        for payment in self.payments:
            old, new = self.before[payment.for_month], after[payment.for_month]
            if old == new:
                continue
            month = f"{payment.for_month:%m/%Y}"
            sheet = payment.sheet
            if sheet.reported_on is not None:
                context = {
                    "month": month,
                    "amount": _money(payment.amount),
                    "sheet": f"{sheet.month:%m/%Y}",
                    "day": f"{sheet.reported_on:%d/%m/%Y}",
                }
                raise ValidationError({field: _(
                    "Tháng %(month)s đã nộp %(amount)s đồng trên sổ thu tháng %(sheet)s, đã báo "
                    "cáo cấp trên ngày %(day)s: không sửa lại mức đóng của tháng đó. Hãy ghi "
                    "mức mới từ tháng sau."
                ) % context})  # fmt: skip
            if new > 0:
                DuesPayment.objects.filter(pk=payment.pk).update(amount=new)
                DuesSheet.objects.filter(pk=sheet.pk).update(
                    collected=F("collected") + new - payment.amount,
                    row_version=F("row_version") + 1,
                )
                old_text, new_text = _money(payment.amount), _money(new)
                effects.append(_(
                    "Tháng %(month)s: lượt nộp %(old)s → %(new)s đồng (sổ thu chưa báo cáo)."
                ) % {"month": month, "old": old_text, "new": new_text})  # fmt: skip
            else:
                payment.delete()
                DuesSheet.objects.filter(pk=sheet.pk).update(
                    collected=F("collected") - payment.amount, payments=F("payments") - 1,
                    row_version=F("row_version") + 1,
                )  # fmt: skip
                effects.append(_(
                    "Tháng %(month)s: không còn phải nộp; bỏ lượt nộp %(old)s đồng (sổ thu chưa "
                    "báo cáo) để hoàn lại."
                ) % {"month": month, "old": _money(payment.amount)})  # fmt: skip
        return effects


def _money(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


# ---------------------------------------------------------------- the basis


@transaction.atomic
def dues_basis_correct(
    *, basis: DuesBasis, grounds: corrections.Grounds, expected_version: int | None = None,
    by=None, month: date | None = None, category: str | None = None,
    amount: int | None = None, note: str | None = None, today: date | None = None,
) -> DuesBasis:  # fmt: skip
    """Sửa the category, the income or the month a basis applies from."""
    grounds.check()
    row = _lock(basis, expected_version)
    before = corrections.snapshot(row, BASIS_FIELDS)
    new_month = first_of_month(month) if month else row.valid_from
    paid = _Paid(row.member, min(row.valid_from, new_month))
    row.valid_from = new_month
    row.category = category or row.category
    if amount is not None:
        row.basis = amount
    row.basis = row.basis if row.category in BASED_ON_INCOME else 0
    if note is not None:
        row.note = note.strip()
    check_basis(month=row.valid_from, category=row.category, basis=row.basis, today=today)
    row.row_version += 1
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError as error:
        raise ValidationError(
            {"month": _("Đã có mức đóng khác áp dụng từ tháng %(month)s.")
             % {"month": f"{row.valid_from:%m/%Y}"}}
        ) from error  # fmt: skip
    effects = paid.settle("month")
    corrections.record(
        obj=row, entity="dues_basis", action=corrections.CORRECTED, grounds=grounds,
        before=before, after=corrections.snapshot(row, BASIS_FIELDS), by=by, effects=effects,
    )  # fmt: skip
    return row


@transaction.atomic
def dues_basis_cancel(
    *, basis: DuesBasis, grounds: corrections.Grounds, expected_version: int | None = None,
    by=None,
) -> None:  # fmt: skip
    """Hủy a basis recorded by mistake: the months from it owe by the previous one (or the
    fixed amount when none)."""
    grounds.check()
    row = _lock(basis, expected_version)
    before = corrections.snapshot(row, BASIS_FIELDS)
    paid = _Paid(row.member, row.valid_from)
    pk = row.pk
    row.delete()
    effects = paid.settle("reason")
    row.pk = pk  # the correction names the row it cancelled
    corrections.record(
        obj=row, entity="dues_basis", action=corrections.CANCELLED, grounds=grounds,
        before=before, by=by, effects=effects,
    )  # fmt: skip


# ---------------------------------------------------------------- reliefs


@transaction.atomic
def dues_relief_correct(
    *, relief: DuesRelief, grounds: corrections.Grounds, expected_version: int | None = None,
    by=None, today: date | None = None, **changes,
) -> DuesRelief:  # fmt: skip
    """Sửa an exemption or a reduction (its months, percentage, ground, decision) under the
    checks of granting one."""
    grounds.check()
    row = _lock(relief, expected_version)
    before = corrections.snapshot(row, RELIEF_FIELDS)
    paid = _Paid(row.member, row.first_month)  # widened below if it starts earlier
    for name in RELIEF_FIELDS:
        value = changes.get(name)
        if name == "last_month" and name in changes:
            row.last_month = first_of_month(value) if value else None
        elif value not in (None, ""):
            setattr(row, name, value.strip() if isinstance(value, str) else value)
    row.first_month = first_of_month(row.first_month)
    if row.first_month < paid.since:
        paid = _Paid(row.member, row.first_month)
    row.percent = check_relief(
        member=row.member, kind=row.kind, percent=row.percent, first_month=row.first_month,
        last_month=row.last_month, ground=row.ground, decision_no=row.decision_no,
        decided_on=row.decided_on, today=today, exclude=row,
    )  # fmt: skip
    row.row_version += 1
    row.full_clean(exclude=["member", "recorded_by"])
    row.save()
    effects = paid.settle("first_month")
    corrections.record(
        obj=row, entity="dues_relief", action=corrections.CORRECTED, grounds=grounds,
        before=before, after=corrections.snapshot(row, RELIEF_FIELDS), by=by, effects=effects,
    )  # fmt: skip
    return row


@transaction.atomic
def dues_relief_cancel(
    *, relief: DuesRelief, grounds: corrections.Grounds, expected_version: int | None = None,
    by=None,
) -> None:  # fmt: skip
    """Hủy a relief recorded by mistake: its months owe the full amount again."""
    grounds.check()
    row = _lock(relief, expected_version)
    before = corrections.snapshot(row, RELIEF_FIELDS)
    paid = _Paid(row.member, row.first_month)
    pk = row.pk
    row.delete()
    effects = paid.settle("reason")
    row.pk = pk
    corrections.record(
        obj=row, entity="dues_relief", action=corrections.CANCELLED, grounds=grounds,
        before=before, by=by, effects=effects,
    )  # fmt: skip


# ---------------------------------------------------------------- a report sent up


@transaction.atomic
def dues_sheet_reopen(
    *, sheet: DuesSheet, grounds: corrections.Grounds, expected_version: int | None = None,
    by=None,
) -> DuesSheet:  # fmt: skip
    """Hủy the report of a month's sheet (a remittance reported by mistake, a payment to
    correct): the sheet takes payments and corrections again until reported anew. The
    remittance up the tree is computed from the sheets (dues/ledger.py), so it follows the
    corrected sheet; the reason is kept beside the report cancelled."""
    grounds.check()
    row = DuesSheet.objects.select_for_update().select_related("organization").get(pk=sheet.pk)
    if expected_version is not None and row.row_version != expected_version:
        raise ProcedureError(_(
            "Sổ thu tháng %(month)s vừa được người khác cập nhật; hãy mở lại trang."
        ) % {"month": f"{row.month:%m/%Y}"})  # fmt: skip
    if row.reported_on is None:
        raise ProcedureError(_("Sổ thu tháng %(month)s chưa báo cáo.") % {
            "month": f"{row.month:%m/%Y}"})  # fmt: skip
    fields = ["reported_on", "collected", "payments"]
    before = corrections.snapshot(row, fields)
    row.reported_on, row.reported_by = None, None
    row.row_version += 1
    row.save(update_fields=["reported_on", "reported_by", "row_version"])
    corrections.record(
        obj=row, entity="dues_sheet", action=corrections.CORRECTED, grounds=grounds,
        before=before, after=corrections.snapshot(row, fields), by=by,
        labels={"reported_on": str(_("ngày báo cáo cấp trên"))},
    )  # fmt: skip
    return row
