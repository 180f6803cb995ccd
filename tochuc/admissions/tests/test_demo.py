"""The small demo's admissions: every stage, targets that fit the admissions, and work due
and overdue today."""

from io import StringIO
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from tochuc.accounts.access import Scope
from tochuc.admissions import selectors
from tochuc.admissions.models import AdmissionTarget, Candidate, Stage
from tochuc.demo.builders import Registry

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        call_command("demo", "--small", stdout=StringIO(), verbosity=0)
        registry = Registry.load()
        world = SimpleNamespace(
            province=registry.get("province"),
            cell=registry.get("cell"),
            scope=Scope.for_user(get_user_model().objects.get(username="admin")),
        )
    yield world
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


def test_the_demo_cell_has_a_candidate_at_every_stage(demo):
    stages = set(Candidate.objects.filter(cell=demo.cell).values_list("stage", flat=True))
    expected = {s for s in Stage.values if s not in (Stage.ADMITTED, Stage.WITHDRAWN)}
    assert expected <= stages


def test_every_candidate_past_the_introduction_has_two_valid_introducers(demo):
    later = Candidate.objects.exclude(
        stage__in=[Stage.IDENTIFIED, Stage.TRAINED, Stage.APPLIED, Stage.WITHDRAWN]
    )
    assert later.exists()
    for candidate in later.prefetch_related("introducers__member"):
        introducers = list(candidate.introducers.all())
        assert len(introducers) == 2
        assert sum(1 for i in introducers if i.union) <= 1
        for introducer in introducers:
            if introducer.member_id:
                assert introducer.member.confirmed_on <= introducer.introduced_on


def test_the_targets_fit_the_admissions_of_each_year(demo):
    today = timezone.localdate()
    years = sorted(
        AdmissionTarget.objects.filter(organization=demo.province).values_list("year", flat=True)
    )
    assert years == list(range(2019, today.year + 1))
    for year in years[:-1]:  # whole years: 95–106% of the target
        total, _rows = selectors.targets_report(
            scope=demo.scope,
            organization=demo.province,
            start=timezone.datetime(year, 1, 1).date(),
            end=timezone.datetime(year, 12, 31).date(),
        )
        assert 90 <= total.percent <= 110, (year, total.admitted, total.target)


def test_some_work_is_due_and_some_overdue_today(demo):
    items = selectors.due_items(scope=demo.scope, on=timezone.localdate())
    kinds = {(i.kind, i.overdue) for i in items}
    for kind in ("decision", "ceremony"):
        assert (kind, True) in kinds and (kind, False) in kinds, kind
    # The demo adds no members: the registry's figures stay its own.
    assert not Candidate.objects.filter(member__isnull=False).exists()
