"""The demo's members: the small demo is built once for the module (rolled back at its end)."""

import random
import re
from collections import Counter
from datetime import date
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from tochuc.core.models import AuditEntry
from tochuc.demo.builders import Registry, names
from tochuc.demo.builders.members import members_on, plan_members
from tochuc.members.models import ACTIVE_STATUSES, Affiliation, Member, MemberEvent, Status
from tochuc.members.services import member_recompute
from tochuc.organizations.models import Organization

pytestmark = pytest.mark.django_db

END_2020 = date(2020, 12, 31)
T = MemberEvent.Type


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        output = StringIO()
        call_command("demo", "--small", stdout=output, verbosity=0)
        registry = Registry.load()
        world = SimpleNamespace(
            output=output.getvalue(),
            registry=registry,
            province=registry.get("province"),
            members=Member.objects.count(),
        )
    yield world
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


def test_a_few_hundred_members_growing_from_2020_to_today(demo):
    then = members_on(demo.province, END_2020)
    now = members_on(demo.province, timezone.localdate())
    assert 250 <= then <= 600
    assert 250 <= now <= 650
    assert now >= then * 0.95
    active = Member.objects.filter(province=demo.province, status__in=ACTIVE_STATUSES)
    assert active.count() == now
    assert 0 < active.filter(status=Status.PROBATIONARY).count() < now * 0.1
    # The registry keeps those who left since 2010: the dead, the transferred, the removed.
    left = Counter(
        Member.objects.exclude(status__in=ACTIVE_STATUSES).values_list("status", flat=True)
    )
    assert left[Status.DECEASED] > 0 and left[Status.TRANSFERRED_AWAY] > 0
    assert f"{now:,}".replace(",", ".") in demo.output


def test_every_active_member_is_in_a_cell_alive_today(demo):
    open_official = Affiliation.objects.filter(
        kind=Affiliation.Kind.OFFICIAL, valid_to__isnull=True
    )
    for member in Member.objects.filter(status__in=ACTIVE_STATUSES).select_related("organization"):
        assert member.organization.ended_on is None, member.organization
        assert member.organization.kind in ("cell", "base_cell")
        assert member.org_path == member.organization.path
    assert open_official.count() == Member.objects.filter(status__in=ACTIVE_STATUSES).count()
    assert not open_official.filter(organization__ended_on__isnull=False).exists()


def test_at_every_date_a_member_is_in_a_cell_alive_on_that_date(demo):
    for on in (date(2015, 12, 31), END_2020, date(2024, 12, 31), date(2025, 7, 20)):
        covering = Affiliation.objects.filter(valid_from__lte=on).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gt=on)
        )
        dead = covering.filter(
            Q(organization__founded_on__gt=on) | Q(organization__ended_on__lte=on)
        )
        assert not dead.exists(), list(dead[:3])
        members = list(covering.values_list("member_id", flat=True))
        assert len(members) == len(set(members))  # one official activity at a time


def test_the_stored_state_is_what_the_services_derive(demo):
    sample = random.Random(7).sample(list(Member.objects.values_list("pk", flat=True)), 60)
    fields = ("status", "is_exempted", "organization_id", "province_id", "org_path",
              "party_age_anchor", "name_folded", "name_sort")  # fmt: skip
    for member in Member.objects.filter(pk__in=sample):
        stored = [getattr(member, name) for name in fields]
        derived = member_recompute(Member.objects.get(pk=member.pk))
        assert stored == [getattr(derived, name) for name in fields]


def test_timelines_span_the_decades_with_the_usual_events(demo):
    admitted = Member.objects.values_list("admitted_on", flat=True)
    years = {d.year for d in admitted}
    assert min(years) < 1980 and max(years) == timezone.localdate().year
    types = Counter(MemberEvent.objects.values_list("type", flat=True))
    for kind in (T.ADMITTED, T.CONFIRMED, T.TRANSFERRED_OUT, T.TRANSFERRED_IN, T.DIED):
        assert types[kind] > 0, kind
    # Admission decisions are numbered like the sector's: "127-QĐ/HU".
    numbers = Member.objects.values_list("admission_decision_no", flat=True)
    assert all(re.fullmatch(r"\d+-QĐ/(HU|ĐU)", n) for n in numbers)
    entries = AuditEntry.objects.filter(action="tochuc.member.bulk_registered")
    assert entries.count() == 1 and entries.get().data["count"] == demo.members


def test_personal_records_look_real(demo):
    members = list(Member.objects.all())
    women = sum(m.gender == "female" for m in members) / len(members)
    assert 0.25 <= women <= 0.5
    ethnicities = Counter(m.ethnicity for m in members)
    assert (ethnicities["07"] + ethnicities["02"]) / len(members) > 0.55  # Nùng and Tày
    for member in members:
        words = member.full_name.split()
        assert 3 <= len(words) <= 4
        assert not (member.gender == "female" and words[1] == "Văn")
        assert not (member.gender == "male" and words[1] == "Thị")
        age = (member.admitted_on - member.birth_date).days / 365.25
        assert 18 <= age < 61
    ids = [m.citizen_id for m in members if m.citizen_id]
    assert len(ids) == len(set(ids)) and all(re.fullmatch(r"\d{12}", i) for i in ids)
    assert sum(i.startswith("020") for i in ids) / len(ids) > 0.8
    cards = [m.party_card_no for m in members if m.party_card_no]
    assert len(cards) == len(set(cards))
    full = [m for m in members if m.status == Status.FULL]
    assert all(m.party_card_no for m in full)
    assert sum(m.general_education == "12/12" for m in members) / len(members) > 0.6


def test_names_follow_the_real_distribution():
    rng = random.Random(3)
    kinh = Counter(
        names.full_name(rng, gender="male", ethnicity="01", born=1975).split()[0]
        for _ in range(20000)
    )
    assert 0.35 <= kinh["Nguyễn"] / 20000 <= 0.41
    assert 0.09 <= kinh["Trần"] / 20000 <= 0.13
    assert [name for name, _ in kinh.most_common(4)] == ["Nguyễn", "Trần", "Lê", "Phạm"]
    for ethnicity in ("02", "07"):  # Tày, Nùng
        families = Counter(
            names.full_name(rng, gender="female", ethnicity=ethnicity, born=1990).split()[0]
            for _ in range(5000)
        )
        assert families.most_common(1)[0][0] == "Hoàng"
        assert {"Nông", "Lương", "Vi"} <= {name for name, _ in families.most_common(8)}
    women = [names.full_name(rng, gender="female", ethnicity="07", born=1960) for _ in range(2000)]
    assert sum(n.split()[1] == "Thị" for n in women) / 2000 > 0.6


def test_the_plan_is_the_same_for_the_same_seed(demo):
    today = timezone.localdate()
    first = plan_members(demo.province, seed=11, small=True, today=today)
    second = plan_members(demo.province, seed=11, small=True, today=today)
    other = plan_members(demo.province, seed=12, small=True, today=today)

    def key(plan):
        return [(r.record["full_name"], r.admitted_on, r.organization_id, len(r.timeline))
                for r in plan.rows]  # fmt: skip

    assert key(first) == key(second) != key(other)


def test_running_the_demo_again_creates_nothing(demo):
    before = (Member.objects.count(), MemberEvent.objects.count(), Affiliation.objects.count())
    output = StringIO()
    call_command("demo", "--small", stdout=output, verbosity=0)
    assert "không tạo lại" in output.getvalue()
    after = (Member.objects.count(), MemberEvent.objects.count(), Affiliation.objects.count())
    assert after == before
    assert Organization.objects.filter(code="T20").count() == 1


def test_the_demo_communes_have_transfers_in_every_state(demo):
    from tochuc.transfers.models import Transfer, WorkingAway

    commune, sibling = (demo.registry.get(n) for n in ("commune", "sibling_commune"))
    sent = Transfer.objects.filter(member__events__organization__path__startswith=commune.path)
    states = Counter(sent.distinct().values_list("kind", "state"))
    assert sum(states.values()) == 5  # received, waiting, overdue, temporary, out of the system
    assert Transfer.objects.filter(destination__path__startswith=sibling.path).count() == 4
    assert WorkingAway.objects.filter(organization__path__startswith=commune.path).count() == 1
