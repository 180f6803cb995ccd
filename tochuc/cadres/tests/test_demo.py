"""The demo step on the cast's province and commune: agencies with quotas 2021–2026 and the
2025 cuts, leaders appointed (some due for re-appointment, some retiring this year), planning
lists of both terms with someone who no longer meets the age criterion."""

import random
from datetime import date

import pytest

from tochuc.accounts.access import Scope
from tochuc.cadres import selectors
from tochuc.cadres.demo import CUT_2025, seed_cadres
from tochuc.cadres.models import Cadre, PlannedPosition, StaffingQuota
from tochuc.demo.builders import names
from tochuc.testing import register

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 20)


@pytest.fixture
def seeded(cast, users):
    for n in range(3):
        register(cast.village_cell, f"Đảng viên Số {n}", birth_date=date(1980, 1, n + 1))
    made = seed_cadres(cast.province, cast.commune, names=names, today=TODAY,
                       rng=random.Random(7))  # fmt: skip
    return made, Scope.for_user(users.admin)


def test_the_demo_province_gets_cadres_planning_and_quotas(cast, seeded):
    made, scope = seeded
    assert made == {
        "agencies": 13, "quotas": 9 * 6 + 4, "reductions": 9, "cadres": 18 + 3 + 8,
        "positions": 18 + 8, "planned_positions": 7, "planning_entries": made["planning_entries"],
        "rotations": 2, "trainings": 18,
    }  # fmt: skip
    assert Cadre.objects.filter(member__isnull=False).count() == 3
    due = selectors.reappointments_due(scope=scope, organization=cast.province, on=TODAY)
    assert len(due) == 5  # four of the province's, one of the commune's
    retiring = selectors.retirements_between(
        scope=scope, organization=cast.province, start=date(2026, 1, 1), end=date(2026, 12, 31)
    )
    assert len(retiring) == 4
    back = selectors.rotations_due_back(scope=scope, organization=cast.province, on=TODAY)
    assert [r.planned_months for r in back] == [24]  # started 22 months ago


def test_the_2025_quotas_are_cut_by_the_reorganization(cast, seeded):
    _made, scope = seeded
    rows_2024 = {r.agency.code: r for r in selectors.staffing(
        scope=scope, organization=cast.province, year=2024)}  # fmt: skip
    rows_2025 = selectors.staffing(scope=scope, organization=cast.province, year=2025)
    assert len(rows_2025) == 9
    for row in rows_2025:
        before = rows_2024[row.agency.code].assigned
        assert row.planned_reduction == round(before * CUT_2025)
        assert row.assigned == before - row.planned_reduction
        assert 1 <= row.reduced <= row.planned_reduction
    assert StaffingQuota.objects.filter(year=2026, agency__organization=cast.commune).count() == 4


def test_the_first_position_of_2025_has_someone_short_of_the_age(cast, seeded):
    first = PlannedPosition.objects.get(committee=cast.province, order=1)
    planned = selectors.planning_list(position=first, term_start=2025, on=TODAY)
    assert 2 <= len(planned) <= 3
    assert any(p.failures and p.failures[0].startswith("Không đủ tuổi") for p in planned)
    later = selectors.planning_list(position=first, term_start=2030, on=TODAY)
    assert later and all(p.entry.cadre.birth_date.year >= 1976 for p in later)
