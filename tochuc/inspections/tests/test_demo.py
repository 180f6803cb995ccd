"""The demo step on the cast's commune: the plans of both bodies in 2025 and 2026, and the
disciplines, each resting on an inspection that concluded there was a violation."""

import random
from datetime import date

import pytest

from tochuc.inspections.demo import seed_inspections
from tochuc.inspections.models import Conclusion, Discipline, Inspection
from tochuc.members.models import Status
from tochuc.testing import register

pytestmark = pytest.mark.django_db


def test_the_demo_commune_gets_plans_and_disciplines(cast):
    people = [register(cast.village_cell, f"Đảng viên Số {n}") for n in range(1, 13)]
    made = seed_inspections(cast.commune, today=date(2026, 11, 20), rng=random.Random(7))

    # Per year: (3 orgs + 10 members) + (1 + 2) + (3 + 8) + (1 + 3); then one inspection
    # on signs of violation before each of the 4 disciplines.
    assert made == {"inspections": 2 * 31, "disciplines": 4}
    assert Inspection.objects.count() == 2 * 31 + 4
    assert set(Inspection.objects.values_list("starts_on__year", flat=True)) == {2025, 2026}
    forms = sorted(Discipline.objects.values_list("form", flat=True))
    assert forms == ["expulsion", "reprimand", "reprimand", "warning"]
    for decision in Discipline.objects.select_related("inspection"):
        assert decision.inspection.conclusion == Conclusion.DISCIPLINE
        assert decision.inspection.subject_member_id == decision.subject_member_id
    expelled = Discipline.objects.get(form="expulsion").subject_member
    assert expelled.status == Status.LEFT
    assert sum(p.pk == expelled.pk for p in people) == 1
