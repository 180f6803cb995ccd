from datetime import date

import pytest
from django.core.exceptions import ValidationError

from tochuc.accounts.access import Scope
from tochuc.members import selectors
from tochuc.members.models import Affiliation, Member, MemberEvent, Status
from tochuc.members.services import (
    member_confirm,
    member_exempt,
    member_exit,
    member_readmit,
    member_transfer,
    member_update,
)
from tochuc.organizations.models import Kind
from tochuc.organizations.services import organization_dissolve, organization_merge
from tochuc.testing import found, register

pytestmark = pytest.mark.django_db
T = MemberEvent.Type


@pytest.fixture
def an(cast):
    return register(cast.cell, "Nguyễn Văn An", citizen_id="001085000001", party_card_no="A1")


def names(scope, **filters):
    qs = selectors.member_list(scope=scope, filters=selectors.MemberFilters(**filters))
    return [m.full_name for m in qs]


def test_a_registered_member_is_full_and_filed_under_their_cell(cast, an):
    assert an.status == Status.FULL
    assert an.organization == cast.cell
    assert an.org_path == cast.cell.path
    assert an.province == cast.province
    assert [e.type for e in an.events.all()] == [T.ADMITTED, T.CONFIRMED]


def test_search_without_accents_stays_inside_the_scope(cast, users, an):
    register(cast.sibling_cell, "Nguyễn Văn An", citizen_id="001085000002")
    register(cast.cell, "Trần Thị Bình")
    commune = Scope.for_user(users.commune_officer)
    assert names(commune, text="nguyen van an") == ["Nguyễn Văn An"]
    assert (
        selectors.member_list(
            scope=commune, filters=selectors.MemberFilters(text="nguyen van an")
        ).get()
        == an
    )
    assert names(Scope.for_user(users.province_officer), text="nguyen van an") == [
        "Nguyễn Văn An", "Nguyễn Văn An",
    ]  # fmt: skip
    assert names(commune, text="an") == ["Nguyễn Văn An"]  # "an" is no part of "Bình"
    assert names(commune, text="001085000001") == ["Nguyễn Văn An"]
    assert names(commune, text="a1") == ["Nguyễn Văn An"]


def test_lists_are_in_vietnamese_order_by_given_name(cast, users):
    for name in ["Trần Thị Bình", "Lê Văn Ấn", "Phạm Anh", "Hoàng Ánh", "Nguyễn Văn An"]:
        register(cast.cell, name)
    assert names(Scope.for_user(users.commune_officer)) == [
        "Nguyễn Văn An", "Phạm Anh", "Hoàng Ánh", "Lê Văn Ấn", "Trần Thị Bình",
    ]  # fmt: skip


def test_keyset_pages_walk_the_whole_list_once(cast, users):
    for i in range(7):
        register(cast.cell, f"Nguyễn Văn Số{i}")
    qs = selectors.member_list(
        scope=Scope.for_user(users.commune_officer), filters=selectors.MemberFilters()
    )
    seen, cursor = [], None
    while True:
        page = selectors.keyset_page(qs, after=cursor, size=3)
        seen += [m.pk for m in page.rows]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == list(qs.values_list("pk", flat=True))


def test_a_stale_edit_is_refused_and_changes_nothing(an):
    version = an.row_version
    member_update(member=an, changes={"phone": "0912345678"}, expected_version=version)
    with pytest.raises(ValidationError, match="đã được người khác sửa"):
        member_update(member=an, changes={"phone": "0988888888"}, expected_version=version)
    an.refresh_from_db()
    assert an.phone == "0912345678"
    assert an.history.count() == 2  # registered, then edited once


def test_bad_personal_data_is_refused_beside_its_field(cast, an):
    with pytest.raises(ValidationError) as refused:
        register(cast.cell, "Lê Văn Cường", citizen_id="12345")
    assert "12 chữ số" in str(refused.value.message_dict["citizen_id"])
    with pytest.raises(ValidationError) as refused:
        register(cast.cell, "Lê Văn Cường", citizen_id="001085000001")
    assert "đã có trong hồ sơ khác" in str(refused.value.message_dict["citizen_id"])
    with pytest.raises(ValidationError) as refused:
        register(cast.base, "Lê Văn Cường")
    assert "không phải chi bộ" in str(refused.value.message_dict["organization"])
    assert Member.objects.count() == 1


def test_a_transfer_moves_the_official_activity_on_the_arrival_date(cast, an):
    member_transfer(
        member=an, on=date(2026, 3, 2), to=cast.sibling_cell, arrived_on=date(2026, 3, 10)
    )
    an.refresh_from_db()
    assert an.organization == cast.sibling_cell
    official = an.affiliations.filter(kind=Affiliation.Kind.OFFICIAL).order_by("valid_from")
    assert [(a.organization_id, a.valid_to) for a in official] == [
        (cast.cell.pk, date(2026, 3, 10)), (cast.sibling_cell.pk, None),
    ]  # fmt: skip


def test_party_age_after_readmission_counts_from_the_first_admission_minus_the_gap(cast):
    office = found("T01.CQ", "Chi bộ Văn phòng", Kind.BASE_CELL, cast.province, on=date(1990, 1, 1))
    member = register(office, "Hoàng Văn Dũng", admitted_on=date(2000, 1, 10))
    member_exit(member=member, type=T.REMOVED, on=date(2020, 1, 10))
    with pytest.raises(ValidationError, match="36 tháng"):
        member_readmit(member=member, organization=office, decided_on=date(2022, 1, 10),
                       consent="Công văn 12-CV/HU")  # fmt: skip
    member_readmit(member=member, organization=office, decided_on=date(2023, 1, 10),
                   consent="Công văn 12-CV/HU")  # fmt: skip
    member.refresh_from_db()
    assert member.status == Status.PROBATIONARY
    age = selectors.member_party_age(member=member, on=date(2026, 1, 10))
    # 2000→2026 is 26 years, minus the three years out (2020→2023).
    assert (age.years, age.months) == (23, 0)


def test_exits_and_exemptions_are_refused_when_they_do_not_apply(an):
    member_exempt(member=an, on=date(2026, 1, 5))
    with pytest.raises(ValidationError, match="đã được miễn"):
        member_exempt(member=an, on=date(2026, 2, 5))
    member_exit(member=an, type=T.DIED, on=date(2026, 6, 1))
    with pytest.raises(ValidationError, match="không còn sinh hoạt"):
        member_exit(member=an, type=T.REMOVED, on=date(2026, 7, 1))
    an.refresh_from_db()
    assert an.status == Status.DECEASED and not an.is_exempted


def test_confirming_a_probationary_member_makes_them_full_from_the_date_given(cast):
    member = register(cast.cell, "Vi Thị Hoa", admitted_on=date(2025, 3, 1), confirmed=False)
    assert member.status == Status.PROBATIONARY
    member_confirm(member=member, on=date(2026, 3, 15), decision_no="88-QĐ/ĐU")
    member.refresh_from_db()
    assert member.status == Status.FULL and member.confirmed_on == date(2026, 3, 15)


def test_members_follow_their_cell_when_it_moves_and_when_it_is_merged(cast, users, an):
    other = found("T01.X02.BANCHAT", "Chi bộ thôn Bản Chắt", Kind.BASE_CELL, cast.sibling_commune)
    member = register(other, "Lý Văn Giang")
    organization_merge(sources=[other], into=cast.sibling_cell, on=date(2026, 1, 1))
    member.refresh_from_db()
    assert member.organization == cast.sibling_cell
    assert member.events.last().type == T.REORGANIZED
    # The commune is merged into its sibling: its cells, and their members, follow.
    organization_merge(sources=[cast.commune], into=cast.sibling_commune, on=date(2026, 2, 1))
    sibling_officer = Scope.for_user(users.sibling_officer)
    assert set(names(sibling_officer)) == {"Nguyễn Văn An", "Lý Văn Giang"}


def test_a_cell_with_members_cannot_be_dissolved(cast, an):
    with pytest.raises(ValidationError, match="còn 1 đảng viên"):
        organization_dissolve(organization=cast.cell, on=date(2026, 1, 1))


def test_the_database_refuses_two_official_activities_at_once(cast, an):
    from django.db import IntegrityError, connection, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        # Overlapping closed periods: PostgreSQL's exclusion constraint refuses them.
        # SQLite only has the one-open-period index, so the second one is left open there.
        Affiliation.objects.filter(member=an).update(valid_to=date(2026, 1, 1))
        Affiliation.objects.create(
            member=an, organization=cast.sibling_cell, valid_from=date(2025, 12, 1),
            valid_to=date(2026, 2, 1) if connection.vendor == "postgresql" else None,
        )  # fmt: skip
        if connection.vendor != "postgresql":
            Affiliation.objects.create(
                member=an, organization=cast.village_cell, valid_from=date(2025, 12, 15)
            )
