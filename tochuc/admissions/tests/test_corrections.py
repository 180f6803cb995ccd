from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError

from tochuc.admissions import selectors
from tochuc.admissions.corrections import candidate_step_cancel, candidate_step_correct
from tochuc.admissions.models import Candidate, CandidateStep, Stage
from tochuc.core.corrections import Grounds
from tochuc.core.models import AuditEntry, Correction

from .conftest import DATES, carry

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(date(2026, 1, 5)):
        yield


WHY = Grounds("Ghi nhầm ngày trên quyết định", decision_no="3-QĐ/ĐU")


def pipeline(cast) -> dict[str, int]:
    total, _children = selectors.pipeline_report(
        scope=selectors.WholeDatabase(), organization=cast.cell, on=date(2026, 1, 5)
    )
    return total.stages


def state(candidate) -> tuple:
    candidate.refresh_from_db()
    steps = list(CandidateStep.objects.filter(candidate=candidate).values_list("stage", "on"))
    return (candidate.stage, candidate.stage_on, candidate.decided_on, candidate.decision_no,
            candidate.committee_resolved_on, steps)  # fmt: skip


def test_a_decision_date_is_corrected_and_both_versions_are_kept(cast, cell_members, identify):
    candidate = carry(identify(), cell_members[:2], Stage.DECIDED)
    candidate_step_correct(
        candidate=candidate, stage=Stage.DECIDED, on=date(2025, 12, 3), document_no="216-QĐ/ĐU",
        grounds=WHY,
    )  # fmt: skip
    candidate.refresh_from_db()
    assert (candidate.decided_on, candidate.decision_no) == (date(2025, 12, 3), "216-QĐ/ĐU")
    assert candidate.stage_on == date(2025, 12, 3)
    assert candidate.steps.get(stage=Stage.DECIDED).on == date(2025, 12, 3)
    kept = Correction.objects.get()
    assert ("ngày quyết định kết nạp", "01/12/2025", "03/12/2025") in kept.rows()
    assert ("số quyết định kết nạp", "215-QĐ/ĐU", "216-QĐ/ĐU") in kept.rows()
    assert AuditEntry.objects.filter(action="tochuc.admission.corrected").count() == 1


def test_a_step_moved_after_the_next_one_is_refused_and_changes_nothing(
    cast, cell_members, identify
):
    candidate = carry(identify(), cell_members[:2], Stage.DECIDED)
    before = state(candidate)
    with pytest.raises(ValidationError, match="không được sau bước “Đã có quyết định kết nạp”"):
        candidate_step_correct(
            candidate=candidate, stage=Stage.COMMITTEE_APPROVED, on=date(2025, 12, 2),
            grounds=WHY,
        )  # fmt: skip
    assert state(candidate) == before
    assert not Correction.objects.exists()


def test_a_decision_date_past_the_policys_deadline_is_refused(cast, cell_members, identify):
    candidate = carry(identify(), cell_members[:2], Stage.DECIDED)
    # 60 working days (+30 in special cases) from the cell's resolution of 03/11/2025.
    late = pytest.raises(ValidationError, match="quá thời hạn tính từ nghị quyết chi bộ")
    with time_machine.travel(date(2026, 6, 1)), late:
        candidate_step_correct(
            candidate=candidate, stage=Stage.DECIDED, on=date(2026, 5, 15), grounds=WHY
        )
    candidate.refresh_from_db()
    assert candidate.decided_on == DATES[Stage.DECIDED]


def test_the_admission_of_a_member_is_not_cancelled_here(cast, cell_members, identify):
    candidate = carry(identify(), cell_members[:2], Stage.ADMITTED)
    with pytest.raises(ValidationError, match="sửa trên dòng thời gian của đảng viên"):
        candidate_step_cancel(candidate=candidate, grounds=WHY)


def test_cancelling_the_decision_takes_the_candidate_back_and_the_pipeline_follows(
    cast, cell_members, identify
):
    candidate = carry(identify(), cell_members[:2], Stage.DECIDED)
    assert pipeline(cast) == {Stage.DECIDED: 1}

    candidate_step_cancel(candidate=candidate, grounds=WHY)

    assert pipeline(cast) == {Stage.COMMITTEE_APPROVED: 1}
    candidate = Candidate.objects.get(pk=candidate.pk)
    assert (candidate.stage, candidate.stage_on) == (
        Stage.COMMITTEE_APPROVED, DATES[Stage.COMMITTEE_APPROVED],
    )  # fmt: skip
    assert (candidate.decided_on, candidate.decision_no, candidate.decided_by) == (None, "", "")
    assert not candidate.steps.filter(stage=Stage.DECIDED).exists()
    kept = Correction.objects.get()
    assert kept.action == "cancelled" and kept.before["decision_no"] == "215-QĐ/ĐU"


def test_a_cancellation_without_a_reason_is_refused(cast, cell_members, identify):
    candidate = carry(identify(), cell_members[:2], Stage.APPLIED)
    with pytest.raises(ValidationError) as refused:
        candidate_step_cancel(candidate=candidate, grounds=Grounds(" "))
    assert "reason" in refused.value.error_dict
    candidate.refresh_from_db()
    assert candidate.stage == Stage.APPLIED


def test_the_sua_huy_page_previews_then_cancels_the_latest_step(
    client, cast, users, cell_members, identify
):
    from django.urls import reverse

    from tochuc.testing import PASSWORD

    candidate = carry(identify(), cell_members[:2], Stage.DECIDED)
    assert client.login(username="commune_officer", password=PASSWORD)
    page = client.get(reverse("admissions:detail", args=[candidate.pk])).content.decode()
    url = reverse("admissions:correct_step", args=[candidate.pk])
    assert f"{url}?buoc=decided" in page
    form = {"mode": "cancelled", "reason": "Quyết định ghi nhầm hồ sơ"}
    preview = client.post(url, {**form, "action": "preview"}).content.decode()
    assert "215-QĐ/ĐU</td><td>—" in preview
    assert Candidate.objects.get(pk=candidate.pk).stage == Stage.DECIDED
    assert client.post(url, {**form, "action": "save"}).status_code == 302
    assert Candidate.objects.get(pk=candidate.pk).stage == Stage.COMMITTEE_APPROVED


# ---------------------------------------------------------------- confirmation votes


@pytest.fixture
def proposed(cell_members, identify):
    """A member admitted on 19/12/2025 (probation ends 19/12/2026), proposed on 05/01/2027."""
    from tochuc.admissions import confirmations

    member = carry(identify(), cell_members[:2], Stage.ADMITTED).member
    with time_machine.travel(date(2027, 3, 20)):
        confirmations.confirmation_vote(member=member, on=date(2027, 1, 5), votes_for=6,
                                   votes_against=0, resolution_no="01-NQ/CB")  # fmt: skip
    return member


def test_a_confirmation_vote_before_the_probation_ends_is_refused(proposed):
    from tochuc.admissions.corrections import confirmation_vote_correct
    from tochuc.admissions.models import ConfirmationCase

    case = ConfirmationCase.objects.get(member=proposed)
    with time_machine.travel(date(2027, 3, 20)):
        with pytest.raises(ValidationError, match="trước khi hết thời gian dự bị .19/12/2026."):
            confirmation_vote_correct(vote=case.votes.get(), on=date(2026, 12, 1), grounds=WHY)
        confirmation_vote_correct(vote=case.votes.get(), on=date(2027, 1, 8), grounds=WHY)
    case.refresh_from_db()
    assert (case.proposed_on, case.votes.get().on) == (date(2027, 1, 8), date(2027, 1, 8))


def test_a_cancelled_vote_voids_the_proposal_and_the_due_list_shows_it_again(proposed):
    from tochuc.admissions.corrections import confirmation_vote_cancel
    from tochuc.admissions.models import ConfirmationCase

    def due() -> list[str]:
        items = selectors.due_items(scope=selectors.WholeDatabase(), on=date(2027, 3, 20))
        return [item.kind for item in items if item.member and item.member.pk == proposed.pk]

    case = ConfirmationCase.objects.get(member=proposed)
    with time_machine.travel(date(2027, 3, 20)):
        assert due() == [selectors.Due.CONFIRMATION]
        confirmation_vote_cancel(vote=case.votes.get(), grounds=WHY)
        assert due() == [selectors.Due.PROPOSAL]
    case.refresh_from_db()
    assert (case.proposed_on, case.votes.count()) == (None, 0)
    assert AuditEntry.objects.filter(
        action="tochuc.confirmation.cancelled", object_id=str(proposed.pk)
    ).exists()


def test_the_confirmation_page_offers_sua_huy_on_each_vote(client, cast, users, proposed):
    from django.urls import reverse

    from tochuc.admissions.models import ConfirmationVote
    from tochuc.testing import PASSWORD

    vote = ConfirmationVote.objects.get(case__member=proposed)
    url = reverse("admissions:correct_confirmation_vote", args=[proposed.pk])
    wrong = {"mode": "corrected", "on": "01/12/2026", "reason": "Nhầm ngày", "action": "preview"}
    right = {**wrong, "on": "08/01/2027", "resolution_no": "02-NQ/CB", "action": "save"}
    with time_machine.travel(date(2027, 3, 20)):
        assert client.login(username="commune_officer", password=PASSWORD)
        page = client.get(reverse("admissions:confirmation", args=[proposed.pk]))
        assert f"{url}?lan={vote.pk}" in page.content.decode()
        assert 'id="id_on-errors"' in client.post(url, wrong).content.decode()
        assert client.post(url, right).status_code == 302
    vote.refresh_from_db()
    assert (vote.on, vote.resolution_no) == (date(2027, 1, 8), "02-NQ/CB")
