"""Sửa / Hủy of what a person can record wrongly in cadre work, with the reason and the
correcting decision (core/corrections.py keeps both versions and audits
`tochuc.<entity>.corrected|cancelled`).

- a cadre record: name, gender, birth date, ethnicity, political theory, qualification;
  cancelled only while nothing else is recorded on it;
- a position held: title, unit, from–to, decision; cancelled only without appointments;
- an appointment: its decision number and date; cancelled when no later re-appointment of
  the position rests on it — a first appointment takes the position it opened with it, a
  re-appointment gives the position back the term of the one before;
- a planned position (chức danh quy hoạch): its title, minimum political theory and order;
  cancelled only while no cadre was ever planned for it;
- a planning entry: cancelled (recorded by mistake; a removal at a review is
  `services.planning_remove`);
- a rotation: its posts, start, planned length, decision and return; cancelled;
- a training course: every field; cancelled (the record's political theory is not lowered:
  correct the record when it came from this course).

Each correction applies the rules of the act it corrects (policy/acts dates), under the
record's row_version lock.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tochuc.core import corrections
from tochuc.core.corrections import CANCELLED, CORRECTED, Grounds
from tochuc.core.errors import ProcedureError
from tochuc.lib.dates import add_months
from tochuc.lib.reference import ETHNICITIES, Gender, PoliticalTheory
from tochuc.policy.acts import birth_date_refusal, check_act_date

from .models import (
    Appointment,
    Cadre,
    PlannedPosition,
    PlanningEntry,
    Position,
    Rotation,
    Training,
)
from .services import cadre_lock, cadre_name_fields, cadre_touch

CADRE_FIELDS = [
    "full_name", "gender", "birth_date", "ethnicity", "political_theory", "qualification",
    "note",
]  # fmt: skip
POSITION_FIELDS = ["title", "kind", "unit", "starts_on", "ends_on", "decision_no", "decided_on"]
APPOINTMENT_FIELDS = ["decision_no", "decided_on"]
ROTATION_FIELDS = [
    "from_position", "to_position", "to_unit", "starts_on", "planned_months", "decision_no",
    "returned_on",
]  # fmt: skip
PLANNED_POSITION_FIELDS = ["title", "min_theory", "order"]
TRAINING_FIELDS = [
    "kind", "theory_level", "name", "institution", "starts_on", "ends_on", "completed", "result",
]  # fmt: skip


def _required(obj, names) -> None:
    missing = {n: _("Trường này không được để trống.") for n in names if not getattr(obj, n)}
    if missing:
        raise ValidationError(missing)


# ---------------------------------------------------------------- the record


@transaction.atomic
def cadre_correct(*, cadre: Cadre, grounds: Grounds, by=None, **changes) -> Cadre:
    grounds.check()
    cadre = cadre_lock(cadre, changes.pop("row_version", None))
    before = corrections.snapshot(cadre, CADRE_FIELDS)
    corrections.apply(cadre, changes, CADRE_FIELDS)
    _required(cadre, ("full_name", "gender", "birth_date"))
    errors = {}
    if cadre.gender not in Gender.values:
        errors["gender"] = _("Hãy chọn giới tính.")
    if cadre.political_theory not in PoliticalTheory.values:
        errors["political_theory"] = _("Trình độ lý luận chính trị không có trong danh mục.")
    if cadre.ethnicity not in dict(ETHNICITIES):
        errors["ethnicity"] = _("Dân tộc không có trong danh mục.")
    refusal = birth_date_refusal(cadre.birth_date)
    if refusal:
        errors["birth_date"] = refusal
    if errors:
        raise ValidationError(errors)
    for name, value in cadre_name_fields(cadre.full_name).items():
        setattr(cadre, name, value)
    cadre.full_clean()
    cadre.save()
    cadre_touch(cadre)
    corrections.record_act(
        cadre, entity="cadre", action=CORRECTED, grounds=grounds, before=before,
        fields=CADRE_FIELDS, audit_on=[cadre], by=by,
    )  # fmt: skip
    return cadre


@transaction.atomic
def cadre_cancel(*, cadre: Cadre, grounds: Grounds, by=None) -> None:
    grounds.check()
    cadre = cadre_lock(cadre, None)
    held = [
        label for label, qs in (
            (_("chức vụ"), cadre.positions), (_("quy hoạch"), cadre.planning),
            (_("luân chuyển"), cadre.rotations), (_("đào tạo, bồi dưỡng"), cadre.trainings),
        ) if qs.exists()
    ]  # fmt: skip
    if held:
        raise ProcedureError(_(
            "Hồ sơ đã có %(what)s: hãy hủy các mục đó trước khi hủy hồ sơ."
        ) % {"what": ", ".join(held)})  # fmt: skip
    before = corrections.snapshot(cadre, CADRE_FIELDS)
    corrections.record_act(
        cadre, entity="cadre", action=CANCELLED, grounds=grounds, before=before,
        fields=CADRE_FIELDS, audit_on=[cadre.committee], by=by,
    )  # fmt: skip
    cadre.delete()


# ---------------------------------------------------------------- positions


def _check_position(position: Position) -> None:
    _required(position, ("title", "starts_on"))
    if position.agency_id is None and not position.unit:
        raise ValidationError({"unit": _("Hãy chọn cơ quan, đơn vị hoặc ghi tên đơn vị.")})
    if position.kind not in Position.Kind.values:
        raise ValidationError({"kind": _("Hãy chọn khối.")})
    check_act_date(position.starts_on, field="starts_on",
                   earliest=[(position.cadre.birth_date, _("ngày sinh"))])  # fmt: skip
    check_act_date(position.ends_on, field="ends_on",
                   earliest=[(position.starts_on, _("ngày bắt đầu giữ chức vụ"))])  # fmt: skip
    check_act_date(position.decided_on, field="decided_on")


@transaction.atomic
def position_correct(
    *, position: Position, grounds: Grounds, by=None, row_version=None, **changes
) -> Position:
    grounds.check()
    cadre = cadre_lock(position.cadre, row_version)
    position = Position.objects.select_for_update().get(pk=position.pk)
    before = corrections.snapshot(position, POSITION_FIELDS)
    if "ends_on" in changes:
        position.ends_on = changes.pop("ends_on")  # may be emptied: held again
    corrections.apply(position, changes, POSITION_FIELDS)
    _check_position(position)
    position.full_clean()
    position.save()
    cadre_touch(cadre)
    corrections.record_act(
        position, entity="cadre_position", action=CORRECTED, grounds=grounds, before=before,
        fields=POSITION_FIELDS, audit_on=[cadre], by=by,
    )  # fmt: skip
    return position


@transaction.atomic
def position_cancel(*, position: Position, grounds: Grounds, by=None) -> None:
    grounds.check()
    cadre = cadre_lock(position.cadre, None)
    if position.appointments.exists():
        raise ProcedureError(
            _("Chức vụ này có quyết định bổ nhiệm: hãy hủy quyết định bổ nhiệm (chức vụ đi theo).")
        )
    before = corrections.snapshot(position, POSITION_FIELDS)
    corrections.record_act(
        position, entity="cadre_position", action=CANCELLED, grounds=grounds, before=before,
        fields=POSITION_FIELDS, audit_on=[cadre], by=by,
    )  # fmt: skip
    position.delete()
    cadre_touch(cadre)


# ---------------------------------------------------------------- appointments


@transaction.atomic
def appointment_correct(
    *, appointment: Appointment, grounds: Grounds, decision_no: str, decided_on: date,
    by=None,
) -> Appointment:  # fmt: skip
    grounds.check()
    cadre = cadre_lock(appointment.cadre, None)
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    before = corrections.snapshot(appointment, APPOINTMENT_FIELDS)
    appointment.decision_no = (decision_no or "").strip()
    appointment.decided_on = decided_on
    _required(appointment, APPOINTMENT_FIELDS)
    check_act_date(decided_on, field="decided_on", earliest=[(cadre.birth_date, _("ngày sinh"))])
    if decided_on > appointment.starts_on:
        raise ValidationError({"decided_on": _("Sau ngày có hiệu lực của quyết định.")})
    same = Appointment.objects.filter(position=appointment.position_id,
                                      decision_no=appointment.decision_no)  # fmt: skip
    if same.exclude(pk=appointment.pk).exists():
        raise ValidationError({"decision_no": _("Quyết định %(no)s đã được ghi.")
                               % {"no": appointment.decision_no}})  # fmt: skip
    appointment.save(update_fields=APPOINTMENT_FIELDS)
    if appointment.kind == Appointment.Kind.FIRST:
        Position.objects.filter(pk=appointment.position_id).update(
            decision_no=appointment.decision_no, decided_on=decided_on
        )
    cadre_touch(cadre)
    corrections.record_act(
        appointment, entity="appointment", action=CORRECTED, grounds=grounds, before=before,
        fields=APPOINTMENT_FIELDS, audit_on=[cadre], by=by,
    )  # fmt: skip
    return appointment


@transaction.atomic
def appointment_cancel(*, appointment: Appointment, grounds: Grounds, by=None) -> None:
    grounds.check()
    cadre = cadre_lock(appointment.cadre, None)
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    position = Position.objects.select_for_update().get(pk=appointment.position_id)
    others = position.appointments.exclude(pk=appointment.pk)
    if others.filter(starts_on__gt=appointment.starts_on).exists():
        raise ProcedureError(
            _("Đã có quyết định bổ nhiệm lại sau quyết định này: hãy hủy quyết định đó trước.")
        )
    before = corrections.snapshot(appointment, ["kind", "decision_no", "decided_on",
                                                "starts_on", "term_ends_on"])  # fmt: skip
    before["position"] = str(position)
    corrections.record(
        obj=appointment, entity="appointment", action=CANCELLED, grounds=grounds,
        before=before, by=by, audit_on=[cadre],
        effects=[_("Chức vụ được mở theo quyết định này cũng được hủy.")]
        if appointment.kind == Appointment.Kind.FIRST and not others.exists() else [],
    )  # fmt: skip
    appointment.delete()
    previous = others.order_by("-starts_on", "-id").first()
    if previous is None and appointment.kind == Appointment.Kind.FIRST:
        position.delete()
    else:
        position.term_ends_on = previous.term_ends_on if previous else None
        position.save(update_fields=["term_ends_on"])
    cadre_touch(cadre)


# ---------------------------------------------------------------- planning


@transaction.atomic
def planning_entry_cancel(*, entry: PlanningEntry, grounds: Grounds, by=None) -> None:
    grounds.check()
    entry = (
        PlanningEntry.objects.select_for_update()
        .select_related("cadre", "position")
        .get(pk=entry.pk)
    )
    before = corrections.snapshot(entry, ["position", "term_start", "added_on", "decision_no",
                                          "removed_on", "removal_reason"])  # fmt: skip
    corrections.record(obj=entry, entity="planning_entry", action=CANCELLED, grounds=grounds,
                       before=before, by=by, audit_on=[entry.cadre])  # fmt: skip
    entry.delete()


@transaction.atomic
def planned_position_correct(
    *, position: PlannedPosition, grounds: Grounds, by=None, **changes
) -> PlannedPosition:
    grounds.check()
    position = PlannedPosition.objects.select_for_update().get(pk=position.pk)
    before = corrections.snapshot(position, PLANNED_POSITION_FIELDS)
    corrections.apply(position, changes, PLANNED_POSITION_FIELDS)
    position.title = " ".join((position.title or "").split())
    _required(position, ("title",))
    if position.min_theory not in PoliticalTheory.values:
        raise ValidationError({"min_theory": _("Trình độ không có trong danh mục.")})
    taken = PlannedPosition.objects.filter(committee=position.committee_id, title=position.title)
    if taken.exclude(pk=position.pk).exists():
        raise ValidationError({"title": _("Cấp ủy này đã có chức danh “%(title)s”.")
                               % {"title": position.title}})  # fmt: skip
    position.full_clean()
    position.save()
    corrections.record(
        obj=position, entity="planned_position", action=CORRECTED, grounds=grounds,
        before=before, after=corrections.snapshot(position, PLANNED_POSITION_FIELDS), by=by,
    )  # fmt: skip
    return position


@transaction.atomic
def planned_position_cancel(*, position: PlannedPosition, grounds: Grounds, by=None) -> None:
    grounds.check()
    position = PlannedPosition.objects.select_for_update().get(pk=position.pk)
    if position.entries.exists():
        raise ProcedureError(_(
            "Chức danh đã có cán bộ quy hoạch (kể cả đã đưa ra): hãy hủy các mục quy hoạch ghi "
            "nhầm trước, hoặc sửa tên chức danh."
        ))  # fmt: skip
    before = corrections.snapshot(position, PLANNED_POSITION_FIELDS)
    corrections.record(obj=position, entity="planned_position", action=CANCELLED,
                       grounds=grounds, before=before, by=by,
                       audit_on=[position.committee])  # fmt: skip
    position.delete()


# ---------------------------------------------------------------- rotation, training


@transaction.atomic
def rotation_correct(
    *, rotation: Rotation, grounds: Grounds, by=None, row_version=None, **changes
) -> Rotation:
    grounds.check()
    cadre = cadre_lock(rotation.cadre, row_version)
    rotation = Rotation.objects.select_for_update().get(pk=rotation.pk)
    before = corrections.snapshot(rotation, ROTATION_FIELDS)
    if "returned_on" in changes:
        rotation.returned_on = changes.pop("returned_on")  # may be emptied: not back yet
    corrections.apply(rotation, changes, ROTATION_FIELDS)
    _required(rotation, ("from_position", "to_position", "to_unit", "starts_on",
                         "planned_months", "decision_no"))  # fmt: skip
    check_act_date(rotation.starts_on, field="starts_on", scheduled=True,
                   earliest=[(cadre.birth_date, _("ngày sinh"))])  # fmt: skip
    check_act_date(rotation.returned_on, field="returned_on",
                   earliest=[(rotation.starts_on, _("ngày bắt đầu luân chuyển"))])  # fmt: skip
    rotation.due_back_on = add_months(rotation.starts_on, rotation.planned_months)
    rotation.full_clean()
    rotation.save()
    cadre_touch(cadre)
    corrections.record_act(
        rotation, entity="rotation", action=CORRECTED, grounds=grounds, before=before,
        fields=ROTATION_FIELDS, audit_on=[cadre], by=by,
    )  # fmt: skip
    return rotation


@transaction.atomic
def rotation_cancel(*, rotation: Rotation, grounds: Grounds, by=None) -> None:
    grounds.check()
    cadre = cadre_lock(rotation.cadre, None)
    before = corrections.snapshot(rotation, ROTATION_FIELDS)
    corrections.record_act(
        rotation, entity="rotation", action=CANCELLED, grounds=grounds, before=before,
        fields=ROTATION_FIELDS, audit_on=[cadre], by=by,
    )  # fmt: skip
    rotation.delete()
    cadre_touch(cadre)


@transaction.atomic
def training_correct(
    *, training: Training, grounds: Grounds, by=None, row_version=None, **changes
) -> Training:
    grounds.check()
    cadre = cadre_lock(training.cadre, row_version)
    training = Training.objects.select_for_update().get(pk=training.pk)
    before = corrections.snapshot(training, TRAINING_FIELDS)
    if "ends_on" in changes:
        training.ends_on = changes.pop("ends_on")
    corrections.apply(training, changes, TRAINING_FIELDS)
    _required(training, ("kind", "name", "starts_on"))
    if training.kind not in Training.Kind.values:
        raise ValidationError({"kind": _("Hãy chọn loại đào tạo, bồi dưỡng.")})
    if training.kind != Training.Kind.POLITICAL_THEORY:
        training.theory_level = ""
    elif not training.theory_level:
        raise ValidationError({"theory_level": _("Hãy chọn trình độ lý luận chính trị.")})
    check_act_date(training.starts_on, field="starts_on",
                   earliest=[(cadre.birth_date, _("ngày sinh"))])  # fmt: skip
    check_act_date(training.ends_on, field="ends_on", scheduled=not training.completed,
                   earliest=[(training.starts_on, _("ngày bắt đầu"))])  # fmt: skip
    training.full_clean()
    training.save()
    cadre_touch(cadre)
    corrections.record_act(
        training, entity="training", action=CORRECTED, grounds=grounds, before=before,
        fields=TRAINING_FIELDS, audit_on=[cadre], by=by,
    )  # fmt: skip
    return training


@transaction.atomic
def training_cancel(*, training: Training, grounds: Grounds, by=None) -> None:
    grounds.check()
    cadre = cadre_lock(training.cadre, None)
    before = corrections.snapshot(training, TRAINING_FIELDS)
    corrections.record(
        obj=training, entity="training", action=CANCELLED, grounds=grounds, before=before,
        by=by, audit_on=[cadre],
        effects=[_("Trình độ lý luận chính trị trên hồ sơ không tự hạ; nếu trình độ đó có từ "
                   "khóa học này, hãy sửa hồ sơ cán bộ.")]
        if training.kind == Training.Kind.POLITICAL_THEORY and training.completed else [],
    )  # fmt: skip
    training.delete()
    cadre_touch(cadre)
