"""Two years of dues for the demo province (the 24 months before this one, and this one
begun), in bulk.

- In the demo commune (registry "commune") every member has a category and a basis (a
  salary in the agencies, the police and the military cells, a pension from 60, a fixed
  amount in the villages, a few students), a few have reductions or an exemption, and each
  month's roll pays one by one: most on time, some late, some a quarter in advance, a few
  not at all in 2026 (flagged for removal). The sheets are the sums of their payments.
- Everywhere else in the province each cell's sheet holds the month's total only (source
  "summary"): its members on the roll that month times an amount typical of the cell, at a
  collection rate of 93–100%.

Most cells reported a month's sheet in the first week of the next; some have not yet
reported last month (the due line). The remittance up the tree follows from the sheets
(ledger.py). A step of `tochuc.demo.builders.STEPS`; it imports nothing of the demo package.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from tochuc.core import audit
from tochuc.lib.dates import add_months
from tochuc.lib.paths import under
from tochuc.lib.rows import Table
from tochuc.members.models import Member
from tochuc.members.selectors import rolls_by_month_of
from tochuc.organizations.models import GrassrootsType, Organization
from tochuc.policy.dues import first_of_month

from . import rolls
from .ledger import COLLECTING
from .models import (
    Category,
    DuesBasis,
    DuesPayment,
    DuesRelief,
    DuesSheet,
    Ground,
    ReliefKind,
    SheetSource,
)

MONTHS = 24
SALARIED = (
    GrassrootsType.ADMINISTRATIVE, GrassrootsType.PUBLIC_SERVICE,
    GrassrootsType.STATE_ENTERPRISE, GrassrootsType.PRIVATE_ENTERPRISE,
    GrassrootsType.ARMED_FORCES,
)  # fmt: skip
SALARIED_CODES = (".CQ", ".CA", ".QS", ".MN", ".UBND")
# How members pay: on time, sometimes late, a quarter in advance, not at all in 2026.
HABITS = (("on_time", 86), ("late", 8), ("advance", 4), ("defaulter", 2))


def _months(today: date) -> list[date]:
    current = first_of_month(today)
    return rolls.months_of(add_months(current, -MONTHS), current)


def _cells(province: Organization) -> list[tuple]:
    return list(
        Organization.objects.filter(under("path", province.path), kind__in=COLLECTING)
        .values_list("pk", "path", "code", "grassroots_type")
        .order_by("path")
    )


def _rolls(cell_ids, months) -> dict[tuple[int, date], list[int]]:
    """(cell, month) → members on the roll (`members.selectors.rolls_by_month_of`, the
    register dues are collected from), keyed in the order the rows are drawn from: each
    member in turn (by id), their months in order."""
    by_member = defaultdict(list)
    for cell_id, by_month in rolls_by_month_of(
        organization_ids=cell_ids, months=months, official=True
    ).items():
        for month, member_ids in by_month.items():
            for member_id in member_ids:
                by_member[member_id].append((month, cell_id))
    found: dict[tuple[int, date], list[int]] = {}
    for member_id in sorted(by_member):
        for month, cell_id in sorted(by_member[member_id]):
            found.setdefault((cell_id, month), []).append(member_id)
    return found


def _report_day(month: date, today: date, rng: random.Random, late_share: float) -> date | None:
    """When a cell reported the month: in the first week of the next; last month, only
    those done by today (some not yet); this month, not yet."""
    next_month = add_months(month, 1)
    if next_month > today:
        return None
    day = next_month + timedelta(days=rng.randrange(2, 8))
    if day >= today or (add_months(next_month, 1) > today and rng.random() < late_share):
        return None
    return day


def seed_dues(province: Organization, detailed: Organization | None, *, today: date,
              rng: random.Random) -> dict:  # fmt: skip
    months = _months(today)
    cells = _cells(province)
    found = _rolls([c[0] for c in cells], months)
    in_detail = {c[0] for c in cells if detailed is not None and c[1].startswith(detailed.path)}
    made = {"sheets": 0, "payments": 0, "members": 0}
    if in_detail:
        made.update(_detailed(cells, in_detail, found, months, today=today, rng=rng))
    sheets = []
    for cell_id, _path, code, grassroots in cells:
        if cell_id in in_detail:
            continue
        salaried = grassroots in SALARIED or code.endswith(SALARIED_CODES)
        typical = rng.randint(45, 120) * 1000 if salaried else rng.randint(8, 22) * 1000
        for month in months[:-1]:
            members = len(found.get((cell_id, month), ()))
            if not members:
                continue
            paid = members - int(members * rng.uniform(0, 0.07))
            reported = _report_day(month, today, rng, late_share=0.15)
            sheets.append({
                "organization_id": cell_id, "month": month, "collected": paid * typical,
                "payments": paid, "reported_on": reported,
            })  # fmt: skip
    Table(DuesSheet, with_pk=False, now=timezone.now(),
          constants={"source": SheetSource.SUMMARY}).insert(sheets)  # fmt: skip
    made["sheets"] += len(sheets)
    audit.record(
        "tochuc.dues.summary_recorded", obj=province, sheets=len(sheets),
        reason="Dữ liệu mẫu: số tổng hợp của các chi bộ",
    )  # fmt: skip
    return made


def _habit(rng: random.Random) -> str:
    return rng.choices([h for h, _ in HABITS], [w for _, w in HABITS])[0]


def _bases(member_ids, cells_by_member, cells, today, months, rng) -> list[DuesBasis]:
    kinds = {c[0]: (c[2], c[3]) for c in cells}
    births = dict(Member.objects.filter(pk__in=member_ids).values_list("pk", "birth_date"))
    made = []
    for member_id in member_ids:
        code, grassroots = kinds[cells_by_member[member_id]]
        age = (today - births[member_id]).days // 365
        if age >= 60:
            category, basis = Category.PENSION, rng.randint(320, 950) * 10_000
        elif grassroots in SALARIED or code.endswith(SALARIED_CODES):
            category, basis = Category.SALARY, rng.randint(520, 1600) * 10_000
        elif age <= 23:
            category, basis = Category.STUDENT, 0
        else:
            category, basis = Category.OTHER, 0
        made.append(DuesBasis(member_id=member_id, valid_from=months[0], category=category,
                              basis=basis, note="Khai khi lập sổ"))  # fmt: skip
        if category == Category.SALARY and rng.random() < 0.4:  # a pay rise on 1/7/2025
            made.append(DuesBasis(
                member_id=member_id, valid_from=date(2025, 7, 1), category=category,
                basis=basis + rng.randint(40, 120) * 10_000, note="Nâng bậc lương",
            ))  # fmt: skip
    return made


def _reliefs(member_ids, rng, today) -> list[DuesRelief]:
    chosen = rng.sample(member_ids, min(4, len(member_ids)))
    made = []
    for n, member_id in enumerate(chosen):
        start = add_months(first_of_month(today), -rng.randint(3, 14))
        exemption = n == 0
        made.append(DuesRelief(
            member_id=member_id,
            kind=ReliefKind.EXEMPTION if exemption else ReliefKind.REDUCTION,
            percent=100 if exemption else (30, 50, 70)[n % 3], first_month=start,
            last_month=add_months(start, 5 if exemption else 11),
            ground=Ground.DISASTER if exemption else Ground.ILLNESS,
            ground_text="Nhà bị lũ cuốn trôi" if exemption else "Điều trị bệnh dài ngày",
            decision_no=f"{10 + n}-QĐ/ĐU", decided_on=start - timedelta(days=rng.randrange(3, 20)),
        ))  # fmt: skip
    return made


def _detailed(cells, in_detail, found, months, *, today, rng) -> dict:
    """Bases, reliefs and one payment per member and month in the detailed commune."""
    cells_by_member = {}
    for (cell_id, _month), ids in found.items():
        if cell_id in in_detail:
            for member_id in ids:
                cells_by_member[member_id] = cell_id
    member_ids = sorted(cells_by_member)
    DuesBasis.objects.bulk_create(_bases(member_ids, cells_by_member, cells, today, months, rng))
    DuesRelief.objects.bulk_create(_reliefs(member_ids, rng, today))
    pairs = [(m, month) for (cell, month), ids in found.items() if cell in in_detail for m in ids]
    dues = rolls.dues_of(pairs=pairs)
    habits = {m: _habit(rng) for m in member_ids}
    current = months[-1]
    sheets: dict[tuple[int, date], dict] = {}
    lines = []
    for (cell_id, month), ids in sorted(found.items(), key=lambda item: (item[0][1], item[0][0])):
        if cell_id not in in_detail:
            continue
        for member_id in ids:
            due = dues.of(member_id, month)
            paid = _when_paid(habits[member_id], month, current, today, rng)
            if due.amount <= 0 or paid is None:
                continue
            key = (cell_id, first_of_month(paid))
            sheet = sheets.setdefault(key, _sheet(cell_id, key[1]))
            sheet["collected"] += due.amount
            sheet["payments"] += 1
            lines.append((key, member_id, month, due.amount, paid))
    for (cell_id, month), ids in found.items():  # a cell with a roll has a sheet, even empty
        if cell_id in in_detail and month < current and ids:
            sheets.setdefault((cell_id, month), _sheet(cell_id, month))
    now = timezone.now()
    table = Table(DuesSheet, with_pk=True, now=now, constants={"source": SheetSource.ENTERED})
    for pk, ((_cell, month), sheet) in zip(table.reserve(len(sheets)), sorted(sheets.items()),
                                           strict=True):  # fmt: skip
        sheet["id"] = pk
        sheet["reported_on"] = _report_day(month, today, rng, late_share=0.3)
    table.insert(list(sheets.values()))
    payments = [
        {"sheet_id": sheets[key]["id"], "member_id": member_id, "for_month": month,
         "amount": amount, "paid_on": paid,
         "reference": f"DVC{paid:%y%m%d}{member_id:06d}" if member_id % 9 == 0 else ""}
        for key, member_id, month, amount, paid in lines
    ]  # fmt: skip
    Table(DuesPayment, with_pk=False, now=now).insert(payments)
    audit.record_many(
        "tochuc.dues.paid",
        ((None, "Dữ liệu mẫu", {"sheet": s["id"], "count": s["payments"],
                                "amount": s["collected"]}) for s in sheets.values()),
    )  # fmt: skip
    return {"sheets": len(sheets), "payments": len(payments), "members": len(member_ids)}


def _sheet(cell_id: int, month: date) -> dict:
    return {"organization_id": cell_id, "month": month, "collected": 0, "payments": 0}


def _when_paid(habit: str, month: date, current: date, today: date, rng) -> date | None:
    """The day a member paid the month's dues (None: not paid, or not yet)."""
    if habit == "defaulter" and month.year >= 2026:
        return None
    if habit == "advance":  # the quarter's months paid in its first month
        quarter_start = month.replace(month=(month.month - 1) // 3 * 3 + 1)
        day = quarter_start + timedelta(days=rng.randrange(3, 20))
    elif habit == "late" and rng.random() < 0.5:
        day = add_months(month, rng.randint(1, 2)) + timedelta(days=rng.randrange(1, 20))
    else:
        day = month + timedelta(days=rng.randrange(2, 25))
    if day >= today or first_of_month(day) > current:
        return None
    return day


def build(ctx) -> None:
    """The demo step."""
    if "province" not in ctx.registry:
        return
    detailed = ctx.registry.get("commune") if "commune" in ctx.registry else None
    with transaction.atomic():
        made = seed_dues(
            ctx.registry.get("province"), detailed, today=timezone.localdate(),
            rng=random.Random(f"{ctx.seed}-dues"),
        )  # fmt: skip
    ctx.write(
        f"  {made['sheets']} sổ thu tháng; {made['payments']} lượt nộp của "
        f"{made['members']} đảng viên ở xã mẫu (các nơi khác: số tổng hợp)."
    )
