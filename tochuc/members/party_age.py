"""Party age (tuổi đảng): from the first admission decision, minus every period without
party activity (after removal, expulsion or resignation until re-admission; between a
transfer out and the arrival — beyond the letter's presentation deadline — where the rules
in force say so). One function that the member page, badges and reports share."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _

from tochuc.lib.dates import full_months
from tochuc.policy.rules import Policy, policy_for

from .models import MemberEvent

T = MemberEvent.Type
EXITS = (T.REMOVED, T.EXPELLED, T.RESIGNED, T.DIED)


@dataclass(frozen=True)
class PartyAge:
    years: int
    months: int
    gap_days: int

    def __str__(self) -> str:
        return (
            _("%(years)s năm %(months)s tháng") % {"years": self.years, "months": self.months}
            if self.months
            else _("%(years)s năm") % {"years": self.years}
        )


Rules = Callable[[date], Policy]


def gaps(events: list[MemberEvent], on: date, rules: Rules = policy_for) -> list[tuple[date, date]]:
    """Periods without party activity up to `on`, from the timeline in date order.

    `rules` gives the policy in force on a date (bulk work passes a cached lookup)."""
    periods: list[tuple[date, date]] = []
    out_since: date | None = None
    transfer_since: date | None = None
    for event in sorted(events, key=lambda e: (e.on, e.pk or 0)):
        if event.on > on:
            break
        if event.type in EXITS and out_since is None:
            out_since = event.on
        elif event.type == T.READMITTED and out_since is not None:
            periods.append((out_since, event.on))
            out_since = None
        elif event.type == T.TRANSFERRED_OUT and event.other_organization_id:
            if rules(event.on).party_age_deducts_transfer_gaps:
                transfer_since = _gap_start(event)
        elif event.type == T.TRANSFERRED_IN and transfer_since is not None:
            if transfer_since < event.on:
                periods.append((transfer_since, event.on))
            transfer_since = None
    if out_since is not None:
        periods.append((out_since, on))
    if transfer_since is not None and transfer_since < on:
        periods.append((transfer_since, on))
    return periods


def _gap_start(transferred_out) -> date:
    """Where a transfer's gap starts. With an introduction letter the member is in transit
    until the letter's presentation deadline (kept in the event's detail); only the days
    after it, until the arrival, are without party activity. A transfer recorded without a
    letter (history entered later) counts from the day of leaving."""
    due = (transferred_out.detail or {}).get("present_due")
    if due:
        return due if isinstance(due, date) else date.fromisoformat(due)
    return transferred_out.on


def anchor(events: list[MemberEvent], on: date, rules: Rules = policy_for) -> date | None:
    """The date from which party age at `on` counts as plain elapsed time."""
    admissions = [e.on for e in events if e.type == T.ADMITTED]
    if not admissions:
        return None
    deducted = sum(((end - start).days for start, end in gaps(events, on, rules)), 0)
    return min(admissions) + timedelta(days=deducted)


def party_age(events: list[MemberEvent], on: date) -> PartyAge | None:
    start = anchor(events, on)
    if start is None or start > on:
        return None
    months = full_months(start, on)
    deducted = (start - min(e.on for e in events if e.type == T.ADMITTED)).days
    return PartyAge(months // 12, months % 12, deducted)
