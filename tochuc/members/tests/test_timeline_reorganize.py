"""Restructuring as a step of the timeline engine: a member of a cell that a merger or a
split ends goes on in the successor (`Timeline.reorganize`), and a restructuring recorded
by mistake is undone member by member (`Timeline.reorganize_undo`) — pure, no database;
then through the organization services, where all the members are written together."""

from datetime import date

import pytest

from tochuc.core.corrections import Grounds
from tochuc.core.errors import ProcedureError
from tochuc.members.models import Affiliation, Member, MemberEvent
from tochuc.members.services import member_exempt
from tochuc.members.timeline import OFFICIAL, Org, Refused, T, Timeline
from tochuc.organizations.corrections import organization_event_cancel
from tochuc.organizations.models import Kind, OrganizationEvent
from tochuc.organizations.services import organization_merge
from tochuc.policy.rules import policy_for
from tochuc.testing import register

MERGED = date(2026, 3, 1)
NA_PHAI, KHUOI_CAM = 1, 2
CELLS = {
    NA_PHAI: Org(NA_PHAI, "NP", Kind.BASE_CELL, "Chi bộ thôn Nà Phái", date(2000, 1, 1), None,
                 "0001/0001", 1),
    KHUOI_CAM: Org(KHUOI_CAM, "KC", Kind.BASE_CELL, "Chi bộ thôn Khuổi Cằm", date(2000, 1, 1),
                   None, "0001/0002", 1),
}  # fmt: skip


def member_of_na_phai(admitted_on: date = date(2010, 5, 19)) -> Timeline:
    timeline = Timeline("Hoàng Văn An", org=CELLS.__getitem__, policies=policy_for)
    timeline.register(organization_id=NA_PHAI, admitted_on=admitted_on)
    return timeline


def spans(timeline: Timeline) -> list[tuple]:
    return [(p.organization_id, p.valid_from, p.valid_to) for p in timeline.periods]


def test_a_member_of_the_merged_cell_goes_on_in_the_successor_from_the_merger():
    timeline = member_of_na_phai()
    moved = timeline.reorganize(source=NA_PHAI, into=KHUOI_CAM, on=MERGED, decision_no="5-QĐ/ĐU")
    assert (moved.type, moved.on, moved.organization_id, moved.other_organization_id) == (
        T.REORGANIZED, MERGED, KHUOI_CAM, NA_PHAI,
    )  # fmt: skip
    assert spans(timeline) == [
        (NA_PHAI, date(2010, 5, 19), MERGED),
        (KHUOI_CAM, MERGED, None),
    ]
    assert timeline.periods[1].started_by is moved
    assert timeline.organization_now() == KHUOI_CAM


def test_activity_starting_after_the_merger_is_filed_with_the_successor_without_an_event():
    timeline = member_of_na_phai(admitted_on=date(2026, 4, 2))
    assert timeline.reorganize(source=NA_PHAI, into=KHUOI_CAM, on=MERGED) is None
    assert spans(timeline) == [(KHUOI_CAM, date(2026, 4, 2), None)]
    assert timeline.periods[0].changed
    assert [e.type for e in timeline.events] == [T.ADMITTED]


def test_a_member_who_is_not_in_the_merged_cell_is_refused_by_name():
    timeline = member_of_na_phai()
    with pytest.raises(Refused, match="Hoàng Văn An không sinh hoạt tại tổ chức được sắp xếp"):
        timeline.reorganize(source=KHUOI_CAM, into=NA_PHAI, on=MERGED)


def stored(timeline: Timeline) -> Timeline:
    """As if written: every event and period with a key."""
    for pk, event in enumerate(timeline.events, start=10):
        event.pk, event.new = pk, False
    for pk, period in enumerate(timeline.periods, start=20):
        period.pk, period.changed = pk, False
        if not isinstance(period.started_by, int) and period.started_by is not None:
            period.started_by = period.started_by.pk
    return timeline


def test_undoing_the_merger_drops_the_move_and_reopens_the_old_period():
    timeline = member_of_na_phai()
    moved = timeline.reorganize(source=NA_PHAI, into=KHUOI_CAM, on=MERGED)
    stored(timeline)
    timeline.reorganize_undo(source=NA_PHAI, on=MERGED, moved=moved.pk)
    assert spans(timeline) == [(NA_PHAI, date(2010, 5, 19), None)]
    assert [e.type for e in timeline.dropped_events] == [T.REORGANIZED]
    assert [(p.organization_id, p.valid_from) for p in timeline.dropped_periods] == [
        (KHUOI_CAM, MERGED)
    ]
    assert timeline.organization_now() == NA_PHAI


def test_undoing_puts_back_activity_that_started_after_the_merger():
    timeline = member_of_na_phai(admitted_on=date(2026, 4, 2))
    timeline.reorganize(source=NA_PHAI, into=KHUOI_CAM, on=MERGED)
    stored(timeline)
    timeline.reorganize_undo(source=NA_PHAI, on=MERGED)
    assert spans(timeline) == [(NA_PHAI, date(2026, 4, 2), None)]


def test_undoing_is_refused_after_a_later_act_and_changes_nothing():
    timeline = member_of_na_phai()
    moved = timeline.reorganize(source=NA_PHAI, into=KHUOI_CAM, on=MERGED)
    timeline.exempt(on=date(2026, 5, 4))
    stored(timeline)
    before = spans(timeline)
    with pytest.raises(Refused, match="đã có miễn công tác.* ngày 04/05/2026 sau khi chuyển"):
        timeline.reorganize_undo(source=NA_PHAI, on=MERGED, moved=moved.pk)
    assert spans(timeline) == before and timeline.dropped_events == []


def test_a_corrected_merger_date_moves_the_members_boundary_and_decision():
    timeline = member_of_na_phai()
    moved = timeline.reorganize(source=NA_PHAI, into=KHUOI_CAM, on=MERGED)
    stored(timeline)
    timeline.reorganize_redate(moved=moved.pk, on=date(2026, 2, 15), decision_no=" 7-QĐ/TU ")
    assert spans(timeline) == [
        (NA_PHAI, date(2010, 5, 19), date(2026, 2, 15)),
        (KHUOI_CAM, date(2026, 2, 15), None),
    ]
    assert (moved.on, moved.decision_no, moved.changed) == (date(2026, 2, 15), "7-QĐ/TU", True)


def test_a_corrected_date_past_the_members_own_act_is_refused():
    timeline = member_of_na_phai()
    moved = timeline.reorganize(source=NA_PHAI, into=KHUOI_CAM, on=MERGED)
    timeline.exempt(on=date(2026, 5, 4))
    stored(timeline)
    with pytest.raises(Refused, match="đã có miễn công tác.* ngày 04/05/2026"):
        timeline.reorganize_redate(moved=moved.pk, on=date(2026, 6, 1))
    assert moved.on == MERGED


# ---------------------------------------------------------------- through the services


@pytest.mark.django_db
def test_a_merger_and_its_undo_move_every_member_and_keep_one_history_record_each(cast):
    early = register(cast.village_cell, "Hoàng Văn An")
    late = register(
        cast.village_cell, "Lục Thị Bình", admitted_on=date(2026, 4, 2), confirmed=False
    )
    versions = {m.pk: m.row_version for m in (early, late)}
    organization_merge(sources=[cast.village_cell], into=cast.sibling_cell, on=MERGED)
    for member in (early, late):
        member.refresh_from_db()
        assert member.organization_id == cast.sibling_cell.pk
        assert member.row_version == versions[member.pk] + 1
        assert member.history.first().history_change_reason == "Chuyển theo sắp xếp tổ chức"
    assert MemberEvent.objects.filter(type=T.REORGANIZED).count() == 1  # the late one: refiled

    event = OrganizationEvent.objects.filter(parts__organization=cast.village_cell).latest("pk")
    organization_event_cancel(event=event, grounds=Grounds(reason="Ghi nhầm đơn vị"))
    open_ = Affiliation.objects.filter(valid_to__isnull=True, kind=OFFICIAL)
    assert {a.member_id: a.organization_id for a in open_} == {
        early.pk: cast.village_cell.pk,
        late.pk: cast.village_cell.pk,
    }
    assert set(Member.objects.values_list("organization_id", flat=True)) == {cast.village_cell.pk}
    assert not MemberEvent.objects.filter(type=T.REORGANIZED).exists()


@pytest.mark.django_db
def test_the_undo_is_refused_for_everyone_when_one_member_acted_since(cast):
    an = register(cast.village_cell, "Hoàng Văn An")
    register(cast.village_cell, "Lục Thị Bình")
    organization_merge(sources=[cast.village_cell], into=cast.sibling_cell, on=MERGED)
    member_exempt(member=Member.objects.get(pk=an.pk), on=date(2026, 5, 4), grounds="Ốm nặng")
    event = OrganizationEvent.objects.filter(parts__organization=cast.village_cell).latest("pk")
    with pytest.raises(ProcedureError, match="Hoàng Văn An đã có miễn công tác"):
        organization_event_cancel(event=event, grounds=Grounds(reason="Ghi nhầm đơn vị"))
    assert set(Member.objects.values_list("organization_id", flat=True)) == {cast.sibling_cell.pk}
