"""The home page's panel of programmes and documents (the due list): key tasks overdue or
due soon (the policy's notice days) for the organization's subtree, assigned to it or set
by it; documents sent to its cells and not yet read."""

from datetime import date, timedelta

from tochuc.documents.selectors import unread_for
from tochuc.policy.rules import policy_for

from . import selectors


def programmes_panel(request, organization, on: date) -> dict | None:
    notice = policy_for(on).programme_task_notice_days
    overdue = selectors.tasks_overdue(organization=organization, on=on)
    soon = selectors.tasks_due(organization=organization, start=on, end=on + timedelta(days=notice))
    unread = unread_for(organization=organization).count()
    if not (overdue or soon or unread):
        return None
    return {
        "overdue": overdue[:10],
        "overdue_count": len(overdue),
        "soon": soon[:10],
        "notice": notice,
        "unread": unread,
    }


def register() -> None:
    from tochuc.core.dashboard import register_panel

    register_panel("programmes.tasks", "programmes/_panel.html", programmes_panel, order=90)
