"""Dates given to commands are checked like dates in a page's address: a day out of range
or one that cannot be is refused with a Vietnamese message, and a command that writes acts
takes no day after today. Nothing is written on a refusal."""

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from tochuc.core.models import AuditEntry
from tochuc.statistics.models import CountSnapshot

pytestmark = pytest.mark.django_db

IMPOSSIBLE = ["31/12/9999", "01/01/0001", "29/02/2023", "32/01/2024", "x" * 500]


@pytest.mark.parametrize("day", IMPOSSIBLE)
def test_the_due_list_refuses_a_day_that_cannot_be_reported(day):
    with pytest.raises(CommandError, match="ngày|Ngày"):
        call_command("due", "--ngay", day)


@pytest.mark.parametrize("day", IMPOSSIBLE)
def test_expiring_temporary_transfers_refuses_an_impossible_day(day):
    with pytest.raises(CommandError, match="ngày|Ngày"):
        call_command("expire_temporary_transfers", "--ngay", day)
    assert not AuditEntry.objects.exists()


def test_expiring_temporary_transfers_refuses_a_day_after_today():
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(CommandError, match="chưa thể ghi"):
        call_command("expire_temporary_transfers", "--ngay", tomorrow.strftime("%d/%m/%Y"))
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("day", [*IMPOSSIBLE, "31/12/2999"])
def test_the_summary_rebuild_refuses_a_day_it_cannot_count(day):
    with pytest.raises(CommandError):
        call_command("report_counts", "--date", day)
    assert not CountSnapshot.objects.exists()


def test_the_summary_rebuild_refuses_an_absurd_number_of_year_ends():
    with pytest.raises(CommandError, match="--year-ends"):
        call_command("report_counts", "--year-ends", "100000")
    assert not CountSnapshot.objects.exists()
