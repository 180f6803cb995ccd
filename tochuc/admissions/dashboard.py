"""The dashboard panel "Việc đến hạn": what is due and overdue in admissions and probation
for the organization shown, on the day shown."""

from tochuc.accounts.permissions import VIEW

PANEL_SIZE = 10


def due_panel(request, organization, on) -> dict | None:
    from . import selectors

    items = selectors.due_items(scope=request.scope, on=on, organization=organization)
    overdue = [i for i in items if i.overdue]
    return {
        "due_items": items[:PANEL_SIZE],
        "due_more": max(len(items) - PANEL_SIZE, 0),
        "due_overdue": len(overdue),
        "due_total": len(items),
    }


def register() -> None:
    from tochuc.core.dashboard import register_panel

    register_panel(
        "admissions_due", "admissions/_due_panel.html", due_panel, permission=VIEW, order=20
    )
