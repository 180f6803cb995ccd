"""The home page's dues panel (the due line): the cells of the organization's subtree that
have not reported this month's dues, and last month's."""

from datetime import date

from tochuc.lib.dates import add_months
from tochuc.policy.dues import first_of_month

from . import selectors

PANEL_SIZE = 5  # the first unreported cells named


def dues_panel(request, organization, on: date) -> dict | None:
    month = first_of_month(on)
    this = selectors.reporting(organization=organization, month=month, first=PANEL_SIZE)
    if not this.cells:
        return None
    last = selectors.reporting(organization=organization, month=add_months(month, -1))
    return {
        "month": month,
        "cells": this.cells,
        "unreported": this.unreported,
        "last_month": add_months(month, -1),
        "last_unreported": last.unreported,
        "first": this.first_unreported,
    }


def register() -> None:
    from tochuc.core.dashboard import register_panel

    register_panel("dues.unreported", "dues/_dues_panel.html", dues_panel, order=60)
