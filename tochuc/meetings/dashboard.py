"""The home page panel "Sinh hoạt chi bộ tháng này": for the organization shown, on the day
shown, how many of its cells have held this month's regular meeting, the attendance rate of
the month so far, and the first cells still due."""

from tochuc.accounts.permissions import VIEW

PANEL_SIZE = 8


def month_panel(request, organization, on) -> dict | None:
    from . import selectors

    cells = selectors.cells_on(organization, on)
    if not cells:
        return None
    due = selectors.due_cells(organization, on)
    not_met = [d for d in due if d.regular_missing]
    month = selectors.figures(organization, selectors.month_start(on), on)
    total = selectors.Figures()
    for item in month:
        total.add(item.total)
    return {
        "meetings_cells": len(cells),
        "meetings_not_met": len(not_met),
        "meetings_no_thematic": sum(1 for d in due if d.thematic_missing),
        "meetings_held": total.held,
        "meetings_rate": round(100 * total.present / total.expected) if total.expected else None,
        "meetings_due": [(d.cell.code, d.cell.name) for d in not_met[:PANEL_SIZE]],
        "meetings_more": max(len(not_met) - PANEL_SIZE, 0),
    }


def register() -> None:
    from tochuc.core.dashboard import register_panel

    register_panel(
        "meetings_month", "meetings/_month_panel.html", month_panel, permission=VIEW, order=40
    )
