"""The cell's calendar: a meeting called for a coming day, and its cancellation.

Recording the meeting once held stays `services.meeting_record`; a call is a promise with
a date, which the members see on their phones and are invited to (meetings.hooks.planned).
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tochuc.core import audit
from tochuc.lib.dates import add_months, vn_date
from tochuc.organizations.models import Organization
from tochuc.policy.rules import policy_for

from . import hooks
from .models import CELL_KINDS, Kind, PlannedMeeting


@transaction.atomic
def meeting_plan(
    *, organization: Organization, on: date, kind: str, place: str = "", topic: str = "",
    by=None,
) -> PlannedMeeting:  # fmt: skip
    """Call a meeting of a cell for `on` (today or a coming day within the scheduled bound)."""
    today = timezone.localdate()
    if organization.kind not in CELL_KINDS or organization.ended_on is not None:
        raise ValidationError({"organization": _("Chỉ chi bộ đang hoạt động lên lịch sinh hoạt.")})
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Chọn loại buổi sinh hoạt.")})
    latest = add_months(today, 12 * policy_for(today).scheduled_within_years)
    if on < today or on > latest:
        raise ValidationError(
            {"on": _("Ngày sinh hoạt từ hôm nay đến %(latest)s.") % {"latest": vn_date(latest)}}
        )
    if PlannedMeeting.objects.filter(
        organization=organization, on=on, kind=kind, cancelled_at__isnull=True
    ).exists():
        raise ValidationError(
            {"on": _("Ngày %(day)s chi bộ đã có lịch một buổi “%(kind)s”.")
             % {"day": vn_date(on), "kind": Kind(kind).label}}
        )  # fmt: skip
    planned = PlannedMeeting(
        organization=organization, on=on, kind=kind, place=place.strip(), topic=topic.strip(),
        planned_by=by if getattr(by, "is_authenticated", False) else None,
    )  # fmt: skip
    planned.full_clean(exclude=["organization", "planned_by"])
    planned.save()
    audit.record(
        "tochuc.meeting.planned", by=by, obj=planned, organization=organization.code, on=on,
        kind=kind,
    )  # fmt: skip
    for follower in hooks.planned:
        follower(planned, by=by)
    return planned


@transaction.atomic
def meeting_plan_cancel(*, planned: PlannedMeeting, reason: str, by=None) -> PlannedMeeting:
    planned = PlannedMeeting.objects.select_for_update().get(pk=planned.pk)
    if planned.cancelled_at is not None:
        raise ValidationError(_("Lịch sinh hoạt này đã hủy trước đó."))
    if not reason.strip():
        raise ValidationError({"reason": _("Ghi lý do hủy lịch.")})
    planned.cancelled_at = timezone.now()
    planned.cancelled_reason = reason.strip()
    planned.save(update_fields=["cancelled_at", "cancelled_reason"])
    audit.record("tochuc.meeting.plan_cancelled", by=by, obj=planned, reason=reason.strip())
    return planned
