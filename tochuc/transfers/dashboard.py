"""The home page's transfers panel: members counted on the date, temporary members hosted,
transfers waiting either way and the overdue ones."""

from datetime import date

from tochuc.members.selectors import temporary_member_count_on

from . import selectors
from .models import Transfer


def transfers_panel(request, organization, on: date) -> dict:
    from tochuc.statistics.sources import member_total  # the summary table when it is fresh

    out = selectors.transfers_out(organization=organization)
    into = selectors.transfers_in(organization=organization)
    waiting = {"kind": Transfer.Kind.OFFICIAL, "state": Transfer.State.ISSUED}
    return {
        "members_on": member_total(organization, on),
        "temporary_on": temporary_member_count_on(organization=organization, on=on),
        "waiting_out": out.filter(**waiting).count(),
        "waiting_in": into.filter(**waiting).count(),
        "overdue": (selectors.overdue(out, today=on) | selectors.overdue(into, today=on)).count(),
    }


def register() -> None:
    from tochuc.core.dashboard import register_panel

    register_panel(
        "members.transfers", "transfers/_transfers_panel.html", transfers_panel, order=40
    )
