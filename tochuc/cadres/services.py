"""Writes of cadre work: agencies, cadre records, positions, appointments, planning,
staffing quotas and reductions. Keyword-only, atomic, validated against the dated policy,
audited (`tochuc.cadre.*`, `tochuc.staffing.*`); a refusal is a Vietnamese ValidationError
naming its field, and nothing changes."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.core import audit, corrections
from tochuc.core.errors import ProcedureError
from tochuc.lib import vntext
from tochuc.lib.dates import add_months, vn_date
from tochuc.lib.reference import Gender, PoliticalTheory
from tochuc.members.models import Member
from tochuc.organizations.models import Organization
from tochuc.policy.acts import birth_date_refusal, check_act_date, check_act_year
from tochuc.policy.rules import policy_for

from .criteria import appointment_term_end, planning_failures
from .models import (
    THEORY_RANK,
    Agency,
    Appointment,
    Cadre,
    PlannedPosition,
    PlanningEntry,
    Position,
    Reduction,
    Rotation,
    StaffingQuota,
    Training,
)

# A planning term is five years; the next term may be planned ten years ahead.
TERM_YEARS = 5
CADRE_STALE = gettext_lazy(
    "Hồ sơ cán bộ vừa được người khác thay đổi; hãy tải lại trang rồi ghi lại."
)


def _by(user):
    return user if getattr(user, "is_authenticated", False) else None


def _required(**values) -> None:
    missing = {name: _("Hãy nhập mục này.") for name, value in values.items() if not value}
    if missing:
        raise ValidationError(missing)


# ---------------------------------------------------------------- agencies


@transaction.atomic
def agency_create(*, organization: Organization, code: str, name: str, by=None) -> Agency:
    _required(code=code, name=name)
    if Agency.objects.filter(code=code).exists():
        raise ValidationError({"code": _("Mã %(code)s đã có.") % {"code": code}})
    agency = Agency(organization=organization, code=code, name=name,
                    name_sort=vntext.sort_key(name))  # fmt: skip
    agency.full_clean()
    agency.save()
    audit.record("tochuc.staffing.agency_created", by=by, obj=agency, code=code)
    return agency


# ---------------------------------------------------------------- cadre records


def _cadre_audit(action: str, **kwargs) -> None:
    """A change of a cadre's record: what a cadre holds may lie in more than one province (a
    post rotated to another, a committee's cadre who is a member elsewhere), so it reaches
    every province's home page (`core.audit.record`'s `province`)."""
    audit.record(action, province=audit.EVERY_PROVINCE, **kwargs)


def cadre_name_fields(full_name: str) -> dict:
    full_name = " ".join(full_name.split())
    return {"full_name": full_name, "name_sort": vntext.person_sort_key(full_name),
            "name_folded": vntext.fold(full_name)[:120]}  # fmt: skip


@transaction.atomic
def cadre_create(
    *,
    committee: Organization,
    full_name: str = "",
    gender: str = "",
    birth_date: date | None = None,
    ethnicity: str = "01",
    political_theory: str = "",
    qualification: str = "",
    member: Member | None = None,
    note: str = "",
    by=None,
) -> Cadre:
    """A cadre record under `committee`; from a member's record when `member` is given
    (their name, gender, birth date, ethnicity and political theory are copied)."""
    if member is not None:
        if Cadre.objects.filter(committee=committee, member=member).exists():
            raise ValidationError({"member": _(
                "%(name)s đã có hồ sơ cán bộ thuộc diện %(committee)s quản lý."
            ) % {"name": member.full_name, "committee": committee.name}})  # fmt: skip
        full_name = full_name or member.full_name
        gender = gender or member.gender
        birth_date = birth_date or member.birth_date
        ethnicity = member.ethnicity
        political_theory = political_theory or member.political_theory
    _required(full_name=full_name, gender=gender, birth_date=birth_date)
    errors = {}
    if gender not in Gender.values:
        errors["gender"] = _("Hãy chọn giới tính.")
    if political_theory not in PoliticalTheory.values:
        errors["political_theory"] = _("Trình độ lý luận chính trị không có trong danh mục.")
    refusal = birth_date_refusal(birth_date)
    if refusal:
        errors["birth_date"] = refusal
    if errors:
        raise ValidationError(errors)
    cadre = Cadre(
        committee=committee, member=member, gender=gender, birth_date=birth_date,
        ethnicity=ethnicity, political_theory=political_theory, qualification=qualification,
        note=note, recorded_by=_by(by), **cadre_name_fields(full_name),
    )  # fmt: skip
    cadre.full_clean()
    cadre.save()
    _cadre_audit("tochuc.cadre.created", by=by, obj=cadre, committee=committee.code,
                  member=member.pk if member else None)  # fmt: skip
    return cadre


def cadre_lock(cadre: Cadre, row_version: int | None) -> Cadre:
    """The record locked for a write (here and in corrections.py); refused when another
    user changed it since `row_version` was read."""
    return corrections.lock(cadre, row_version, stale=CADRE_STALE)


def cadre_touch(cadre: Cadre) -> None:
    """A write on the record or what hangs on it: the next stale form is refused."""
    corrections.touch(cadre)


# ---------------------------------------------------------------- positions, appointments


@transaction.atomic
def position_record(
    *,
    cadre: Cadre,
    title: str,
    starts_on: date,
    kind: str = Position.Kind.STATE,
    agency: Agency | None = None,
    unit: str = "",
    ends_on: date | None = None,
    decision_no: str = "",
    decided_on: date | None = None,
    row_version: int | None = None,
    by=None,
) -> Position:
    """A position held, from–to (a past post, or one not held by appointment)."""
    cadre = cadre_lock(cadre, row_version)
    _required(title=title, starts_on=starts_on)
    if agency is None and not unit:
        raise ValidationError({"unit": _("Hãy chọn cơ quan, đơn vị hoặc ghi tên đơn vị.")})
    check_act_date(starts_on, field="starts_on", earliest=[(cadre.birth_date, _("ngày sinh"))])
    check_act_date(ends_on, field="ends_on", earliest=[(starts_on, _("ngày bắt đầu giữ chức vụ"))])
    check_act_date(decided_on, field="decided_on")
    position = Position(cadre=cadre, title=title, kind=kind, agency=agency, unit=unit,
                        starts_on=starts_on, ends_on=ends_on, decision_no=decision_no,
                        decided_on=decided_on)  # fmt: skip
    position.full_clean()
    position.save()
    cadre_touch(cadre)
    _cadre_audit("tochuc.cadre.position_recorded", by=by, obj=cadre, reason=decision_no,
                  title=title, starts_on=starts_on, ends_on=ends_on)  # fmt: skip
    return position


@transaction.atomic
def appointment_record(
    *,
    cadre: Cadre,
    kind: str,
    decision_no: str,
    decided_on: date,
    starts_on: date,
    position: Position | None = None,
    title: str = "",
    agency: Agency | None = None,
    unit: str = "",
    row_version: int | None = None,
    by=None,
) -> Appointment:
    """An appointment (a new position held from `starts_on`) or a re-appointment (the same
    position, a new term). The term and the age conditions are the dated policy's."""
    cadre = cadre_lock(cadre, row_version)
    _required(decision_no=decision_no, decided_on=decided_on, starts_on=starts_on)
    if kind not in Appointment.Kind.values:
        raise ValidationError({"kind": _("Hãy chọn bổ nhiệm hoặc bổ nhiệm lại.")})
    check_act_date(decided_on, field="decided_on", earliest=[(cadre.birth_date, _("ngày sinh"))])
    check_act_date(starts_on, field="starts_on", scheduled=True,
                   earliest=[(decided_on, _("ngày quyết định"))])  # fmt: skip
    policy = policy_for(starts_on)
    if kind == Appointment.Kind.AGAIN:
        if position is None or position.cadre_id != cadre.pk or position.ends_on is not None:
            raise ValidationError({"position": _("Hãy chọn chức vụ đang giữ để bổ nhiệm lại.")})
        if position.term_ends_on and starts_on < position.term_ends_on - _notice(policy):
            raise ValidationError({"starts_on": _(
                "Thời hạn bổ nhiệm chức vụ này đến %(end)s: chỉ bổ nhiệm lại trong %(days)s "
                "ngày trước khi hết hạn (%(source)s)."
            ) % {"end": vn_date(position.term_ends_on), "days": policy.reappointment_notice_days,
                 "source": policy.appointment_source}})  # fmt: skip
    term_ends_on = appointment_term_end(cadre=cadre, kind=kind, starts_on=starts_on, policy=policy)
    if kind == Appointment.Kind.FIRST:
        if not title:
            raise ValidationError({"title": _("Hãy nhập chức vụ được bổ nhiệm.")})
        if agency is None and not unit:
            raise ValidationError({"unit": _("Hãy chọn cơ quan, đơn vị hoặc ghi tên đơn vị.")})
        position = Position.objects.create(
            cadre=cadre, title=title, agency=agency, unit=unit, starts_on=starts_on,
            decision_no=decision_no, decided_on=decided_on,
        )  # fmt: skip
    elif Appointment.objects.filter(position=position, decision_no=decision_no).exists():
        raise ValidationError({"decision_no": _("Quyết định %(no)s đã được ghi.")
                               % {"no": decision_no}})  # fmt: skip
    position.term_ends_on = term_ends_on
    position.save(update_fields=["term_ends_on"])
    appointment = Appointment(
        cadre=cadre, position=position, kind=kind, decision_no=decision_no,
        decided_on=decided_on, starts_on=starts_on, term_ends_on=term_ends_on,
        recorded_by=_by(by),
    )  # fmt: skip
    appointment.full_clean()
    appointment.save()
    cadre_touch(cadre)
    details = {"title": position.title, "starts_on": starts_on, "term_ends_on": term_ends_on}
    if kind == Appointment.Kind.FIRST:
        _cadre_audit("tochuc.cadre.appointed", by=by, obj=cadre, reason=decision_no, **details)
    else:
        _cadre_audit("tochuc.cadre.reappointed", by=by, obj=cadre, reason=decision_no, **details)
    return appointment


def _notice(policy):
    from datetime import timedelta

    return timedelta(days=policy.reappointment_notice_days)


# ---------------------------------------------------------------- planning


@transaction.atomic
def planned_position_create(
    *, committee: Organization, title: str, min_theory: str = "", order: int = 100, by=None
) -> PlannedPosition:
    _required(title=title)
    position = PlannedPosition(committee=committee, title=title, min_theory=min_theory,
                               order=order)  # fmt: skip
    position.full_clean()
    position.save()
    audit.record("tochuc.cadre.planned_position_created", by=by, obj=position,
                 committee=committee.code)  # fmt: skip
    return position


@transaction.atomic
def planning_add(
    *,
    position: PlannedPosition,
    cadre: Cadre,
    term_start: int,
    added_on: date,
    decision_no: str = "",
    by=None,
) -> PlanningEntry:
    """Put `cadre` in the planning list of `position` for the term beginning `term_start`;
    refused when the cadre does not meet the criteria in force on `added_on`, when the
    position's list is full, or when the cadre is planned for too many positions."""
    PlannedPosition.objects.select_for_update().get(pk=position.pk)
    check_act_year(term_start, field="term_start", ahead=10)
    check_act_date(added_on, field="added_on")
    if not cadre.committee.path.startswith(position.committee.path):
        raise ValidationError(
            {
                "cadre": _("%(name)s không thuộc diện %(committee)s quản lý.")
                % {"name": cadre.full_name, "committee": position.committee.name}
            }
        )
    policy = policy_for(added_on)
    failures = planning_failures(cadre, position, term_start, policy, on=added_on)
    if failures:
        raise ValidationError({"cadre": failures})
    current = PlanningEntry.objects.filter(term_start=term_start, removed_on__isnull=True)
    if current.filter(position=position, cadre=cadre).exists():
        raise ValidationError({"cadre": _("%(name)s đã có trong danh sách quy hoạch này.")
                               % {"name": cadre.full_name}})  # fmt: skip
    if current.filter(position=position).count() >= policy.planning_max_per_position:
        raise ValidationError({"cadre": _(
            "Chức danh %(title)s đã quy hoạch đủ %(n)s người (%(source)s)."
        ) % {"title": position.title, "n": policy.planning_max_per_position,
             "source": policy.planning_source}})  # fmt: skip
    held = current.filter(cadre=cadre, position__committee=position.committee).count()
    if held >= policy.planning_max_positions_per_cadre:
        raise ValidationError({"cadre": _(
            "%(name)s đã được quy hoạch %(n)s chức danh cùng cấp, không thêm được (%(source)s)."
        ) % {"name": cadre.full_name, "n": held, "source": policy.planning_source}})  # fmt: skip
    entry = PlanningEntry.objects.create(position=position, cadre=cadre, term_start=term_start,
                                         added_on=added_on, decision_no=decision_no)  # fmt: skip
    _cadre_audit("tochuc.cadre.planned", by=by, obj=cadre, reason=decision_no,
                  position=position.title, term=entry.term_label)  # fmt: skip
    return entry


@transaction.atomic
def planning_remove(*, entry: PlanningEntry, removed_on: date, reason: str, by=None) -> None:
    entry = PlanningEntry.objects.select_for_update().get(pk=entry.pk)
    _required(reason=reason)
    if entry.removed_on is not None:
        raise ProcedureError(_("Cán bộ này đã được đưa ra khỏi quy hoạch."))
    check_act_date(removed_on, field="removed_on", earliest=[(entry.added_on,
                   _("ngày đưa vào quy hoạch"))])  # fmt: skip
    entry.removed_on, entry.removal_reason = removed_on, reason
    entry.save(update_fields=["removed_on", "removal_reason"])
    _cadre_audit("tochuc.cadre.unplanned", by=by, obj=entry.cadre, reason=reason,
                  position=entry.position.title, term=entry.term_label)  # fmt: skip


# ---------------------------------------------------------------- staffing


def _agency_touch(agency: Agency) -> None:
    """A write on the agency's staffing: a Sửa / Hủy form read before it is refused."""
    Agency.objects.filter(pk=agency.pk).update(row_version=F("row_version") + 1)


@transaction.atomic
def quota_set(
    *,
    agency: Agency,
    year: int,
    assigned: int,
    actual: int,
    planned_reduction: int = 0,
    decision_no: str = "",
    by=None,
) -> StaffingQuota:
    """The agency's staffing for `year` (the same figures again change nothing)."""
    check_act_year(year, ahead=1)
    errors = {n: _("Không được âm.") for n, v in
              (("assigned", assigned), ("actual", actual), ("planned_reduction", planned_reduction))
              if v is None or v < 0}  # fmt: skip
    if errors:
        raise ValidationError(errors)
    values = {"assigned": assigned, "actual": actual, "planned_reduction": planned_reduction,
              "decision_no": decision_no}  # fmt: skip
    quota = StaffingQuota.objects.select_for_update().filter(agency=agency, year=year).first()
    if quota is not None and all(getattr(quota, k) == v for k, v in values.items()):
        return quota
    quota, _created = StaffingQuota.objects.update_or_create(agency=agency, year=year,
                                                             defaults=values)  # fmt: skip
    _agency_touch(agency)
    audit.record(
        "tochuc.staffing.quota_set",
        by=by,
        obj=agency,
        reason=decision_no,
        year=year,
        **{k: v for k, v in values.items() if k != "decision_no"},
    )
    return quota


@transaction.atomic
def reduction_record(
    *, agency: Agency, on: date, count: int, reason: str, decision_no: str, by=None
) -> Reduction:
    _required(decision_no=decision_no, count=count)
    check_act_date(on)
    if reason not in Reduction.Reason.values:
        raise ValidationError({"reason": _("Hãy chọn lý do tinh giản.")})
    if Reduction.objects.filter(Q(agency=agency, decision_no=decision_no)).exists():
        raise ValidationError({"decision_no": _("Quyết định %(no)s đã được ghi.")
                               % {"no": decision_no}})  # fmt: skip
    reduction = Reduction(agency=agency, on=on, count=count, reason=reason,
                          decision_no=decision_no)  # fmt: skip
    reduction.full_clean()
    reduction.save()
    _agency_touch(agency)
    audit.record("tochuc.staffing.reduced", by=by, obj=agency, reason=decision_no, on=on,
                 count=count, cause=reason)  # fmt: skip
    return reduction


# ---------------------------------------------------------------- rotation, training


@transaction.atomic
def rotation_record(
    *,
    cadre: Cadre,
    from_position: str,
    to_position: str,
    to_unit: str,
    starts_on: date,
    planned_months: int,
    decision_no: str,
    row_version: int | None = None,
    by=None,
) -> Rotation:
    """A rotation for `planned_months`; due back that many months after `starts_on`."""
    cadre = cadre_lock(cadre, row_version)
    _required(
        from_position=from_position,
        to_position=to_position,
        to_unit=to_unit,
        starts_on=starts_on,
        planned_months=planned_months,
        decision_no=decision_no,
    )
    check_act_date(starts_on, field="starts_on", scheduled=True,
                   earliest=[(cadre.birth_date, _("ngày sinh"))])  # fmt: skip
    if cadre.rotations.filter(returned_on__isnull=True).exists():
        raise ValidationError({"starts_on": _("%(name)s đang được luân chuyển, chưa trở về.")
                               % {"name": cadre.full_name}})  # fmt: skip
    rotation = Rotation(
        cadre=cadre, from_position=from_position, to_position=to_position, to_unit=to_unit,
        starts_on=starts_on, planned_months=planned_months, decision_no=decision_no,
        due_back_on=add_months(starts_on, planned_months),
    )  # fmt: skip
    rotation.full_clean()
    rotation.save()
    cadre_touch(cadre)
    _cadre_audit("tochuc.cadre.rotated", by=by, obj=cadre, reason=decision_no,
                  to=str(rotation), due_back_on=rotation.due_back_on)  # fmt: skip
    return rotation


@transaction.atomic
def rotation_return(*, rotation: Rotation, returned_on: date, by=None) -> Rotation:
    rotation = Rotation.objects.select_for_update().get(pk=rotation.pk)
    if rotation.returned_on is not None:
        raise ProcedureError(_("Cán bộ đã trở về từ đợt luân chuyển này."))
    check_act_date(returned_on, field="returned_on",
                   earliest=[(rotation.starts_on, _("ngày bắt đầu luân chuyển"))])  # fmt: skip
    rotation.returned_on = returned_on
    rotation.save(update_fields=["returned_on"])
    _cadre_audit("tochuc.cadre.rotation_returned", by=by, obj=rotation.cadre,
                  reason=rotation.decision_no, returned_on=returned_on)  # fmt: skip
    return rotation


@transaction.atomic
def training_record(
    *,
    cadre: Cadre,
    kind: str,
    name: str,
    starts_on: date,
    ends_on: date | None = None,
    theory_level: str = "",
    institution: str = "",
    completed: bool = False,
    result: str = "",
    row_version: int | None = None,
    by=None,
) -> Training:
    """A course or degree. A completed political-theory degree above the record's level
    raises the cadre's level, so that the record and the planning criteria agree."""
    cadre = cadre_lock(cadre, row_version)
    _required(name=name, starts_on=starts_on)
    if kind not in Training.Kind.values:
        raise ValidationError({"kind": _("Hãy chọn loại đào tạo, bồi dưỡng.")})
    if kind == Training.Kind.POLITICAL_THEORY and not theory_level:
        raise ValidationError({"theory_level": _("Hãy chọn trình độ lý luận chính trị.")})
    check_act_date(starts_on, field="starts_on", earliest=[(cadre.birth_date, _("ngày sinh"))])
    check_act_date(ends_on, field="ends_on", scheduled=not completed,
                   earliest=[(starts_on, _("ngày bắt đầu"))])  # fmt: skip
    training = Training(
        cadre=cadre,
        kind=kind,
        name=name,
        starts_on=starts_on,
        ends_on=ends_on,
        theory_level=theory_level if kind == Training.Kind.POLITICAL_THEORY else "",
        institution=institution,
        completed=completed,
        result=result,
    )
    training.full_clean()
    training.save()
    raised = (
        completed and training.theory_level
        and THEORY_RANK[training.theory_level] > THEORY_RANK.get(cadre.political_theory, 0)
    )  # fmt: skip
    if raised:
        Cadre.objects.filter(pk=cadre.pk).update(political_theory=training.theory_level)
        cadre.political_theory = training.theory_level
    cadre_touch(cadre)
    _cadre_audit("tochuc.cadre.trained", by=by, obj=cadre, name=name, kind=kind,
                  completed=completed, theory_raised=bool(raised))  # fmt: skip
    return training
