"""The demo step on the cast: a year of meetings with attendance in every cell of the
commune, the figures of the other cells of the province, two members flagged, and the
meetings of the communes' committees with their post holders' attendance."""

import random
from datetime import date

import pytest

from tochuc.committees import services as committees
from tochuc.committees.models import Began, Role
from tochuc.meetings import selectors
from tochuc.meetings.demo import seed_committee_meetings, seed_commune, seed_province
from tochuc.meetings.models import Attendance, Body, Kind, Meeting
from tochuc.testing import register

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 20)


def test_the_demo_commune_meets_monthly_with_attendance(cast):
    people = [register(cast.village_cell, f"Đảng viên Số {n}") for n in range(1, 11)]
    register(cast.cell, "Hà Thị Lan")
    made = seed_commune(cast.commune, today=TODAY, rng=random.Random(7))

    village = Meeting.objects.filter(organization=cast.village_cell)
    regular = village.filter(kind=Kind.REGULAR)
    assert 10 <= regular.count() <= 12  # twelve months at a realistic rate
    assert len({m.held_on.month for m in regular}) == regular.count()
    assert 3 <= village.filter(kind=Kind.THEMATIC).count() <= 4
    for meeting in village:
        assert meeting.expected == 10 == Attendance.objects.filter(meeting=meeting).count()
        assert meeting.present + meeting.excused + meeting.absent == meeting.expected
    assert made["commune_meetings"] == Meeting.objects.count()
    assert made["attendance"] == Attendance.objects.count()
    flagged = selectors.absentees_flagged(organization=cast.commune, year=2026, on=TODAY)
    assert {a.member.pk for a in flagged} == {p.pk for p in sorted(people, key=lambda p: (
        p.name_sort, p.pk))[-2:]}  # fmt: skip
    assert max(m.held_on for m in village) <= TODAY


def test_the_rest_of_the_province_gets_figures_only(cast):
    register(cast.village_cell, "Nông Thị Bích")
    register(cast.sibling_cell, "Vy Văn Đức")
    register(cast.sibling_cell, "Hoàng Văn Cường")
    made = seed_province(cast.province, skip=cast.commune, today=TODAY, rng=random.Random(7))

    assert not Meeting.objects.filter(organization__in=[cast.village_cell, cast.cell]).exists()
    sibling = Meeting.objects.filter(organization=cast.sibling_cell, kind=Kind.REGULAR)
    assert 10 <= sibling.count() <= 12
    assert {m.expected for m in sibling} == {2} and not Attendance.objects.exists()
    assert made["province_cells"] == 1


def test_the_demo_secretary_s_cell_leaves_this_month_s_meeting_to_them(cast):
    for n in range(1, 4):
        register(cast.village_cell, f"Đảng viên Số {n}")
    seed_commune(cast.commune, today=TODAY, rng=random.Random(7), leave_open=cast.village_cell)
    november = Meeting.objects.filter(
        organization=cast.village_cell, kind=Kind.REGULAR, held_on__month=11, held_on__year=2026
    )
    assert not november.exists()
    assert Meeting.objects.filter(organization=cast.village_cell, held_on__month=10).exists()


def _committee(organization, people, formed_on=date(2025, 7, 1)):
    """A committee of `organization` from `formed_on`, with (member, role) posts."""
    made = committees.committee_form(
        organization=organization, formed_on=formed_on, formed_how="designated",
        decision_no="1234-QĐ/TU", decision_date=date(2025, 6, 28), size=7, standing_size=3,
        deputies=1, term_ends_on=date(2030, 7, 31),
    )  # fmt: skip
    for member, role in people:
        committees.post_begin(
            committee=made, member=member, role=role, began_on=formed_on,
            began_how=Began.DESIGNATED, decision_no="1235-QĐ/TU", decision_date=date(2025, 6, 28),
        )  # fmt: skip


def test_the_demo_communes_committees_meet_with_their_post_holders_attendance(cast):
    an, binh = register(cast.village_cell, "Hoàng Văn An"), register(cast.cell, "Lục Thị Bình")
    cuong = register(cast.village_cell, "Nông Văn Cường")
    _committee(cast.commune, [(an, Role.SECRETARY), (binh, Role.DEPUTY), (cuong, Role.MEMBER)])
    _committee(cast.commune.children.get(kind="base_committee"), [(binh, Role.SECRETARY)])
    made = seed_committee_meetings(
        [cast.commune, cast.sibling_commune], today=TODAY, rng=random.Random(7)
    )

    standing = Meeting.objects.filter(organization=cast.commune, body=Body.STANDING)
    committee = Meeting.objects.filter(organization=cast.commune, body=Body.COMMITTEE)
    base = Meeting.objects.filter(organization__kind="base_committee", body=Body.COMMITTEE)
    assert (standing.count(), committee.count(), base.count()) == (12, 4, 12)
    assert {m.held_on.month for m in committee} == {3, 6, 9, 12}
    assert {m.expected for m in standing} == {2} and {m.expected for m in committee} == {3}
    for meeting in committee:
        names = {a.member.full_name for a in meeting.attendance.all()}
        assert names == {"Hoàng Văn An", "Lục Thị Bình", "Nông Văn Cường"}
        assert meeting.present + meeting.excused + meeting.absent == meeting.expected
        assert meeting.chair == an
    assert not Meeting.objects.filter(organization=cast.sibling_commune).exists()
    assert max(m.held_on for m in Meeting.objects.all()) <= TODAY
    assert made["committee_meetings"] == Meeting.objects.count() == 28
    assert made["committee_attendance"] == Attendance.objects.count() == 12 * 2 + 4 * 3 + 12
