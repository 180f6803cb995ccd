"""Writes of the committees app: a committee formed for a new term, a post begun (elected,
designated, added: after the committee was formed, a consolidation) and ended, a congress
recorded with its election results. Each validated against the dated policy, atomic and
audited."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from tochuc.core import audit
from tochuc.core.errors import ProcedureError
from tochuc.lib.dates import add_months, vn_date
from tochuc.members.models import ACTIVE_STATUSES, Member
from tochuc.organizations.models import UNDER_GRASSROOTS_KINDS, Kind, Organization
from tochuc.policy.acts import after_founding, check_act_date
from tochuc.policy.rules import Policy, policy_for

from . import selectors
from .models import (
    INSPECTION_ROLES,
    Began,
    Candidate,
    Committee,
    Congress,
    Ended,
    Formed,
    Post,
    Role,
    Term,
)

CELL_KINDS = (Kind.BASE_CELL, Kind.CELL)


def _limit(pairs, kind: str) -> int:
    return dict(pairs).get(kind, 0)


def term_months(organization: Organization, policy: Policy) -> int:
    """A chi bộ trực thuộc (or an đảng bộ bộ phận) holds its congress on the cell's rhythm;
    every other organization every five years."""
    if organization.kind in UNDER_GRASSROOTS_KINDS:
        return policy.term_months_cell
    return policy.term_months_committee


def term_end(organization: Organization, starts_on: date) -> date:
    return add_months(starts_on, term_months(organization, policy_for(starts_on)))


def _check_sizes(organization, on, *, size, standing_size, deputies, inspection_size) -> None:
    policy = policy_for(on)
    kind = organization.kind
    errors = {}
    limits = {
        "size": (size, _limit(policy.committee_max_size, kind)),
        "standing_size": (standing_size, _limit(policy.standing_max_size, kind)),
        "deputies": (deputies, _limit(policy.deputies_max, kind)),
        "inspection_size": (inspection_size, _limit(policy.inspection_max_size, kind)),
    }
    if kind in CELL_KINDS:
        full = selectors.full_members_on(organization=organization, on=on)
        if full < policy.cell_committee_from_full_members:
            # A secretary, and perhaps a deputy, rather than a chi ủy.
            limits["size"] = (size, 1 + min(deputies, 1))
            if size > limits["size"][1]:
                errors["size"] = _(
                    "Chi bộ có %(full)s đảng viên chính thức (dưới %(least)s) bầu bí thư, có "
                    "thể bầu phó bí thư, không bầu chi ủy (%(source)s)."
                ) % {
                    "full": full,
                    "least": policy.cell_committee_from_full_members,
                    "source": policy.committees_source,
                }
    for field, (value, most) in limits.items():
        if field not in errors and value > most:
            errors[field] = _("Tối đa %(most)s theo quy định từ %(day)s (%(source)s).") % {
                "most": most,
                "day": vn_date(policy.effective_from),
                "source": policy.committees_source,
            }
    if standing_size and standing_size + 0 >= size:
        errors.setdefault("standing_size", _("Ban Thường vụ phải ít hơn số cấp ủy viên."))
    if deputies >= size:
        errors.setdefault("deputies", _("Số Phó Bí thư phải ít hơn số cấp ủy viên."))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def committee_form(
    *, organization: Organization, formed_on: date, formed_how: str, decision_no: str,
    decision_date: date, size: int, standing_size: int = 0, deputies: int = 0,
    inspection_size: int = 0, term_ends_on: date | None = None, by=None,
) -> Committee:  # fmt: skip
    """A committee for a new term of `organization`, from `formed_on`: the posts of the
    committee it follows end on that day (the end of their term)."""
    if formed_how not in Formed.values:
        raise ValidationError({"formed_how": _("Hình thức không hợp lệ.")})
    check_act_date(formed_on, field="formed_on", earliest=[after_founding(organization)])
    # A designation may be decided before the organization it designates for is founded.
    check_act_date(decision_date, field="decision_date")
    if organization.ended_on and formed_on >= organization.ended_on:
        raise ValidationError({"formed_on": _("Tổ chức đã kết thúc trước ngày này.")})
    _check_sizes(
        organization, formed_on, size=size, standing_size=standing_size, deputies=deputies,
        inspection_size=inspection_size,
    )  # fmt: skip
    previous = selectors.committee_on(organization=organization, on=formed_on)
    if previous is not None and previous.formed_on == formed_on:
        raise ValidationError({"formed_on": _("Đã có cấp ủy được bầu, chỉ định ngày này.")})
    later = Committee.objects.filter(organization=organization, formed_on__gt=formed_on)
    if later.exists():
        raise ProcedureError(_("Đã có cấp ủy của nhiệm kỳ sau ngày này."))
    ends_on = term_ends_on or term_end(organization, formed_on)
    check_act_date(ends_on, field="term_ends_on", scheduled=True)
    if ends_on <= formed_on:
        raise ValidationError({"term_ends_on": _("Nhiệm kỳ phải kết thúc sau ngày bắt đầu.")})
    policy = policy_for(formed_on)
    term = Term.objects.create(
        organization=organization, starts_on=formed_on, ends_on=ends_on,
        source=policy.committees_source,
    )  # fmt: skip
    committee = Committee.objects.create(
        organization=organization, term=term, formed_on=formed_on, formed_how=formed_how,
        decision_no=decision_no.strip(), decision_date=decision_date, size=size,
        standing_size=standing_size, deputies=deputies, inspection_size=inspection_size,
        recorded_by=by if getattr(by, "is_authenticated", False) else None,
    )  # fmt: skip
    if previous is not None:
        for post in previous.posts.filter(ended_on__isnull=True).select_for_update():
            post_close(post, on=formed_on, how=Ended.TERM_END, decision_no=decision_no,
                 decision_date=decision_date, by=by)  # fmt: skip
    audit.record(
        "tochuc.committee.formed", by=by, obj=committee, reason=decision_no,
        organization=organization.code, formed_on=formed_on, formed_how=formed_how, size=size,
    )  # fmt: skip
    return committee


def check_holder(committee: Committee, member: Member, on: date) -> None:
    organization = committee.organization
    if member.status not in ACTIVE_STATUSES or not member.org_path.startswith(organization.path):
        raise ValidationError(
            {"member": _("Đảng viên không sinh hoạt trong %(name)s.") % {"name": organization}}
        )
    check_act_date(on, field="began_on", earliest=[(member.admitted_on, _("ngày kết nạp"))])


def check_post(committee: Committee, role: str, began_on: date, began_how: str) -> None:
    if role not in Role.values:
        raise ValidationError({"role": _("Chức vụ không hợp lệ.")})
    if began_how not in Began.values:
        raise ValidationError({"began_how": _("Hình thức không hợp lệ.")})
    formed = (committee.formed_on, _("ngày bầu, chỉ định cấp ủy"))
    check_act_date(began_on, field="began_on", earliest=[formed])
    if began_how == Began.CONGRESS and began_on != committee.formed_on:
        raise ValidationError(
            {"began_how": _("Chỉ bầu tại đại hội vào ngày cấp ủy được bầu (%(day)s).")
             % {"day": vn_date(committee.formed_on)}}
        )  # fmt: skip
    following = Committee.objects.filter(
        organization=committee.organization_id, formed_on__gt=committee.formed_on
    ).first()
    if following is not None and began_on >= following.formed_on:
        raise ValidationError({"began_on": _("Cấp ủy nhiệm kỳ này đã kết thúc.")})
    if role == Role.STANDING and not committee.standing_size:
        raise ValidationError({"role": _("Cấp ủy này không có Ban Thường vụ.")})
    if role == Role.DEPUTY and not committee.deputies:
        raise ValidationError({"role": _("Cấp ủy này không có Phó Bí thư.")})
    if role in INSPECTION_ROLES and not committee.inspection_size:
        raise ValidationError({"role": _("Cấp ủy này không có Ủy ban kiểm tra.")})


def one_holder(committee: Committee, role: str, member: Member, began_on: date,
               ended_on: date | None = None, *, other_than: int | None = None) -> None:  # fmt: skip
    """One secretary (one chair of the commission) at a time; one post of a kind per member."""
    overlapping = committee.posts.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=began_on))
    if other_than is not None:
        overlapping = overlapping.exclude(pk=other_than)
    if ended_on is not None:
        overlapping = overlapping.filter(began_on__lt=ended_on)
    if role in (Role.SECRETARY, Role.INSPECTION_CHAIR) and overlapping.filter(role=role).exists():
        raise ProcedureError(
            _("Đã có %(role)s; hãy kết thúc chức vụ đó trước.") % {"role": Role(role).label}
        )
    if overlapping.filter(role=role, member=member).exists():
        raise ValidationError({"member": _("Đảng viên đang giữ chức vụ này.")})


def create_post(committee, member, role, began_on, began_how, decision_no, decision_date,
                 by, consolidation: bool | None = None, **ended) -> Post:  # fmt: skip
    post = Post.objects.create(
        committee=committee, member=member, role=role, began_on=began_on, began_how=began_how,
        began_decision_no=decision_no.strip(), began_decision_date=decision_date,
        is_consolidation=began_on > committee.formed_on if consolidation is None else consolidation,
        recorded_by=by if getattr(by, "is_authenticated", False) else None, **ended,
    )  # fmt: skip
    audit.record(
        "tochuc.committee.post_began", by=by, obj=post, reason=decision_no,
        organization=committee.organization.code, role=role, member=member.pk,
        began_on=began_on, consolidation=post.is_consolidation,
    )  # fmt: skip
    return post


@transaction.atomic
def post_begin(
    *, committee: Committee, member: Member, role: str, began_on: date, began_how: str,
    decision_no: str, decision_date: date, replaces: Post | None = None,
    replaced_how: str = Ended.REASSIGNED, by=None,
) -> Post:  # fmt: skip
    """`member` holds `role` in `committee` from `began_on`. After the committee was formed,
    filling a post is a consolidation (kiện toàn). `replaces`: the post whose holder gives
    up the seat that day by the same decision (cancelling this post restores it)."""
    committee = Committee.objects.select_for_update().get(pk=committee.pk)
    check_post(committee, role, began_on, began_how)
    check_act_date(decision_date, field="decision_date")
    check_holder(committee, member, began_on)
    if replaces is not None:
        replaces = Post.objects.select_for_update().get(pk=replaces.pk)
        if replaces.committee_id != committee.pk or replaces.ended_on is not None:
            raise ValidationError({"replaces": _("Chức vụ được thay không còn giữ.")})
        if replaces.began_on > began_on:
            raise ValidationError({"began_on": _("Trước ngày người được thay bắt đầu giữ.")})
        if replaced_how not in Ended.values:
            raise ValidationError({"replaced_how": _("Lý do không hợp lệ.")})
        post_close(replaces, on=began_on, how=replaced_how, decision_no=decision_no,
                   decision_date=decision_date, by=by)  # fmt: skip
    one_holder(committee, role, member, began_on)
    post = create_post(committee, member, role, began_on, began_how, decision_no,
                        decision_date, by)  # fmt: skip
    if replaces is not None:
        post.replaced = replaces
        post.save(update_fields=["replaced"])
    return post


@transaction.atomic
def post_record(
    *, committee: Committee, member: Member, role: str, began_on: date, began_how: str,
    began_decision_no: str, began_decision_date: date, ended_on: date | None = None,
    ended_how: str = "", ended_decision_no: str = "", by=None,
) -> Post:  # fmt: skip
    """A post from the records (the history import): held, and perhaps ended, in the past;
    the holder need not be in the organization today, only admitted by then."""
    committee = Committee.objects.select_for_update().get(pk=committee.pk)
    check_post(committee, role, began_on, began_how)
    check_act_date(began_decision_date, field="began_decision_date")
    check_act_date(began_on, field="began_on", earliest=[(member.admitted_on, _("ngày kết nạp"))])
    if ended_on is not None:
        check_act_date(ended_on, field="ended_on", earliest=[(began_on, _("ngày bắt đầu"))])
        if ended_how not in Ended.values:
            raise ValidationError({"ended_how": _("Lý do không hợp lệ.")})
    one_holder(committee, role, member, began_on, ended_on)
    return create_post(
        committee, member, role, began_on, began_how, began_decision_no, began_decision_date,
        by, ended_on=ended_on, ended_how=ended_how if ended_on else "",
        ended_decision_no=ended_decision_no if ended_on else "",
    )  # fmt: skip


def post_close(post: Post, *, on: date, how: str, decision_no: str = "",
         decision_date: date | None = None, event=None, by=None) -> Post:  # fmt: skip
    post.ended_on = max(on, post.began_on)
    post.ended_how = how
    post.ended_decision_no = (decision_no or "").strip()
    post.ended_decision_date = decision_date
    post.ended_by_event_id = getattr(event, "pk", None)
    post.row_version += 1
    post.save()
    audit.record(
        "tochuc.committee.post_ended", by=by, obj=post, reason=post.ended_decision_no,
        role=post.role, member=post.member_id, ended_on=post.ended_on, ended_how=how,
    )  # fmt: skip
    return post


def post_reopen(post: Post, *, by=None) -> Post:
    """The act that ended the post is undone (a restructuring cancelled): held again."""
    post.ended_on, post.ended_how, post.ended_decision_no = None, "", ""
    post.ended_decision_date, post.ended_by_event_id = None, None
    post.row_version += 1
    post.save()
    audit.record("tochuc.committee.post_reopened", by=by, obj=post, role=post.role,
                 member=post.member_id)  # fmt: skip
    return post


@transaction.atomic
def post_end(
    *, post: Post, ended_on: date, ended_how: str, decision_no: str,
    decision_date: date | None, row_version: int | None = None, by=None,
) -> Post:  # fmt: skip
    """The holder no longer holds the post from `ended_on`: the post is vacant."""
    post = Post.objects.select_for_update().get(pk=post.pk)
    if row_version is not None and row_version != post.row_version:
        raise ProcedureError(_("Chức vụ vừa được người khác thay đổi; hãy tải lại trang."))
    if post.ended_on is not None:
        raise ProcedureError(_("Chức vụ này đã kết thúc."))
    if ended_how not in Ended.values:
        raise ValidationError({"ended_how": _("Lý do không hợp lệ.")})
    began = (post.began_on, _("ngày bắt đầu giữ chức vụ"))
    check_act_date(ended_on, field="ended_on", earliest=[began])
    check_act_date(decision_date, field="decision_date")
    return post_close(post, on=ended_on, how=ended_how, decision_no=decision_no,
                decision_date=decision_date, by=by)  # fmt: skip


def elect(congress: Congress, candidates, seats: int) -> list[Candidate]:
    """The candidates' rows (unsaved): elected with more than the policy's share of the
    valid ballots (on the congress's opening day), the most votes first, up to `seats`."""
    majority = policy_for(congress.starts_on).election_majority
    rows = []
    for name, votes, member in sorted(candidates, key=lambda c: -c[1]):
        if votes > congress.ballots_valid:
            raise ValidationError(
                {"candidates": _("%(name)s: số phiếu vượt số phiếu hợp lệ.") % {"name": name}}
            )
        elected = votes > congress.ballots_valid * majority and seats > 0
        seats -= elected
        rows.append(Candidate(congress=congress, member=member, full_name=name, votes=votes,
                              elected=elected))  # fmt: skip
    return rows


@transaction.atomic
def congress_record(
    *, organization: Organization, ordinal: int, kind: str, starts_on: date, ends_on: date,
    delegates: int, delegates_present: int, ballots_issued: int, ballots_valid: int,
    candidates: list[tuple[str, int, Member | None]], committee: Committee,
    directive: str = "", by=None,
) -> Congress:  # fmt: skip
    """The congress that elected `committee` (opening its term), with the votes of each
    candidate: elected with more than the policy's share of the valid ballots, the most
    votes first, up to the committee's size."""
    check_act_date(starts_on, field="starts_on", earliest=[after_founding(organization)])
    check_act_date(ends_on, field="ends_on", earliest=[(starts_on, _("ngày khai mạc"))])
    if committee.organization_id != organization.pk:
        raise ValidationError({"committee": _("Cấp ủy không thuộc tổ chức này.")})
    if ballots_valid > ballots_issued:
        raise ValidationError({"ballots_valid": _("Số phiếu hợp lệ vượt số phiếu phát ra.")})
    if delegates_present > delegates:
        raise ValidationError({"delegates_present": _("Số có mặt vượt số được triệu tập.")})
    for name, votes, _member in candidates:
        if votes > ballots_valid:
            raise ValidationError(
                {"candidates": _("%(name)s: số phiếu vượt số phiếu hợp lệ.") % {"name": name}}
            )
    congress = Congress.objects.create(
        organization=organization, term=committee.term, ordinal=ordinal, kind=kind,
        starts_on=starts_on, ends_on=ends_on, directive=directive.strip(), delegates=delegates,
        delegates_present=delegates_present, ballots_issued=ballots_issued,
        ballots_valid=ballots_valid,
        recorded_by=by if getattr(by, "is_authenticated", False) else None,
    )  # fmt: skip
    rows = elect(congress, candidates, committee.size)
    Candidate.objects.bulk_create(rows)
    audit.record(
        "tochuc.committee.congress_recorded", by=by, obj=congress, organization=organization.code,
        ordinal=ordinal, elected=sum(r.elected for r in rows),
    )  # fmt: skip
    return congress
