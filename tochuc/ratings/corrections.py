"""Correcting and cancelling rating decisions and votes of confidence (with a reason).

A decision's level, number and date may be corrected, or the decision cancelled (the
subject is back at the cell's proposal), while the cap on "xuất sắc" of the subject's
group still holds for the decisions already made: lowering a "tốt" that an "xuất sắc"
of the group rests on is refused with the reason. A vote of confidence may be corrected
(date, ballots) under the same checks as when it was recorded, or cancelled.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tochuc.core import corrections
from tochuc.core.errors import ProcedureError
from tochuc.organizations.models import Organization

from .models import ConfidenceVote, Level, RatingSession, RatingSubject, Step
from .services import excellent_allowed, percent_text, session_policy, vote_errors

DECISION_FIELDS = ["final_level", "decision_no", "decided_on"]
VOTE_FIELDS = [
    "held_on", "position", "ballots_issued", "ballots_valid", "high", "medium", "low",
]  # fmt: skip


def _check_cap(subject: RatingSubject) -> None:
    """The group's decisions as they now stand keep "xuất sắc" within the cap."""
    group = RatingSubject.objects.filter(
        session_id=subject.session_id, kind=subject.kind, cap_group_id=subject.cap_group_id
    )
    good = group.filter(final_level=Level.GOOD).count()
    excellent = group.filter(final_level=Level.EXCELLENT).count()
    policy = session_policy(subject.session)
    allowed = excellent_allowed(good, policy)
    if excellent > allowed:
        name = Organization.objects.get(pk=subject.cap_group_id).name
        raise ProcedureError(
            {"final_level": _(
                "Không sửa được: %(group)s sẽ chỉ còn %(good)s quyết định “tốt”, nên “xuất sắc” "
                "tối đa là %(allowed)s (%(cap)s%% số “tốt”), trong khi đã có %(excellent)s "
                "quyết định “xuất sắc”. Hãy sửa các quyết định đó trước."
            ) % {
                "group": name, "good": good, "allowed": allowed, "excellent": excellent,
                "cap": percent_text(policy.rating_excellent_cap),
            }}
        )  # fmt: skip


def _lock_decided(subject: RatingSubject) -> RatingSubject:
    RatingSession.objects.select_for_update().get(pk=subject.session_id)
    subject = RatingSubject.objects.select_for_update().select_related("session").get(pk=subject.pk)
    if subject.step != Step.DECIDED:
        raise ProcedureError(_("Chưa có quyết định xếp loại để sửa, hủy."))
    return subject


@transaction.atomic
def rating_decision_correct(
    *,
    subject: RatingSubject,
    grounds: corrections.Grounds,
    level: str | None = None,
    decision_no: str | None = None,
    decided_on: date | None = None,
    by=None,
) -> RatingSubject:
    grounds.check()
    subject = _lock_decided(subject)
    before = corrections.snapshot(subject, DECISION_FIELDS)
    if level is not None:
        if level not in Level.values:
            raise ValidationError({"final_level": _("Chọn một mức xếp loại.")})
        subject.final_level = level
    if decision_no is not None:
        if not decision_no.strip():
            raise ValidationError({"decision_no": _("Cần số quyết định.")})
        subject.decision_no = decision_no.strip()
    if decided_on is not None:
        if subject.proposed_on and decided_on < subject.proposed_on:
            raise ValidationError({"decided_on": _("Ngày quyết định trước ngày đề xuất.")})
        subject.decided_on = decided_on
    subject.save(update_fields=DECISION_FIELDS)
    _check_cap(subject)
    after = corrections.snapshot(subject, DECISION_FIELDS)
    corrections.record(
        obj=subject, entity="rating", action=corrections.CORRECTED, grounds=grounds,
        before=before, after=after, by=by,
    )  # fmt: skip
    return subject


@transaction.atomic
def rating_decision_cancel(
    *, subject: RatingSubject, grounds: corrections.Grounds, by=None
) -> RatingSubject:
    """The decision is void: the subject waits for a decision again (cell's proposal)."""
    grounds.check()
    subject = _lock_decided(subject)
    before = corrections.snapshot(subject, DECISION_FIELDS)
    subject.final_level, subject.decision_no, subject.decided_on = "", "", None
    subject.decided_by = None
    subject.step = Step.PROPOSED
    subject.save(update_fields=[*DECISION_FIELDS, "decided_by", "step"])
    _check_cap(subject)
    corrections.record(
        obj=subject, entity="rating", action=corrections.CANCELLED, grounds=grounds,
        before=before, by=by, effects=[_("Đối tượng trở lại bước “Chi bộ đã đề xuất”.")],
    )  # fmt: skip
    return subject


@transaction.atomic
def confidence_vote_correct(
    *, vote: ConfidenceVote, grounds: corrections.Grounds, by=None, **changes
) -> ConfidenceVote:
    """Correct a vote's date, position or ballots (`changes`: any of VOTE_FIELDS)."""
    grounds.check()
    vote = ConfidenceVote.objects.select_for_update().get(pk=vote.pk)
    unknown = set(changes) - set(VOTE_FIELDS)
    if unknown:
        raise ValidationError(_("Không sửa được: %(names)s.") % {"names": ", ".join(unknown)})
    before = corrections.snapshot(vote, VOTE_FIELDS)
    for name, value in changes.items():
        if value is not None:
            setattr(vote, name, value.strip() if isinstance(value, str) else value)
    errors = vote_errors(member=vote.member, **{name: getattr(vote, name) for name in VOTE_FIELDS})
    if errors:
        raise ProcedureError(errors)
    vote.save(update_fields=VOTE_FIELDS)
    after = corrections.snapshot(vote, VOTE_FIELDS)
    corrections.record(
        obj=vote, entity="confidence_vote", action=corrections.CORRECTED, grounds=grounds,
        before=before, after=after, by=by,
    )  # fmt: skip
    return vote


@transaction.atomic
def confidence_vote_cancel(*, vote: ConfidenceVote, grounds: corrections.Grounds, by=None) -> None:
    grounds.check()
    vote = ConfidenceVote.objects.select_for_update().get(pk=vote.pk)
    corrections.record(
        obj=vote, entity="confidence_vote", action=corrections.CANCELLED, grounds=grounds,
        before=corrections.snapshot(vote, ["member", *VOTE_FIELDS]), by=by,
    )  # fmt: skip
    vote.delete()
