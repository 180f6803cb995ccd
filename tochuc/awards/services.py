"""Writes: the badge cycle (propose → decide → award; re-issue; return; withdraw) and
commendations. Each service locks what it changes, checks the dates with the one act-date
rule (`policy.acts`), refuses in Vietnamese beside the field, and writes an audit entry.
The rules (milestones, occasions, early windows, the gift) are the dated policy's
(`awards.rules`); party age is the members' one rule (`members.party_age`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from tochuc.core import audit
from tochuc.core.errors import ProcedureError
from tochuc.lib.dates import add_months, vn_date
from tochuc.members.models import ACTIVE_STATUSES, Member, MemberEvent, Status
from tochuc.organizations.models import Organization
from tochuc.policy.acts import act_date_refusal, after_admission, check_act_date, check_act_year
from tochuc.policy.rules import policy_for

from . import rules
from .models import (
    HELD_STAGES,
    BadgeCase,
    BadgeReissue,
    Commendation,
    CommendationForm,
    Early,
    ReasonKind,
    RecipientKind,
    Stage,
)

T = MemberEvent.Type


def _by(user):
    return user if getattr(user, "is_authenticated", False) else None


def _required(**values) -> None:
    labels = {
        "proposal_no": _("Hãy ghi số tờ trình, công văn đề nghị."),
        "decision_no": _("Hãy ghi số quyết định."),
        "issuer": _("Hãy ghi cơ quan quyết định."),
        "badge_no": _("Hãy ghi số huy hiệu."),
        "reason": _("Hãy ghi lý do."),
        "grounds": _(
            "Hãy ghi căn cứ tặng sớm, truy tặng (giấy tờ của cơ quan y tế, giấy chứng tử…)."
        ),
        "recipient_name": _("Hãy ghi tên người được khen thưởng."),
    }
    errors = {name: labels[name] for name, value in values.items() if not (value or "").strip()}
    if errors:
        raise ValidationError(errors)


def _lock_cases(cases: Iterable[BadgeCase]) -> list[BadgeCase]:
    ids = [c.pk for c in cases]
    return list(
        BadgeCase.objects.select_for_update()
        .filter(pk__in=ids)
        .select_related("member")
        .order_by("member__name_sort", "id")
    )


def _check_version(case: BadgeCase, row_version: int | None) -> None:
    if row_version is not None and case.row_version != row_version:
        raise ProcedureError(
            _("Hồ sơ của %(name)s vừa được người khác cập nhật; hãy tải lại trang.")
            % {"name": case.member.full_name}
        )


def _save(case: BadgeCase, fields: list[str]) -> None:
    case.row_version += 1
    case.save(update_fields=[*fields, "row_version"])


# ---------------------------------------------------------------- eligibility


def _exit_type(member: Member) -> str | None:
    last = member.events.filter(type__in=(T.REMOVED, T.EXPELLED, T.RESIGNED, T.DIED)).last()
    return last.type if last else None


def eligibility(*, member: Member, occasion: date, early: str = "") -> tuple[int, date]:
    """The milestone `member` may be proposed for at `occasion`, and the day party age
    reaches it; refuses (ProcedureError, in Vietnamese) whoever is not eligible."""
    policy = policy_for(occasion)
    events = list(member.events.order_by("on", "id"))
    if member.status == Status.DECEASED:
        if early != Early.POSTHUMOUS:
            raise ProcedureError(
                _("%(name)s đã từ trần: chỉ xét truy tặng.") % {"name": member.full_name}
            )
        died = max(e.on for e in events if e.type == T.DIED)
        on = died
    elif member.status not in ACTIVE_STATUSES:
        raise ProcedureError(
            _(
                "%(name)s không còn sinh hoạt đảng (%(status)s): không thuộc diện xét tặng "
                "Huy hiệu Đảng."
            )
            % {"name": member.full_name, "status": member.get_status_display()}
        )
    elif early == Early.POSTHUMOUS:
        raise ProcedureError(_("Chỉ truy tặng đảng viên đã từ trần."))
    else:
        on = occasion
    anchor = rules.member_anchor(events, on)
    held = max(
        member.badge_cases.filter(stage__in=HELD_STAGES).values_list("milestone", flat=True),
        default=0,
    )
    if early:
        # The first milestone not yet reached on `on` (one already reached is proposed on
        # time, not early).
        upcoming = [
            m
            for m in policy.badge_years
            if m > held and anchor is not None and rules.reached_on(anchor, m) > on
        ]
        if not upcoming:
            raise ProcedureError(
                _("%(name)s đã đủ tuổi Đảng cho mốc huy hiệu tiếp theo: hãy đề nghị đúng hạn.")
                % {"name": member.full_name}
            )
        milestone = upcoming[0]
        reached = rules.reached_on(anchor, milestone)
        months = rules.early_months(early, milestone, policy)
        if reached > add_months(on, months):
            raise ProcedureError(
                {
                    "early": _(
                        "%(name)s đủ %(years)s năm tuổi Đảng vào ngày %(day)s: quá %(months)s "
                        "tháng so với ngày %(on)s, không được xét %(kind)s (%(source)s)."
                    )
                    % {
                        "name": member.full_name,
                        "years": milestone,
                        "day": vn_date(reached),
                        "months": months,
                        "on": vn_date(on),
                        "kind": Early(early).label.lower(),
                        "source": policy.badge_source,
                    }
                }
            )
        return milestone, reached
    milestone = rules.milestone_by(anchor, occasion, held=held)
    if milestone is None:
        raise ProcedureError(
            _("%(name)s chưa đủ tuổi Đảng để nhận mốc huy hiệu tiếp theo vào đợt %(on)s.")
            % {"name": member.full_name, "on": vn_date(occasion)}
        )
    return milestone, rules.reached_on(anchor, milestone)


# ---------------------------------------------------------------- the cycle


def _check_occasion(occasion: date) -> None:
    if not rules.is_occasion(occasion):
        days = ", ".join(f"{d:%d/%m}" for d in rules.occasions_of_year(occasion.year))
        raise ValidationError(
            {
                "occasion": _("Ngày %(day)s không phải đợt trao Huy hiệu Đảng (các đợt: %(days)s).")
                % {"day": vn_date(occasion), "days": days}
            }
        )


@transaction.atomic
def badge_propose(
    *,
    proposer: Organization,
    occasion: date,
    members: Iterable[Member],
    proposal_no: str,
    proposed_on: date,
    early: str = "",
    grounds: str = "",
    by=None,
) -> list[BadgeCase]:
    """The proposal of `proposer` for the members at `occasion` (one case each)."""
    _required(proposal_no=proposal_no)
    if early and early not in Early.values:
        raise ValidationError({"early": _("Diện xét không hợp lệ.")})
    if early:
        _required(grounds=grounds)
    _check_occasion(occasion)
    check_act_date(proposed_on, field="proposed_on")
    if proposed_on > occasion:
        raise ValidationError({"proposed_on": _("Ngày đề nghị phải trước đợt trao.")})
    members = list(Member.objects.select_for_update().filter(pk__in=[m.pk for m in members]))
    if not members:
        raise ValidationError({"members": _("Hãy chọn ít nhất một đảng viên.")})
    made = []
    for member in sorted(members, key=lambda m: (m.name_sort, m.pk)):
        if not member.org_path.startswith(proposer.path):
            raise ProcedureError(
                _("%(name)s không sinh hoạt trong %(org)s.")
                % {"name": member.full_name, "org": proposer.name}
            )
        refusal = act_date_refusal(proposed_on, earliest=[after_admission(member)])
        if refusal:
            raise ValidationError({"proposed_on": refusal})
        milestone, reached = eligibility(member=member, occasion=occasion, early=early)
        case = BadgeCase(
            member=member,
            milestone=milestone,
            occasion=occasion,
            reached_on=reached,
            early=early,
            grounds=grounds.strip(),
            proposer=proposer,
            stage=Stage.PROPOSED,
            proposal_no=proposal_no.strip(),
            proposed_on=proposed_on,
            recorded_by=_by(by),
        )
        try:
            with transaction.atomic():
                case.save()
        except IntegrityError as error:
            raise ProcedureError(
                _("%(name)s đã được đề nghị Huy hiệu %(years)s năm tuổi Đảng.")
                % {"name": member.full_name, "years": milestone}
            ) from error
        audit.record(
            "tochuc.badge.proposed",
            by=by,
            obj=case,
            reason=case.proposal_no,
            member=member.pk,
            milestone=milestone,
            occasion=occasion,
            early=early,
        )
        made.append(case)
    return made


@transaction.atomic
def badge_decide(
    *, cases: Iterable[BadgeCase], decision_no: str, decided_on: date, issuer: str, by=None
) -> list[BadgeCase]:
    """The decision awarding the badges of `cases` (number, date, issuer), with the cash
    gift at the base salary in force on the decision date."""
    _required(decision_no=decision_no, issuer=issuer)
    check_act_date(decided_on, field="decided_on")
    locked = _lock_cases(cases)
    if not locked:
        raise ValidationError({"cases": _("Không có hồ sơ nào đang chờ quyết định.")})
    for case in locked:
        if case.stage != Stage.PROPOSED:
            raise ProcedureError(
                _("Hồ sơ của %(name)s không ở bước chờ quyết định (%(stage)s).")
                % {"name": case.member.full_name, "stage": case.get_stage_display()}
            )
        if decided_on < case.proposed_on:
            raise ValidationError(
                {
                    "decided_on": _("Ngày quyết định trước ngày đề nghị (%(day)s).")
                    % {"day": vn_date(case.proposed_on)}
                }
            )
        gift = rules.gift_for(case.milestone, decided_on)
        case.stage, case.decision_no, case.decided_on = (
            Stage.DECIDED,
            decision_no.strip(),
            decided_on,
        )
        case.issuer = issuer.strip()
        case.gift_multiple, case.base_salary, case.gift_amount = (
            gift.multiple,
            gift.base_salary or None,
            gift.amount if gift.base_salary else None,  # no base salary known that day
        )
        _save(
            case,
            [
                "stage",
                "decision_no",
                "decided_on",
                "issuer",
                "gift_multiple",
                "base_salary",
                "gift_amount",
            ],
        )
        audit.record(
            "tochuc.badge.decided",
            by=by,
            obj=case,
            reason=case.decision_no,
            member=case.member_id,
            milestone=case.milestone,
            amount=case.gift_amount,
        )
    return locked


@transaction.atomic
def badge_award(
    *,
    case: BadgeCase,
    badge_no: str,
    ceremony_on: date,
    row_version: int | None = None,
    by=None,
) -> BadgeCase:
    _required(badge_no=badge_no)
    (case,) = _lock_cases([case])
    _check_version(case, row_version)
    if case.stage != Stage.DECIDED:
        raise ProcedureError(
            _("Hồ sơ chưa có quyết định tặng huy hiệu (%(stage)s).")
            % {"stage": case.get_stage_display()}
        )
    check_act_date(
        ceremony_on, field="ceremony_on", earliest=[(case.decided_on, _("ngày quyết định"))]
    )
    case.stage, case.badge_no, case.ceremony_on = Stage.AWARDED, badge_no.strip(), ceremony_on
    _save(case, ["stage", "badge_no", "ceremony_on"])
    audit.record(
        "tochuc.badge.awarded",
        by=by,
        obj=case,
        reason=case.badge_no,
        member=case.member_id,
        ceremony_on=ceremony_on,
    )
    return case


@transaction.atomic
def badge_reissue(
    *,
    case: BadgeCase,
    badge_no: str,
    reissued_on: date,
    reason: str,
    decision_no: str = "",
    by=None,
) -> BadgeReissue:
    _required(badge_no=badge_no, reason=reason)
    (case,) = _lock_cases([case])
    if case.stage != Stage.AWARDED:
        raise ProcedureError(_("Chỉ cấp lại huy hiệu đã trao."))
    check_act_date(
        reissued_on, field="reissued_on", earliest=[(case.ceremony_on, _("ngày trao huy hiệu"))]
    )
    reissue = BadgeReissue.objects.create(
        case=case,
        badge_no=badge_no.strip(),
        reissued_on=reissued_on,
        reason=reason.strip(),
        decision_no=decision_no.strip(),
        recorded_by=_by(by),
    )
    _save(case, [])
    audit.record(
        "tochuc.badge.reissued",
        by=by,
        obj=case,
        reason=reason.strip(),
        badge_no=reissue.badge_no,
        on=reissued_on,
    )
    return reissue


def _return(case: BadgeCase, *, on: date, reason: str, by) -> None:
    if case.stage == Stage.AWARDED:
        case.stage, case.returned_on, case.return_reason = Stage.RETURNED, on, reason[:255]
        _save(case, ["stage", "returned_on", "return_reason"])
        audit.record(
            "tochuc.badge.returned",
            by=by,
            obj=case,
            reason=reason[:255],
            member=case.member_id,
            on=on,
        )
    elif case.stage in (Stage.PROPOSED, Stage.DECIDED):
        case.stage, case.return_reason = Stage.WITHDRAWN, reason[:255]
        _save(case, ["stage", "return_reason"])
        audit.record(
            "tochuc.badge.withdrawn", by=by, obj=case, reason=reason[:255], member=case.member_id
        )


@transaction.atomic
def badge_return(*, case: BadgeCase, returned_on: date, reason: str, by=None) -> BadgeCase:
    """The badge taken back from a member removed or expelled (thu hồi)."""
    _required(reason=reason)
    (case,) = _lock_cases([case])
    if case.stage != Stage.AWARDED:
        raise ProcedureError(_("Chỉ thu hồi huy hiệu đã trao."))
    if _exit_type(case.member) not in (T.REMOVED, T.EXPELLED) or case.member.is_active:
        raise ProcedureError(
            _("%(name)s không bị xóa tên hay khai trừ: không thu hồi huy hiệu.")
            % {"name": case.member.full_name}
        )
    check_act_date(
        returned_on, field="returned_on", earliest=[(case.ceremony_on, _("ngày trao huy hiệu"))]
    )
    _return(case, on=returned_on, reason=reason.strip(), by=by)
    return case


@transaction.atomic
def badge_withdraw(*, case: BadgeCase, reason: str, by=None) -> BadgeCase:
    """A proposal withdrawn before the badge is awarded (the member may be proposed again)."""
    _required(reason=reason)
    (case,) = _lock_cases([case])
    if case.stage not in (Stage.PROPOSED, Stage.DECIDED):
        raise ProcedureError(_("Chỉ rút hồ sơ chưa trao huy hiệu."))
    _return(case, on=case.proposed_on, reason=reason.strip(), by=by)
    return case


def follow_member_exits(member, events, *, by=None) -> None:
    """members.hooks.acts_recorded: a member removed or expelled loses their pending
    proposals and their awarded badges are recorded as returned on that day."""
    for event in events:
        if event.type not in (T.REMOVED, T.EXPELLED):
            continue
        label = T(event.type).label
        reason = f"{label} ({event.decision_no})" if event.decision_no else str(label)
        for case in member.badge_cases.select_for_update().filter(stage__in=HELD_STAGES):
            _return(case, on=event.on, reason=reason, by=by)


# ---------------------------------------------------------------- commendations


def check_recipient(*, authority, kind, organization, member) -> None:
    if kind == RecipientKind.ORGANIZATION:
        if organization is None:
            raise ValidationError({"recipient_code": _("Hãy chọn tổ chức đảng được khen.")})
        if not organization.path.startswith(authority.path):
            raise ValidationError(
                {
                    "recipient_code": _("%(name)s không trực thuộc %(authority)s.")
                    % {"name": organization.name, "authority": authority.name}
                }
            )
    elif kind == RecipientKind.MEMBER:
        if member is None:
            raise ValidationError({"member": _("Hãy chọn đảng viên được khen.")})
        if not member.org_path.startswith(authority.path):
            raise ValidationError(
                {
                    "member": _("%(name)s không sinh hoạt trong %(authority)s.")
                    % {"name": member.full_name, "authority": authority.name}
                }
            )


def check_commendation(
    *, form: str, recipient_kind: str, reason_kind: str, issuer: str, decision_no: str,
    decided_on: date, year_from: int, year_to: int | None,
) -> int:  # fmt: skip
    """The checks of recording a commendation (and of correcting one): the vocabularies,
    the decision, the years (not in the future, in order) and the decision after them.
    Returns the last year (the first when none is given)."""
    errors = {}
    if form not in CommendationForm.values:
        errors["form"] = _("Hình thức khen thưởng không hợp lệ.")
    if recipient_kind not in RecipientKind.values:
        errors["recipient_kind"] = _("Đối tượng khen thưởng không hợp lệ.")
    if reason_kind not in ReasonKind.values:
        errors["reason_kind"] = _("Thành tích không hợp lệ.")
    if errors:
        raise ValidationError(errors)
    _required(decision_no=decision_no, issuer=issuer)
    year_to = year_to or year_from
    check_act_year(year_from, field="year_from")
    check_act_year(year_to, field="year_to")
    if year_to < year_from:
        raise ValidationError({"year_to": _("Năm kết thúc không được trước năm bắt đầu.")})
    check_act_date(decided_on, field="decided_on")
    if decided_on.year < year_to:
        raise ValidationError({"decided_on": _("Quyết định khen thưởng phải sau kỳ được khen.")})
    return year_to


@transaction.atomic
def commendation_record(
    *,
    authority: Organization,
    issuer: str,
    form: str,
    recipient_kind: str,
    reason_kind: str,
    year_from: int,
    year_to: int | None,
    decision_no: str,
    decided_on: date,
    recipient_organization: Organization | None = None,
    recipient_member: Member | None = None,
    recipient_name: str = "",
    recipient_detail: str = "",
    reason: str = "",
    by=None,
) -> Commendation:
    year_to = check_commendation(
        form=form, recipient_kind=recipient_kind, reason_kind=reason_kind, issuer=issuer,
        decision_no=decision_no, decided_on=decided_on, year_from=year_from, year_to=year_to,
    )  # fmt: skip
    check_recipient(
        authority=authority,
        kind=recipient_kind,
        organization=recipient_organization,
        member=recipient_member,
    )
    if recipient_kind == RecipientKind.ORGANIZATION:
        recipient_member, recipient_name = None, recipient_organization.name
    elif recipient_kind == RecipientKind.MEMBER:
        recipient_organization, recipient_name = None, recipient_member.full_name
    else:
        recipient_organization = recipient_member = None
        _required(recipient_name=recipient_name)
    record = Commendation(
        authority=authority,
        issuer=issuer.strip(),
        form=form,
        recipient_kind=recipient_kind,
        recipient_organization=recipient_organization,
        recipient_member=recipient_member,
        recipient_name=recipient_name.strip(),
        recipient_detail=recipient_detail.strip(),
        reason_kind=reason_kind,
        year_from=year_from,
        year_to=year_to,
        reason=reason.strip(),
        decision_no=decision_no.strip(),
        decided_on=decided_on,
        recorded_by=_by(by),
    )
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError as error:
        raise ProcedureError(
            _("%(name)s đã được ghi khen thưởng theo quyết định %(no)s.")
            % {"name": record.recipient_name, "no": record.decision_no}
        ) from error
    audit.record(
        "tochuc.commendation.recorded",
        by=by,
        obj=record,
        reason=record.decision_no,
        authority=authority.code,
        form=form,
        recipient_kind=recipient_kind,
    )
    return record


@transaction.atomic
def commendation_cancel(
    *, commendation: Commendation, grounds, expected_version: int | None = None, by=None
) -> None:
    """A commendation recorded by mistake, removed with its reason (core.corrections)."""
    from tochuc.core import corrections

    record = commendation_lock(commendation, expected_version)
    fields = ["form", "recipient_name", "decision_no", "decided_on", "year_from", "year_to"]
    corrections.record(
        obj=record,
        entity="commendation",
        action=corrections.CANCELLED,
        grounds=grounds,
        before=corrections.snapshot(record, fields),
        by=by,
    )
    record.delete()


def commendation_lock(commendation: Commendation, expected_version: int | None) -> Commendation:
    """The commendation locked for a change, refused when someone changed it since the page
    was opened (`expected_version`: the row version the page showed)."""
    record = Commendation.objects.select_for_update().get(pk=commendation.pk)
    if expected_version is not None and record.row_version != expected_version:
        raise ProcedureError(
            _(
                "Khen thưởng này vừa được người khác sửa sau khi đồng chí mở trang. Thay đổi "
                "của đồng chí chưa được lưu; hãy tải lại trang để xem bản mới rồi sửa lại."
            )
        )
    return record
