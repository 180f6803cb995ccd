"""Sửa / Hủy of what the committees app records, with a reason (core.corrections):

- a post: its dates, how it began and ended, the decisions; emptying its end makes it held
  again. Cancelled (recorded by mistake), it is removed, and the post it took the seat of
  (`Post.replaced`) is held again when this one had ended it.
- a congress: its dates, kind, delegates, ballots and the votes of its candidates (the
  elected are counted again under the majority rule of its date). Cancelled, it is removed
  with its candidates and delegates, and the posts its confirmed results began, as long as
  none of them has been ended or changed since.

Each checks the row version the user read (someone else's save in between is refused) and
the same rules as when the act was recorded.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.core import corrections
from tochuc.core.errors import ProcedureError
from tochuc.lib.dates import vn_date
from tochuc.policy.acts import after_founding, check_act_date

from .models import Candidate, Congress, Ended, Post
from .services import check_post, elect, one_holder, post_reopen

POST_FIELDS = [
    "began_on", "began_how", "began_decision_no", "began_decision_date", "ended_on",
    "ended_how", "ended_decision_no", "ended_decision_date",
]  # fmt: skip
CONGRESS_FIELDS = [
    "ordinal", "kind", "starts_on", "ends_on", "directive", "delegates", "delegates_present",
    "ballots_issued", "ballots_valid",
]  # fmt: skip
STALE = gettext_lazy(
    "Bản ghi vừa được người khác sửa sau khi đồng chí mở trang này; hãy tải lại trang."
)


def _post_lock(post: Post, row_version: int | None) -> Post:
    return corrections.lock(post, row_version, stale=STALE, related=("committee", "member"))


def _check_post_dates(post: Post) -> None:
    committee = post.committee
    check_post(committee, post.role, post.began_on, post.began_how)
    admitted = (post.member.admitted_on, _("ngày kết nạp"))
    check_act_date(post.began_on, field="began_on", earliest=[admitted])
    check_act_date(post.began_decision_date, field="began_decision_date")
    if not post.began_decision_no:
        raise ValidationError({"began_decision_no": _("Cần số quyết định.")})
    if post.ended_on is None:
        post.ended_how, post.ended_decision_no, post.ended_decision_date = "", "", None
    else:
        began = (post.began_on, _("ngày bắt đầu giữ chức vụ"))
        check_act_date(post.ended_on, field="ended_on", earliest=[began])
        if post.ended_how not in Ended.values:
            raise ValidationError({"ended_how": _("Chọn lý do thôi giữ.")})
        if post.ended_decision_date is not None:
            check_act_date(post.ended_decision_date, field="ended_decision_date")
    try:
        one_holder(committee, post.role, post.member, post.began_on, post.ended_on,
                   other_than=post.pk)  # fmt: skip
    except ValidationError as error:
        raise ValidationError({"began_on": error.messages}) from None


@transaction.atomic
def post_correct(
    *, post: Post, grounds: corrections.Grounds, row_version: int | None = None, by=None,
    **changes,
) -> Post:  # fmt: skip
    """Correct what was recorded of a post (`changes`: any of POST_FIELDS)."""
    grounds.check()
    unknown = set(changes) - set(POST_FIELDS)
    if unknown:
        raise ValidationError(_("Không sửa được: %(names)s.") % {"names": ", ".join(unknown)})
    post = _post_lock(post, row_version)
    before = corrections.snapshot(post, POST_FIELDS)
    for name, value in changes.items():
        setattr(post, name, value.strip() if isinstance(value, str) else value)
    _check_post_dates(post)
    post.is_consolidation = post.began_on > post.committee.formed_on and not post.from_congress_id
    if post.ended_on is None:
        post.ended_by_event = None
    post.row_version += 1
    post.save()
    corrections.record(
        obj=post, entity="committee_post", action=corrections.CORRECTED, grounds=grounds,
        before=before, after=corrections.snapshot(post, POST_FIELDS), by=by,
        audit_on=[post, post.committee.organization],
    )  # fmt: skip
    return post


@transaction.atomic
def post_cancel(
    *, post: Post, grounds: corrections.Grounds, row_version: int | None = None, by=None
) -> None:
    """A post recorded by mistake: removed; the post it took the seat of is held again."""
    grounds.check()
    post = _post_lock(post, row_version)
    effects = []
    replaced = post.replaced
    if (
        replaced is not None
        and replaced.ended_on == post.began_on
        and replaced.ended_decision_no == post.began_decision_no
    ):
        effects.append(
            _("%(name)s giữ lại chức %(role)s.")
            % {"name": replaced.member.full_name, "role": replaced.get_role_display()}
        )
    corrections.record(
        obj=post, entity="committee_post", action=corrections.CANCELLED, grounds=grounds,
        before={"member": post.member.full_name, "role": post.get_role_display(),
                **corrections.snapshot(post, POST_FIELDS)},
        by=by, effects=effects, audit_on=[post, post.committee.organization],
    )  # fmt: skip
    Post.objects.filter(replaced=post).update(replaced=None)
    post.delete()
    if effects:
        post_reopen(Post.objects.select_for_update().get(pk=replaced.pk), by=by)


# ---------------------------------------------------------------- congresses


def _congress_lock(congress: Congress, row_version: int | None) -> Congress:
    return corrections.lock(congress, row_version, stale=STALE, related=("organization",))


def _check_congress(congress: Congress) -> None:
    organization = congress.organization
    check_act_date(congress.starts_on, field="starts_on", earliest=[after_founding(organization)])
    opened = (congress.starts_on, _("ngày khai mạc"))
    check_act_date(congress.ends_on, field="ends_on", earliest=[opened])
    if congress.ballots_valid > congress.ballots_issued:
        raise ValidationError({"ballots_valid": _("Số phiếu hợp lệ vượt số phiếu phát ra.")})
    if congress.delegates_present > congress.delegates:
        raise ValidationError({"delegates_present": _("Số có mặt vượt số được triệu tập.")})
    same = Congress.objects.filter(organization=organization, ordinal=congress.ordinal)
    if same.exclude(pk=congress.pk).exists():
        raise ValidationError({"ordinal": _("Đã có đại hội lần thứ này.")})


def _candidate_lines(congress: Congress) -> list[str]:
    return [f"{c.full_name}; {c.votes}" for c in congress.candidates.order_by("-votes", "id")]


@transaction.atomic
def congress_correct(
    *, congress: Congress, grounds: corrections.Grounds, row_version: int | None = None,
    candidates: list[tuple[str, int, object]] | None = None, by=None, **changes,
) -> Congress:  # fmt: skip
    """Correct a congress (`changes`: any of CONGRESS_FIELDS; `candidates`: the whole list
    of (name, votes, member or None) again). Once its results are confirmed, who is
    elected may not change."""
    grounds.check()
    unknown = set(changes) - set(CONGRESS_FIELDS)
    if unknown:
        raise ValidationError(_("Không sửa được: %(names)s.") % {"names": ", ".join(unknown)})
    congress = _congress_lock(congress, row_version)
    before = {**corrections.snapshot(congress, CONGRESS_FIELDS),
              "candidates": _candidate_lines(congress)}  # fmt: skip
    for name, value in changes.items():
        if value is not None:
            setattr(congress, name, value.strip() if isinstance(value, str) else value)
    _check_congress(congress)
    elected_before = set(
        congress.candidates.filter(elected=True).values_list("full_name", flat=True)
    )
    given = candidates
    if given is None:
        given = [(c.full_name, c.votes, c.member) for c in congress.candidates.all()]
    rows = elect(congress, given, congress.term.committee.size)
    elected_after = {r.full_name for r in rows if r.elected}
    if congress.confirmed_on and elected_after != elected_before:
        raise ValidationError(
            {"candidates": _(
                "Kết quả đã được xác nhận thành chức vụ ngày %(day)s: không sửa được danh sách "
                "trúng cử. Hãy hủy đại hội (các chức vụ từ kết quả được hủy theo) rồi ghi lại."
            ) % {"day": vn_date(congress.confirmed_on)}}
        )  # fmt: skip
    congress.candidates.all().delete()
    Candidate.objects.bulk_create(rows)
    congress.row_version += 1
    congress.save()
    corrections.record(
        obj=congress, entity="congress", action=corrections.CORRECTED, grounds=grounds,
        before=before, by=by, audit_on=[congress, congress.organization],
        after={**corrections.snapshot(congress, CONGRESS_FIELDS),
               "candidates": _candidate_lines(congress)},
        labels={"candidates": _("Người ứng cử; số phiếu")},
    )  # fmt: skip
    return congress


@transaction.atomic
def congress_cancel(
    *, congress: Congress, grounds: corrections.Grounds, row_version: int | None = None, by=None
) -> None:
    """A congress recorded by mistake: removed with its candidates and delegates, and the
    posts its confirmed results began — refused when one of those has ended or changed."""
    grounds.check()
    congress = _congress_lock(congress, row_version)
    posts = list(Post.objects.select_for_update().filter(from_congress=congress))
    moved = [p for p in posts if p.ended_on is not None or p.row_version != 1]
    if moved:
        raise ProcedureError(
            _(
                "%(count)s chức vụ bầu từ đại hội này đã thôi giữ hoặc đã được sửa "
                "(%(names)s): hãy hủy hoặc sửa các chức vụ đó trước."
            )
            % {"count": len(moved), "names": ", ".join(p.member.full_name for p in moved[:5])}
        )
    effects = []
    if posts:
        effects.append(
            _("%(count)s chức vụ bầu từ kết quả đại hội được hủy theo.") % {"count": len(posts)}
        )
    delegates = congress.delegates_elected.count()
    if delegates:
        effects.append(_("%(count)s đại biểu dự đại hội cấp trên được hủy theo.")
                       % {"count": delegates})  # fmt: skip
    corrections.record(
        obj=congress, entity="congress", action=corrections.CANCELLED, grounds=grounds,
        before={"organization": congress.organization.code,
                **corrections.snapshot(congress, CONGRESS_FIELDS),
                "candidates": _candidate_lines(congress)},
        by=by, effects=effects, audit_on=[congress, congress.organization],
        labels={"candidates": _("Người ứng cử; số phiếu")},
    )  # fmt: skip
    Post.objects.filter(replaced__in=posts).update(replaced=None)
    for post in posts:
        post.delete()
    congress.delete()
