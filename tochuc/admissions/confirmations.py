"""Writes for the end of probation (công nhận đảng viên chính thức): the cell's votes, the
escalation after too many votes short, and the committee's decision (confirmed, or
removed). The only code that records them; correcting them is `corrections.py`.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tochuc.core import audit
from tochuc.core.errors import ProcedureError
from tochuc.members import services as member_services
from tochuc.members.models import Member, MemberEvent, Status
from tochuc.policy.rules import policy_for

from . import selectors
from .models import ConfirmationCase, ConfirmationVote
from .services import cell_voters, check_step_day, votes_needed


def confirmation_case(member: Member) -> ConfirmationCase:
    case = ConfirmationCase.objects.select_for_update().filter(member=member).first()
    if case is None:
        case = ConfirmationCase.objects.create(
            member=member, probation_ends_on=selectors.probation_end(member)
        )
    return case


def _check_probationary(member: Member) -> None:
    if member.status != Status.PROBATIONARY:
        raise ProcedureError(_("%(name)s không phải đảng viên dự bị.") % {"name": member.full_name})


@transaction.atomic
def confirmation_vote(
    *,
    member: Member,
    on: date,
    votes_for: int,
    votes_against: int,
    resolution_no: str = "",
    by=None,
) -> ConfirmationVote:
    """The cell votes on confirming a probationary member, after the probation ends. After
    the policy's number of votes short of 2/3, the matter goes to the committee above."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    _check_probationary(member)
    case = confirmation_case(member)
    if case.outcome or case.proposed_on:
        raise ProcedureError(_("Chi bộ đã đề nghị; chờ quyết định của cấp ủy."))
    if case.escalated_on:
        raise ProcedureError(_("Việc này đã báo cáo cấp ủy cấp trên xem xét, quyết định."))
    check_step_day(on, case.probation_ends_on)
    policy = policy_for(on)
    cell = member.organization
    full = cell_voters(cell, on, votes_for=votes_for, votes_against=votes_against)
    passed = full > 0 and votes_for >= votes_needed(full, policy)
    vote = ConfirmationVote.objects.create(
        case=case,
        on=on,
        resolution_no=resolution_no.strip(),
        votes_for=votes_for,
        votes_against=votes_against,
        full_members=full,
        passed=passed,
        recorded_by=by if getattr(by, "is_authenticated", False) else None,
    )
    if passed:
        case.proposed_on = on
        case.save(update_fields=["proposed_on"])
        audit.record(
            "tochuc.confirmation.proposed", by=by, obj=member, on=on, votes=f"{votes_for}/{full}"
        )
        return vote
    short = case.votes.filter(passed=False).count()
    audit.record(
        "tochuc.confirmation.vote_short",
        by=by,
        obj=member,
        on=on,
        votes=f"{votes_for}/{full}",
        times=short,
    )
    if short >= policy.confirmation_votes_before_escalation:
        case.escalated_on = on
        case.save(update_fields=["escalated_on"])
        audit.record("tochuc.confirmation.escalated", by=by, obj=member, on=on, times=short)
    return vote


@transaction.atomic
def confirmation_decide(
    *,
    member: Member,
    confirmed: bool,
    decision_no: str,
    decided_on: date,
    grounds: str = "",
    by=None,
) -> Member:
    """The competent committee's decision. Confirmed: full from the day probation ended,
    however late the decision. Not confirmed: removal (xóa tên) on the decision's date."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    _check_probationary(member)
    case = confirmation_case(member)
    check_step_day(decided_on, case.proposed_on or case.probation_ends_on, "decided_on")
    if not decision_no.strip():
        raise ValidationError({"decision_no": _("Hãy ghi số quyết định.")})
    if confirmed and not (case.proposed_on or case.escalated_on):
        raise ProcedureError(
            _(
                "Chưa có nghị quyết chi bộ đề nghị công nhận chính thức (đủ %(fraction)s số đảng "
                "viên chính thức tán thành)."
            )
            % {"fraction": str(policy_for(decided_on).cell_vote_fraction)}
        )
    if confirmed:
        member = member_services.member_confirm(
            member=member,
            on=case.probation_ends_on,
            decision_no=decision_no.strip(),
            decision_date=decided_on,
            by=by,
        )
    else:
        if not grounds.strip():
            raise ValidationError({"grounds": _("Hãy ghi lý do không công nhận.")})
        member = member_services.member_exit(
            member=member,
            type=MemberEvent.Type.REMOVED,
            on=decided_on,
            decision_no=decision_no.strip(),
            decision_date=decided_on,
            grounds=grounds.strip(),
            by=by,
        )
    case.outcome = case.Outcome.CONFIRMED if confirmed else case.Outcome.REMOVED
    case.decision_no, case.decided_on = decision_no.strip(), decided_on
    case.save(update_fields=["outcome", "decision_no", "decided_on"])
    audit.record(
        f"tochuc.confirmation.{case.outcome}", by=by, obj=member, reason=decision_no, on=decided_on
    )
    return member
