"""Affiliations recorded on the ceremony basis move to the decision (migration 0003)."""

import importlib
from datetime import date

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from tochuc.members.models import Affiliation
from tochuc.members.services import member_register
from tochuc.reports import periods, registry
from tochuc.statistics.models import CountSnapshot
from tochuc.testing import register

pytestmark = pytest.mark.django_db
migration = importlib.import_module("tochuc.reports.migrations.0003_membership_from_the_decision")


def historical_apps():
    """The models as migration 0003 saw them (the summary table was still in reports)."""
    loader = MigrationLoader(connection)
    return loader.project_state(("reports", "0003_membership_from_the_decision")).apps


def ceremony_based(member):
    """The member's first affiliation as it was written before: from the ceremony."""
    affiliation = member.affiliations.get()
    Affiliation.objects.filter(pk=affiliation.pk).update(valid_from=member.ceremony_on)
    return affiliation


def test_an_affiliation_from_the_ceremony_starts_at_the_decision_and_the_year_balances(cast):
    register(cast.village_cell, "Nguyễn Văn An", admitted_on=date(2025, 8, 1))
    late = register(cast.village_cell, "Lò Thị Bình", admitted_on=date(2025, 12, 25),
                    confirmed=False)  # fmt: skip
    affiliation = ceremony_based(late)  # ceremony 08/01/2026: a year apart
    CountSnapshot.objects.create(on=date(2025, 12, 31), built_at=timezone.now())
    assert not registry.build("movement", cast.commune, periods.year(2025)).checks[0].ok

    migration.start_at_the_decision(historical_apps(), None)

    affiliation.refresh_from_db()
    assert affiliation.valid_from == date(2025, 12, 25)
    for year in (2025, 2026):
        assert registry.build("movement", cast.commune, periods.year(year)).checks[0].ok
    assert not CountSnapshot.objects.exists()


def test_a_member_entered_from_another_day_is_left_as_recorded(cast):
    entered = member_register(
        organization=cast.village_cell,
        record={"full_name": "Hà Văn Cường", "gender": "male", "birth_date": date(1980, 1, 1),
                "ethnicity": "01"},
        admitted_on=date(2010, 5, 19), ceremony_on=date(2010, 6, 2),
        confirmed_on=date(2011, 6, 2), since=date(2025, 9, 1),
    )  # fmt: skip
    migration.start_at_the_decision(historical_apps(), None)
    assert entered.affiliations.get().valid_from == date(2025, 9, 1)
