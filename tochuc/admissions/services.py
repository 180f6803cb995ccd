"""Writes for admissions: the only code that moves a candidate through the stages (the
confirmation of a probationary member is `confirmations.py`, the targets `targets.py`).

Every rule number comes from the policy in force on the step's date (`policy_for`), every
deadline from the working-day calendar. A violation raises `ProcedureError` (or a
`ValidationError` naming the field) in Vietnamese; where the rules allow an exception
(a decision in the extended time, a late ceremony), it is taken only with its reason,
which is recorded.
"""

from __future__ import annotations

import math
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tochuc.core import audit
from tochuc.core.errors import ProcedureError
from tochuc.lib.dates import full_months, vn_date
from tochuc.lib.vntext import fold, person_sort_key
from tochuc.members import identity
from tochuc.members import services as member_services
from tochuc.members.models import Member, Status
from tochuc.members.services import record_errors
from tochuc.organizations.models import Kind, Organization
from tochuc.policy.acts import check_act_date
from tochuc.policy.rules import Policy, policy_for

from . import selectors
from .models import (
    CANDIDATE_FIELDS,
    Candidate,
    CandidateStep,
    ConfirmationCase,
    Introducer,
    Stage,
    UnionKind,
)

CELL_KINDS = (Kind.CELL, Kind.BASE_CELL)


# ---------------------------------------------------------------- rules


def cell_voters(cell, on: date, *, votes_for: int, votes_against: int) -> int:
    """How many full members the cell had on `on` (who may vote); the votes cast may not
    exceed them."""
    full = selectors.full_members_on(cell, on).count()
    if votes_for + votes_against > full:
        raise ValidationError(
            {
                "votes_for": _(
                    "Chi bộ có %(n)s đảng viên chính thức vào ngày %(day)s; số phiếu "
                    "không được vượt quá số đó."
                )
                % {"n": full, "day": vn_date(on)}
            }
        )
    return full


def votes_needed(full_members: int, policy: Policy) -> int:
    """The smallest number of votes reaching the policy's fraction (2/3 of 7 → 5)."""
    return math.ceil(full_members * policy.cell_vote_fraction)


def age_refusal(birth_date: date, on: date, policy: Policy, consent: str = "") -> dict | None:
    """Why the age, counted in whole months on `on`, refuses admission, by the field to
    show it beside (the day, or the consent that is missing); None when it does not."""
    months = full_months(birth_date, on)
    if months < policy.admission_min_age_months:
        return {
            "on": _(
                "Người vào Đảng phải đủ %(min)s tuổi (tính theo tháng) khi chi bộ xét; ngày "
                "%(day)s mới %(years)s tuổi %(months)s tháng — %(source)s."
            )
            % {
                "min": policy.admission_min_age_months // 12,
                "day": vn_date(on),
                "years": months // 12,
                "months": months % 12,
                "source": policy.source,
            }
        }
    if months > policy.admission_max_age_months and not consent.strip():
        return {
            "consent": _(
                "Người vào Đảng trên %(max)s tuổi (ngày %(day)s đã %(years)s tuổi "
                "%(months)s tháng) chỉ được xét khi có văn bản đồng ý của cấp ủy cấp trên; hãy "
                "ghi số, ngày văn bản đó — %(source)s."
            )
            % {
                "max": policy.admission_max_age_months // 12,
                "day": vn_date(on),
                "years": months // 12,
                "months": months % 12,
                "source": policy.source,
            }
        }
    return None


def introducer_refusal(introducer: Introducer, candidate: Candidate, on: date) -> str | None:
    """Why the introducer is not valid on `on` (or None)."""
    policy = policy_for(on)
    if introducer.union:
        months = full_months(candidate.birth_date, on)
        if introducer.union == UnionKind.YOUTH and months > policy.youth_union_max_age_months:
            return _(
                "Đoàn cơ sở chỉ giới thiệu người trong độ tuổi thanh niên (đến %(max)s tuổi)."
            ) % {"max": policy.youth_union_max_age_months // 12}
        return None
    member = introducer.member
    if not selectors.is_full_member_on(member, on):
        return _(
            "Đồng chí %(name)s không phải đảng viên chính thức đang sinh hoạt vào ngày %(day)s; "
            "người giới thiệu phải là đảng viên chính thức."
        ) % {"name": member.full_name, "day": vn_date(on)}
    worked = full_months(introducer.worked_with_from, on)
    if worked < policy.introducer_worked_with_months:
        return _(
            "Đồng chí %(name)s mới cùng công tác với người vào Đảng %(months)s tháng (từ "
            "%(since)s); người giới thiệu phải cùng công tác ít nhất %(need)s tháng — "
            "%(source)s."
        ) % {
            "name": member.full_name,
            "months": worked,
            "since": vn_date(introducer.worked_with_from),
            "need": policy.introducer_worked_with_months,
            "source": policy.source,
        }
    return None


# ---------------------------------------------------------------- helpers


def _lock(candidate: Candidate) -> Candidate:
    return Candidate.objects.select_for_update().select_related("cell").get(pk=candidate.pk)


def check_step_day(on: date | None, after: date | None, field: str = "on") -> date:
    """A step's date: given, sensible, not before the step it follows (`after`)."""
    if on is None:
        raise ValidationError({field: _("Hãy nhập ngày.")})
    check_act_date(on, field=field)
    if after is not None and on < after:
        raise ValidationError(
            {
                field: _("Ngày này không được trước bước trước đó (%(day)s).")
                % {"day": vn_date(after)}
            }
        )
    return on


def _require_stage(candidate: Candidate, *stages: str) -> None:
    if candidate.stage not in stages:
        raise ProcedureError(
            _("Hồ sơ của %(name)s đang ở bước “%(stage)s”; bước này chưa làm được.")
            % {"name": candidate.full_name, "stage": candidate.get_stage_display()}
        )


def _advance(candidate, stage, on, *, by, document_no="", note="", fields=()) -> Candidate:
    candidate.stage, candidate.stage_on = stage, on
    candidate.save(update_fields=["stage", "stage_on", *fields])
    CandidateStep.objects.create(
        candidate=candidate,
        stage=stage,
        on=on,
        document_no=document_no.strip(),
        note=note,
        recorded_by=by if getattr(by, "is_authenticated", False) else None,
    )
    audit.record(
        f"tochuc.admission.{stage}",
        by=by,
        obj=candidate,
        reason=document_no,
        on=on,
        cell=candidate.cell.code,
    )
    return candidate


def _check_record(values: dict, *, today: date | None = None) -> None:
    unknown = set(values) - set(CANDIDATE_FIELDS)
    if unknown:
        raise ValidationError(
            _("Trường không hợp lệ: %(names)s.") % {"names": ", ".join(sorted(unknown))}
        )
    errors = record_errors(values, today=today)
    if errors:
        raise ValidationError(errors)


def _check_citizen_id(citizen_id: str | None, *, by) -> None:
    """One living member or open candidate per citizen ID; a record outside `by`'s scope
    is not named (members.identity)."""
    if not citizen_id:
        return
    checker = identity.Checker.for_user(by)
    checker.spend_checks(1, "citizen_id")
    members = Member.objects.filter(citizen_id=citizen_id).exclude(status=Status.DECEASED)
    message = checker.clash(
        "citizen_id", members, in_scope_message=_("Số CCCD này đã có trong hồ sơ đảng viên.")
    )
    if message is None:
        candidates = Candidate.objects.filter(citizen_id=citizen_id, member__isnull=True).exclude(
            stage=Stage.WITHDRAWN
        )
        message = checker.clash(
            "citizen_id", candidates,
            in_scope_message=_("Số CCCD này đã có trong hồ sơ quần chúng khác."),
            visible=lambda scope, qs: scope.filter_by_path(qs, "org_path"),
        )  # fmt: skip
    checker.raise_errors({"citizen_id": message} if message else {})


# ---------------------------------------------------------------- the steps


@identity.refusals_audited
@transaction.atomic
def candidate_identify(
    *, cell: Organization, record: dict, on: date, note: str = "", duplicate_reason: str = "",
    by=None,
) -> Candidate:  # fmt: skip
    """1. The cell names a candidate (quần chúng ưu tú) to develop. `duplicate_reason`: why
    a likely duplicate (the entry check of the form) is saved anyway, kept with the step."""
    if cell.kind not in CELL_KINDS:
        raise ValidationError({"cell": _("%(name)s không phải chi bộ.") % {"name": cell.name}})
    if not cell.is_active:
        raise ValidationError({"cell": _("%(name)s đã chấm dứt hoạt động.") % {"name": cell.name}})
    _check_record(record)
    check_step_day(on, cell.founded_on)
    _check_citizen_id(record.get("citizen_id"), by=by)
    candidate = Candidate(
        **record,
        cell=cell,
        stage=Stage.IDENTIFIED,
        stage_on=on,
        identified_on=on,
        org_path=cell.path,
        province_id=cell.province_id,
        name_folded=fold(record["full_name"]),
        name_sort=person_sort_key(record["full_name"]),
    )
    candidate.full_clean(exclude=["cell", "province", "member"], validate_unique=False)
    candidate.save()
    CandidateStep.objects.create(
        candidate=candidate,
        stage=Stage.IDENTIFIED,
        on=on,
        note="\n".join(part for part in (note, duplicate_reason.strip()) if part),
        recorded_by=by if getattr(by, "is_authenticated", False) else None,
    )
    extra = {"reason": duplicate_reason.strip()} if duplicate_reason.strip() else {}
    audit.record(
        "tochuc.admission.identified", by=by, obj=candidate, cell=cell.code, on=on, **extra
    )
    return candidate


@transaction.atomic
def candidate_record_course(
    *, candidate: Candidate, certificate_no: str, on: date, by=None
) -> Candidate:
    """2. The orientation course (lớp bồi dưỡng nhận thức về Đảng) and its certificate."""
    candidate = _lock(candidate)
    _require_stage(candidate, Stage.IDENTIFIED)
    check_step_day(on, candidate.identified_on)
    if not certificate_no.strip():
        raise ValidationError({"certificate_no": _("Hãy ghi số giấy chứng nhận.")})
    candidate.course_certificate_no, candidate.course_on = certificate_no.strip(), on
    return _advance(
        candidate,
        Stage.TRAINED,
        on,
        by=by,
        document_no=certificate_no,
        fields=["course_certificate_no", "course_on"],
    )


@transaction.atomic
def candidate_apply(*, candidate: Candidate, on: date, by=None) -> Candidate:
    """3. The application (đơn xin vào Đảng)."""
    candidate = _lock(candidate)
    _require_stage(candidate, Stage.TRAINED)
    check_step_day(on, candidate.course_on)
    candidate.applied_on = on
    return _advance(candidate, Stage.APPLIED, on, by=by, fields=["applied_on"])


@transaction.atomic
def candidate_add_introducer(
    *,
    candidate: Candidate,
    on: date,
    member: Member | None = None,
    union: str = "",
    worked_with_from: date | None = None,
    resolution_no: str = "",
    by=None,
) -> Introducer:
    """4. An introducer: a full member who has worked with the candidate long enough, or
    (for one of them) the grassroots Youth Union or Trade Union committee."""
    candidate = _lock(candidate)
    _require_stage(candidate, Stage.APPLIED)
    check_step_day(on, candidate.applied_on)
    policy = policy_for(on)
    present = list(candidate.introducers.select_related("member"))
    if len(present) >= policy.introducers_required:
        raise ProcedureError(
            _("Đã đủ %(n)s người giới thiệu.") % {"n": policy.introducers_required}
        )
    if (member is None) == (not union):
        raise ValidationError({"member": _("Hãy chọn một đảng viên hoặc một tổ chức đoàn thể.")})
    if member is not None:
        if worked_with_from is None:
            raise ValidationError({"worked_with_from": _("Hãy nhập ngày bắt đầu cùng công tác.")})
        check_act_date(worked_with_from, field="worked_with_from")
        if any(i.member_id == member.pk for i in present):
            raise ValidationError({"member": _("Đồng chí này đã là người giới thiệu.")})
    elif sum(1 for i in present if i.union) >= policy.union_introducers_allowed:
        raise ValidationError(
            {
                "union": _("Chỉ %(n)s người giới thiệu được thay bằng tổ chức đoàn thể.")
                % {"n": policy.union_introducers_allowed}
            }
        )
    introducer = Introducer(
        candidate=candidate,
        member=member,
        union=union,
        worked_with_from=worked_with_from,
        union_resolution_no=resolution_no.strip(),
        introduced_on=on,
        recorded_by=by if getattr(by, "is_authenticated", False) else None,
    )
    refusal = introducer_refusal(introducer, candidate, on)
    if refusal:
        raise ValidationError({"member" if member else "union": refusal})
    introducer.save()
    audit.record(
        "tochuc.admission.introducer_added", by=by, obj=candidate, introducer=str(introducer), on=on
    )
    if len(present) + 1 == policy.introducers_required:
        _advance(
            candidate,
            Stage.INTRODUCED,
            on,
            by=by,
            note=", ".join(str(i) for i in [*present, introducer]),
        )
    return introducer


@transaction.atomic
def candidate_verify(*, candidate: Candidate, on: date, conclusion: str, by=None) -> Candidate:
    """5. Background verification (thẩm tra lý lịch) and its conclusion."""
    candidate = _lock(candidate)
    _require_stage(candidate, Stage.INTRODUCED)
    check_step_day(on, candidate.stage_on)
    if not conclusion.strip():
        raise ValidationError({"conclusion": _("Hãy ghi kết luận thẩm tra lý lịch.")})
    candidate.verified_on, candidate.verification_note = on, conclusion.strip()
    return _advance(
        candidate,
        Stage.VERIFIED,
        on,
        by=by,
        note=conclusion,
        fields=["verified_on", "verification_note"],
    )


@transaction.atomic
def candidate_cell_resolution(
    *,
    candidate: Candidate,
    on: date,
    resolution_no: str,
    votes_for: int,
    votes_against: int,
    consent: str = "",
    by=None,
) -> Candidate:
    """6. The cell's resolution: age by month, introducers valid on the day, 2/3 of the
    cell's full members in favour."""
    candidate = _lock(candidate)
    _require_stage(candidate, Stage.VERIFIED)
    check_step_day(on, candidate.verified_on)
    policy = policy_for(on)
    refusal = age_refusal(candidate.birth_date, on, policy, consent)
    if refusal:
        raise ValidationError(refusal)
    for introducer in candidate.introducers.select_related("member"):
        refusal = introducer_refusal(introducer, candidate, on)
        if refusal:
            raise ProcedureError(refusal)
    full = cell_voters(candidate.cell, on, votes_for=votes_for, votes_against=votes_against)
    needed = votes_needed(full, policy)
    if full == 0 or votes_for < needed:
        raise ValidationError(
            {
                "votes_for": _(
                    "Cần ít nhất %(needed)s/%(full)s đảng viên chính thức tán thành "
                    "(%(fraction)s); mới có %(votes)s."
                )
                % {
                    "needed": needed,
                    "full": full,
                    "fraction": str(policy.cell_vote_fraction),
                    "votes": votes_for,
                }
            }
        )
    candidate.cell_resolution_no, candidate.cell_resolved_on = resolution_no.strip(), on
    candidate.votes_for, candidate.votes_against = votes_for, votes_against
    candidate.cell_full_members, candidate.age_consent = full, consent.strip()
    fields = [
        "cell_resolution_no",
        "cell_resolved_on",
        "votes_for",
        "votes_against",
        "cell_full_members",
        "age_consent",
    ]
    note = _("%(votes)s/%(full)s tán thành") % {"votes": votes_for, "full": full}
    candidate = _advance(
        candidate,
        Stage.CELL_APPROVED,
        on,
        by=by,
        document_no=resolution_no,
        note=note,
        fields=fields,
    )
    if candidate.cell.kind == Kind.BASE_CELL:  # a grassroots cell: its resolution is the base's
        candidate = _advance(
            candidate, Stage.COMMITTEE_APPROVED, on, by=by, document_no=resolution_no
        )
    return candidate


@transaction.atomic
def candidate_committee_resolution(
    *, candidate: Candidate, on: date, resolution_no: str, by=None
) -> Candidate:
    """7. The grassroots committee's resolution proposing the admission."""
    candidate = _lock(candidate)
    _require_stage(candidate, Stage.CELL_APPROVED)
    check_step_day(on, candidate.cell_resolved_on)
    if not resolution_no.strip():
        raise ValidationError({"resolution_no": _("Hãy ghi số nghị quyết.")})
    candidate.committee_resolution_no, candidate.committee_resolved_on = resolution_no.strip(), on
    return _advance(
        candidate,
        Stage.COMMITTEE_APPROVED,
        on,
        by=by,
        document_no=resolution_no,
        fields=["committee_resolution_no", "committee_resolved_on"],
    )


@transaction.atomic
def candidate_decide(
    *,
    candidate: Candidate,
    on: date,
    decision_no: str,
    decided_by: str = "",
    late_reason: str = "",
    by=None,
) -> Candidate:
    """8. The competent committee's decision: within the working days of the cell's
    resolution, or in the extended time of special cases with the reason recorded."""
    candidate = _lock(candidate)
    _require_stage(candidate, Stage.COMMITTEE_APPROVED)
    check_step_day(on, candidate.committee_resolved_on or candidate.cell_resolved_on)
    if not decision_no.strip():
        raise ValidationError({"decision_no": _("Hãy ghi số quyết định kết nạp.")})
    policy = policy_for(candidate.cell_resolved_on)
    deadline = selectors.decision_deadline(candidate)
    if on > deadline:
        extended = selectors.decision_deadline(candidate, special=True)
        if on > extended:
            raise ProcedureError(
                _(
                    "Quá thời hạn ra quyết định kết nạp: chậm nhất %(extended)s (%(days)s ngày làm "
                    "việc kể từ nghị quyết chi bộ ngày %(resolved)s, kể cả trường hợp đặc biệt) — "
                    "%(source)s. Chi bộ cần xem xét lại từ đầu."
                )
                % {
                    "extended": vn_date(extended),
                    "resolved": vn_date(candidate.cell_resolved_on),
                    "days": policy.decision_within_working_days
                    + policy.decision_extension_working_days,
                    "source": policy.source,
                }
            )
        if not late_reason.strip():
            raise ValidationError(
                {
                    "late_reason": _(
                        "Quá %(days)s ngày làm việc kể từ nghị quyết chi bộ (hạn "
                        "%(deadline)s): chỉ ra quyết định trong trường hợp đặc biệt, "
                        "hãy ghi rõ lý do."
                    )
                    % {"days": policy.decision_within_working_days, "deadline": vn_date(deadline)}
                }
            )
    candidate.decision_no, candidate.decided_on = decision_no.strip(), on
    candidate.decided_by = decided_by.strip()
    candidate.decision_late_reason = late_reason.strip() if on > deadline else ""
    return _advance(
        candidate,
        Stage.DECIDED,
        on,
        by=by,
        document_no=decision_no,
        note=candidate.decision_late_reason,
        fields=["decision_no", "decided_on", "decided_by", "decision_late_reason"],
    )


@transaction.atomic
def candidate_ceremony(*, candidate: Candidate, on: date, late_reason: str = "", by=None) -> Member:
    """9. The ceremony: the probationary member is registered with their timeline."""
    candidate = _lock(candidate)
    _require_stage(candidate, Stage.DECIDED)
    check_step_day(on, candidate.decided_on)
    policy = policy_for(candidate.decided_on)
    deadline = selectors.ceremony_deadline(candidate)
    if on > deadline and not late_reason.strip():
        raise ValidationError(
            {
                "late_reason": _(
                    "Lễ kết nạp phải tổ chức trong %(days)s ngày làm việc kể từ ngày "
                    "quyết định (hạn %(deadline)s) — %(source)s. Quá hạn: hãy ghi lý "
                    "do đã báo cáo cấp ủy có thẩm quyền."
                )
                % {
                    "days": policy.ceremony_within_working_days,
                    "deadline": vn_date(deadline),
                    "source": policy.source,
                }
            }
        )
    record = {name: getattr(candidate, name) for name in CANDIDATE_FIELDS}
    member = member_services.member_register(
        organization=candidate.cell,
        record=record,
        admitted_on=candidate.decided_on,
        admission_decision_no=candidate.decision_no,
        ceremony_on=on,
        since=candidate.decided_on,  # membership starts with the decision (party age)
        by=by,
        reason=_("Kết nạp theo quyết định %(no)s") % {"no": candidate.decision_no},
    )
    candidate.ceremony_on, candidate.member = on, member
    candidate.ceremony_late_reason = late_reason.strip() if on > deadline else ""
    _advance(
        candidate,
        Stage.ADMITTED,
        on,
        by=by,
        note=candidate.ceremony_late_reason,
        fields=["ceremony_on", "member", "ceremony_late_reason"],
    )
    ConfirmationCase.objects.create(
        member=member, probation_ends_on=selectors.probation_end(member)
    )
    return member


@transaction.atomic
def candidate_withdraw(*, candidate: Candidate, on: date, reason: str, by=None) -> Candidate:
    """The cell or the committee stops considering the candidate, with the reason."""
    candidate = _lock(candidate)
    if not candidate.is_open:
        raise ProcedureError(_("Hồ sơ này đã kết thúc."))
    check_step_day(on, candidate.stage_on)
    if not reason.strip():
        raise ValidationError({"reason": _("Hãy ghi lý do.")})
    candidate.withdrawn_reason = reason.strip()
    return _advance(candidate, Stage.WITHDRAWN, on, by=by, note=reason, fields=["withdrawn_reason"])
