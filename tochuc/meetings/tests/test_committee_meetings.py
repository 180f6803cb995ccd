"""Committee meetings: the commune's committee (cấp ủy) and its standing committee meet; who
is expected is the holders of the committee's posts on the day (the committees app), not the
members of a cell; the cells' figures and due list count cell meetings only."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tochuc.accounts.access import Scope
from tochuc.committees import services as committees
from tochuc.committees.models import Began, Role
from tochuc.meetings import selectors, services
from tochuc.meetings.models import Body, Meeting, Presence
from tochuc.testing import register

pytestmark = pytest.mark.django_db
JULY = date(2025, 7, 1)


@pytest.fixture
def committee(cast):
    """The commune's committee from 1/7/2025: An secretary, Bình deputy, Cường a committee
    member (not of the standing committee)."""
    made = committees.committee_form(
        organization=cast.commune, formed_on=JULY, formed_how="designated",
        decision_no="1234-QĐ/TU", decision_date=date(2025, 6, 28), size=7, standing_size=3,
        deputies=1, term_ends_on=date(2030, 7, 31),
    )  # fmt: skip
    people = {
        "an": (register(cast.village_cell, "Hoàng Văn An"), Role.SECRETARY),
        "binh": (register(cast.village_cell, "Lục Thị Bình"), Role.DEPUTY),
        "cuong": (register(cast.cell, "Nông Văn Cường"), Role.MEMBER),
    }
    for member, role in people.values():
        committees.post_begin(
            committee=made, member=member, role=role, began_on=JULY,
            began_how=Began.DESIGNATED, decision_no="1235-QĐ/TU", decision_date=date(2025, 6, 28),
        )  # fmt: skip
    return {name: member for name, (member, _role) in people.items()}


def test_the_committee_meeting_expects_the_post_holders_of_the_day(cast, committee):
    cuong = committee["cuong"]
    meeting = services.meeting_record(
        organization=cast.commune, held_on=date(2026, 3, 5), kind="regular",
        body=Body.COMMITTEE, marks={cuong.pk: (Presence.EXCUSED, "Đi công tác")},
    )  # fmt: skip
    assert (meeting.expected, meeting.present, meeting.excused) == (3, 2, 1)
    names = sorted(a.member.full_name for a in meeting.attendance.all())
    assert names == ["Hoàng Văn An", "Lục Thị Bình", "Nông Văn Cường"]
    assert str(meeting) == "Hội nghị cấp ủy (sinh hoạt thường kỳ) 05/03/2026"


def test_the_standing_committee_expects_only_its_own(cast, committee):
    meeting = services.meeting_record(
        organization=cast.commune, held_on=date(2026, 3, 5), kind="regular", body=Body.STANDING
    )
    assert meeting.expected == 2
    assert {a.member_id for a in meeting.attendance.all()} == {
        committee["an"].pk,
        committee["binh"].pk,
    }


def test_before_the_committee_is_formed_nobody_is_expected_and_the_meeting_is_refused(cast):
    with pytest.raises(ValidationError) as refused:
        services.meeting_record(
            organization=cast.commune, held_on=date(2026, 3, 5), kind="regular",
            body=Body.COMMITTEE,
        )  # fmt: skip
    assert "không có cấp ủy đương nhiệm" in refused.value.message_dict["held_on"][0]
    assert not Meeting.objects.exists()


def test_committee_meetings_do_not_count_as_the_cells_meetings(cast, users, committee):
    services.meeting_record(
        organization=cast.village_cell, held_on=date(2026, 3, 5), kind="regular"
    )
    services.meeting_record(
        organization=cast.commune, held_on=date(2026, 3, 5), kind="regular", body=Body.COMMITTEE
    )
    figures = selectors.figures(cast.commune, date(2026, 3, 1), date(2026, 3, 31))
    assert sum(c.total.held for c in figures) == 1
    assert sum(c.total.expected for c in figures) == 2  # An and Bình, of the village cell
    listed = selectors.committee_meetings(
        scope=Scope.for_user(users.commune_officer), organization=cast.commune,
        start=date(2026, 1, 1), end=date(2026, 12, 31),
    )  # fmt: skip
    assert [(m.organization.code, m.body, m.expected) for m in listed] == [
        (cast.commune.code, Body.COMMITTEE, 3)
    ]


def test_an_officer_records_the_committee_meeting_on_the_page(client, cast, users, committee):
    client.force_login(users.commune_officer)
    url = reverse("meetings:record", args=[cast.commune.code])
    picker = client.get(url)
    assert "?hoi_nghi=committee" in picker.content.decode()
    page = client.get(f"{url}?hoi_nghi=committee&ngay=05/03/2026")
    assert page.context["roll_size"] == 3
    response = client.post(
        f"{url}?hoi_nghi=committee&ngay=05/03/2026",
        {"kind": "regular", "topic": "Kiểm điểm quý I", f"p{committee['cuong'].pk}": "absent"},
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert (meeting.body, meeting.expected, meeting.absent) == (Body.COMMITTEE, 3, 1)
    detail = client.get(response.url)
    assert "Hội nghị cấp ủy" in detail.content.decode()


def test_the_report_counts_committee_meetings_in_their_own_table(cast, committee):
    from tochuc.reports import periods, registry

    services.meeting_record(
        organization=cast.village_cell, held_on=date(2026, 3, 5), kind="regular"
    )
    services.meeting_record(
        organization=cast.commune, held_on=date(2026, 3, 5), kind="regular", body=Body.COMMITTEE,
        marks={committee["cuong"].pk: (Presence.ABSENT, "")},
    )  # fmt: skip
    data = registry.build(
        "meetings_held", cast.commune, periods.between(date(2026, 3, 1), date(2026, 3, 31))
    )
    assert data.table("by_cell").totals["held"] == 1
    rows = data.table("by_committee").rows
    assert [
        (r["organization"], r["body"], r["held"], r["expected"], r["present"]) for r in rows
    ] == [(cast.commune.name, "Hội nghị cấp ủy", 1, 3, 2)]
