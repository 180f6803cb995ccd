"""What awards shows elsewhere: the home page's line of badges due at the next occasion
(core.dashboard), and the member page's box of badges held and the next due
(members.hooks.member_panels)."""

from datetime import date

from django.utils import timezone

from tochuc.accounts.permissions import CHANGE_MEMBERS

from . import rules, selectors
from .models import Stage


def badges_panel(request, organization, on: date) -> dict | None:
    occasion = rules.next_occasion(on)
    due = selectors.due_count(organization=organization, occasion=occasion)
    proposed = (
        selectors.badge_cases(scope=None, organization=organization, occasion=occasion)
        .exclude(stage=Stage.WITHDRAWN)
        .count()
    )
    if not due and not proposed:
        return None
    return {"occasion": occasion, "due": due, "proposed": proposed}


def register() -> None:
    from tochuc.core.dashboard import register_panel

    register_panel("awards.badges", "awards/_badges_panel.html", badges_panel, order=60)


def member_panel(request, member) -> dict:
    found = selectors.member_badges(member=member, today=timezone.localdate())
    return {
        "template": "awards/_member_panel.html",
        "badges": found,
        "can_propose": CHANGE_MEMBERS in request.org_perms,
    }
