"""Writes of quality rating and votes of confidence. Keyword-only, atomic, audited.

The rules (bands, the cap on "xuất sắc", the criteria sheets, the confidence thresholds)
come from the dated policy in force at the end of the session (`policy_for(ends_on)`).
"""

import math
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from tochuc.core import audit
from tochuc.core.errors import ProcedureError
from tochuc.lib.dates import vn_date
from tochuc.lib.vntext import sort_key
from tochuc.members.models import Affiliation, Member
from tochuc.members.selectors import affiliations_on, exempted_on
from tochuc.organizations.models import GRASSROOTS_KINDS, UNDER_GRASSROOTS_KINDS, Organization
from tochuc.organizations.selectors import subtree_on, version_of
from tochuc.policy.acts import (
    act_date_refusal,
    after_admission,
    check_act_date,
    check_act_year,
)
from tochuc.policy.rules import Policy, policy_for
from tochuc.reports import periods

from .models import (
    SHORT_LABELS,
    ConfidenceVote,
    Level,
    PeriodKind,
    RatingSession,
    RatingSubject,
    Step,
    SubjectKind,
)

TWO_PLACES = Decimal("0.01")


# ---------------------------------------------------------------- the rules


def level_for(score: Decimal, policy: Policy) -> str:
    """The band of a score on the 100-point sheet (exact at the thresholds)."""
    if score >= policy.rating_excellent_from:
        return Level.EXCELLENT
    if score >= policy.rating_good_from:
        return Level.GOOD
    if score >= policy.rating_done_from:
        return Level.DONE
    return Level.NOT_DONE


def criteria_for(kind: str, policy: Policy) -> tuple[tuple[str, int], ...]:
    if kind == SubjectKind.MEMBER:
        return policy.rating_member_criteria
    return policy.rating_organization_criteria


def excellent_allowed(good: int, policy: Policy) -> int:
    """How many "xuất sắc" a group may have when `good` are decided "tốt" (rounded down)."""
    return math.floor(policy.rating_excellent_cap * good)


def session_policy(session: RatingSession) -> Policy:
    return policy_for(session.ends_on)


# ---------------------------------------------------------------- sessions


def period_of(kind: str, year: int, quarter: int | None) -> tuple[date, date, str]:
    if kind == PeriodKind.QUARTER:
        if quarter not in (1, 2, 3, 4):
            raise ProcedureError({"quarter": _("Chọn quý 1 đến 4.")})
        span = periods.quarter(year, quarter)
        return span.start, span.end, _("Quý %(q)s năm %(year)s") % {"q": quarter, "year": year}
    if kind == PeriodKind.YEAR:
        span = periods.year(year)
        return span.start, span.end, _("Năm %(year)s") % {"year": year}
    raise ProcedureError({"kind": _("Kỳ không hợp lệ.")})


class _Tree:
    """The subtree as of a date: versions by organization id, for the cap groups."""

    def __init__(self, versions):
        self.versions = {v.organization_id: v for v in versions}

    def chain(self, org_id: int) -> list[int]:
        """Ancestors-or-self of `org_id` within the subtree, nearest first."""
        found = []
        while org_id in self.versions:
            found.append(org_id)
            org_id = self.versions[org_id].parent_id
        return found

    def grassroots_of(self, org_id: int, default: int) -> int:
        for pk in self.chain(org_id):
            if self.versions[pk].kind in GRASSROOTS_KINDS:
                return pk
        return default


@transaction.atomic
def rating_session_open(
    *,
    organization: Organization,
    kind: str,
    year: int,
    quarter: int | None = None,
    starts_on: date | None = None,
    ends_on: date | None = None,
    listed_on: date | None = None,
    title: str = "",
    note: str = "",
    by=None,
) -> RatingSession:
    """Open a session for `organization`'s subtree and list whom it rates: each member in
    official activity there on `listed_on` and not exempted that day, and each grassroots
    organization, sub-committee and cell below `organization`."""
    check_act_year(year)
    check_act_date(starts_on, field="starts_on")
    check_act_date(ends_on, field="ends_on", scheduled=True)
    if kind == PeriodKind.TERM:
        if not (starts_on and ends_on and title.strip()):
            raise ProcedureError(_("Kỳ nhiệm kỳ cần ngày bắt đầu, ngày kết thúc và tên kỳ."))
        default_title = title
    else:
        starts_on, ends_on, default_title = period_of(kind, year, quarter)
    if ends_on < starts_on:
        raise ProcedureError({"ends_on": _("Ngày kết thúc trước ngày bắt đầu.")})
    listed_on = check_act_date(listed_on or ends_on, field="listed_on", scheduled=True)
    if version_of(organization=organization, on=listed_on) is None:
        raise ProcedureError(
            {"listed_on": _("%(org)s không tồn tại vào ngày %(day)s.")
             % {"org": organization.name, "day": vn_date(listed_on)}}
        )  # fmt: skip
    title = title.strip() or str(default_title)
    if RatingSession.objects.filter(
        organization=organization, kind=kind, starts_on=starts_on, ends_on=ends_on
    ).exists():
        raise ProcedureError(
            _("%(org)s đã có kỳ đánh giá %(title)s.") % {"org": organization.name, "title": title}
        )
    policy = policy_for(ends_on)
    session = RatingSession.objects.create(
        organization=organization, kind=kind, year=starts_on.year if kind != "term" else year,
        quarter=quarter if kind == PeriodKind.QUARTER else None, starts_on=starts_on,
        ends_on=ends_on, listed_on=listed_on, title=title, policy_source=policy.rating_source,
        note=note.strip(), org_path=organization.path, created_by=by,
    )  # fmt: skip
    versions = list(subtree_on(scope=_All(), root=organization, on=listed_on))
    tree = _Tree(versions)
    orgs = {o.pk: o for o in Organization.objects.filter(pk__in=list(tree.versions))}
    subjects = []
    rated_kinds = (*GRASSROOTS_KINDS, *UNDER_GRASSROOTS_KINDS)
    for version in versions:
        if version.organization_id == organization.pk or version.kind not in rated_kinds:
            continue
        pk = version.organization_id
        if version.kind in GRASSROOTS_KINDS:
            group = version.parent_id if version.parent_id in tree.versions else organization.pk
        else:
            group = tree.grassroots_of(pk, organization.pk)
        subjects.append(
            RatingSubject(
                session=session, kind=SubjectKind.ORGANIZATION, rated_organization_id=pk,
                organization_id=pk, cap_group_id=group, name=version.name,
                name_sort=sort_key(version.name), org_path=orgs[pk].path,
            )
        )  # fmt: skip
    affiliations = list(
        affiliations_on(
            organization=organization, on=listed_on, kind=Affiliation.Kind.OFFICIAL
        ).select_related("member")
    )
    exempted = exempted_on([a.member_id for a in affiliations], listed_on)
    for affiliation in affiliations:
        member = affiliation.member
        if member.pk in exempted:
            continue
        org_id = affiliation.organization_id
        org = orgs.get(org_id) or affiliation.organization
        subjects.append(
            RatingSubject(
                session=session, kind=SubjectKind.MEMBER, member=member, organization_id=org_id,
                cap_group_id=tree.grassroots_of(org_id, organization.pk), name=member.full_name,
                name_sort=member.name_sort, org_path=org.path,
            )
        )  # fmt: skip
    RatingSubject.objects.bulk_create(subjects, batch_size=1000)
    audit.record(
        "tochuc.rating.session_opened", by=by, obj=session, title=title,
        members=sum(1 for s in subjects if s.kind == SubjectKind.MEMBER),
        organizations=sum(1 for s in subjects if s.kind == SubjectKind.ORGANIZATION),
        exempted=len(exempted),
    )  # fmt: skip
    return session


class _All:
    """The whole tree (a service lists every organization of the session's subtree; the
    caller's scope was checked on the session's organization)."""

    @staticmethod
    def filter_versions(qs):
        return qs


@transaction.atomic
def rating_subject_add_member(*, session: RatingSession, member: Member, by=None) -> RatingSubject:
    """Add a member to a session (one who arrived after the list was drawn)."""
    if member.pk in exempted_on([member.pk], session.listed_on):
        raise ProcedureError(
            _("%(name)s được miễn công tác và sinh hoạt đảng vào ngày %(day)s: không đánh giá, "
              "xếp loại.") % {"name": member.full_name, "day": vn_date(session.listed_on)}
        )  # fmt: skip
    if not member.is_active or not member.org_path.startswith(session.org_path):
        raise ProcedureError(
            _("%(name)s không sinh hoạt trong %(org)s.")
            % {"name": member.full_name, "org": session.organization.name}
        )
    if session.subjects.filter(member=member).exists():
        raise ProcedureError(_("%(name)s đã có trong danh sách.") % {"name": member.full_name})
    versions = list(subtree_on(scope=_All(), root=session.organization, on=session.listed_on))
    tree = _Tree(versions)
    subject = RatingSubject.objects.create(
        session=session, kind=SubjectKind.MEMBER, member=member, organization=member.organization,
        cap_group_id=tree.grassroots_of(member.organization_id, session.organization_id),
        name=member.full_name, name_sort=member.name_sort, org_path=member.org_path,
    )  # fmt: skip
    audit.record("tochuc.rating.subject_added", by=by, obj=subject, session=session.pk)
    return subject


# ---------------------------------------------------------------- the three steps


def _lock(subject: RatingSubject) -> RatingSubject:
    return (
        RatingSubject.objects.select_related("session", "member")
        .select_for_update(of=("self",))
        .get(pk=subject.pk)
    )


def _check_rateable(subject: RatingSubject) -> None:
    if subject.member_id and exempted_on([subject.member_id], subject.session.listed_on):
        raise ProcedureError(
            _("%(name)s được miễn công tác và sinh hoạt đảng: không đánh giá, xếp loại.")
            % {"name": subject.name}
        )


@transaction.atomic
def rating_self_assess(
    *, subject: RatingSubject, scores: list[Decimal], comment: str = "", on: date, by=None
) -> RatingSubject:
    """The self-assessment: a score per criterion of the sheet (each within its maximum)."""
    check_act_date(on)
    subject = _lock(subject)
    _check_rateable(subject)
    if subject.step not in (Step.PENDING, Step.SELF_ASSESSED):
        raise ProcedureError(_("Đã có đề xuất của chi bộ: không sửa tự đánh giá được nữa."))
    policy = session_policy(subject.session)
    criteria = criteria_for(subject.kind, policy)
    if len(scores) != len(criteria):
        raise ProcedureError(_("Cần chấm điểm đủ %(n)s tiêu chí.") % {"n": len(criteria)})
    errors = {}
    for index, ((_label, top), score) in enumerate(zip(criteria, scores, strict=True)):
        if score is None or score < 0 or score > top:
            errors[f"c{index}"] = _("Điểm từ 0 đến %(top)s.") % {"top": top}
    if errors:
        raise ProcedureError(errors)
    total = sum((Decimal(s) for s in scores), Decimal(0)).quantize(TWO_PLACES)
    subject.criteria_scores = [str(Decimal(s).quantize(TWO_PLACES)) for s in scores]
    subject.self_score = total
    subject.self_level = level_for(total, policy)
    subject.self_comment = comment.strip()
    subject.self_on = on
    subject.step = Step.SELF_ASSESSED
    subject.save()
    audit.record(
        "tochuc.rating.self_assessed", by=by, obj=subject, score=total, level=subject.self_level
    )
    return subject


@transaction.atomic
def rating_propose(
    *, subject: RatingSubject, level: str, note: str = "", on: date, by=None
) -> RatingSubject:
    """The cell's proposal of a level (for an organization: the proposal to the committee)."""
    check_act_date(on)
    subject = _lock(subject)
    _check_rateable(subject)
    if subject.step not in (Step.SELF_ASSESSED, Step.PROPOSED):
        raise ProcedureError(
            _("Chưa có tự đánh giá.") if subject.step == Step.PENDING
            else _("Cấp ủy đã quyết định: không sửa đề xuất được nữa.")
        )  # fmt: skip
    if level not in Level.values:
        raise ProcedureError({"level": _("Chọn một mức xếp loại.")})
    if subject.self_on and on < subject.self_on:
        raise ProcedureError({"on": _("Ngày đề xuất trước ngày tự đánh giá.")})
    subject.proposed_level, subject.proposal_note, subject.proposed_on = level, note.strip(), on
    subject.step = Step.PROPOSED
    subject.save()
    audit.record("tochuc.rating.proposed", by=by, obj=subject, level=level)
    return subject


def cap_counts(subject: RatingSubject) -> tuple[int, int]:
    """("tốt", "xuất sắc") already decided in the subject's group, the subject left out."""
    decided = RatingSubject.objects.filter(
        session_id=subject.session_id, kind=subject.kind, cap_group_id=subject.cap_group_id
    ).exclude(pk=subject.pk)
    good = decided.filter(final_level=Level.GOOD).count()
    excellent = decided.filter(final_level=Level.EXCELLENT).count()
    return good, excellent


@transaction.atomic
def rating_decide(
    *, subject: RatingSubject, level: str, decision_no: str, decided_on: date, by=None
) -> RatingSubject:
    """The committee's decision. "Xuất sắc" only within the cap of the subject's group."""
    # One decision at a time per session: the cap counts what the others decided.
    RatingSession.objects.select_for_update().get(pk=subject.session_id)
    subject = _lock(subject)
    _check_rateable(subject)
    if subject.step == Step.DECIDED:
        raise ProcedureError(_("Đã có quyết định xếp loại."))
    if subject.step != Step.PROPOSED:
        raise ProcedureError(_("Chưa có đề xuất của chi bộ."))
    if level not in Level.values:
        raise ProcedureError({"level": _("Chọn một mức xếp loại.")})
    if not decision_no.strip():
        raise ProcedureError({"decision_no": _("Cần số quyết định.")})
    check_act_date(decided_on, field="decided_on")
    if subject.proposed_on and decided_on < subject.proposed_on:
        raise ProcedureError({"decided_on": _("Ngày quyết định trước ngày đề xuất.")})
    policy = session_policy(subject.session)
    if level == Level.EXCELLENT:
        good, excellent = cap_counts(subject)
        allowed = excellent_allowed(good, policy)
        if excellent + 1 > allowed:
            group = Organization.objects.get(pk=subject.cap_group_id)
            raise ProcedureError(
                {"level": _(
                    "Không xếp loại “%(excellent)s” được: trong %(group)s mới có %(good)s "
                    "%(kind)s được quyết định “%(good_label)s”, nên “xuất sắc” tối đa là "
                    "%(allowed)s (%(cap)s%% số “tốt”), đã có %(already)s."
                ) % {
                    "excellent": Level.EXCELLENT.label, "group": group.name, "good": good,
                    "kind": _("đảng viên") if subject.kind == SubjectKind.MEMBER
                    else _("tổ chức đảng"),
                    "good_label": SHORT_LABELS[Level.GOOD], "allowed": allowed,
                    "cap": percent_text(policy.rating_excellent_cap), "already": excellent,
                }}
            )  # fmt: skip
    subject.final_level, subject.decision_no = level, decision_no.strip()
    subject.decided_on, subject.decided_by = decided_on, by
    subject.step = Step.DECIDED
    subject.save()
    audit.record(
        "tochuc.rating.decided", by=by, obj=subject, level=level, decision_no=subject.decision_no,
        reason=subject.decision_no,
    )  # fmt: skip
    return subject


def percent_text(fraction) -> str:
    value = Decimal(fraction.numerator) * 100 / Decimal(fraction.denominator)
    return format(value.normalize(), "f").replace(".", ",")


# ---------------------------------------------------------------- votes of confidence


def vote_errors(
    *, member: Member, held_on: date, position: str, ballots_issued: int, ballots_valid: int,
    high: int, medium: int, low: int,
) -> dict[str, str]:  # fmt: skip
    """The date and the ballots' consistency, field → message (recording and correcting a
    vote)."""
    errors = {}
    refusal = act_date_refusal(held_on, earliest=[after_admission(member)])
    if refusal:
        errors["held_on"] = refusal
    if not position.strip():
        errors["position"] = _("Cần ghi chức vụ.")
    if min(ballots_issued, ballots_valid, high, medium, low) < 0:
        errors["ballots_issued"] = _("Số phiếu không được âm.")
    if ballots_valid > ballots_issued:
        errors["ballots_valid"] = _("Số phiếu hợp lệ nhiều hơn số phiếu phát ra.")
    if high + medium + low > ballots_valid:
        errors["low"] = _(
            "Tổng tín nhiệm cao, tín nhiệm và tín nhiệm thấp (%(sum)s) vượt số phiếu hợp lệ "
            "(%(valid)s)."
        ) % {"sum": high + medium + low, "valid": ballots_valid}
    return errors


@transaction.atomic
def confidence_vote_record(
    *,
    member: Member,
    organization: Organization,
    position: str,
    held_on: date,
    ballots_issued: int,
    ballots_valid: int,
    high: int,
    medium: int,
    low: int,
    note: str = "",
    by=None,
) -> ConfidenceVote:
    errors = vote_errors(
        member=member, held_on=held_on, position=position, ballots_issued=ballots_issued,
        ballots_valid=ballots_valid, high=high, medium=medium, low=low,
    )  # fmt: skip
    if not member.org_path.startswith(organization.path):
        errors["member"] = _("%(name)s không sinh hoạt trong %(org)s.") % {
            "name": member.full_name, "org": organization.name,
        }  # fmt: skip
    if errors:
        raise ProcedureError(errors)
    vote = ConfidenceVote.objects.create(
        member=member, organization=organization, position=position.strip(), held_on=held_on,
        ballots_issued=ballots_issued, ballots_valid=ballots_valid, high=high, medium=medium,
        low=low, note=note.strip(), org_path=organization.path, recorded_by=by,
    )  # fmt: skip
    audit.record(
        "tochuc.confidence_vote.recorded", by=by, obj=vote, member=member.pk,
        issued=ballots_issued, valid=ballots_valid, high=high, medium=medium, low=low,
    )  # fmt: skip
    return vote
