from datetime import date

import pytest
from django.core.exceptions import ValidationError

from tochuc.accounts.access import Scope
from tochuc.core.models import AuditEntry
from tochuc.organizations import selectors
from tochuc.organizations.models import Kind, Organization, OrganizationVersion
from tochuc.organizations.services import (
    Decision,
    NewOrganization,
    organization_dissolve,
    organization_found,
    organization_merge,
    organization_move,
    organization_rename,
    organization_split,
)
from tochuc.testing import found

pytestmark = pytest.mark.django_db

BEFORE = date(2025, 12, 31)
ON = date(2026, 1, 1)


@pytest.fixture
def everything(users):
    return Scope.for_user(users.admin)


def counts(scope, org, on):
    total, _ = selectors.subtree_counts_on(scope=scope, organization=org, on=on)
    return total.grassroots, total.under_grassroots


def unchanged(*orgs):
    """Snapshot of versions, to prove a refusal changed nothing."""
    return list(
        OrganizationVersion.objects.filter(organization__in=orgs)
        .order_by("id")
        .values_list("id", "valid_from", "valid_to", "path", "name")
    )


def test_founding_records_a_dated_version_with_its_path(cast):
    version = cast.cell.versions.get()
    assert version.path == f"{cast.province.pk}/{cast.commune.pk}/{cast.base.pk}/{cast.cell.pk}/"
    assert version.province_id == cast.province.pk
    assert cast.cell.depth == 3
    assert AuditEntry.objects.filter(action="tochuc.organization.founded").count() == 9


def test_a_rename_keeps_the_old_name_in_the_past(cast, everything):
    organization_rename(
        organization=cast.commune, name="Đảng bộ xã Tân An Mới", on=ON,
        decision=Decision("12-QĐ/TU", date(2025, 12, 20)),
    )  # fmt: skip

    def names(on):
        children = selectors.children_on(scope=everything, organization=cast.province, on=on)
        return [v.name for v in children]

    assert "Đảng bộ xã Tân An" in names(BEFORE)
    assert "Đảng bộ xã Tân An Mới" in names(ON)
    assert Organization.objects.get(pk=cast.commune.pk).name == "Đảng bộ xã Tân An Mới"


def test_a_move_takes_the_subtree_along_and_leaves_the_past_as_it_was(cast, everything):
    organization_move(organization=cast.base, parent=cast.sibling_commune, on=ON)
    assert counts(everything, cast.commune, BEFORE) == (2, 1)
    assert counts(everything, cast.commune, ON) == (1, 0)
    assert counts(everything, cast.sibling_commune, ON) == (2, 1)
    cast.cell.refresh_from_db()
    assert cast.cell.path.startswith(cast.sibling_commune.path)
    assert cast.cell.versions.count() == 2


def test_a_move_into_its_own_descendant_is_refused(cast):
    snapshot = unchanged(cast.commune, cast.base)
    with pytest.raises(ValidationError, match="chính nó hoặc tổ chức cấp dưới"):
        organization_move(organization=cast.base, parent=cast.cell, on=ON)
    assert unchanged(cast.commune, cast.base) == snapshot


def test_a_cell_cannot_stand_under_a_commune_committee_of_another_kind(cast):
    with pytest.raises(ValidationError, match="cấp trên phải là"):
        found("X", "Đảng bộ xã lạc chỗ", Kind.COMMUNE, cast.base)
    assert not Organization.objects.filter(code="X").exists()


def test_a_cell_moved_directly_under_a_commune_becomes_a_grassroots_cell(cast):
    organization_move(organization=cast.cell, parent=cast.commune, on=ON)
    cast.cell.refresh_from_db()
    assert cast.cell.kind == Kind.BASE_CELL
    assert cast.cell.versions.order_by("valid_from").first().kind == Kind.CELL


def test_an_event_before_founding_is_refused(cast):
    with pytest.raises(ValidationError, match="trước ngày thành lập"):
        organization_rename(organization=cast.commune, name="Tên khác", on=date(2020, 1, 1))


def test_events_must_be_recorded_in_order(cast):
    organization_rename(organization=cast.commune, name="Tên mới", on=ON)
    with pytest.raises(ValidationError, match="ghi các sự kiện theo đúng trình tự"):
        organization_rename(organization=cast.commune, name="Tên xen giữa", on=date(2025, 9, 1))


def test_a_duplicate_code_is_refused(cast):
    with pytest.raises(ValidationError, match="đã được dùng"):
        found(cast.cell.code, "Chi bộ trùng mã", Kind.CELL, cast.base)


def test_merging_into_a_new_organization_ends_the_sources_and_moves_their_children(
    cast, everything
):
    result = organization_merge(
        sources=[cast.commune, cast.sibling_commune],
        new=NewOrganization("T01.X03", "Đảng bộ xã Tân Hòa", Kind.COMMUNE),
        parent=cast.province, on=ON,
    )  # fmt: skip
    for source in (cast.commune, cast.sibling_commune):
        source.refresh_from_db()
        assert source.ended_on == ON and source.successor == result
        assert source.path.startswith(result.path)  # filed under its successor for access
    assert counts(everything, cast.province, BEFORE) == counts(everything, cast.province, ON)
    assert counts(everything, result, ON) == (3, 1)
    assert [v.name for v in selectors.children_on(
        scope=everything, organization=cast.province, on=BEFORE)] == [
        "Đảng bộ xã Tân An", "Đảng bộ xã Tân Bình"]  # fmt: skip


def test_an_ended_organization_accepts_no_further_event(cast):
    organization_merge(sources=[cast.sibling_commune], into=cast.commune, on=ON)
    with pytest.raises(ValidationError, match="đã chấm dứt hoạt động"):
        organization_rename(
            organization=Organization.objects.get(pk=cast.sibling_commune.pk),
            name="Muộn", on=date(2026, 2, 1),
        )  # fmt: skip


def test_a_split_needs_every_child_assigned(cast):
    with pytest.raises(ValidationError, match="Chưa phân các tổ chức trực thuộc"):
        organization_split(
            source=cast.commune, on=ON,
            parts=[NewOrganization("A1", "Đảng bộ xã A1", Kind.COMMUNE, children=[cast.base]),
                   NewOrganization("A2", "Đảng bộ xã A2", Kind.COMMUNE)],
        )  # fmt: skip
    assert not Organization.objects.filter(code__in=["A1", "A2"]).exists()


def test_a_split_distributes_the_children(cast, everything):
    first, second = organization_split(
        source=cast.commune, on=ON,
        parts=[NewOrganization("A1", "Đảng bộ xã A1", Kind.COMMUNE, children=[cast.base]),
               NewOrganization("A2", "Đảng bộ xã A2", Kind.COMMUNE,
                               children=[cast.village_cell])],
    )  # fmt: skip
    assert counts(everything, first, ON) == (1, 1)
    assert counts(everything, second, ON) == (1, 0)
    assert counts(everything, cast.commune, BEFORE) == (2, 1)


def test_dissolving_an_organization_with_live_children_is_refused(cast):
    with pytest.raises(ValidationError, match="còn tổ chức trực thuộc"):
        organization_dissolve(organization=cast.base, on=ON)
    organization_dissolve(organization=cast.cell, on=ON)
    organization_dissolve(organization=cast.base, on=date(2026, 2, 1))
    cast.base.refresh_from_db()
    assert cast.base.ended_on == date(2026, 2, 1)


def test_dissolving_before_a_child_ended_is_refused_and_changes_nothing(cast):
    """The cell lived under the school's committee until 1/1/2026: the committee cannot have
    ended on 1/10/2025 (an import of old events in the wrong order tries exactly that)."""
    organization_dissolve(organization=cast.cell, on=date(2026, 1, 1))
    with pytest.raises(ValidationError, match="còn tổ chức trực thuộc đang hoạt động sau"):
        organization_dissolve(organization=cast.base, on=date(2025, 10, 1))
    cast.base.refresh_from_db()
    assert cast.base.ended_on is None
    assert cast.base.versions.get().valid_to is None
    organization_dissolve(organization=cast.base, on=date(2026, 1, 1))
    cast.base.refresh_from_db()
    assert cast.base.ended_on == date(2026, 1, 1)


def test_the_tree_as_of_a_date_before_founding_is_empty(cast, everything):
    late = organization_found(
        spec=NewOrganization("T01.X01.MOI", "Chi bộ thôn Mới", Kind.BASE_CELL),
        parent=cast.commune, on=ON,
    )  # fmt: skip
    assert selectors.version_of(organization=late, on=BEFORE) is None
    assert counts(everything, cast.commune, BEFORE) == (2, 1)
    assert counts(everything, cast.commune, ON) == (3, 1)


def test_founding_under_a_parent_before_its_later_move_is_refused(cast):
    organization_move(organization=cast.base, parent=cast.sibling_commune, on=ON)
    with pytest.raises(ValidationError, match="trình tự thời gian"):
        found("T01.X01.THPT.VAN", "Chi bộ Tổ Văn", Kind.CELL, cast.base, on=date(2025, 9, 1))
    assert not Organization.objects.filter(code="T01.X01.THPT.VAN").exists()
