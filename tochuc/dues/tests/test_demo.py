"""The demo step on the cast: the commune in detail (bases, payments, sheets that are the
sums of their payments), the rest of the province in totals, and a ledger that balances at
every level in every month."""

import random
from datetime import date

import pytest
from django.db.models import Sum

from tochuc.dues import ledger, selectors
from tochuc.dues.demo import seed_dues
from tochuc.dues.models import DuesBasis, DuesPayment, DuesSheet, SheetSource
from tochuc.testing import register

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 6)


def test_the_demo_gives_the_commune_payments_and_the_province_totals(cast):
    for n in range(1, 9):
        register(cast.village_cell, f"Đảng viên Thôn {n}")
        register(cast.cell, f"Giáo viên Số {n}")
    register(cast.sibling_cell, "Hà Văn Khánh")
    made = seed_dues(cast.province, cast.commune, today=TODAY, rng=random.Random(3))

    assert made["members"] == 16 and DuesBasis.objects.count() >= 16
    # The commune's cells, July 2025 (founded) to November 2026, and December begun.
    detailed = DuesSheet.objects.filter(organization__in=[cast.cell, cast.village_cell])
    assert set(detailed.values_list("source", flat=True)) == {SheetSource.ENTERED}
    assert detailed.filter(month__lt=date(2026, 12, 1)).count() == 2 * 17
    for sheet in detailed:
        paid = sheet.lines.aggregate(total=Sum("amount"))["total"] or 0
        assert (sheet.collected, sheet.payments) == (paid, sheet.lines.count())
    assert DuesPayment.objects.count() == made["payments"] > 16 * 12
    # The sibling commune's cell: totals only, one member at a typical amount.
    summary = DuesSheet.objects.filter(organization=cast.sibling_cell)
    assert summary.count() == 17 and not DuesPayment.objects.filter(sheet__in=summary).exists()
    assert not detailed.filter(month=date(2026, 12, 1), reported_on__isnull=False).exists()

    months = [date(2025, 7, 1), date(2026, 6, 1), date(2026, 11, 1)]
    for month in ledger.ledger(root=cast.province, months=months):
        assert all(line.balanced for line in month.lines.values())
        province = month.lines[cast.province.pk]
        communes = [month.lines[c.pk] for c in (cast.commune, cast.sibling_commune)]
        assert province.received == sum(c.remitted for c in communes) > 0
    assert selectors.members_unpaid(organization=cast.commune, year=2026, today=TODAY) is not None
