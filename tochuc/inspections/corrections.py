"""Correcting and cancelling supervision, inspection and discipline records (with a reason).

An inspection's dates and decision number may be corrected under the checks of recording
it, and while the disciplines decided on it still come after its start; it may be
cancelled when no discipline rests on it. A discipline of an organization may be
corrected (decision number, dates: the form must still be allowed by the dated policy on
the new decision date) or cancelled; a dissolution's organization event follows through
`organizations.corrections`. A member's discipline is also an act on the member's
timeline: `member_discipline_correct` / `_cancel` check what is the discipline's own (the
form allowed on the decision date, the effective date not before the decision) and go
through the timeline's correction (`members.corrections`), which replays the member's
history; `follow_member_acts` (a members hook) then brings the discipline record in step,
whichever page corrected the act, and keeps its own history.
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
from tochuc.members.models import MemberEvent
from tochuc.organizations import corrections as organization_corrections
from tochuc.policy.acts import after_founding

from .models import Discipline, DisciplineForm, Inspection
from .services import check_act_dates, check_form, subject_status

INSPECTION_FIELDS = ["starts_on", "ends_on", "decision_no", "conclusion"]
DISCIPLINE_FIELDS = ["form", "decision_no", "decided_on", "effective_on"]


@transaction.atomic
def inspection_correct(
    *,
    inspection: Inspection,
    grounds: corrections.Grounds,
    starts_on: date | None = None,
    ends_on: date | None = None,
    decision_no: str | None = None,
    by=None,
) -> Inspection:
    grounds.check()
    record = (
        Inspection.objects.select_for_update().select_related("conductor").get(pk=inspection.pk)
    )
    before = corrections.snapshot(record, INSPECTION_FIELDS)
    record.starts_on = starts_on or record.starts_on
    record.ends_on = ends_on or record.ends_on
    if decision_no is not None:
        if not decision_no.strip():
            raise ValidationError({"decision_no": _("Hãy ghi số quyết định hoặc kế hoạch.")})
        record.decision_no = decision_no.strip()
    if record.ends_on < record.starts_on:
        raise ValidationError({"ends_on": _("Ngày kết thúc không được trước ngày bắt đầu.")})
    check_act_dates(starts_on=record.starts_on, ends_on=record.ends_on, scheduled=("ends_on",))
    if record.conductor.founded_on > record.starts_on:
        raise ValidationError(
            {"starts_on": _("%(name)s chưa thành lập vào ngày %(on)s.")
             % {"name": record.conductor.name, "on": vn_date(record.starts_on)}}
        )  # fmt: skip
    same = Inspection.objects.filter(
        conductor=record.conductor, body=record.body, activity=record.activity,
        decision_no=record.decision_no, subject_organization=record.subject_organization,
        subject_member=record.subject_member,
    ).exclude(pk=record.pk)  # fmt: skip
    if same.exists():
        raise ValidationError({"decision_no": _("Đã ghi cuộc kiểm tra, giám sát theo số này.")})
    earlier = record.disciplines.filter(decided_on__lt=record.starts_on).first()
    if earlier is not None:
        raise ProcedureError(
            {"starts_on": _(
                "Quyết định kỷ luật %(no)s ngày %(on)s dựa trên cuộc kiểm tra, giám sát này; "
                "ngày bắt đầu không được sau ngày đó."
            ) % {"no": earlier.decision_no, "on": vn_date(earlier.decided_on)}}
        )  # fmt: skip
    record.save(update_fields=["starts_on", "ends_on", "decision_no"])
    after = corrections.snapshot(record, INSPECTION_FIELDS)
    corrections.record(
        obj=record, entity="inspection", action=corrections.CORRECTED, grounds=grounds,
        before=before, after=after, by=by,
    )  # fmt: skip
    return record


@transaction.atomic
def inspection_cancel(*, inspection: Inspection, grounds: corrections.Grounds, by=None) -> None:
    grounds.check()
    record = Inspection.objects.select_for_update().get(pk=inspection.pk)
    resting = record.disciplines.first()
    if resting is not None:
        raise ProcedureError(
            _("Quyết định kỷ luật %(no)s dựa trên cuộc kiểm tra, giám sát này; hãy hủy quyết "
              "định đó trước.") % {"no": resting.decision_no}
        )  # fmt: skip
    corrections.record(
        obj=record, entity="inspection", action=corrections.CANCELLED, grounds=grounds,
        before=corrections.snapshot(record, ["activity", "subject_organization",
                                             "subject_member", *INSPECTION_FIELDS]),
        by=by,
    )  # fmt: skip
    record.delete()


def _lock_discipline(discipline: Discipline) -> Discipline:
    record = (
        Discipline.objects.select_for_update(of=("self",))
        .select_related("organization_event")
        .get(pk=discipline.pk)
    )
    if record.subject_member_id is not None:
        raise ProcedureError(
            _("Kỷ luật đảng viên nằm trên dòng thời gian của đảng viên: hãy sửa, hủy ở đó "
              "(sự kiện kỷ luật của đảng viên).")
        )  # fmt: skip
    return record


@transaction.atomic
def discipline_correct(
    *,
    discipline: Discipline,
    grounds: corrections.Grounds,
    decision_no: str | None = None,
    decided_on: date | None = None,
    effective_on: date | None = None,
    by=None,
) -> Discipline:
    grounds.check()
    record = _lock_discipline(discipline)
    before = corrections.snapshot(record, DISCIPLINE_FIELDS)
    if decision_no is not None:
        if not decision_no.strip():
            raise ValidationError({"decision_no": _("Hãy ghi số quyết định kỷ luật.")})
        record.decision_no = decision_no.strip()
    record.decided_on = decided_on or record.decided_on
    record.effective_on = effective_on or record.effective_on
    if record.effective_on < record.decided_on:
        raise ValidationError(
            {"effective_on": _("Ngày có hiệu lực không được trước ngày quyết định.")}
        )
    check_act_dates(
        decided_on=record.decided_on, effective_on=record.effective_on,
        earliest=[after_founding(record.subject_organization)],
    )  # fmt: skip
    if record.inspection_id and record.decided_on < record.inspection.starts_on:
        raise ValidationError(
            {"decided_on": _("Ngày quyết định trước ngày bắt đầu cuộc kiểm tra, giám sát (%(on)s).")
             % {"on": vn_date(record.inspection.starts_on)}}
        )  # fmt: skip
    taken = Discipline.objects.filter(
        subject_organization_id=record.subject_organization_id, decision_no=record.decision_no
    ).exclude(pk=record.pk)
    if taken.exists():
        raise ValidationError({"decision_no": _("Số quyết định này đã được ghi.")})
    status = subject_status(
        organization=record.subject_organization, member=None, on=record.decided_on
    )
    check_form(record.form, status=status, on=record.decided_on)
    record.save(update_fields=["decision_no", "decided_on", "effective_on"])
    if record.organization_event_id:
        event = record.organization_event
        if (event.effective_on, event.decision_no, event.decision_date) != (
            record.effective_on, record.decision_no, record.decided_on,
        ):  # fmt: skip
            organization_corrections.organization_event_correct(
                event=event, on=record.effective_on, decision_no=record.decision_no,
                decision_date=record.decided_on, grounds=grounds, by=by,
            )  # fmt: skip
    after = corrections.snapshot(record, DISCIPLINE_FIELDS)
    corrections.record(
        obj=record, entity="discipline", action=corrections.CORRECTED, grounds=grounds,
        before=before, after=after, by=by,
    )  # fmt: skip
    return record


@transaction.atomic
def discipline_cancel(*, discipline: Discipline, grounds: corrections.Grounds, by=None) -> None:
    """The decision is void; a dissolution's organization comes back (its event undone)."""
    grounds.check()
    record = _lock_discipline(discipline)
    event = record.organization_event
    effects = [_("Tổ chức bị giải thể được khôi phục.")] if event else []
    corrections.record(
        obj=record, entity="discipline", action=corrections.CANCELLED, grounds=grounds,
        before=corrections.snapshot(record, ["subject_organization", *DISCIPLINE_FIELDS]),
        by=by, effects=effects,
    )  # fmt: skip
    record.delete()
    if event is not None:
        organization_corrections.organization_event_cancel(event=event, grounds=grounds, by=by)


# ---------------------------------------------------------------- members' disciplines


def _lock_member_discipline(discipline: Discipline) -> Discipline:
    record = (
        Discipline.objects.select_for_update(of=("self",))
        .select_related("subject_member", "member_event")
        .get(pk=discipline.pk)
    )
    if record.subject_member_id is None or record.member_event_id is None:
        raise ProcedureError(_("Quyết định này không phải kỷ luật đảng viên trên dòng thời gian."))
    return record


@transaction.atomic
def member_discipline_correct(
    *,
    discipline: Discipline,
    grounds: corrections.Grounds,
    form: str | None = None,
    decision_no: str | None = None,
    decided_on: date | None = None,
    effective_on: date | None = None,
    by=None,
) -> Discipline:
    """Correct a member's discipline: its form (not to or from expulsion, which is an exit:
    cancel and record again), decision number and dates. The member's timeline is replayed
    from the corrected act (the discipline's event moves to the new effective date)."""
    grounds.check()
    record = _lock_member_discipline(discipline)
    form = form or record.form
    decided_on = decided_on or record.decided_on
    effective_on = effective_on or record.effective_on
    decision_no = record.decision_no if decision_no is None else decision_no.strip()
    if not decision_no:
        raise ValidationError({"decision_no": _("Hãy ghi số quyết định kỷ luật.")})
    if effective_on < decided_on:
        raise ValidationError(
            {"effective_on": _("Ngày có hiệu lực không được trước ngày quyết định.")}
        )
    expulsion = DisciplineForm.EXPULSION
    if form != record.form and expulsion in (form, record.form):
        raise ValidationError(
            {"form": _("Khai trừ là ra khỏi Đảng: hãy hủy quyết định này và ghi lại quyết định "
                       "đúng.")}
        )  # fmt: skip
    member = record.subject_member
    check_act_dates(decided_on=decided_on, effective_on=effective_on)
    if record.inspection_id and decided_on < record.inspection.starts_on:
        raise ValidationError(
            {"decided_on": _("Ngày quyết định trước ngày bắt đầu cuộc kiểm tra, giám sát (%(on)s).")
             % {"on": vn_date(record.inspection.starts_on)}}
        )  # fmt: skip
    check_form(form, status=subject_status(organization=None, member=member, on=decided_on),
               on=decided_on)  # fmt: skip
    label = DisciplineForm(form).label
    changes = {"on": effective_on, "decision_no": decision_no, "decision_date": decided_on}
    if record.member_event.type == MemberEvent.Type.DISCIPLINED:
        changes |= {"detail": {"form": form}, "note": f"{label}: {record.reasons}"}
    member_corrections.timeline_act_correct(
        member=member, act=record.member_event, grounds=grounds, by=by, **changes
    )
    record.refresh_from_db()
    return record


@transaction.atomic
def member_discipline_cancel(*, discipline: Discipline, grounds: corrections.Grounds, by=None):
    """The decision is void: its act leaves the member's timeline (an expelled member is
    back in the Party), replayed like any cancellation; the record goes with it."""
    grounds.check()
    record = _lock_member_discipline(discipline)
    member_corrections.timeline_act_cancel(
        member=record.subject_member, act=record.member_event, grounds=grounds, by=by
    )


def follow_member_acts(member, changes: dict, *, grounds: corrections.Grounds, by=None) -> None:
    """The member's timeline corrected (members hook): each discipline resting on a
    corrected act follows it (dates, number, form), on a cancelled act it is cancelled."""
    records = Discipline.objects.select_for_update(of=("self",)).filter(
        member_event_id__in=list(changes)
    )
    for record in records:
        _before, after = changes[record.member_event_id]
        snapshot = corrections.snapshot(record, ["subject_member", *DISCIPLINE_FIELDS])
        if after is None:
            corrections.record(
                obj=record, entity="discipline", action=corrections.CANCELLED, grounds=grounds,
                before=snapshot, by=by, audit_on=[member],
            )  # fmt: skip
            record.delete()
            continue
        record.effective_on = after.on
        record.decision_no = after.decision_no or record.decision_no
        record.decided_on = after.decision_date or min(record.decided_on, after.on)
        record.form = (after.detail or {}).get("form") or record.form
        if record.effective_on < record.decided_on:
            raise ValidationError(
                {"on": _("Ngày có hiệu lực không được trước ngày quyết định kỷ luật (%(on)s).")
                 % {"on": vn_date(record.decided_on)}}
            )  # fmt: skip
        taken = Discipline.objects.filter(
            subject_member_id=record.subject_member_id, decision_no=record.decision_no
        ).exclude(pk=record.pk)
        if taken.exists():
            raise ValidationError({"decision_no": _("Số quyết định này đã được ghi.")})
        after_snapshot = corrections.snapshot(record, ["subject_member", *DISCIPLINE_FIELDS])
        if after_snapshot == snapshot:
            continue
        record.save(update_fields=["effective_on", "decision_no", "decided_on", "form"])
        corrections.record(
            obj=record, entity="discipline", action=corrections.CORRECTED, grounds=grounds,
            before=snapshot, after=after_snapshot, by=by, audit_on=[member],
        )  # fmt: skip
