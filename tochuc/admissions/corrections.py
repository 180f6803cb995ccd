"""Correcting and cancelling the recorded steps of an admission (with a reason).

A step's date and document number may be corrected while the order of the steps still
holds (a step not before the one it follows, not after the next) and the dated policy's
deadlines still hold (the decision within the working days of the cell's resolution, the
ceremony within those of the decision, or their recorded late reasons). The latest step
may be cancelled: the candidate is back at the step before (a withdrawal cancelled: back
to where it stopped). Once the ceremony made a member, the decision and the ceremony are
also the member's admission on the timeline: correcting them replays the member's history
(`members.corrections.admission_act_correct`: membership and party age from the decision,
probation from the ceremony); they are no longer cancelled here.

The committee's confirmation decision (công nhận chính thức, or removal when not
confirmed) is corrected or cancelled through the member's timeline act too
(`confirmation_decision_correct` / `_cancel`); cancelled, the member is probationary
again and the case waits for a decision, its due dates recomputed. `follow_member_acts`
(a members hook) keeps the candidate's record and the confirmation case in step whichever
page corrected the act, with their own history.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tochuc.core import corrections
from tochuc.core.errors import ProcedureError
from tochuc.lib.dates import vn_date
from tochuc.members import corrections as member_corrections
from tochuc.members.models import Member, MemberEvent
from tochuc.policy.acts import check_act_date, probation_ends
from tochuc.policy.rules import policy_for

from . import selectors
from .models import Candidate, CandidateStep, ConfirmationCase, ConfirmationVote, Stage
from .services import votes_needed

ENTITY = "admission"

# Each step's own fields on the candidate: (its date, its document number or None).
STEP_FIELDS: dict[str, tuple[str | None, str | None]] = {
    Stage.IDENTIFIED: ("identified_on", None),
    Stage.TRAINED: ("course_on", "course_certificate_no"),
    Stage.APPLIED: ("applied_on", None),
    Stage.INTRODUCED: (None, None),
    Stage.VERIFIED: ("verified_on", None),
    Stage.CELL_APPROVED: ("cell_resolved_on", "cell_resolution_no"),
    Stage.COMMITTEE_APPROVED: ("committee_resolved_on", "committee_resolution_no"),
    Stage.DECIDED: ("decided_on", "decision_no"),
    Stage.ADMITTED: ("ceremony_on", None),
    Stage.WITHDRAWN: (None, None),
}
# What a cancelled step leaves empty besides its date and number.
STEP_EXTRA = {
    Stage.CELL_APPROVED: ("votes_for", "votes_against", "cell_full_members", "age_consent"),
    Stage.VERIFIED: ("verification_note",),
    Stage.DECIDED: ("decided_by", "decision_late_reason"),
    Stage.WITHDRAWN: ("withdrawn_reason",),
}
MEMBER_STEPS = (Stage.DECIDED, Stage.ADMITTED)


def _fields(stage: str) -> list[str]:
    on_field, no_field = STEP_FIELDS[stage]
    return [f for f in (on_field, no_field, *STEP_EXTRA.get(stage, ())) if f]


def _snapshot(candidate: Candidate, stage: str) -> dict:
    return {
        "stage": candidate.get_stage_display(),
        **corrections.snapshot(candidate, _fields(stage)),
    }


def _step(candidate: Candidate, stage: str) -> CandidateStep:
    step = candidate.steps.filter(stage=stage).order_by("-id").first()
    if step is None:
        raise ValidationError({"stage": _("Hồ sơ chưa có bước này.")})
    return step


def _refuse_member_step(candidate: Candidate, stage: str) -> None:
    if candidate.member_id and stage in MEMBER_STEPS:
        raise ProcedureError(
            _(
                "%(name)s đã được kết nạp: ngày, số quyết định kết nạp và ngày lễ kết nạp được "
                "sửa trên dòng thời gian của đảng viên."
            )
            % {"name": candidate.full_name}
        )


def _check_deadlines(candidate: Candidate) -> None:
    """The dated policy's deadlines, with the candidate as corrected."""
    if candidate.decided_on and candidate.cell_resolved_on:
        extended = selectors.decision_deadline(candidate, special=True)
        normal = selectors.decision_deadline(candidate)
        if candidate.decided_on > extended or (
            candidate.decided_on > normal and not candidate.decision_late_reason
        ):
            raise ProcedureError(
                _(
                    "Quyết định kết nạp ngày %(decided)s quá thời hạn tính từ nghị quyết chi bộ "
                    "ngày %(resolved)s (hạn %(deadline)s)."
                )
                % {
                    "decided": vn_date(candidate.decided_on),
                    "resolved": vn_date(candidate.cell_resolved_on),
                    "deadline": vn_date(extended if candidate.decision_late_reason else normal),
                }
            )
    if candidate.ceremony_on and candidate.decided_on:
        deadline = selectors.ceremony_deadline(candidate)
        if candidate.ceremony_on > deadline and not candidate.ceremony_late_reason:
            raise ProcedureError(
                _("Lễ kết nạp ngày %(on)s quá hạn %(deadline)s tính từ ngày quyết định.")
                % {"on": vn_date(candidate.ceremony_on), "deadline": vn_date(deadline)}
            )


@transaction.atomic
def candidate_step_correct(
    *,
    candidate: Candidate,
    stage: str,
    grounds: corrections.Grounds,
    on: date | None = None,
    document_no: str | None = None,
    by=None,
) -> Candidate:
    """Correct the date and/or document number of a recorded step."""
    grounds.check()
    candidate = Candidate.objects.select_for_update().select_related("cell").get(pk=candidate.pk)
    if stage not in STEP_FIELDS:
        raise ValidationError({"stage": _("Bước không hợp lệ.")})
    if candidate.member_id and stage in MEMBER_STEPS:
        decision = stage == Stage.DECIDED
        member_corrections.admission_act_correct(
            member=candidate.member, grounds=grounds, by=by,
            decided_on=on if decision else None,
            decision_no=document_no if decision else None,
            ceremony_on=None if decision else on,
        )  # fmt: skip
        candidate.refresh_from_db()
        return candidate
    on_field, no_field = STEP_FIELDS[stage]
    step = _step(candidate, stage)
    before = _snapshot(candidate, stage) | {"on": step.on, "document_no": step.document_no}
    on = on or step.on
    check_act_date(on)
    steps = list(candidate.steps.order_by("on", "id"))
    earlier = [s for s in steps if s.id < step.id and s.stage != stage]
    later = [s for s in steps if s.id > step.id and s.stage != stage]
    if earlier and on < max(s.on for s in earlier):
        last = max(earlier, key=lambda s: (s.on, s.id))
        raise ValidationError(
            {"on": _("Ngày này không được trước bước “%(step)s” (%(day)s).")
             % {"step": last.get_stage_display(), "day": vn_date(last.on)}}
        )  # fmt: skip
    if later and on > min(s.on for s in later):
        first = min(later, key=lambda s: (s.on, s.id))
        raise ValidationError(
            {"on": _("Ngày này không được sau bước “%(step)s” (%(day)s).")
             % {"step": first.get_stage_display(), "day": vn_date(first.on)}}
        )  # fmt: skip
    if on_field:
        setattr(candidate, on_field, on)
    if no_field and document_no is not None:
        if not document_no.strip():
            raise ValidationError({"document_no": _("Hãy ghi số văn bản.")})
        setattr(candidate, no_field, document_no.strip())
    if candidate.stage == stage:
        candidate.stage_on = on
    _check_deadlines(candidate)
    candidate.save()
    step.on = on
    if document_no is not None and no_field:
        step.document_no = document_no.strip()
    step.save(update_fields=["on", "document_no"])
    after = _snapshot(candidate, stage) | {"on": step.on, "document_no": step.document_no}
    corrections.record(
        obj=candidate, entity=ENTITY, action=corrections.CORRECTED, grounds=grounds,
        before=before, after=after, by=by,
        labels={"on": str(_("ngày của bước")), "document_no": str(_("số văn bản")),
                "stage": str(_("bước"))},
    )  # fmt: skip
    return candidate


@transaction.atomic
def candidate_step_cancel(*, candidate: Candidate, grounds: corrections.Grounds, by=None):
    """Cancel the latest step: the candidate is back at the step before."""
    grounds.check()
    candidate = Candidate.objects.select_for_update().select_related("cell").get(pk=candidate.pk)
    stage = candidate.stage
    _refuse_member_step(candidate, stage)
    steps = list(candidate.steps.order_by("on", "id"))
    if len(steps) < 2 or stage == Stage.IDENTIFIED:
        raise ProcedureError(_("Bước đầu tiên không hủy được; hãy dừng xem xét hồ sơ."))
    step = steps[-1]
    before = _snapshot(candidate, stage) | {"on": step.on, "document_no": step.document_no}
    previous = [s for s in steps if s.stage != stage][-1]
    for name in _fields(stage):
        field = candidate._meta.get_field(name)
        setattr(candidate, name, None if field.null else "")
    if stage == Stage.INTRODUCED:
        candidate.introducers.all().delete()
    candidate.stage, candidate.stage_on = previous.stage, previous.on
    candidate.save()
    corrections.record(
        obj=candidate, entity=ENTITY, action=corrections.CANCELLED, grounds=grounds,
        before=before, by=by,
        effects=[_("Hồ sơ trở lại bước “%(step)s” (%(day)s).")
                 % {"step": previous.get_stage_display(), "day": vn_date(previous.on)}],
        labels={"on": str(_("ngày của bước")), "document_no": str(_("số văn bản")),
                "stage": str(_("bước"))},
    )  # fmt: skip
    candidate.steps.filter(stage=stage).delete()
    return candidate


# ---------------------------------------------------------------- confirmation votes

VOTE_FIELDS = ["on", "resolution_no", "votes_for", "votes_against", "full_members", "passed"]


def _lock_vote(vote: ConfirmationVote) -> tuple[ConfirmationVote, ConfirmationCase]:
    vote = ConfirmationVote.objects.select_for_update().get(pk=vote.pk)
    case = (
        ConfirmationCase.objects.select_for_update().select_related("member").get(pk=vote.case_id)
    )
    if case.outcome:
        outcome = case.get_outcome_display().lower()
        raise ProcedureError(
            _("Đã có quyết định %(outcome)s: biểu quyết của chi bộ được sửa cùng quyết định đó, "
              "trên dòng thời gian của đảng viên.") % {"outcome": outcome}
        )  # fmt: skip
    return vote, case


@transaction.atomic
def confirmation_vote_correct(
    *,
    vote: ConfirmationVote,
    grounds: corrections.Grounds,
    on: date | None = None,
    resolution_no: str | None = None,
    by=None,
) -> ConfirmationVote:
    """Correct the date or resolution number of the cell's vote on a confirmation: not
    before the probation ends (the dated policy's probation), not after a later vote, and
    with the same result on the corrected date."""
    grounds.check()
    vote, case = _lock_vote(vote)
    before = corrections.snapshot(vote, VOTE_FIELDS)
    on = on or vote.on
    if on < case.probation_ends_on:
        raise ValidationError(
            {"on": _("Ngày này trước khi hết thời gian dự bị (%(day)s).")
             % {"day": vn_date(case.probation_ends_on)}}
        )  # fmt: skip
    check_act_date(on)
    others = case.votes.exclude(pk=vote.pk)
    if (
        others.filter(id__lt=vote.pk, on__gt=on).exists()
        or others.filter(id__gt=vote.pk, on__lt=on).exists()
    ):
        raise ValidationError({"on": _("Ngày này không theo thứ tự các lần biểu quyết.")})
    full = selectors.full_members_on(case.member.organization, on).count()
    passed = full > 0 and vote.votes_for >= votes_needed(full, policy_for(on))
    if passed != vote.passed or vote.votes_for + vote.votes_against > full:
        raise ProcedureError(
            {"on": _("Vào ngày %(day)s chi bộ có %(n)s đảng viên chính thức: kết quả biểu quyết "
                     "sẽ khác; hãy hủy lần biểu quyết này và ghi lại.")
             % {"day": vn_date(on), "n": full}}
        )  # fmt: skip
    vote.on, vote.full_members = on, full
    if resolution_no is not None:
        vote.resolution_no = resolution_no.strip()
    vote.save(update_fields=["on", "resolution_no", "full_members"])
    if passed and case.proposed_on:
        case.proposed_on = on
    if case.escalated_on and vote == case.votes.order_by("-id").first():
        case.escalated_on = on
    case.save(update_fields=["proposed_on", "escalated_on"])
    corrections.record(
        obj=vote, entity="confirmation", action=corrections.CORRECTED, grounds=grounds,
        before=before, after=corrections.snapshot(vote, VOTE_FIELDS), by=by,
        audit_on=[case.member],
    )  # fmt: skip
    return vote


@transaction.atomic
def confirmation_vote_cancel(*, vote: ConfirmationVote, grounds: corrections.Grounds, by=None):
    """Cancel the latest vote: the proposal (or the escalation) it made is void."""
    grounds.check()
    vote, case = _lock_vote(vote)
    if case.votes.filter(id__gt=vote.pk).exists():
        raise ProcedureError(_("Chỉ hủy được lần biểu quyết gần nhất."))
    corrections.record(
        obj=vote, entity="confirmation", action=corrections.CANCELLED, grounds=grounds,
        before=corrections.snapshot(vote, VOTE_FIELDS), by=by, audit_on=[case.member],
    )  # fmt: skip
    case.proposed_on = None if vote.passed else case.proposed_on
    case.escalated_on = None
    case.save(update_fields=["proposed_on", "escalated_on"])
    vote.delete()


# ---------------------------------------------------------------- confirmation decisions

T = MemberEvent.Type
CASE_FIELDS = ["outcome", "decision_no", "decided_on", "probation_ends_on"]
OUTCOME_ACTS = {
    ConfirmationCase.Outcome.CONFIRMED: T.CONFIRMED,
    ConfirmationCase.Outcome.REMOVED: T.REMOVED,
}


def _decided_case(case: ConfirmationCase) -> tuple[ConfirmationCase, MemberEvent]:
    case = ConfirmationCase.objects.select_for_update().select_related("member").get(pk=case.pk)
    if not case.outcome:
        raise ProcedureError(_("Chưa có quyết định của cấp ủy để sửa, hủy."))
    act = case.member.events.filter(type=OUTCOME_ACTS[case.outcome]).order_by("-on", "-id").first()
    if act is None:
        raise ProcedureError(_("Không tìm thấy sự kiện của quyết định trên dòng thời gian."))
    return case, act


@transaction.atomic
def confirmation_decision_correct(
    *,
    case: ConfirmationCase,
    grounds: corrections.Grounds,
    decision_no: str | None = None,
    decided_on: date | None = None,
    by=None,
) -> ConfirmationCase:
    """Correct the committee's decision: its number and date (not before the cell's
    proposal or the end of probation). Confirmed, the member stays full from the end of
    probation; removed, the removal moves to the corrected date (replayed: refused when a
    later act would be impossible)."""
    grounds.check()
    case, act = _decided_case(case)
    decided_on = decided_on or case.decided_on
    check_act_date(decided_on, field="decided_on")
    earliest = case.proposed_on or case.probation_ends_on
    if decided_on < earliest:
        raise ValidationError(
            {"decided_on": _("Ngày quyết định không được trước ngày %(day)s (chi bộ đề nghị, hoặc "
                             "hết thời gian dự bị).") % {"day": vn_date(earliest)}}
        )  # fmt: skip
    if decision_no is not None and not decision_no.strip():
        raise ValidationError({"decision_no": _("Hãy ghi số quyết định.")})
    changes = {"decision_no": decision_no, "decision_date": decided_on}
    if case.outcome == ConfirmationCase.Outcome.REMOVED:
        changes["on"] = decided_on
    member_corrections.timeline_act_correct(
        member=case.member, act=act, grounds=grounds, by=by, **changes
    )
    case.refresh_from_db()
    return case


@transaction.atomic
def confirmation_decision_cancel(*, case: ConfirmationCase, grounds: corrections.Grounds, by=None):
    """The decision is void: the member is probationary again, the case waits for a
    decision (the cell's votes stay)."""
    grounds.check()
    case, act = _decided_case(case)
    member_corrections.timeline_act_cancel(member=case.member, act=act, grounds=grounds, by=by)
    case.refresh_from_db()
    return case


def _follow_admission(member: Member, after, *, grounds, by) -> None:
    candidate = Candidate.objects.select_for_update().filter(member=member).first()
    if candidate is None:
        return
    fields = [*_fields(Stage.DECIDED), "ceremony_on"]
    before = corrections.snapshot(candidate, fields)
    ceremony = (after.detail or {}).get("ceremony_on")
    candidate.decided_on = after.on
    candidate.decision_no = after.decision_no or candidate.decision_no
    candidate.ceremony_on = date.fromisoformat(ceremony) if ceremony else candidate.ceremony_on
    earlier = candidate.steps.exclude(stage__in=MEMBER_STEPS).order_by("-on", "-id").first()
    if earlier is not None and candidate.decided_on < earlier.on:
        raise ValidationError(
            {"decided_on": _("Ngày quyết định kết nạp không được trước bước “%(step)s” (%(day)s).")
             % {"step": earlier.get_stage_display(), "day": vn_date(earlier.on)}}
        )  # fmt: skip
    _check_deadlines(candidate)
    after_snapshot = corrections.snapshot(candidate, fields)
    if after_snapshot == before:
        return
    candidate.save()
    candidate.steps.filter(stage=Stage.DECIDED).update(
        on=candidate.decided_on, document_no=candidate.decision_no
    )
    if candidate.ceremony_on:
        candidate.steps.filter(stage=Stage.ADMITTED).update(on=candidate.ceremony_on)
    corrections.record(
        obj=candidate, entity=ENTITY, action=corrections.CORRECTED, grounds=grounds,
        before=before, after=after_snapshot, by=by, audit_on=[member],
    )  # fmt: skip


def follow_member_acts(member, changes: dict, *, grounds: corrections.Grounds, by=None) -> None:
    """The member's timeline corrected (members hook): the admission's record and the
    confirmation case follow their acts."""
    kinds = {before.type for before, _after in changes.values()}
    if not kinds & {T.ADMITTED, T.CONFIRMED, T.REMOVED}:
        return
    case = ConfirmationCase.objects.select_for_update().filter(member=member).first()
    before = corrections.snapshot(case, CASE_FIELDS) if case else None
    for old, new in changes.values():
        if old.type == T.ADMITTED and new is not None:
            _follow_admission(member, new, grounds=grounds, by=by)
            if case is not None:
                ceremony = (new.detail or {}).get("ceremony_on")
                start = date.fromisoformat(ceremony) if ceremony else new.on
                case.probation_ends_on = probation_ends(start)
        elif case is not None and OUTCOME_ACTS.get(case.outcome) == old.type:
            if new is None:
                case.outcome, case.decision_no, case.decided_on = "", "", None
            else:
                case.decision_no = new.decision_no or case.decision_no
                case.decided_on = new.decision_date or case.decided_on
                if old.type == T.REMOVED:
                    case.decided_on = new.on
    if case is None:
        return
    after = corrections.snapshot(case, CASE_FIELDS)
    if after != before:
        case.save(update_fields=["outcome", "decision_no", "decided_on", "probation_ends_on"])
        action = corrections.CANCELLED if not case.outcome and before["outcome"] else None
        corrections.record(
            obj=case, entity="confirmation_decision", action=action or corrections.CORRECTED,
            grounds=grounds, before=before, after=after, by=by, audit_on=[member],
        )  # fmt: skip
