"""Import of the cells' monthly collection sheets (`tochuc import dues FILE`): one row per
member and month paid, as the cells keep them in Excel.

The whole file is checked first (the cell in scope, the months, the member known by party
card number or citizen ID within the scope, a whole amount, the payment date in the month
of the sheet, one row per member and month); then the payments are written through the
service of the collection page (`services.dues_payments_record`: the member on the cell's
roll, the month not paid yet, the sheet not reported), all in one transaction — a refusal
there undoes everything. A row whose payment is already stored as it is changes nothing,
so importing the same file twice writes once.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.accounts.access import Scope
from tochuc.imports import columns
from tochuc.imports.registry import Importer, ImportFailed, Plan, Progress, RowError
from tochuc.lib import xlsx
from tochuc.organizations.models import Organization
from tochuc.policy.dues import first_of_month

from . import services
from .forms import parse_month
from .ledger import COLLECTING
from .models import DuesPayment, SheetSource

MONTH_PATTERN = r"\d{1,2}/\d{4}"
MONTH_MESSAGE = gettext_lazy("“%(value)s” không phải tháng dạng mm/yyyy.")

COLUMNS = [
    columns.CodeInScope("code", gettext_lazy("Mã chi bộ"), required=True, width=24),
    columns.Text(
        "month",
        gettext_lazy("Tháng thu"),
        required=True,
        width=10,
        pattern=MONTH_PATTERN,
        pattern_message=MONTH_MESSAGE,
        format=gettext_lazy("mm/yyyy"),
    ),  # fmt: skip
    columns.Text(
        "card",
        gettext_lazy("Số thẻ đảng viên hoặc số CCCD"),
        required=True,
        width=18,
        max_length=20,
    ),  # fmt: skip
    columns.Text(
        "name",
        gettext_lazy("Họ và tên"),
        width=28,
        note=gettext_lazy("Không bắt buộc; để người đọc đối chiếu."),
    ),  # fmt: skip
    columns.Text(
        "for_month",
        gettext_lazy("Đảng phí tháng"),
        width=10,
        pattern=MONTH_PATTERN,
        pattern_message=MONTH_MESSAGE,
        note=gettext_lazy("Bỏ trống: chính tháng thu. Tháng trước: nộp bù; tháng sau: nộp trước."),
    ),  # fmt: skip
    columns.Number(
        "amount",
        gettext_lazy("Số tiền"),
        required=True,
        minimum=1,
        width=12,
        format=gettext_lazy("Số nguyên đồng, ví dụ 80.000"),
    ),  # fmt: skip
    columns.Date("paid_on", gettext_lazy("Ngày nộp"), required=True, width=12),
    columns.Text(
        "reference",
        gettext_lazy("Mã giao dịch"),
        width=18,
        max_length=60,
        note=gettext_lazy("Khi nộp qua Cổng dịch vụ công quốc gia."),
    ),  # fmt: skip
]
TITLES = {c.key: c.title for c in COLUMNS}


@dataclass
class PlannedPayment:
    row: int
    cell: Organization
    month: date
    member_id: int
    for_month: date
    amount: int
    paid_on: date
    reference: str


class DuesImporter(Importer):
    name = "dues"
    title = gettext_lazy("sổ thu đảng phí")
    description = gettext_lazy(
        "Sổ thu đảng phí hằng tháng của các chi bộ: mỗi dòng một đảng viên nộp cho một tháng."
    )
    sheet_title = gettext_lazy("Sổ thu đảng phí")
    columns = COLUMNS
    example = {"code": "T01.X01.NAPHAI", "month": "11/2026", "card": "001085000013",
               "name": "Nông Văn Cường", "for_month": "11/2026", "amount": "5.000",
               "paid_on": "10/11/2026", "reference": ""}  # fmt: skip
    notes = (
        gettext_lazy(
            "Ngày nộp phải trong tháng thu; sổ đã báo cáo lên cấp trên thì không nhập thêm được."
        ),  # fmt: skip
        gettext_lazy("Nhập lại cùng tệp không thay đổi gì."),
    )
    sample_headers = (gettext_lazy("Chi bộ"), gettext_lazy("Tháng thu"),
                      gettext_lazy("Đảng viên"), gettext_lazy("Tháng"),
                      gettext_lazy("Số tiền"))  # fmt: skip

    def plan(self, table: xlsx.Table, *, scope: Scope, by=None) -> Plan:
        plan = Plan()
        rows = [r for r in columns.parse_rows(table, self.columns, plan, scope=scope) if r.ok]
        members = _members(scope, {r.values["card"] for r in rows})
        seen: dict[tuple[int, date], int] = {}
        planned = []
        for row in rows:
            item = self._item(plan, row, members, seen)
            if item is not None:
                planned.append(item)
        if plan.errors:
            return plan
        stored = {
            (p.member_id, p.for_month): p
            for p in DuesPayment.objects.filter(
                member_id__in={p.member_id for p in planned}
            ).select_related("sheet")
        }
        for item in planned:
            before = stored.get((item.member_id, item.for_month))
            if before is None:
                plan.created += 1
                plan.items.append(item)
            elif (before.amount, before.paid_on, before.sheet.organization_id) == (
                item.amount, item.paid_on, item.cell.pk,
            ):  # fmt: skip
                plan.unchanged += 1
            else:
                plan.error(item.row, TITLES["for_month"], _(
                    "Đảng viên đã có lượt nộp khác cho tháng %(month)s."
                ) % {"month": f"{item.for_month:%m/%Y}"})  # fmt: skip
        plan.samples = [
            [i.cell.code, f"{i.month:%m/%Y}", i.member_id, f"{i.for_month:%m/%Y}", i.amount]
            for i in plan.items[:20]
        ]
        return plan

    def _item(self, plan, row, members, seen) -> PlannedPayment | None:
        values = row.values
        cell = row.found["code"]
        if cell.kind not in COLLECTING:
            plan.error(row.number, TITLES["code"], _("Không phải chi bộ."))
            return None
        member_id = members.get(values["card"])
        if member_id is None:
            message = _("Không tìm thấy đảng viên có số “%(card)s”.") % {"card": values["card"]}
            plan.error(row.number, TITLES["card"], message)
            return None
        month = parse_month(values["month"])
        for_month = parse_month(values["for_month"]) if values["for_month"] else month
        if month is None or for_month is None:
            plan.error(row.number, TITLES["month"], _("Tháng không hợp lệ."))
            return None
        if first_of_month(values["paid_on"]) != month:
            plan.error(row.number, TITLES["paid_on"], _("Ngày nộp không thuộc tháng thu."))
            return None
        if int(values["amount"]) != values["amount"]:
            plan.error(row.number, TITLES["amount"], _("Số tiền phải là số nguyên đồng."))
            return None
        if (member_id, for_month) in seen:
            plan.error(row.number, TITLES["card"], _(
                "Trùng dòng %(row)s (cùng đảng viên, cùng tháng).") % {
                "row": seen[(member_id, for_month)]})  # fmt: skip
            return None
        seen[(member_id, for_month)] = row.number
        return PlannedPayment(
            row.number, cell, month, member_id, for_month, int(values["amount"]),
            values["paid_on"], values["reference"],
        )  # fmt: skip

    def apply(self, plan: Plan, *, by=None, progress: Progress | None = None) -> None:
        groups = defaultdict(list)
        for item in plan.items:
            groups[(item.cell.pk, item.month, item.paid_on)].append(item)
        done, total = 0, len(plan.items)
        for items in groups.values():
            first = items[0]
            try:
                services.dues_payments_record(
                    organization=first.cell, month=first.month, paid_on=first.paid_on, by=by,
                    lines=[services.PaymentLine(i.member_id, i.for_month, i.amount, i.reference)
                           for i in items],
                    source=SheetSource.IMPORTED,
                )  # fmt: skip
            except ValidationError as error:
                rows = ", ".join(str(i.row) for i in items)
                raise ImportFailed([RowError(first.row, "", _(
                    "%(message)s (các dòng %(rows)s)") % {
                    "message": " ".join(error.messages), "rows": rows})]) from error  # fmt: skip
            done += len(items)
            if progress is not None:
                progress(done, total)


def _members(scope: Scope, cards: set[str]) -> dict[str, int]:
    """Party card number or citizen ID → member id, within the scope."""
    found = {}
    cards = sorted(cards)
    for start in range(0, len(cards), 500):
        chunk = cards[start : start + 500]
        for pk, card, citizen in (
            scope.members()
            .filter(Q(party_card_no__in=chunk) | Q(citizen_id__in=chunk))
            .values_list("pk", "party_card_no", "citizen_id")
        ):
            for key in (card, citizen):
                if key in chunk:
                    found[key] = pk
    return found
