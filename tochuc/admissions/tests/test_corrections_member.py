"""Correcting the admission and the confirmation of a member: the timeline is replayed,
the candidate's record and the confirmation case follow, the reports count the
corrected facts; an impossible correction is refused and changes nothing."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from tochuc.admissions import confirmations, selectors
from tochuc.admissions.corrections import (
    candidate_step_correct,
    confirmation_decision_cancel,
    confirmation_decision_correct,
)
from tochuc.admissions.models import ConfirmationCase, Stage
from tochuc.core.corrections import Grounds
from tochuc.core.models import Correction
from tochuc.members.models import MemberEvent, Status
from tochuc.reports import periods, registry
from tochuc.testing import PASSWORD

from .conftest import carry

pytestmark = pytest.mark.django_db
T = MemberEvent.Type
WHY = Grounds("Ghi nhầm ngày trên quyết định", decision_no="3-QĐ/ĐU")


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(date(2027, 3, 20)):
        yield


def members_on(organization, on) -> int:
    report = registry.build("membership", organization, periods.at(on))
    return {row["key"]: row["count"] for row in report.table("members").rows}["total"]


@pytest.fixture
def ngoc(cell_members, identify):
    """Admitted by the decision of 01/12/2025, ceremony on 19/12/2025."""
    return carry(identify(), cell_members[:2], Stage.ADMITTED)


@pytest.fixture
def confirmed(ngoc):
    """…proposed on 05/01/2027 and confirmed by the decision of 01/02/2027."""
    member = ngoc.member
    confirmations.confirmation_vote(member=member, on=date(2027, 1, 5), votes_for=6,
                               votes_against=0, resolution_no="01-NQ/CB")  # fmt: skip
    confirmations.confirmation_decide(member=member, confirmed=True, decision_no="05-QĐ/ĐU",
                                 decided_on=date(2027, 2, 1))  # fmt: skip
    member.refresh_from_db()
    return member


def test_a_corrected_decision_date_starts_membership_on_the_new_date(cast, ngoc):
    member = ngoc.member
    assert members_on(cast.cell, date(2025, 12, 2)) == 8
    candidate_step_correct(candidate=ngoc, stage=Stage.DECIDED, on=date(2025, 12, 3),
                           document_no="12-QĐ/ĐU", grounds=WHY)  # fmt: skip
    member.refresh_from_db()
    ngoc.refresh_from_db()
    assert (member.admitted_on, ngoc.decided_on, ngoc.decision_no) == (
        date(2025, 12, 3),
        date(2025, 12, 3),
        "12-QĐ/ĐU",
    )
    assert member.events.get(type=T.ADMITTED).on == date(2025, 12, 3)
    assert ngoc.steps.get(stage=Stage.DECIDED).on == date(2025, 12, 3)
    assert members_on(cast.cell, date(2025, 12, 2)) == 7
    assert members_on(cast.cell, date(2025, 12, 3)) == 8
    assert {c.entity for c in Correction.objects.all()} == {"member", "admission"}


def test_a_corrected_ceremony_moves_the_end_of_probation_and_the_confirmation(confirmed):
    candidate = confirmed.candidacy
    candidate_step_correct(candidate=candidate, stage=Stage.ADMITTED, on=date(2025, 12, 22),
                           grounds=WHY)  # fmt: skip
    confirmed.refresh_from_db()
    case = ConfirmationCase.objects.get(member=confirmed)
    assert confirmed.ceremony_on == date(2025, 12, 22)
    assert case.probation_ends_on == date(2026, 12, 22)
    assert confirmed.confirmed_on == date(2026, 12, 22)
    assert confirmed.events.get(type=T.CONFIRMED).on == date(2026, 12, 22)


def test_a_decision_dated_after_the_confirmation_is_refused_and_changes_nothing(confirmed):
    candidate = confirmed.candidacy
    with pytest.raises(ValidationError):
        candidate_step_correct(candidate=candidate, stage=Stage.DECIDED, on=date(2027, 1, 2),
                               grounds=WHY)  # fmt: skip
    confirmed.refresh_from_db()
    assert confirmed.admitted_on == date(2025, 12, 1)
    assert not Correction.objects.exists()


def test_a_corrected_confirmation_decision_keeps_the_member_full_from_probations_end(confirmed):
    case = ConfirmationCase.objects.get(member=confirmed)
    confirmation_decision_correct(case=case, decision_no="06-QĐ/ĐU", decided_on=date(2027, 2, 3),
                                  grounds=WHY)  # fmt: skip
    case.refresh_from_db()
    act = confirmed.events.get(type=T.CONFIRMED)
    assert (case.decision_no, case.decided_on) == ("06-QĐ/ĐU", date(2027, 2, 3))
    assert (act.on, act.decision_no, act.decision_date) == (
        date(2026, 12, 19),
        "06-QĐ/ĐU",
        date(2027, 2, 3),
    )
    with pytest.raises(ValidationError) as refused:
        confirmation_decision_correct(case=case, decided_on=date(2027, 1, 2), grounds=WHY)
    assert "decided_on" in refused.value.error_dict
    case.refresh_from_db()
    assert case.decided_on == date(2027, 2, 3)


def test_a_cancelled_confirmation_returns_the_member_to_probation_and_to_the_due_list(
    cast, confirmed
):
    def due() -> list[str]:
        items = selectors.due_items(scope=selectors.WholeDatabase(), on=date(2027, 3, 20))
        return [item.kind for item in items if item.member and item.member.pk == confirmed.pk]

    assert due() == []
    case = ConfirmationCase.objects.get(member=confirmed)
    confirmation_decision_cancel(case=case, grounds=WHY)
    confirmed.refresh_from_db()
    case.refresh_from_db()
    assert (confirmed.status, confirmed.confirmed_on) == (Status.PROBATIONARY, None)
    assert (case.outcome, case.decision_no, case.proposed_on) == ("", "", date(2027, 1, 5))
    assert due() == [selectors.Due.CONFIRMATION]
    assert Correction.objects.filter(entity="confirmation_decision", action="cancelled").exists()


def test_a_removal_for_not_confirming_is_cancelled_and_the_member_counts_again(cast, ngoc):
    member = ngoc.member
    confirmations.confirmation_decide(
        member=member, confirmed=False, decision_no="07-QĐ/ĐU", decided_on=date(2027, 2, 1),
        grounds="Không đủ tư cách",
    )  # fmt: skip
    assert members_on(cast.cell, date(2027, 3, 1)) == 7
    confirmation_decision_cancel(case=ConfirmationCase.objects.get(member=member), grounds=WHY)
    member.refresh_from_db()
    assert member.status == Status.PROBATIONARY
    assert members_on(cast.cell, date(2027, 3, 1)) == 8


def test_the_confirmation_page_offers_sua_huy_and_an_outsider_gets_404(client, users, confirmed):
    url = reverse("admissions:correct_confirmation_decision", args=[confirmed.pk])
    assert client.login(username="commune_officer", password=PASSWORD)
    page = client.get(reverse("admissions:confirmation", args=[confirmed.pk])).content.decode()
    assert url in page
    data = {"mode": "corrected", "decision_no": "05-QĐ/ĐU", "decided_on": "03/02/2027",
            "reason": "Nhầm ngày"}  # fmt: skip
    shown = client.post(url, {**data, "action": "preview"}).content.decode()
    assert "Xem trước thay đổi (chưa ghi)" in shown and "03/02/2027" in shown
    assert client.post(url, {**data, "action": "save"}).status_code == 302
    assert ConfirmationCase.objects.get(member=confirmed).decided_on == date(2027, 2, 3)
    client.logout()
    assert client.login(username="sibling_officer", password=PASSWORD)
    assert client.get(url).status_code == 404
