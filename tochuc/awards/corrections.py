"""Correcting a badge case (Sửa, with a reason): the proposal's and the decision's numbers
and dates, the issuer, the badge number and the ceremony, under the checks of recording
them; a new decision date recomputes the gift at the base salary in force on it. A case
recorded by mistake is withdrawn (`services.badge_withdraw`), not deleted.

Correcting a commendation (Sửa, with a reason and the row version the page showed); one
recorded by mistake is cancelled (`services.commendation_cancel`)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from tochuc.core import corrections
from tochuc.policy.acts import check_act_date

from . import rules
from .models import BadgeCase, RecipientKind, Stage
from .services import check_commendation, commendation_lock

FIELDS = [
    "proposal_no",
    "proposed_on",
    "decision_no",
    "decided_on",
    "issuer",
    "gift_amount",
    "badge_no",
    "ceremony_on",
]


@transaction.atomic
def badge_correct(
    *,
    case: BadgeCase,
    grounds: corrections.Grounds,
    by=None,
    **changes,
) -> BadgeCase:
    grounds.check()
    record = BadgeCase.objects.select_for_update().select_related("member").get(pk=case.pk)
    if record.stage in (Stage.WITHDRAWN,):
        raise ValidationError(_("Hồ sơ đã rút: không sửa."))
    before = corrections.snapshot(record, FIELDS)
    for name, value in changes.items():
        if value in (None, ""):
            continue
        setattr(record, name, value.strip() if isinstance(value, str) else value)
    if record.stage == Stage.PROPOSED and (changes.get("decision_no") or changes.get("badge_no")):
        raise ValidationError(_("Hồ sơ chưa có quyết định: hãy ghi quyết định ở trang hồ sơ."))
    check_act_date(record.proposed_on, field="proposed_on")
    if record.proposed_on > record.occasion:
        raise ValidationError({"proposed_on": _("Ngày đề nghị phải trước đợt trao.")})
    if record.decided_on:
        check_act_date(
            record.decided_on,
            field="decided_on",
            earliest=[(record.proposed_on, _("ngày đề nghị"))],
        )
        gift = rules.gift_for(record.milestone, record.decided_on)
        record.gift_multiple = gift.multiple
        record.base_salary = gift.base_salary or None
        record.gift_amount = gift.amount if gift.base_salary else None
    if record.ceremony_on:
        check_act_date(
            record.ceremony_on,
            field="ceremony_on",
            earliest=[(record.decided_on, _("ngày quyết định"))],
        )
    record.row_version += 1
    record.save()
    corrections.record(
        obj=record,
        entity="badge",
        action=corrections.CORRECTED,
        grounds=grounds,
        before=before,
        after=corrections.snapshot(record, FIELDS),
        by=by,
        audit_on=[record],
    )
    return record


COMMENDATION_FIELDS = [
    "form",
    "issuer",
    "recipient_name",
    "recipient_detail",
    "reason_kind",
    "year_from",
    "year_to",
    "reason",
    "decision_no",
    "decided_on",
]


@transaction.atomic
def commendation_correct(
    *,
    commendation,
    grounds: corrections.Grounds,
    expected_version: int | None = None,
    by=None,
    **changes,
):
    """Sửa a commendation (the form, the decision, the years, the achievement; the name of a
    person outside the party), under the checks of recording one, with the reason kept
    beside both versions. The recipient of an organization or a member follows its record
    (a wrong recipient is cancelled and recorded again). Refused when someone changed it
    since the page was opened."""
    grounds.check()
    record = commendation_lock(commendation, expected_version)
    before = corrections.snapshot(record, COMMENDATION_FIELDS)
    for name in COMMENDATION_FIELDS:
        value = changes.get(name)
        if value in (None, ""):
            continue
        if name == "recipient_name" and record.recipient_kind != RecipientKind.PERSON:
            continue
        setattr(record, name, value.strip() if isinstance(value, str) else value)
    record.year_to = check_commendation(
        form=record.form, recipient_kind=record.recipient_kind, reason_kind=record.reason_kind,
        issuer=record.issuer, decision_no=record.decision_no, decided_on=record.decided_on,
        year_from=record.year_from, year_to=record.year_to,
    )  # fmt: skip
    record.row_version += 1
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError as error:
        raise ValidationError(
            {
                "decision_no": _("%(name)s đã được ghi khen thưởng theo quyết định %(no)s.")
                % {"name": record.recipient_name, "no": record.decision_no}
            }
        ) from error
    corrections.record(
        obj=record,
        entity="commendation",
        action=corrections.CORRECTED,
        grounds=grounds,
        before=before,
        after=corrections.snapshot(record, COMMENDATION_FIELDS),
        by=by,
    )
    return record
