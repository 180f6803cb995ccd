"""Reads of the membership statistics beyond the report figures (which read through sources)."""

from __future__ import annotations

from tochuc.accounts.access import Scope
from tochuc.organizations.models import Organization
from tochuc.reports.periods import Period

from . import sources

DRILLDOWN_LIMIT = 200


def unbalanced_rows(
    *, scope: Scope, organization: Organization | None, period: Period, by_child: bool
) -> dict | None:
    """When a movement balance is off: the members who cause the difference (those the
    caller may see, with a link to each; the others only counted), or None."""
    if organization is None or not period.is_period:
        return None
    span = sources.Span(organization, period.before, period.end)
    found = sources.unbalanced_members(span, period.start, period.end, by_child=by_child)
    if not found:
        return None
    visible = scope.members().filter(pk__in={u.member_id for u in found})
    members = {m.pk: m for m in visible.only("pk", "full_name", "birth_date", "status")}
    rows = [
        {
            "member": members[u.member_id],
            "where": span.name(u.bucket, period.end),
            "counted": u.counted,
            "found": u.found,
            "difference": u.found - u.counted,
        }
        for u in found
        if u.member_id in members
    ]
    rows.sort(key=lambda r: (r["where"], r["member"].full_name, r["member"].pk))
    return {
        "rows": rows[:DRILLDOWN_LIMIT],
        "more": max(0, len(rows) - DRILLDOWN_LIMIT),
        "hidden": len(found) - len(rows),
        "difference": sum(u.found - u.counted for u in found),
    }
