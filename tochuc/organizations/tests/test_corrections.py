"""Correcting and cancelling organization events: the merge recorded by mistake.

The cast's commune Tân An (a base committee with a cell, and a village cell) is merged
into its sibling commune Tân Bình on 01/02/2026; An sits in Tổ Toán, Bình in Nà Phái.
"""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from tochuc.core.corrections import Grounds
from tochuc.core.models import AuditEntry, Correction
from tochuc.members.models import Affiliation, Member, MemberEvent
from tochuc.members.services import member_exit
from tochuc.organizations.corrections import organization_event_cancel, organization_event_correct
from tochuc.organizations.models import (
    EventParticipant,
    Kind,
    Organization,
    OrganizationEvent,
    OrganizationVersion,
)
from tochuc.organizations.services import NewOrganization, organization_merge, organization_rename
from tochuc.reports import periods, registry
from tochuc.statistics import counts
from tochuc.testing import register

pytestmark = pytest.mark.django_db
MERGED_ON = date(2026, 2, 1)
MISTAKE = Grounds("Ghi nhầm: chưa có quyết định sáp nhập", decision_no="7-QĐ/TU")


def state() -> dict:
    """Everything a restructuring touches, row by row."""
    return {
        "organizations": list(Organization.objects.order_by("pk").values()),
        "versions": list(OrganizationVersion.objects.order_by("pk").values()),
        "affiliations": list(Affiliation.objects.order_by("pk").values()),
        "members": list(
            Member.objects.order_by("pk").values(
                "pk", "organization", "org_path", "province", "status", "party_age_anchor"
            )
        ),
        "member_events": list(MemberEvent.objects.order_by("pk").values()),
    }


def total(organization, on) -> int:
    data = registry.build("membership", organization, periods.at(on))
    return data.table("members").rows[0]["count"]


@pytest.fixture
def people(cast):
    return {
        "an": register(cast.cell, "Nguyễn Văn An"),
        "binh": register(cast.village_cell, "Trần Thị Bình", gender="female"),
    }


def merge(cast):
    organization_merge(sources=[cast.commune], into=cast.sibling_commune, on=MERGED_ON)
    return OrganizationEvent.objects.get(type=OrganizationEvent.Type.MERGED)


def test_undoing_a_merge_restores_the_tree_and_every_members_affiliation(cast, users, people):
    before = state()
    reported = {on: (total(cast.commune, on), total(cast.province, on))
                for on in (date(2025, 12, 31), date(2026, 6, 30))}  # fmt: skip
    event = merge(cast)
    assert Member.objects.get(pk=people["an"].pk).org_path.startswith(cast.sibling_commune.path)

    organization_event_cancel(event=event, grounds=MISTAKE, by=users.province_officer)

    assert state() == before
    for on, numbers in reported.items():
        assert (total(cast.commune, on), total(cast.province, on)) == numbers
    assert not OrganizationEvent.objects.filter(type=OrganizationEvent.Type.MERGED).exists()
    kept = Correction.objects.get()
    assert (kept.action, kept.before["type"], kept.reason) == (
        "cancelled", "Hợp nhất, sáp nhập", MISTAKE.reason,
    )  # fmt: skip
    assert any("Tân An" in line for line in kept.effects)
    audited = AuditEntry.objects.filter(action="tochuc.organization.cancelled")
    assert {e.object_id for e in audited} == {str(cast.commune.pk), str(cast.sibling_commune.pk)}


def test_undoing_a_union_removes_the_new_organization(cast, users, people):
    before = state()
    organization_merge(
        sources=[cast.commune, cast.sibling_commune], on=MERGED_ON, parent=cast.province,
        new=NewOrganization(code="T01.X99", name="Đảng bộ xã Tân Hợp", kind=Kind.COMMUNE),
    )  # fmt: skip
    event = OrganizationEvent.objects.get(type=OrganizationEvent.Type.MERGED)

    organization_event_cancel(event=event, grounds=MISTAKE)

    assert state() == before
    assert not Organization.objects.filter(code="T01.X99").exists()
    assert not EventParticipant.objects.filter(event_id=event.pk).exists()


def merge_cells(cast):
    organization_merge(sources=[cast.village_cell], into=cast.sibling_cell, on=MERGED_ON)
    return OrganizationEvent.objects.get(type=OrganizationEvent.Type.MERGED)


def test_undoing_a_cell_merge_takes_its_members_back(cast, people):
    before = state()
    event = merge_cells(cast)
    assert Member.objects.get(pk=people["binh"].pk).organization == cast.sibling_cell
    assert total(cast.sibling_cell, date(2026, 6, 30)) == 1

    organization_event_cancel(event=event, grounds=MISTAKE)

    assert state() == before
    assert total(cast.sibling_cell, date(2026, 6, 30)) == 0
    assert total(cast.village_cell, date(2026, 6, 30)) == 1


def test_a_merge_is_not_undone_once_a_member_has_acted_since(cast, people):
    event = merge_cells(cast)
    member_exit(member=people["binh"], type=MemberEvent.Type.DIED, on=date(2026, 3, 1))
    before = state()

    with pytest.raises(ValidationError, match="Trần Thị Bình đã có từ trần ngày 01/03/2026"):
        organization_event_cancel(event=event, grounds=MISTAKE)

    assert state() == before
    assert not Correction.objects.exists()


def test_only_the_latest_event_of_an_organization_is_cancelled(cast):
    event = merge(cast)
    organization_rename(organization=cast.cell, name="Chi bộ Tổ Tự nhiên", on=date(2026, 3, 1))
    with pytest.raises(ValidationError, match="Sau sự kiện này còn Đổi tên .ngày 01/03/2026."):
        organization_event_cancel(event=event, grounds=MISTAKE)
    assert OrganizationEvent.objects.filter(pk=event.pk).exists()


def test_a_cancellation_without_a_reason_is_refused(cast):
    event = merge(cast)
    with pytest.raises(ValidationError) as refused:
        organization_event_cancel(event=event, grounds=Grounds(""))
    assert "reason" in refused.value.error_dict


def test_correcting_a_merge_date_moves_the_tree_and_the_members(cast, users, people):
    event = merge(cast)
    organization_event_correct(
        event=event, on=date(2026, 3, 1), decision_no="12-QĐ/TU", grounds=MISTAKE,
        by=users.province_officer,
    )  # fmt: skip

    cast.commune.refresh_from_db()
    assert cast.commune.ended_on == date(2026, 3, 1)
    base_versions = list(cast.base.versions.values_list("valid_from", "valid_to"))
    assert base_versions == [(date(2025, 7, 1), date(2026, 3, 1)), (date(2026, 3, 1), None)]
    # Reports follow: on 15/02/2026 Tân An still holds its two members.
    assert total(cast.commune, date(2026, 2, 15)) == 2
    assert total(cast.sibling_commune, date(2026, 2, 15)) == 0
    assert total(cast.sibling_commune, date(2026, 3, 15)) == 2
    kept = Correction.objects.get()
    assert kept.rows() == [
        ("ngày hiệu lực", "01/02/2026", "01/03/2026"),
        ("số quyết định", "—", "12-QĐ/TU"),
    ]


def test_correcting_a_cell_merge_date_moves_its_members(cast, people):
    event = merge_cells(cast)
    organization_event_correct(event=event, on=date(2026, 1, 15), grounds=MISTAKE)

    moved = MemberEvent.objects.get(member=people["binh"], type=MemberEvent.Type.REORGANIZED)
    assert moved.on == date(2026, 1, 15)
    periods_of_binh = list(
        Affiliation.objects.filter(member=people["binh"]).values_list("valid_from", "valid_to")
    )
    assert periods_of_binh[-2:] == [
        (date(2025, 7, 1), date(2026, 1, 15)), (date(2026, 1, 15), None),
    ]  # fmt: skip
    assert (
        total(cast.village_cell, date(2026, 1, 10)),
        total(cast.sibling_cell, date(2026, 1, 10)),
    ) == (1, 0)
    assert total(cast.sibling_cell, date(2026, 1, 20)) == 1


def test_a_date_before_an_earlier_change_is_refused_and_changes_nothing(cast, people):
    event = merge(cast)
    before = state()
    with pytest.raises(ValidationError, match="không sau thay đổi trước đó của Đảng bộ xã Tân An"):
        organization_event_correct(event=event, on=date(2025, 6, 1), grounds=MISTAKE)
    assert state() == before


def test_a_date_after_a_later_change_is_refused(cast, people):
    event = merge(cast)
    organization_rename(organization=cast.cell, name="Chi bộ Tổ Tự nhiên", on=date(2026, 3, 1))
    with pytest.raises(ValidationError, match="không trước thay đổi sau đó của Chi bộ Tổ Tự"):
        organization_event_correct(event=event, on=date(2026, 4, 1), grounds=MISTAKE)


def test_a_cancelled_merge_marks_its_province_stale_in_the_summary(cast, people):
    event = merge(cast)
    snapshot = counts.rebuild(date(2026, 6, 30))
    assert counts.stale_provinces(snapshot) == set()
    organization_event_cancel(event=event, grounds=MISTAKE)
    assert counts.stale_provinces(snapshot) == {cast.province.pk}
    counts.refresh()
    assert counts.stale_provinces(snapshot) == set()
    assert total(cast.commune, date(2026, 6, 30)) == 2


def test_a_founding_recorded_by_mistake_is_undone_when_nothing_rests_on_it(cast):
    from tochuc.testing import found

    new = found("T01.X01.MOI", "Chi bộ thôn Mới", Kind.BASE_CELL, cast.commune, on=MERGED_ON)
    event = new.versions.get().event
    organization_event_cancel(event=event, grounds=MISTAKE)
    assert not Organization.objects.filter(code="T01.X01.MOI").exists()
    assert Correction.objects.get().before["type"] == "Thành lập"


def test_a_founding_is_not_undone_once_a_member_is_filed_there(cast):
    from tochuc.testing import found

    new = found("T01.X01.MOI", "Chi bộ thôn Mới", Kind.BASE_CELL, cast.commune)
    register(new, "Lý Văn Mới")
    with pytest.raises(ValidationError, match="đã có dữ liệu khác"):
        organization_event_cancel(event=new.versions.get().event, grounds=MISTAKE)
    assert Organization.objects.filter(code="T01.X01.MOI").exists()
