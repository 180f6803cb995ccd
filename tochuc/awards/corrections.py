"""Correcting a badge case (Sửa, with a reason): the proposal's and the decision's numbers
and dates, the issuer, the badge number and the ceremony, under the checks of recording
them; a new decision date recomputes the gift at the base salary in force on it. A case
recorded by mistake is withdrawn (`services.badge_withdraw`), not deleted."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tochuc.core import corrections
from tochuc.policy.acts import check_act_date

from . import rules
from .models import BadgeCase, Stage

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
