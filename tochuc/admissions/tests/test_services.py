from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError

from tochuc.admissions import confirmations, selectors, services
from tochuc.admissions.models import CandidateStep, ConfirmationCase, Stage
from tochuc.core.models import AuditEntry
from tochuc.members.models import MemberEvent, Status
from tochuc.policy.calendar import add_working_days
from tochuc.policy.rules import policy_for
from tochuc.testing import register

from .conftest import DATES, carry

pytestmark = pytest.mark.django_db
T = MemberEvent.Type
NOW = date(2026, 1, 5)


def refusal(error: ValidationError) -> str:
    return " ".join(error.messages)


@time_machine.travel(NOW)
def test_a_candidate_carried_to_the_ceremony_becomes_a_probationary_member(
    cast, cell_members, identify
):
    candidate = carry(identify(), cell_members[:2], Stage.ADMITTED)
    member = candidate.member
    assert candidate.stage == Stage.ADMITTED
    assert member.status == Status.PROBATIONARY
    assert member.organization == cast.cell
    assert (member.admitted_on, member.ceremony_on) == (date(2025, 12, 1), date(2025, 12, 19))
    assert member.admission_decision_no == "215-QĐ/ĐU"
    assert [(e.type, e.on) for e in member.events.all()] == [(T.ADMITTED, date(2025, 12, 1))]
    # Membership (and the count of members) starts with the decision, as party age does.
    assert member.affiliations.get().valid_from == date(2025, 12, 1)
    assert member.confirmation.probation_ends_on == date(2026, 12, 19)
    assert [s.stage for s in CandidateStep.objects.filter(candidate=candidate)] == list(DATES)
    assert AuditEntry.objects.filter(action="tochuc.admission.admitted").count() == 1


@time_machine.travel(NOW)
def test_a_step_out_of_order_is_refused(cell_members, identify):
    candidate = identify()
    with pytest.raises(ValidationError) as error:
        services.candidate_apply(candidate=candidate, on=date(2025, 9, 1))
    assert "Đã xác định đối tượng" in refusal(error.value)


# ---------------------------------------------------------------- age, counted by month

CELL_DAY = DATES[Stage.CELL_APPROVED]  # 3/11/2025


def carried_to_the_vote(identify, members, birth_date, *, consent=""):
    candidate = carry(identify({"birth_date": birth_date}), members, Stage.VERIFIED)
    return services.candidate_cell_resolution(
        candidate=candidate,
        on=CELL_DAY,
        resolution_no="05-NQ/CB",
        votes_for=6,
        votes_against=1,
        consent=consent,
    )


@time_machine.travel(NOW)
def test_seventeen_years_and_eleven_months_is_refused(cell_members, identify):
    with pytest.raises(ValidationError) as error:
        carried_to_the_vote(identify, cell_members[:2], date(2007, 12, 3))
    assert "phải đủ 18 tuổi" in refusal(error.value)
    assert "17 tuổi 11 tháng" in refusal(error.value)


@time_machine.travel(NOW)
def test_exactly_eighteen_on_the_cells_day_is_accepted(cell_members, identify):
    candidate = carried_to_the_vote(identify, cell_members[:2], date(2007, 11, 3))
    assert candidate.stage == Stage.CELL_APPROVED


@time_machine.travel(NOW)
def test_sixty_years_and_one_month_needs_the_higher_committees_consent(cell_members, identify):
    with pytest.raises(ValidationError) as error:
        carried_to_the_vote(identify, cell_members[:2], date(1965, 10, 3))
    assert "60 tuổi 1 tháng" in refusal(error.value)
    assert "consent" in error.value.error_dict


@time_machine.travel(NOW)
def test_sixty_years_and_one_month_with_the_consent_recorded_is_accepted(cell_members, identify):
    candidate = carried_to_the_vote(
        identify, cell_members[:2], date(1965, 10, 3), consent="Công văn 88-CV/TU ngày 20/10/2025"
    )
    assert candidate.age_consent == "Công văn 88-CV/TU ngày 20/10/2025"


@time_machine.travel(NOW)
def test_exactly_sixty_needs_no_consent(cell_members, identify):
    candidate = carried_to_the_vote(identify, cell_members[:2], date(1965, 11, 3))
    assert candidate.stage == Stage.CELL_APPROVED


# ---------------------------------------------------------------- introducers

INTRODUCED_ON = DATES[Stage.INTRODUCED]  # 22/9/2025


def applied(identify):
    return carry(identify(), [], Stage.APPLIED)


@time_machine.travel(NOW)
def test_an_introducer_confirmed_less_than_a_year_ago_is_a_full_member_and_may_introduce(
    cast, identify
):
    # Admitted 7/6/2024, full on 22/6/2025: three months before the introduction, but
    # working beside the candidate since January 2024.
    recent = register(cast.cell, "Triệu Văn Phúc", admitted_on=date(2024, 6, 7))
    assert recent.confirmed_on == date(2025, 6, 22)
    introducer = services.candidate_add_introducer(
        candidate=applied(identify),
        member=recent,
        worked_with_from=date(2024, 1, 2),
        on=INTRODUCED_ON,
    )
    assert introducer.member == recent


@time_machine.travel(NOW)
def test_a_probationary_member_may_not_introduce(cast, identify):
    probationary = register(
        cast.cell, "Triệu Văn Phúc", admitted_on=date(2025, 1, 6), confirmed=False
    )
    with pytest.raises(ValidationError) as error:
        services.candidate_add_introducer(
            candidate=applied(identify),
            member=probationary,
            worked_with_from=date(2024, 1, 2),
            on=INTRODUCED_ON,
        )
    assert "không phải đảng viên chính thức" in refusal(error.value)


@time_machine.travel(NOW)
def test_eleven_months_working_together_is_not_enough(cell_members, identify):
    with pytest.raises(ValidationError) as error:
        services.candidate_add_introducer(
            candidate=applied(identify),
            member=cell_members[0],
            worked_with_from=date(2024, 10, 23),
            on=INTRODUCED_ON,
        )
    assert "mới cùng công tác với người vào Đảng 10 tháng" in refusal(error.value)
    introducer = services.candidate_add_introducer(
        candidate=applied(identify),
        member=cell_members[0],
        worked_with_from=date(2024, 9, 22),
        on=INTRODUCED_ON,
    )
    assert introducer.worked_with_from == date(2024, 9, 22)


@time_machine.travel(NOW)
def test_the_youth_union_may_replace_one_introducer_but_not_two(cell_members, identify):
    candidate = applied(identify)
    services.candidate_add_introducer(
        candidate=candidate, union="youth", on=INTRODUCED_ON, resolution_no="03-NQ/ĐTN"
    )
    with pytest.raises(ValidationError) as error:
        services.candidate_add_introducer(candidate=candidate, union="trade", on=INTRODUCED_ON)
    assert "Chỉ 1 người giới thiệu được thay bằng tổ chức đoàn thể" in refusal(error.value)
    services.candidate_add_introducer(
        candidate=candidate,
        member=cell_members[0],
        worked_with_from=date(2024, 1, 2),
        on=INTRODUCED_ON,
    )
    candidate.refresh_from_db()
    assert candidate.stage == Stage.INTRODUCED


@time_machine.travel(NOW)
def test_an_introducer_who_left_before_the_cells_vote_blocks_it(cell_members, identify):
    from tochuc.members.services import member_exit

    candidate = carry(identify(), cell_members[:2], Stage.VERIFIED)
    member_exit(member=cell_members[1], type=T.DIED, on=date(2025, 10, 25))
    with pytest.raises(ValidationError) as error:
        carry(candidate, [], Stage.CELL_APPROVED)
    assert cell_members[1].full_name in refusal(error.value)


# ---------------------------------------------------------------- two thirds


@pytest.mark.parametrize(("full", "needed"), [(1, 1), (3, 2), (5, 4), (7, 5), (9, 6), (11, 8)])
def test_two_thirds_of_an_odd_number_of_full_members_rounds_up(full, needed):
    assert services.votes_needed(full, policy_for(date(2025, 11, 3))) == needed


@time_machine.travel(NOW)
def test_four_of_seven_is_short_of_two_thirds_and_five_of_seven_reaches_it(cell_members, identify):
    candidate = carry(identify(), cell_members[:2], Stage.VERIFIED)
    with pytest.raises(ValidationError) as error:
        carry(candidate, [], Stage.CELL_APPROVED, votes=(4, 3))
    assert "Cần ít nhất 5/7 đảng viên chính thức tán thành" in refusal(error.value)
    candidate = carry(candidate, [], Stage.CELL_APPROVED, votes=(5, 2))
    assert (candidate.votes_for, candidate.cell_full_members) == (5, 7)


@time_machine.travel(NOW)
def test_votes_beyond_the_cells_full_members_are_refused(cell_members, identify):
    candidate = carry(identify(), cell_members[:2], Stage.VERIFIED)
    with pytest.raises(ValidationError) as error:
        carry(candidate, [], Stage.CELL_APPROVED, votes=(7, 1))
    assert "Chi bộ có 7 đảng viên chính thức vào ngày 03/11/2025" in refusal(error.value)


# ---------------------------------------------------------------- deadlines across Tết

TET_DATES = {
    **DATES,
    Stage.CELL_APPROVED: date(2026, 1, 15),
    Stage.COMMITTEE_APPROVED: date(2026, 1, 20),
}


def test_sixty_working_days_from_mid_january_2026_skip_the_tet_week():
    # 60 working days after Thursday 15/1/2026: 16/4/2026 (Tết 16–20/2 is off); 9/4 without it.
    assert add_working_days(date(2026, 1, 15), 60) == date(2026, 4, 16)
    # 30 working days after 10/2/2026: 31/3/2026, not 24/3.
    assert add_working_days(date(2026, 2, 10), 30) == date(2026, 3, 31)


@time_machine.travel(date(2026, 6, 1))
def test_a_decision_past_sixty_working_days_needs_the_special_reason(cell_members, identify):
    candidate = carry(identify(), cell_members[:2], Stage.COMMITTEE_APPROVED, dates=TET_DATES)
    assert selectors.decision_deadline(candidate) == date(2026, 4, 16)
    with pytest.raises(ValidationError) as error:
        services.candidate_decide(candidate=candidate, on=date(2026, 4, 17), decision_no="1-QĐ")
    assert "hạn 16/04/2026" in refusal(error.value)
    candidate = services.candidate_decide(
        candidate=candidate,
        on=date(2026, 4, 17),
        decision_no="1-QĐ",
        late_reason="Chờ kết quả thẩm tra bổ sung ở tỉnh khác",
    )
    assert candidate.decision_late_reason == "Chờ kết quả thẩm tra bổ sung ở tỉnh khác"


@time_machine.travel(date(2026, 7, 1))
def test_a_decision_past_the_extended_time_is_refused(cell_members, identify):
    candidate = carry(identify(), cell_members[:2], Stage.COMMITTEE_APPROVED, dates=TET_DATES)
    extended = selectors.decision_deadline(candidate, special=True)
    # 90 working days, across Tết, 27/4 (Hùng Kings' day, observed), 30/4 and 1/5.
    assert extended == date(2026, 6, 2)
    with pytest.raises(ValidationError) as error:
        services.candidate_decide(
            candidate=candidate, on=date(2026, 6, 3), decision_no="1-QĐ", late_reason="Lý do"
        )
    assert "chậm nhất 02/06/2026" in refusal(error.value)


@time_machine.travel(date(2026, 6, 1))
def test_a_ceremony_after_thirty_working_days_needs_its_reason(cell_members, identify):
    dates = {**TET_DATES, Stage.DECIDED: date(2026, 2, 10)}
    candidate = carry(identify(), cell_members[:2], Stage.DECIDED, dates=dates)
    assert selectors.ceremony_deadline(candidate) == date(2026, 3, 31)
    with pytest.raises(ValidationError) as error:
        services.candidate_ceremony(candidate=candidate, on=date(2026, 4, 1))
    assert "hạn 31/03/2026" in refusal(error.value)
    member = services.candidate_ceremony(candidate=candidate, on=date(2026, 3, 31))
    assert member.ceremony_on == date(2026, 3, 31)


# ---------------------------------------------------------------- confirmation


def admitted_member(identify, members):
    return carry(identify(), members, Stage.ADMITTED).member  # probation ends 19/12/2026


def test_a_confirmation_decided_late_is_effective_on_the_day_probation_ended(
    cell_members, identify
):
    with time_machine.travel(NOW):
        member = admitted_member(identify, cell_members[:2])
    with time_machine.travel(date(2027, 3, 20)):
        confirmations.confirmation_vote(
            member=member,
            on=date(2027, 1, 5),
            votes_for=6,
            votes_against=0,
            resolution_no="01-NQ/CB",
        )
        member = confirmations.confirmation_decide(
            member=member, confirmed=True, decision_no="40-QĐ/ĐU", decided_on=date(2027, 3, 15)
        )
    assert member.status == Status.FULL
    assert member.confirmed_on == date(2026, 12, 19)
    confirmed = member.events.get(type=T.CONFIRMED)
    assert (confirmed.on, confirmed.decision_date) == (date(2026, 12, 19), date(2027, 3, 15))
    assert ConfirmationCase.objects.get(member=member).outcome == "confirmed"


def test_three_votes_short_escalate_and_the_committee_may_remove(cell_members, identify):
    with time_machine.travel(NOW):
        member = admitted_member(identify, cell_members[:2])
    with time_machine.travel(date(2027, 4, 1)):
        for day in (date(2027, 1, 5), date(2027, 2, 2), date(2027, 3, 2)):
            confirmations.confirmation_vote(member=member, on=day, votes_for=4, votes_against=3)
        case = ConfirmationCase.objects.get(member=member)
        assert case.escalated_on == date(2027, 3, 2)
        assert [v.passed for v in case.votes.all()] == [False, False, False]
        with pytest.raises(ValidationError) as error:
            confirmations.confirmation_vote(
                member=member, on=date(2027, 3, 20), votes_for=6, votes_against=0
            )
        assert "cấp ủy cấp trên" in refusal(error.value)
        member = confirmations.confirmation_decide(
            member=member,
            confirmed=False,
            decision_no="52-QĐ/HU",
            decided_on=date(2027, 3, 25),
            grounds="Không đủ tư cách đảng viên",
        )
    assert member.status == Status.LEFT
    assert member.events.get(type=T.REMOVED).on == date(2027, 3, 25)
    assert AuditEntry.objects.filter(action="tochuc.confirmation.escalated").count() == 1


def test_a_confirmation_without_the_cells_proposal_is_refused(cell_members, identify):
    with time_machine.travel(NOW):
        member = admitted_member(identify, cell_members[:2])
    with time_machine.travel(date(2027, 1, 10)), pytest.raises(ValidationError) as error:
        confirmations.confirmation_decide(
            member=member, confirmed=True, decision_no="1", decided_on=date(2027, 1, 8)
        )
    assert "Chưa có nghị quyết chi bộ" in refusal(error.value)
