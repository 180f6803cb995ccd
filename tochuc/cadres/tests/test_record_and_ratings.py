"""A cadre linked to a member shows the member's committee posts on the record; a planning
list checks the rating criterion (at least "hoàn thành tốt nhiệm vụ" in each of the last
three years, Quy định 50-QĐ/TW) and shows who no longer meets it."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from tochuc.cadres import corrections, selectors, services
from tochuc.committees import services as committee_services
from tochuc.committees.models import Began, Role
from tochuc.core.corrections import Grounds
from tochuc.ratings.models import Level, RatingSubject
from tochuc.ratings.services import rating_session_open
from tochuc.testing import register

from .conftest import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def members(cast):
    from types import SimpleNamespace

    return SimpleNamespace(
        an=register(cast.village_cell, "Hoàng Văn An"),
        binh=register(cast.village_cell, "Lục Thị Bình"),
    )


def rate(cast, member, levels: dict[int, str]) -> None:
    """`member` decided at the level of each year, in the province's yearly sessions (the
    members of the cast came in 1/7/2025: earlier years are the records of their past)."""
    from tochuc.lib.vntext import person_sort_key

    for year, level in levels.items():
        session = rating_session_open(
            organization=cast.province, kind="year", year=year, listed_on=date(year, 12, 20)
        )
        RatingSubject.objects.update_or_create(
            session=session, member=member,
            defaults={"kind": "member", "organization": member.organization,
                      "cap_group": member.organization, "name": member.full_name,
                      "name_sort": person_sort_key(member.full_name),
                      "org_path": member.organization.path, "final_level": level,
                      "step": "decided", "decided_on": date(year, 12, 28)},
        )  # fmt: skip


def test_the_record_of_a_member_shows_the_committee_posts_beside_the_positions(
    client, cast, users, cadre_officers, members
):
    committee = committee_services.committee_form(
        organization=cast.commune, formed_on=date(2025, 7, 1), formed_how="designated",
        decision_no="1234-QĐ/TU", decision_date=date(2025, 6, 28), size=7, standing_size=3,
        deputies=1, inspection_size=3, term_ends_on=date(2030, 7, 31), by=users.province_officer,
    )  # fmt: skip
    committee_services.post_begin(
        committee=committee, member=members.an, role=Role.DEPUTY, began_on=date(2025, 7, 1),
        began_how=Began.DESIGNATED, decision_no="1235-QĐ/TU", decision_date=date(2025, 6, 28),
    )  # fmt: skip
    cadre = services.cadre_create(committee=cast.commune, member=members.an)
    other = services.cadre_create(
        committee=cast.commune, full_name="Vi Văn Cường", gender="male",
        birth_date=date(1980, 1, 2),
    )  # fmt: skip
    posts = selectors.committee_posts_of(cadre)
    assert [(p.get_role_display(), p.committee.term.label) for p in posts] == [
        ("Phó Bí thư", "2025–2030")
    ]
    assert selectors.committee_posts_of(other) == []
    client.force_login(cadre_officers.commune)
    page = client.get(reverse("cadres:detail", args=[cadre.pk])).content.decode()
    assert "Chức vụ trong cấp ủy" in page and "1235-QĐ/TU" in page and "2025–2030" in page
    page = client.get(reverse("cadres:detail", args=[other.pk])).content.decode()
    assert "Chức vụ trong cấp ủy" not in page
    assert "<title>Vi Văn Cường — Hồ sơ cán bộ" in page  # the title holds the title alone


def test_a_member_rated_below_good_in_the_last_three_years_is_refused_in_planning(cast, members):
    rate(cast, members.binh, {2023: Level.GOOD, 2024: Level.DONE, 2025: Level.EXCELLENT})
    binh = services.cadre_create(committee=cast.commune, member=members.binh)
    position = services.planned_position_create(committee=cast.commune, title="Bí thư Đảng ủy xã")
    with pytest.raises(ValidationError) as refused:
        services.planning_add(
            position=position, cadre=binh, term_start=2025, added_on=date(2026, 1, 5)
        )
    (message,) = refused.value.message_dict["cadre"]
    assert message == (
        "Xếp loại chất lượng dưới mức “hoàn thành tốt nhiệm vụ” trong 3 năm gần nhất: "
        "2024 — hoàn thành nhiệm vụ (Quy định 50-QĐ/TW (27/12/2021), tiêu chuẩn, điều kiện "
        "quy hoạch)."
    )
    assert not binh.planning.exists()


def test_the_planning_list_shows_who_no_longer_meets_the_rating_criterion(
    client, cast, cadre_officers, members
):
    from tochuc.cadres.models import PlanningEntry

    rate(cast, members.an, {2023: Level.GOOD, 2024: Level.EXCELLENT})
    an = services.cadre_create(committee=cast.commune, member=members.an)
    binh = services.cadre_create(committee=cast.commune, member=members.binh)
    position = services.planned_position_create(committee=cast.commune, title="Bí thư Đảng ủy xã")
    services.planning_add(position=position, cadre=an, term_start=2025, added_on=date(2025, 3, 1))
    services.planning_add(position=position, cadre=binh, term_start=2025, added_on=date(2025, 3, 1))
    # At the review of 2026 Bình's 2025 rating is in: "không hoàn thành nhiệm vụ".
    rate(cast, members.binh, {2025: Level.NOT_DONE})
    planned = {
        p.entry.cadre.full_name: p
        for p in selectors.planning_list(position=position, term_start=2025, on=TODAY)
    }
    assert planned["Hoàng Văn An"].meets
    assert planned["Hoàng Văn An"].unrated == [2025]  # not rated in the system: named only
    assert planned["Lục Thị Bình"].failures == [
        "Xếp loại chất lượng dưới mức “hoàn thành tốt nhiệm vụ” trong 3 năm gần nhất: "
        "2025 — không hoàn thành nhiệm vụ (Quy định 50-QĐ/TW (27/12/2021), tiêu chuẩn, "
        "điều kiện quy hoạch)."
    ]
    assert planned["Lục Thị Bình"].unrated == [2023, 2024]
    # In 2025 the list looked at 2022–2024: Bình met it then.
    before = selectors.planning_list(position=position, term_start=2025, on=date(2025, 6, 1))
    assert all(p.meets for p in before)
    assert PlanningEntry.objects.filter(position=position, removed_on__isnull=True).count() == 2

    client.force_login(cadre_officers.commune)
    response = client.get(reverse("cadres:planning_list", args=[position.pk]), {"nhiem_ky": 2025})
    assert response.context["failing"] == 1
    page = response.content.decode()
    assert "2025 — không hoàn thành nhiệm vụ" in page
    assert "từ “hoàn thành tốt nhiệm vụ” trở lên trong 3 năm gần nhất" in page


def test_the_rating_criterion_reads_the_ratings_of_a_whole_list_in_one_query(cast, members, cadre):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    position = services.planned_position_create(committee=cast.commune, title="Bí thư Đảng ủy xã")
    people = [services.cadre_create(committee=cast.commune, member=m)
              for m in (members.an, members.binh)]  # fmt: skip
    people.append(cadre("Vi Văn Cường", born=date(1980, 1, 2)))
    for person in people:
        services.planning_add(position=position, cadre=person, term_start=2025,
                              added_on=date(2026, 1, 5))  # fmt: skip
    with CaptureQueriesContext(connection) as three:
        selectors.planning_list(position=position, term_start=2025, on=TODAY)
    for entry in position.entries.filter(cadre__in=people[1:]):
        corrections.planning_entry_cancel(entry=entry, grounds=Grounds("Ghi nhầm"))
    with CaptureQueriesContext(connection) as one:
        selectors.planning_list(position=position, term_start=2025, on=TODAY)
    assert len(three) == len(one)
    assert sum("ratings_ratingsubject" in q["sql"] for q in three.captured_queries) == 1
