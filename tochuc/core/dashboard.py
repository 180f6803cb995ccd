"""The home page's panels: each app registers what it shows for one organization on a date.

An app calls `register_panel` from its `AppConfig.ready()`; the home page renders, in order,
every panel whose permission the user holds at that organization and whose context function
returns a dict (None hides the panel: nothing to show there).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from tochuc.accounts.permissions import VIEW


@dataclass(frozen=True)
class Panel:
    key: str
    template: str
    context: Callable[..., dict | None]
    permission: str = VIEW
    order: int = 100


PANELS: dict[str, Panel] = {}


def register_panel(key, template, context, permission=VIEW, order=100) -> None:
    PANELS[key] = Panel(key, template, context, permission, order)


def panels_for(request, organization, on: date) -> list[tuple[Panel, dict]]:
    """The panels to show, each with its context, in order."""
    allowed = request.scope.permissions_for(organization)
    shown = []
    for panel in sorted(PANELS.values(), key=lambda p: (p.order, p.key)):
        if panel.permission not in allowed:
            continue
        context = panel.context(request, organization, on)
        if context is not None:
            shown.append((panel, {**context, "organization": organization, "on": on}))
    return shown
