"""How the committees follow the rest of the system, through the hooks other apps own:

- `end_posts_of_leavers` (members.hooks.acts_recorded): a holder who leaves the
  organization — transferred out of its subtree, removed, expelled, resigned from the
  Party, dead — or is dismissed (cách chức) no longer holds their posts from that day; the
  seats show as vacant.
- `end_posts_of_ended` (organizations.hooks.ending): an organization that ends (merged,
  split, dissolved) ends its posts that day.
- `signer` (organizations.hooks.signers): who signs an organization's letters on a date.
"""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from tochuc.core.errors import ProcedureError
from tochuc.lib.dates import vn_date
from tochuc.members.models import MemberEvent
from tochuc.organizations.hooks import Signer
from tochuc.organizations.models import UNDER_GRASSROOTS_KINDS, Kind, Organization

from . import selectors
from .models import Committee, Ended, Post, Role
from .services import post_close, post_reopen

T = MemberEvent.Type
LEAVING = {
    T.TRANSFERRED_OUT: Ended.TRANSFER,
    T.REMOVED: Ended.LEFT_PARTY,
    T.RESIGNED: Ended.LEFT_PARTY,
    T.EXPELLED: Ended.DISCIPLINE,
    T.DIED: Ended.DEATH,
}
DISMISSAL = "dismissal"  # inspections.models.DisciplineForm.DISMISSAL (cách chức)


def _how(event) -> str | None:
    if event.type == T.DISCIPLINED:
        return Ended.DISCIPLINE if (event.detail or {}).get("form") == DISMISSAL else None
    return LEAVING.get(event.type)


def end_posts_of_leavers(member, events, *, by=None) -> None:
    for event in events:
        how = _how(event)
        if how is None:
            continue
        posts = list(
            Post.objects.select_for_update()
            .filter(member=member, ended_on__isnull=True, began_on__lte=event.on)
            .select_related("committee__organization")
        )
        if not posts:
            continue
        destination = None
        if event.type == T.TRANSFERRED_OUT and event.other_organization_id:
            destination = Organization.objects.filter(pk=event.other_organization_id).first()
        for post in posts:
            organization = post.committee.organization
            if destination is not None and destination.path.startswith(organization.path):
                continue  # moving within the organization: still one of its members
            post_close(post, on=event.on, how=how, decision_no=event.decision_no,
                 decision_date=event.decision_date, event=event, by=by)  # fmt: skip


def end_posts_of_ended(organization: Organization, on: date) -> None:
    """organizations.hooks.ending: an organization merged, split or dissolved has no
    committee from that day; its successor's committee is designated (Cấp ủy nhiệm kỳ mới)."""
    for post in Post.objects.select_for_update().filter(
        committee__organization=organization, ended_on__isnull=True
    ):
        post_close(post, on=on, how=Ended.ORGANIZATION_ENDED)


def _ended_by(event, on: date):
    from tochuc.organizations.models import EventParticipant

    ending = (EventParticipant.Role.SOURCE, EventParticipant.Role.SUBJECT)
    return Post.objects.select_for_update().filter(
        committee__organization__in=event.parts.filter(role__in=ending).values("organization"),
        ended_how=Ended.ORGANIZATION_ENDED, ended_on=on,
    )  # fmt: skip


def reopen_posts_of_cancelled(event) -> None:
    """organizations.hooks.event_cancelled: a restructuring recorded by mistake is undone; the
    posts it ended are held again. A committee already given to an organization it created
    refuses the cancellation."""
    from tochuc.organizations.models import EventParticipant

    results = event.parts.filter(role=EventParticipant.Role.RESULT).values("organization")
    designated = (
        Committee.objects.filter(organization__in=results, formed_on__gte=event.effective_on)
        .select_related("organization")
        .first()
    )
    if designated is not None:
        raise ProcedureError(
            _("%(name)s đã có cấp ủy từ ngày %(day)s: không hủy được việc sắp xếp.")
            % {"name": designated.organization.name, "day": vn_date(designated.formed_on)}
        )
    for post in _ended_by(event, event.effective_on):
        post_reopen(post)


def move_posts_of_corrected(event, old_on: date) -> None:
    """organizations.hooks.event_corrected: the posts a restructuring ended end on its
    corrected date."""
    if event.effective_on == old_on:
        return
    for post in _ended_by(event, old_on):
        post_close(post, on=event.effective_on, how=Ended.ORGANIZATION_ENDED)


def describe_restructuring(event) -> list[str]:
    """organizations.hooks.describers: in a restructuring's preview and history, the posts
    it ended and the new organizations whose committee is still to be designated."""
    from tochuc.organizations.models import EventParticipant

    parts = list(event.parts.select_related("organization"))
    ending = (EventParticipant.Role.SOURCE, EventParticipant.Role.SUBJECT)
    ended = [p.organization_id for p in parts if p.role in ending]
    designated = _designated_lines(event, parts)
    if not designated and not Committee.objects.filter(organization__in=ended).exists():
        return []  # nothing of the committees' was there: nothing to say
    lines = []
    count = Post.objects.filter(
        committee__organization__in=ended, ended_how=Ended.ORGANIZATION_ENDED,
        ended_on=event.effective_on,
    ).count()  # fmt: skip
    if count:
        lines.append(_("%(count)s chức vụ trong cấp ủy kết thúc.") % {"count": count})
    for part in parts:
        if part.role != EventParticipant.Role.RESULT:
            continue
        if selectors.committee_on(organization=part.organization, on=event.effective_on) is None:
            lines.append(
                _("Cần chỉ định cấp ủy của %(name)s (Cấp ủy → Cấp ủy nhiệm kỳ mới).")
                % {"name": part.organization.name}
            )
    return lines + designated


def _designated_lines(event, parts) -> list[str]:
    """The committees designated for the results on the event's day (designation.py)."""
    from tochuc.organizations.models import EventParticipant

    lines = []
    results = [p.organization for p in parts if p.role == EventParticipant.Role.RESULT]
    for committee in Committee.objects.filter(
        organization__in=results, formed_on=event.effective_on, formed_how="designated"
    ).select_related("organization"):
        posts = selectors.posts_on(committee=committee, on=event.effective_on)
        lines.append(
            _("Chỉ định cấp ủy %(name)s (%(size)s cấp ủy viên): %(posts)s.")
            % {
                "name": committee.organization.name,
                "size": committee.size,
                "posts": "; ".join(f"{p.get_role_display()} {p.member.full_name}" for p in posts),
            }  # fmt: skip
        )
    return lines


CELL_KINDS = (Kind.BASE_CELL, Kind.CELL)


def _on_behalf(committee) -> str:
    kind = committee.organization.kind
    if committee.standing_size:
        return _("T/M Ban Thường vụ")
    if kind in CELL_KINDS:
        return _("T/M Chi ủy") if committee.size > 2 else _("T/M Chi bộ")
    if kind in UNDER_GRASSROOTS_KINDS:
        return _("T/M Đảng ủy bộ phận")
    return _("T/M Đảng ủy")


def signer(organization: Organization, on: date) -> Signer | None:
    """The secretary in office on `on`, for the organization's letters and decisions."""
    committee = selectors.committee_on(organization=organization, on=on)
    if committee is None:
        return None
    secretary = (
        committee.posts.filter(selectors.open_on(on), role=Role.SECRETARY)
        .select_related("member")
        .first()
    )
    if secretary is None:
        return None
    return Signer(_on_behalf(committee), _("Bí thư"), secretary.member.full_name)
