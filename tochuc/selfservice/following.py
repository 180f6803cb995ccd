"""What self-service does when other apps act (their hooks, appended in `apps.ready()`):
invite the cell's members to a meeting called, tell them of a document sent to the cell,
send a member home to their own page, show the account's box on the staff's member page."""

from django.urls import reverse
from django.utils.translation import gettext as _

from tochuc.accounts.permissions import MANAGE_MEMBER_ACCOUNTS
from tochuc.lib.dates import vn_date
from tochuc.members.selectors import roll_on
from tochuc.notifications.models import Kind
from tochuc.notifications.services import notify

from .models import MemberAccount
from .selectors import account_for_member, account_of


def users_of(members) -> list:
    """The sign-in accounts (activated, not locked) of `members`."""
    accounts = MemberAccount.objects.filter(
        member__in=members, activated_at__isnull=False, deactivated_at__isnull=True
    ).select_related("user")
    return [a.user for a in accounts]


def invite_to_meeting(planned, *, by=None) -> int:
    """The members expected at the meeting (the cell's roll on its day) are invited."""
    roll = roll_on(organization=planned.organization, on=planned.on)
    where = f" — {planned.place}" if planned.place else ""
    return notify(
        users=users_of([entry.member for entry in roll]),
        kind=Kind.MEETING_INVITATION,
        title=_("Mời dự buổi %(kind)s ngày %(day)s")
        % {"kind": planned.get_kind_display().lower(), "day": vn_date(planned.on)},
        body=f"{planned.organization.name}{where}. {planned.topic}".strip(),
        url=reverse("selfservice:meetings"),
    )


def tell_about_document(distribution, *, recipients, by=None) -> int:
    """The members of each recipient cell learn that a document reached their cell."""
    document = distribution.document
    members = [
        entry.member
        for cell in recipients
        for entry in roll_on(organization=cell, on=distribution.sent_on)
    ]
    return notify(
        users=users_of(members),
        kind=Kind.DOCUMENT,
        title=_("Văn bản mới gửi chi bộ: %(number)s") % {"number": document.number},
        body=document.title,
        url=reverse("selfservice:document", args=[document.pk]),
    )


def home_of_member(request) -> str | None:
    return reverse("selfservice:home") if account_of(request.user) else None


def account_panel(request, member) -> dict | None:
    """The account's state on the staff's member page, with the link to manage it."""
    if MANAGE_MEMBER_ACCOUNTS not in request.org_perms:
        return None
    return {
        "template": "selfservice/_member_panel.html",
        "account": account_for_member(member=member),
        "member": member,
    }
