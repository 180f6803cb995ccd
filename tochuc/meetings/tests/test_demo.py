"""The demo step on the cast: a year of meetings with attendance in every cell of the
commune, the figures of the other cells of the province, two members flagged."""

import random
from datetime import date

import pytest

from tochuc.meetings import selectors
from tochuc.meetings.demo import seed_commune, seed_province
from tochuc.meetings.models import Attendance, Kind, Meeting
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
