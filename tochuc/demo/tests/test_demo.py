"""`tochuc demo`: the small demo is built once for the module (rolled back at its end)."""

import random
import re
from datetime import date
from io import StringIO
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from tochuc.accounts.access import Scope
from tochuc.accounts.models import Grant
from tochuc.accounts.permissions import Role
from tochuc.core.models import AuditEntry
from tochuc.demo.builders import PASSWORD, Registry
from tochuc.demo.builders.accounts import ACCOUNTS
from tochuc.demo.builders.langson import (
    GRASSROOTS_2020,
    UNDER_GRASSROOTS_2020,
    counts_on_report_date,
    plan_langson,
)
from tochuc.organizations.models import (
    EventParticipant,
    GrassrootsType,
    Kind,
    Organization,
    OrganizationEvent,
)
from tochuc.organizations.selectors import (
    children_on,
    organization_history,
    subtree_counts_on,
    version_of,
)

pytestmark = pytest.mark.django_db

END_2020 = date(2020, 12, 31)
REORGANIZED = date(2025, 7, 1)
User = get_user_model()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        output = StringIO()
        call_command("demo", "--small", stdout=output, verbosity=0)
        world = SimpleNamespace(
            output=output.getvalue(),
            registry=Registry.load(),
            admin=User.objects.get(username="admin"),
        )
    yield world
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


def admin_scope(demo):
    return Scope.for_user(demo.admin)


def test_it_founds_todays_provinces_and_communes_from_the_official_list(demo):
    lang_son = demo.registry.get("province")
    assert (lang_son.code, lang_son.name) == ("T20", "Đảng bộ tỉnh Lạng Sơn")
    assert lang_son.kind == Kind.PROVINCE
    assert lang_son.founded_on < date(2000, 1, 1)  # not merged in 2025: an old founding
    communes = Organization.objects.filter(parent=lang_son, kind=Kind.COMMUNE)
    assert communes.count() == 65
    assert all(re.fullmatch(r"[A-Za-z0-9._-]+", c.code) for c in Organization.objects.all())
    ky_lua = communes.get(name="Đảng bộ phường Kỳ Lừa")
    assert (ky_lua.code, ky_lua.admin_unit_code) == ("T20.X06187", "06187")
    assert ky_lua.grassroots_type == GrassrootsType.WARD
    assert ky_lua.founded_on == REORGANIZED
    cao_bang = Organization.objects.get(code="T04")
    assert cao_bang.children.filter(kind=Kind.COMMUNE).count() == 56
    hue = Organization.objects.get(code="T46")
    assert hue.name == "Đảng bộ thành phố Huế"
    assert version_of(organization=hue, on=END_2020).name == "Đảng bộ tỉnh Thừa Thiên Huế"


def test_grassroots_counts_on_31_12_2020_and_today_differ_as_the_tree_changed(demo):
    scope = admin_scope(demo)
    province = demo.registry.get("province")
    then, _ = subtree_counts_on(scope=scope, organization=province, on=END_2020)
    now, _ = subtree_counts_on(scope=scope, organization=province, on=timezone.localdate())
    expected = counts_on_report_date(plan_langson(rng=random.Random(2025), small=True))
    assert (then.grassroots, then.under_grassroots) == expected
    # Village cells stood under commune committees in 2020 and are grassroots cells today.
    assert now.grassroots > then.grassroots
    assert now.under_grassroots < then.under_grassroots
    kinds_then = {v.kind for v in children_on(scope=scope, organization=province, on=END_2020)}
    kinds_now = {
        v.kind for v in children_on(scope=scope, organization=province, on=timezone.localdate())
    }
    assert kinds_then == {Kind.DISTRICT, Kind.BLOC}
    assert kinds_now == {Kind.COMMUNE, Kind.BLOC}


def test_an_old_commune_merged_into_its_new_commune_shows_in_both_histories(demo):
    new = demo.registry.get("commune")
    old = demo.registry.get("old.tinhlangson_huyenhuulung_xathanhson")
    assert (new.name, old.name) == ("Đảng bộ xã Thiện Tân", "Đảng bộ xã Thanh Sơn")
    assert old.ended_on == REORGANIZED and old.successor == new
    merger = OrganizationEvent.objects.get(
        type=OrganizationEvent.Type.MERGED,
        effective_on=REORGANIZED,
        parts__organization=old,
        parts__role=EventParticipant.Role.SOURCE,
    )
    assert merger.parts.filter(organization=new, role=EventParticipant.Role.RESULT).exists()
    assert re.fullmatch(r"\d+-QĐ/TU", merger.decision_no)
    assert merger.decision_date == date(2025, 6, 30)
    assert merger in organization_history(organization=new)
    assert merger in organization_history(organization=old)
    # Its village cell: a cell of the old commune then, a grassroots cell of the new one now.
    cell = demo.registry.get("cell")
    assert cell.name == "Chi bộ thôn Nà Phái"
    before = version_of(organization=cell, on=END_2020)
    assert (before.kind, before.parent_id) == (Kind.CELL, old.pk)
    assert (cell.kind, cell.parent_id) == (Kind.BASE_CELL, new.pk)


def test_the_2020_and_2024_commune_mergers_are_in_the_history(demo):
    thien_tan_2020 = Organization.objects.get(code="T20.H186.X06406")
    assert thien_tan_2020.founded_on == date(2020, 1, 1)
    formed = OrganizationEvent.objects.get(
        parts__organization=thien_tan_2020, parts__role=EventParticipant.Role.RESULT,
        effective_on=date(2020, 1, 1),
    )  # fmt: skip
    sources = set(
        formed.parts.filter(role=EventParticipant.Role.SOURCE).values_list(
            "organization__name", flat=True
        )
    )
    assert sources == {"Đảng bộ xã Thiện Kỵ", "Đảng bộ xã Tân Lập"}
    son_ha = Organization.objects.get(name="Đảng bộ xã Sơn Hà")
    assert son_ha.ended_on == date(2024, 12, 1)
    assert son_ha.successor.name == "Đảng bộ thị trấn Hữu Lũng"


def test_the_districts_ended_on_1_7_2025(demo):
    scope = admin_scope(demo)
    province = demo.registry.get("province")
    districts = Organization.objects.filter(kind=Kind.DISTRICT)
    assert districts.count() == 5  # the small demo's districts
    assert set(districts.values_list("ended_on", flat=True)) == {REORGANIZED}
    on_the_eve = children_on(scope=scope, organization=province, on=date(2025, 6, 30))
    assert sum(v.kind == Kind.DISTRICT for v in on_the_eve) == 5
    assert not Organization.objects.filter(kind=Kind.DISTRICT, ended_on__isnull=True).exists()
    city = districts.get(code="T20.H178")
    assert city.name == "Đảng bộ thành phố Lạng Sơn"
    assert version_of(organization=city, on=date(2000, 1, 1)).name == "Đảng bộ thị xã Lạng Sơn"
    # Its police committee went to the provincial police before, on 1/3/2025.
    police = Organization.objects.get(code="T20.H178.CA")
    assert police.parent == demo.registry.get("bloc.CA")
    assert version_of(organization=police, on=date(2025, 2, 28)).parent_id == city.pk


def test_the_demo_accounts_exist_with_their_grants(demo):
    registry = demo.registry
    for account in ACCOUNTS:
        user = User.objects.get(username=account.username)
        assert user.check_password(PASSWORD)
        grant = Grant.objects.get(user=user)
        assert grant.role == account.role
        expected = registry.get(account.where) if account.where else None
        assert grant.organization == expected
    secretary = User.objects.get(username="bithu.naphai")
    assert Grant.objects.get(user=secretary).organization.kind == Kind.BASE_CELL
    officer = Scope.for_user(User.objects.get(username="xa.thientan"))
    assert officer.contains(registry.get("cell"))
    assert not officer.contains(registry.get("sibling_commune"))
    assert Scope.for_user(User.objects.get(username="tinh.langson")).contains(
        registry.get("sibling_commune")
    )
    assert User.objects.get(username="admin").grants.get().role == Role.ADMIN
    assert "Tên đăng nhập" in demo.output and "bithu.naphai" in demo.output


def test_running_it_again_changes_nothing_and_prints_the_accounts(demo):
    models = (Organization, OrganizationEvent, User, Grant, AuditEntry)
    before = [m.objects.count() for m in models]
    output = StringIO()
    call_command("demo", stdout=output, verbosity=0)
    assert [m.objects.count() for m in models] == before
    assert "không tạo lại" in output.getvalue()
    assert "xa.tanthanh" in output.getvalue() and PASSWORD in output.getvalue()


# Grassroots organizations the demo may leave as "Khác" (by name): none today.
DEMO_OTHER_TYPE: set[str] = set()


def test_the_breakdown_by_type_classifies_every_grassroots_organization(demo):
    from tochuc.reports import periods, registry

    province = demo.registry.get("province")
    report = registry.build("membership", province, periods.at(timezone.localdate()))
    by_type = {row["key"]: row["total"] for row in report.table("grassroots_by_type").rows}
    assert "" not in by_type  # no "Chưa phân loại" row
    assert by_type[GrassrootsType.OTHER] == len(DEMO_OTHER_TYPE)
    # Village and residential-area cells under the communes since 1/7/2025 have their types.
    assert by_type[GrassrootsType.VILLAGE] > 0 and by_type[GrassrootsType.RESIDENTIAL] > 0
    from tochuc.organizations.models import settlement_type

    under_communes = Organization.objects.filter(
        kind=Kind.BASE_CELL, parent__kind=Kind.COMMUNE, ended_on__isnull=True
    )
    named = [(c.grassroots_type, settlement_type(c.name)) for c in under_communes]
    settlements = [(gtype, said) for gtype, said in named if said]
    assert len(settlements) == by_type[GrassrootsType.VILLAGE] + by_type[GrassrootsType.RESIDENTIAL]
    assert all(gtype == said for gtype, said in settlements)


# ---------------------------------------------------------------- the plan (no database)


def test_the_full_plan_gives_every_grassroots_organization_a_type_of_its_own():
    plan = plan_langson(rng=random.Random(2025))
    villages = [n for n in plan.nodes if n.role == "village"]
    assert len(villages) == 2062
    assert {n.grassroots_type for n in villages} == {
        GrassrootsType.VILLAGE, GrassrootsType.RESIDENTIAL,
    }  # fmt: skip
    grassroots = [n for n in plan.nodes if n.kind in (Kind.BASE_COMMITTEE, Kind.BASE_CELL)]
    assert [n.name for n in grassroots if n.grassroots_type in ("", GrassrootsType.OTHER)] == []


@pytest.mark.parametrize("seed", [2025, 7])
def test_the_full_plan_has_the_2020_report_figures_for_any_seed(seed):
    plan = plan_langson(rng=random.Random(seed))
    assert counts_on_report_date(plan) == (GRASSROOTS_2020, UNDER_GRASSROOTS_2020)
    assert len({n.code for n in plan.nodes}) == len(plan.nodes)
    assert len(plan.districts) == 11
    assert len(plan.communes) == 203  # 194 in 2025, six merged in 2024, four in 2020


def test_the_same_seed_gives_the_same_plan_and_another_seed_another():
    def names(seed):
        return [(n.code, n.name, n.on) for n in plan_langson(rng=random.Random(seed)).nodes]

    assert names(2025) == names(2025)
    assert names(2025) != names(2026)
