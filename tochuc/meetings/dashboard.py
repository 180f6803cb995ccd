"""The home page panel "Sinh hoạt chi bộ tháng này": for the organization shown, on the day
shown, how many of its cells have held this month's regular meeting, the attendance rate of
the month so far, and the first cells still due."""

from tochuc.accounts.permissions import VIEW

PANEL_SIZE = 8


def month_panel(request, organization, on) -> dict | None:
    from . import selectors

    summary = selectors.month_summary(organization, on, first=PANEL_SIZE)
    if not summary.cells:
        return None
    month = summary.month
    return {
        "meetings_cells": summary.cells,
        "meetings_not_met": summary.regular_missing,
        "meetings_no_thematic": summary.thematic_missing,
        "meetings_held": month.held,
        "meetings_rate": round(100 * month.present / month.expected) if month.expected else None,
        "meetings_due": [(cell.code, cell.name) for cell in summary.first_missing],
        "meetings_more": max(summary.regular_missing - PANEL_SIZE, 0),
    }


def register() -> None:
    from tochuc.core.dashboard import register_panel

    register_panel(
        "meetings_month", "meetings/_month_panel.html", month_panel, permission=VIEW, order=40
    )
