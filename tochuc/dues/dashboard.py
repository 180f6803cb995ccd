"""The home page's dues panel (the due line): the cells of the organization's subtree that
have not reported this month's dues, and last month's."""

from datetime import date

from tochuc.lib.dates import add_months
from tochuc.policy.dues import first_of_month

from . import selectors


def dues_panel(request, organization, on: date) -> dict | None:
    month = first_of_month(on)
    this = selectors.cell_states(organization=organization, month=month)
    if not this:
        return None
    last = selectors.cell_states(organization=organization, month=add_months(month, -1))
    return {
        "month": month,
        "cells": len(this),
        "unreported": sum(1 for s in this if not s.reported),
        "last_month": add_months(month, -1),
        "last_unreported": sum(1 for s in last if not s.reported),
        "first": [s.organization.name for s in this if not s.reported][:5],
    }


def register() -> None:
    from tochuc.core.dashboard import register_panel

    register_panel("dues.unreported", "dues/_dues_panel.html", dues_panel, order=60)
