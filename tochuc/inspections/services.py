"""Writes: supervision and inspection records, and discipline decisions.

Each service locks its subject's row (the member, or the organization) so that two officers
saving the same decision at once record it once; the second is told it is already there.
A discipline's effect goes through the owning app's service: `member_discipline` (the
timeline), `member_exit(type="expelled")` (khai trừ), `organization_dissolve` (giải tán,
refused while members remain). A form the dated policy does not allow for the subject on
the decision date is refused and nothing changes.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.core import audit
from tochuc.core.errors import ProcedureError
from tochuc.lib.dates import vn_date
from tochuc.members import services as member_services
from tochuc.members.models import Member, MemberEvent, Status
from tochuc.organizations.models import Organization
from tochuc.organizations.services import Decision, organization_dissolve
from tochuc.policy.acts import act_date_refusal, after_admission, after_founding
from tochuc.policy.rules import policy_for

from .models import (
    Activity,
    Body,
    Conclusion,
    Discipline,
    DisciplineForm,
    Inspection,
    InspectionKind,
)

SOURCE = "Quy định 69-QĐ/TW (2022), sửa đổi, bổ sung bởi Quy định 264-QĐ/TW (2025)"
SUBJECT_STATUS_LABELS = {
    "organization": gettext_lazy("tổ chức đảng"),
    "full": gettext_lazy("đảng viên chính thức"),
    "probationary": gettext_lazy("đảng viên dự bị"),
}


# ---------------------------------------------------------------- checks


def _check_subject(
    *, conductor: Organization, organization: Organization | None, member: Member | None
) -> None:
    if (organization is None) == (member is None):
        raise ValidationError({"subject_type": _("Hãy chọn một tổ chức đảng hoặc một đảng viên.")})
    if organization is not None:
        if organization.pk == conductor.pk or not organization.path.startswith(conductor.path):
            raise ValidationError(
                {
                    "subject_code": _("%(name)s không trực thuộc %(name2)s.")
                    % {"name": organization.name, "name2": conductor.name}
                }
            )
    elif not member.org_path.startswith(conductor.path):
        raise ValidationError(
            {
                "member": _("%(full_name)s không sinh hoạt trong %(name)s.")
                % {"full_name": member.full_name, "name": conductor.name}
            }
        )


def check_act_dates(*, scheduled=(), earliest=(), **dates: date | None) -> None:
    """Each date an act's (policy/acts.py); those named in `scheduled` may be ahead."""
    errors = {}
    for name, day in dates.items():
        refusal = act_date_refusal(day, earliest=earliest, scheduled=name in scheduled)
        if refusal:
            errors[name] = refusal
    if errors:
        raise ValidationError(errors)


def _lock_subject(organization: Organization | None, member: Member | None):
    if member is not None:
        return None, Member.objects.select_for_update().get(pk=member.pk)
    return Organization.objects.select_for_update().get(pk=organization.pk), None


def _by(user):
    return user if getattr(user, "is_authenticated", False) else None


# ---------------------------------------------------------------- supervision, inspection


@transaction.atomic
def inspection_record(
    *,
    conductor: Organization,
    body: str,
    activity: str,
    kind: str,
    starts_on: date,
    ends_on: date,
    decision_no: str,
    subject_organization: Organization | None = None,
    subject_member: Member | None = None,
    content: str = "",
    findings: str = "",
    conclusion: str = Conclusion.PENDING,
    conclusion_text: str = "",
    by=None,
) -> Inspection:
    """One subject supervised or inspected by `conductor`'s committee or commission."""
    errors = {}
    if body not in Body.values:
        errors["body"] = _("Hãy chọn cấp ủy hoặc ủy ban kiểm tra.")
    if activity not in Activity.values:
        errors["activity"] = _("Hãy chọn giám sát hoặc kiểm tra.")
    if kind not in InspectionKind.values:
        errors["kind"] = _("Loại kiểm tra, giám sát không hợp lệ.")
    if conclusion not in Conclusion.values:
        errors["conclusion"] = _("Kết luận không hợp lệ.")
    decision_no = (decision_no or "").strip()
    if not decision_no:
        errors["decision_no"] = _("Hãy ghi số quyết định hoặc kế hoạch.")
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = _("Ngày kết thúc không được trước ngày bắt đầu.")
    if errors:
        raise ValidationError(errors)
    check_act_dates(starts_on=starts_on, ends_on=ends_on, scheduled=("ends_on",))
    _check_subject(conductor=conductor, organization=subject_organization, member=subject_member)
    if conductor.founded_on > starts_on:
        raise ValidationError(
            {
                "starts_on": _("%(name)s chưa thành lập vào ngày %(starts_on)s.")
                % {"name": conductor.name, "starts_on": vn_date(starts_on)}
            }
        )
    subject_organization, subject_member = _lock_subject(subject_organization, subject_member)
    same = Inspection.objects.filter(
        conductor=conductor, body=body, activity=activity, decision_no=decision_no,
        subject_organization=subject_organization, subject_member=subject_member,
    )  # fmt: skip
    if same.exists():
        raise ProcedureError(
            _("Đã ghi %(label)s %(value)s theo %(decision_no)s.")
            % {
                "label": Activity(activity).label.lower(),
                "value": subject_member or subject_organization,
                "decision_no": decision_no,
            }
        )
    record = Inspection(
        conductor=conductor, body=body, activity=activity, kind=kind, starts_on=starts_on,
        ends_on=ends_on, decision_no=decision_no, subject_organization=subject_organization,
        subject_member=subject_member, content=content.strip(), findings=findings.strip(),
        conclusion=conclusion, conclusion_text=conclusion_text.strip(), recorded_by=_by(by),
    )  # fmt: skip
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError as error:
        raise ProcedureError(_("Cuộc kiểm tra, giám sát này vừa được người khác ghi.")) from error
    audit.record(
        "tochuc.inspection.recorded", by=by, obj=record, reason=decision_no,
        conductor=conductor.code, body=body, activity=activity, kind=kind,
        subject=subject_member.pk if subject_member else subject_organization.code,
    )  # fmt: skip
    return record


# ---------------------------------------------------------------- discipline


def subject_status(*, organization: Organization | None, member: Member | None, on: date) -> str:
    """ "organization", or the member's standing on `on`: "full" or "probationary"."""
    if member is None:
        return "organization"
    confirmed = member.status == Status.FULL and (
        member.confirmed_on is None or member.confirmed_on <= on
    )
    return "full" if confirmed else "probationary"


def allowed_forms(status: str, on: date) -> tuple[str, ...]:
    policy = policy_for(on)
    return {
        "organization": policy.discipline_forms_organization,
        "full": policy.discipline_forms_full_member,
        "probationary": policy.discipline_forms_probationary_member,
    }[status]


def check_form(form: str, *, status: str, on: date) -> None:
    allowed = allowed_forms(status, on)
    if form not in allowed:
        labels = ", ".join(DisciplineForm(code).label.lower() for code in allowed)
        raise ProcedureError(
            {
                "form": (
                    _(
                        "Hình thức %(label)s không áp dụng với %(status)s (ngày "
                        "%(on)s). Các hình thức được áp dụng: %(labels)s (%(source)s)."
                    )
                    % {
                        "label": DisciplineForm(form).label.lower(),
                        "status": SUBJECT_STATUS_LABELS[status],
                        "on": vn_date(on),
                        "labels": labels,
                        "source": SOURCE,
                    }
                )
            }
        )


@transaction.atomic
def discipline_decide(
    *,
    authority: Organization,
    body: str,
    form: str,
    decision_no: str,
    decided_on: date,
    effective_on: date,
    reasons: str,
    subject_organization: Organization | None = None,
    subject_member: Member | None = None,
    authority_level: str = "",
    inspection: Inspection | None = None,
    by=None,
) -> Discipline:
    """Record a discipline decision and carry out its effect on the subject."""
    errors = {}
    if body not in Body.values:
        errors["body"] = _("Hãy chọn cấp ủy hoặc ủy ban kiểm tra.")
    if form not in DisciplineForm.values:
        errors["form"] = _("Hình thức kỷ luật không hợp lệ.")
    decision_no = (decision_no or "").strip()
    if not decision_no:
        errors["decision_no"] = _("Hãy ghi số quyết định kỷ luật.")
    if not (reasons or "").strip():
        errors["reasons"] = _("Hãy ghi nội dung vi phạm.")
    if decided_on and effective_on and effective_on < decided_on:
        errors["effective_on"] = _("Ngày có hiệu lực không được trước ngày quyết định.")
    if errors:
        raise ValidationError(errors)
    check_act_dates(
        decided_on=decided_on, effective_on=effective_on,
        earliest=[after_admission(subject_member)] if subject_member
        else [after_founding(subject_organization)] if subject_organization else [],
    )  # fmt: skip
    _check_subject(conductor=authority, organization=subject_organization, member=subject_member)
    if inspection is not None and inspection.subject != (subject_member or subject_organization):
        raise ValidationError({"inspection": _("Cuộc kiểm tra, giám sát này về đối tượng khác.")})
    subject_organization, subject_member = _lock_subject(subject_organization, subject_member)
    subject = subject_member or subject_organization
    if Discipline.objects.filter(
        subject_organization=subject_organization, subject_member=subject_member,
        decision_no=decision_no,
    ).exists():  # fmt: skip
        raise ProcedureError(
            _("Quyết định %(decision_no)s đối với %(subject)s đã được ghi.")
            % {"decision_no": decision_no, "subject": subject}
        )
    if subject_member is not None and not subject_member.is_active:
        raise ProcedureError(
            _("%(full_name)s không còn sinh hoạt đảng (%(status)s).")
            % {"full_name": subject_member.full_name, "status": subject_member.get_status_display()}
        )
    if subject_organization is not None and not subject_organization.is_active:
        raise ProcedureError(
            _("%(name)s đã chấm dứt hoạt động.") % {"name": subject_organization.name}
        )
    status = subject_status(organization=subject_organization, member=subject_member, on=decided_on)
    check_form(form, status=status, on=decided_on)

    member_event = organization_event = None
    label = DisciplineForm(form).label
    if subject_member is not None and form == DisciplineForm.EXPULSION:
        member = member_services.member_exit(
            member=subject_member, type=MemberEvent.Type.EXPELLED, on=effective_on,
            decision_no=decision_no, decision_date=decided_on, grounds=reasons.strip(), by=by,
        )  # fmt: skip
        member_event = member.events.filter(type=MemberEvent.Type.EXPELLED).latest("on", "id")
    elif subject_member is not None:
        # Cách chức is recorded on the timeline; the posts it ends are the cadre records'.
        member_event = member_services.member_discipline(
            member=subject_member, on=effective_on, form=form, form_label=str(label),
            decision_no=decision_no, decision_date=decided_on, reasons=reasons, by=by,
        )  # fmt: skip
    elif form == DisciplineForm.DISSOLUTION:
        organization_event = organization_dissolve(
            organization=subject_organization, on=effective_on,
            decision=Decision(
                decision_no, decided_on,
                _("Kỷ luật giải tán: %(reasons)s") % {"reasons": reasons.strip()},
            ),
            by=by,
        )  # fmt: skip
    record = Discipline(
        subject_organization=subject_organization, subject_member=subject_member, form=form,
        subject_status=status, authority=authority, body=body,
        authority_level=authority_level.strip(), decision_no=decision_no, decided_on=decided_on,
        effective_on=effective_on, reasons=reasons.strip(), inspection=inspection,
        member_event=member_event, organization_event=organization_event, recorded_by=_by(by),
    )  # fmt: skip
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError as error:
        raise ProcedureError(
            _("Quyết định %(decision_no)s vừa được người khác ghi.") % {"decision_no": decision_no}
        ) from error
    audit.record(
        "tochuc.discipline.decided", by=by, obj=record, reason=decision_no, form=form,
        authority=authority.code, body=body, status=status,
        subject=subject_member.pk if subject_member else subject_organization.code,
    )  # fmt: skip
    return record
