"""The home page's panels of a province are computed again after a change that may touch that
province's data, and only then: a change recorded in another province leaves them cached."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tochuc.core import audit
from tochuc.core.models import AuditEntry
from tochuc.organizations.models import Kind
from tochuc.testing import found, register

pytestmark = pytest.mark.django_db


def _members_on(response) -> int:
    return {p.key: c for p, c in response.context["panels"]}["members.transfers"]["members_on"]


def test_a_member_registered_in_one_province_leaves_the_other_provinces_panels_cached(
    cast, users, computed, home
):
    home_a, home_b = home(users.province_officer), home(users.other_province_officer)
    members_a = _members_on(home_a.get("/"))
    home_b.get("/")
    with CaptureQueriesContext(connection) as warm:
        cached_b = home_b.get("/")
    register(cast.cell, "Nguyễn Văn Mới")  # in Tỉnh A
    with CaptureQueriesContext(connection) as after:
        still_b = home_b.get("/")
    assert len(after) == len(warm)  # nothing computed: the same queries as a warm page
    assert _members_on(still_b) == _members_on(cached_b) == 0
    assert _members_on(home_a.get("/")) == members_a + 1  # Tỉnh A's figure, at once
    assert computed == ["T01", "T02", "T01"]


def test_a_change_of_no_one_province_computes_every_province_again(cast, users, computed, home):
    home_a, home_b = home(users.province_officer), home(users.other_province_officer)
    home_a.get("/"), home_b.get("/")
    audit.record("tochuc.policy.rule_changed", by=users.admin)  # no object: any province
    home_a.get("/"), home_b.get("/")
    assert computed == ["T01", "T02", "T01", "T02"]


def test_a_transfer_between_two_provinces_computes_both_again(cast, users, computed, home):
    from tochuc.members.services import member_transfer

    other_cell = found("T02.P01.CB1", "Chi bộ khu phố 1", Kind.BASE_CELL, cast.other_commune)
    member = register(cast.cell, "Trần Thị Chuyển")
    home_a, home_b = home(users.province_officer), home(users.other_province_officer)
    members_a, members_b = _members_on(home_a.get("/")), _members_on(home_b.get("/"))
    member_transfer(
        member=member, on=date(2026, 3, 2), to=other_cell, arrived_on=date(2026, 3, 2),
        decision_no="12-QĐ/ĐU",
    )  # fmt: skip
    assert AuditEntry.objects.latest("id").province_id is None
    assert _members_on(home_a.get("/")) == members_a - 1
    assert _members_on(home_b.get("/")) == members_b + 1
    assert computed == ["T01", "T02", "T01", "T02"]


def test_a_reading_in_one_province_and_a_change_in_another_keep_the_key(cast, users):
    other_cell = found("T02.P01.CB2", "Chi bộ khu phố 2", Kind.BASE_CELL, cast.other_commune)
    key = audit.last_write_id(cast.province.pk)
    register(other_cell, "Lê Văn Bên")
    audit.record("tochuc.member.exported", by=users.province_officer, obj=cast.province)
    assert audit.last_write_id(cast.province.pk) == key
    assert audit.last_write_id(cast.other_province.pk) > key
    member = register(cast.cell, "Nguyễn Văn Mới")
    changed = AuditEntry.objects.get(action="tochuc.member.registered", object_id=str(member.pk))
    assert changed.province_id == cast.province.pk
    assert audit.last_write_id(cast.province.pk) == changed.pk == audit.last_write_id()


def test_the_province_of_an_entry_is_its_objects_when_it_tells(cast):
    member = register(cast.cell, "Nguyễn Văn Mới")
    assert audit.province_of(member) == cast.province.pk
    assert audit.province_of(cast.other_commune) == cast.other_province.pk
    assert audit.province_of(cast.province) == cast.province.pk  # a province is its own
    assert audit.province_of(None) is None
    from tochuc.members.models import Affiliation

    held = Affiliation.objects.get(member_id=member.pk)  # neither loaded: not read for this
    assert audit.province_of(held) is None
    held.organization  # noqa: B018 (loaded now)
    assert audit.province_of(held) == cast.province.pk
    assert audit.shared_province(cast.cell, cast.sibling_cell, cast.province.pk) == (
        cast.province.pk
    )
    assert audit.shared_province(cast.cell, cast.other_commune) is audit.EVERY_PROVINCE
    assert audit.shared_province() is audit.EVERY_PROVINCE


def test_record_many_tells_each_entrys_province_as_record_does(cast):
    audit.record_many(
        "tochuc.organization.founded",
        [(cast.cell, "", {}), (cast.other_commune, "", {}), (None, "", {})],
    )
    audit.record_many("tochuc.organization.founded", [(cast.cell, "", {})], province=None)
    written = AuditEntry.objects.order_by("-id").values_list("province_id", flat=True)[:4]
    assert list(reversed(written)) == [cast.province.pk, cast.other_province.pk, None, None]


def test_a_change_made_in_the_database_itself_computes_that_provinces_panels_again(
    cast, users, computed, home
):
    member = register(cast.cell, "Nguyễn Văn Sửa")
    home_a, home_b = home(users.province_officer), home(users.other_province_officer)
    members_a = _members_on(home_a.get("/"))
    home_b.get("/")
    with connection.cursor() as cursor:  # a fix made in the database: no audit entry
        cursor.execute("DELETE FROM members_affiliation WHERE member_id = %s", [member.pk])
    assert _members_on(home_a.get("/")) == members_a - 1  # seen at once, not in a day
    home_b.get("/")
    assert computed == ["T01", "T02", "T01"]  # the other province's panels stay cached
