"""Correcting and cancelling a member's discipline: the record and its act on the
member's timeline move together, the period counts and the member reports follow."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tochuc.accounts.access import Scope
from tochuc.core.corrections import Grounds
from tochuc.core.models import Correction
from tochuc.inspections import selectors
from tochuc.inspections.corrections import member_discipline_cancel, member_discipline_correct
from tochuc.inspections.models import Discipline
from tochuc.members.corrections import timeline_act_cancel, timeline_act_correct
from tochuc.members.models import MemberEvent, Status
from tochuc.reports import periods, registry
from tochuc.testing import PASSWORD

pytestmark = pytest.mark.django_db
WHY = Grounds("Ghi nhầm quyết định", decision_no="12-QĐ/UBKT")
Q1, Q2 = (date(2026, 1, 1), date(2026, 3, 31)), (date(2026, 4, 1), date(2026, 6, 30))


def reprimands(cast, users, period) -> int:
    counts = selectors.period_counts(
        scope=Scope.for_user(users.province_officer), organization=cast.commune,
        start=period[0], end=period[1],
    )  # fmt: skip
    return counts.disciplines[("reprimand", "member")]


def members_on(organization, on) -> int:
    report = registry.build("membership", organization, periods.at(on))
    return {row["key"]: row["count"] for row in report.table("members").rows}["total"]


def test_a_corrected_decision_date_moves_the_discipline_and_its_act(cast, users, members,
                                                                    discipline):  # fmt: skip
    record = discipline(members.an, "reprimand")
    assert (reprimands(cast, users, Q1), reprimands(cast, users, Q2)) == (1, 0)

    member_discipline_correct(discipline=record, decided_on=date(2026, 4, 6),
                              effective_on=date(2026, 4, 6), grounds=WHY,
                              by=users.commune_officer)  # fmt: skip

    assert (reprimands(cast, users, Q1), reprimands(cast, users, Q2)) == (0, 1)
    act = members.an.events.get(type=MemberEvent.Type.DISCIPLINED)
    assert (act.on, act.decision_date) == (date(2026, 4, 6), date(2026, 4, 6))
    assert {c.entity for c in Correction.objects.all()} == {"member", "discipline"}
    kept = Correction.objects.get(entity="discipline")
    assert ("ngày quyết định", "02/03/2026", "06/04/2026") in kept.rows()


def test_the_form_is_corrected_within_what_the_policy_allows(members, discipline):
    record = discipline(members.cuong, "reprimand")  # probationary: reprimand or warning only
    member_discipline_correct(discipline=record, form="warning", grounds=WHY)
    record.refresh_from_db()
    act = members.cuong.events.get(type=MemberEvent.Type.DISCIPLINED)
    assert (record.form, act.detail["form"]) == ("warning", "warning")
    assert act.note.startswith("Cảnh cáo")
    with pytest.raises(ValidationError) as refused:
        member_discipline_correct(discipline=record, form="dismissal", grounds=WHY)
    assert "form" in refused.value.error_dict
    record.refresh_from_db()
    assert record.form == "warning"


def test_an_effective_date_before_the_decision_is_refused_and_changes_nothing(members, discipline):
    record = discipline(members.an, "reprimand")
    with pytest.raises(ValidationError) as refused:
        member_discipline_correct(discipline=record, effective_on=date(2026, 3, 1), grounds=WHY)
    assert "effective_on" in refused.value.error_dict
    record.refresh_from_db()
    assert record.effective_on == date(2026, 3, 2)
    assert not Correction.objects.exists()


def test_cancelling_an_expulsion_brings_the_member_back_into_the_reports(
    cast, users, members, discipline
):
    before = members_on(cast.village_cell, date(2026, 6, 1))
    record = discipline(members.an, "expulsion")
    members.an.refresh_from_db()
    assert members.an.status == Status.LEFT
    assert members_on(cast.village_cell, date(2026, 6, 1)) == before - 1

    member_discipline_cancel(discipline=record, grounds=WHY, by=users.commune_officer)

    members.an.refresh_from_db()
    assert members.an.status == Status.FULL
    assert not Discipline.objects.exists()
    assert not members.an.events.filter(type=MemberEvent.Type.EXPELLED).exists()
    assert members_on(cast.village_cell, date(2026, 6, 1)) == before


def test_the_timeline_page_carries_the_discipline_record_along(members, discipline):
    record = discipline(members.an, "warning")
    act = members.an.events.get(type=MemberEvent.Type.DISCIPLINED)
    timeline_act_correct(member=members.an, act=act, on=date(2026, 3, 9), grounds=WHY)
    record.refresh_from_db()
    assert record.effective_on == date(2026, 3, 9)
    with pytest.raises(ValidationError, match="trước ngày quyết định kỷ luật"):
        timeline_act_correct(member=members.an, act=act, on=date(2026, 3, 1), grounds=WHY)
    timeline_act_cancel(member=members.an, act=act, grounds=WHY)
    assert not Discipline.objects.exists()


def page(cast, record) -> str:
    url = reverse("inspections:member_discipline_correct", args=[cast.commune.code])
    return f"{url}?ban_ghi={record.pk}"


def test_the_discipline_list_offers_sua_huy_and_the_page_previews_then_saves(
    client, cast, members, discipline
):
    record = discipline(members.an, "reprimand")
    assert client.login(username="commune_officer", password=PASSWORD)
    listing = client.get(reverse("inspections:disciplines", args=[cast.commune.code]) + "?nam=2026")
    assert page(cast, record).replace("&", "&amp;") in listing.content.decode()
    data = {
        "mode": "corrected",
        "form": "warning",
        "decision_no": "01-QĐ/UBKT",
        "decided_on": "02/03/2026",
        "effective_on": "02/03/2026",
        "reason": "Nhầm hình thức",
    }
    shown = client.post(page(cast, record), {**data, "action": "preview"}).content.decode()
    assert "Xem trước thay đổi (chưa ghi)" in shown and "Cảnh cáo" in shown
    record.refresh_from_db()
    assert record.form == "reprimand"
    saved = client.post(page(cast, record), {**data, "action": "save"})
    assert saved.status_code == 302
    record.refresh_from_db()
    assert record.form == "warning"


def test_an_officer_of_another_commune_gets_404(client, cast, members, discipline):
    record = discipline(members.an, "reprimand")
    assert client.login(username="sibling_officer", password=PASSWORD)
    assert client.get(page(cast, record)).status_code == 404
    url = reverse("inspections:member_discipline_correct", args=[cast.sibling_commune.code])
    assert client.get(f"{url}?ban_ghi={record.pk}").status_code == 404
