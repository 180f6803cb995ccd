"""Recording a meeting: the roll comes from the timeline, the secretary marks who was away;
the month's regular meeting is one; corrections and cancellations keep the reason."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from tochuc.core.corrections import Grounds
from tochuc.core.models import AuditEntry, Correction
from tochuc.meetings import services
from tochuc.meetings.models import Attendance, Meeting, Presence
from tochuc.members.services import member_exempt
from tochuc.transfers.services.temporary import temporary_transfer_issue

from .conftest import hold

pytestmark = pytest.mark.django_db

MARCH = date(2026, 3, 5)


def test_a_secretary_records_the_march_meeting_all_present_but_two(cast, users, village):
    bich, cuong, duc, _mai, _nam = village
    meeting = hold(
        cast.village_cell, MARCH, topic="Sinh hoạt thường kỳ tháng 3",
        marks={cuong.pk: (Presence.EXCUSED, "Ốm"), duc.pk: (Presence.ABSENT, "")},
        chair=bich, by=users.cell_secretary,
    )  # fmt: skip
    assert (meeting.expected, meeting.present, meeting.excused, meeting.absent) == (5, 3, 1, 1)
    assert meeting.detailed and meeting.chair == bich
    rows = {a.member_id: (a.presence, a.reason) for a in Attendance.objects.filter(meeting=meeting)}
    assert rows[cuong.pk] == ("excused", "Ốm") and rows[duc.pk] == ("absent", "")
    assert sum(1 for p, _r in rows.values() if p == "present") == 3
    entry = AuditEntry.objects.get(action="tochuc.meeting.recorded")
    assert entry.data["present"] == 3 and entry.data["expected"] == 5


def test_the_roll_leaves_out_the_exempted_and_those_away_and_lists_the_temporary(
    cast, village, school
):
    bich, cuong, *_ = village
    member_exempt(member=bich, on=date(2026, 2, 1), decision_no="01-NQ/CB", grounds="Tuổi cao")
    temporary_transfer_issue(
        member=school[0], on=date(2026, 2, 10), ends_on=date(2026, 8, 10), purpose="work",
        host=cast.village_cell,
    )  # fmt: skip
    meeting = hold(cast.village_cell, MARCH)
    listed = dict(Attendance.objects.filter(meeting=meeting).values_list("member_id", "temporary"))
    assert bich.pk not in listed
    assert listed[school[0].pk] is True and listed[cuong.pk] is False
    assert meeting.expected == 5  # four of the village, one guest
    at_school = hold(cast.cell, MARCH)
    assert at_school.expected == 2  # the one away attends at the host


def test_an_excused_absence_needs_a_reason_and_nothing_is_written(cast, village):
    with pytest.raises(ValidationError) as refused:
        hold(cast.village_cell, MARCH, marks={village[0].pk: (Presence.EXCUSED, " ")})
    assert "lý do" in str(refused.value)
    assert Meeting.objects.count() == 0


def test_a_second_regular_meeting_in_a_month_is_refused_with_the_rule(cast, village):
    hold(cast.village_cell, MARCH)
    with pytest.raises(ValidationError) as refused:
        hold(cast.village_cell, date(2026, 3, 20))
    assert "Điều lệ Đảng" in str(refused.value.message_dict["kind"])
    thematic = hold(cast.village_cell, date(2026, 3, 20), kind="thematic", topic="Chuyên đề")
    assert thematic.kind == "thematic"


def test_a_meeting_is_not_dated_after_today_nor_before_the_cell(cast, village):
    with pytest.raises(ValidationError) as refused:
        hold(cast.village_cell, date(2099, 1, 5))
    assert "held_on" in refused.value.message_dict
    with pytest.raises(ValidationError):
        hold(cast.village_cell, date(2025, 6, 5))


def test_only_a_cell_holds_meetings(cast, village):
    with pytest.raises(ValidationError) as refused:
        hold(cast.commune, MARCH)
    assert "organization" in refused.value.message_dict


def test_a_correction_changes_the_marks_and_keeps_the_reason(cast, users, village):
    meeting = hold(cast.village_cell, MARCH, marks={village[1].pk: (Presence.ABSENT, "")})
    meeting = services.meeting_correct(
        meeting=meeting, grounds=Grounds("Ghi nhầm người vắng"), expected_version=1,
        marks={village[2].pk: (Presence.EXCUSED, "Đi công tác")}, topic="Tháng 3",
        by=users.commune_officer,
    )  # fmt: skip
    assert (meeting.present, meeting.excused, meeting.absent) == (4, 1, 0)
    assert meeting.topic == "Tháng 3" and meeting.row_version == 2
    correction = Correction.objects.get(entity="meeting")
    assert correction.before["absent"] == 1 and correction.after["excused"] == 1
    with pytest.raises(ValidationError):  # someone saved it since version 1
        services.meeting_correct(
            meeting=meeting, grounds=Grounds("Lần nữa"), expected_version=1, topic="X"
        )


def test_a_cancelled_meeting_is_gone_with_its_attendance(cast, village):
    meeting = hold(cast.village_cell, MARCH)
    services.meeting_cancel(meeting=meeting, grounds=Grounds("Ghi nhầm chi bộ"))
    assert Meeting.objects.count() == 0 and Attendance.objects.count() == 0
    assert Correction.objects.get(entity="meeting", action="cancelled").reason == "Ghi nhầm chi bộ"


def test_figures_from_a_history_file_keep_no_roll(cast, village):
    meeting = services.meeting_record(
        organization=cast.village_cell, held_on=MARCH, kind="regular",
        figures=services.Counts(present=18, excused=2, absent=1),
    )  # fmt: skip
    assert (meeting.expected, meeting.detailed) == (21, False)
    assert not Attendance.objects.exists()
