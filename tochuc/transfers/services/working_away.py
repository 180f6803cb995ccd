"""Members working away from home (đảng viên đi làm ăn xa): the record, the cell's
periodic checks, the return."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tochuc.core import audit
from tochuc.core.errors import ProcedureError
from tochuc.members.models import Member
from tochuc.members.store import member_lock
from tochuc.policy.acts import after_admission, check_act_date

from ..models import WorkingAway, WorkingAwayCheck


def _refuse_if_inactive(member: Member) -> None:
    if not member.is_active:
        raise ProcedureError(
            _("%(name)s không còn sinh hoạt đảng (%(status)s).")
            % {"name": member.full_name, "status": member.get_status_display()}
        )


@transaction.atomic
def working_away_record(
    *, member: Member, place: str, starts_on: date, contact: str,
    ends_on: date | None = None, note: str = "", by=None,
) -> WorkingAway:  # fmt: skip
    member = member_lock(member)
    _refuse_if_inactive(member)
    check_act_date(starts_on, field="starts_on", earliest=[after_admission(member)])
    check_act_date(ends_on, field="ends_on", scheduled=True)
    errors = {}
    if not place.strip():
        errors["place"] = _("Hãy ghi nơi làm ăn.")
    if not contact.strip():
        errors["contact"] = _("Hãy ghi cách liên hệ (điện thoại, địa chỉ).")
    if ends_on and ends_on <= starts_on:
        errors["ends_on"] = _("Ngày kết thúc phải sau ngày bắt đầu.")
    if errors:
        raise ValidationError(errors)
    if member.working_away.filter(ended_on__isnull=True).exists():
        raise ProcedureError(
            _("%(name)s đang có hồ sơ đi làm ăn xa chưa kết thúc.") % {"name": member.full_name}
        )
    record = WorkingAway.objects.create(
        member=member, organization=member.organization, place=place.strip(),
        starts_on=starts_on, ends_on=ends_on, contact=contact.strip(), note=note.strip(),
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )  # fmt: skip
    audit.record("tochuc.member.working_away", by=by, obj=member, place=place, on=starts_on)
    return record


@transaction.atomic
def working_away_check(
    *, record: WorkingAway, checked_on: date, result: str, by=None
) -> WorkingAwayCheck:
    record = WorkingAway.objects.select_for_update().get(pk=record.pk)
    if record.ended_on is not None:
        raise ProcedureError(_("Đảng viên đã trở về; không cần kiểm tra nữa."))
    check_act_date(checked_on, field="checked_on", earliest=[(record.starts_on, _("ngày đi"))])
    if not result.strip():
        raise ValidationError({"result": _("Hãy ghi kết quả kiểm tra, liên hệ.")})
    check = WorkingAwayCheck.objects.create(
        record=record, checked_on=checked_on, result=result.strip(),
        checked_by=by if getattr(by, "is_authenticated", False) else None,
    )  # fmt: skip
    audit.record("tochuc.member.working_away_checked", by=by, obj=record.member, on=checked_on)
    return check


@transaction.atomic
def working_away_end(*, record: WorkingAway, on: date, by=None) -> WorkingAway:
    record = WorkingAway.objects.select_for_update().get(pk=record.pk)
    if record.ended_on is not None:
        raise ProcedureError(_("Hồ sơ đi làm ăn xa này đã kết thúc."))
    check_act_date(on, earliest=[(record.starts_on, _("ngày đi"))])
    record.ended_on = on
    record.save(update_fields=["ended_on"])
    audit.record("tochuc.member.working_away_ended", by=by, obj=record.member, on=on)
    return record
