"""Transfers in progress for the demo: a few members of two communes of a province move
between them through the real procedures (letters, receipts, a late one, temporary activity,
a transfer out of the system, members working away), so the transfer pages, the overdue
lists and the home page's panel have something to show.

The lead calls `add_demo_transfers(province)` at the end of the demo build (after members).
"""

from datetime import date, timedelta

from django.utils import timezone

from tochuc.lib.paths import under
from tochuc.members.models import Member, Status
from tochuc.members.timeline import CELL_KINDS
from tochuc.organizations.models import Kind, Organization

from .services import (
    temporary_transfer_issue,
    transfer_issue,
    transfer_receive,
    working_away_record,
)


def _cells_with_members(commune: Organization, today: date) -> list[Organization]:
    cells = Organization.objects.filter(
        under("path", commune.path), kind__in=CELL_KINDS, ended_on__isnull=True,
        founded_on__lte=today - timedelta(days=400),
    ).order_by("code")  # fmt: skip
    return [c for c in cells if Member.objects.filter(organization=c, status=Status.FULL).exists()]


def _members(cells: list[Organization], n: int, today: date) -> list[Member]:
    """Full members with nothing recorded in the last 210 days (the demo's procedures start
    up to 200 days back, and a timeline is written in date order)."""
    return list(
        Member.objects.filter(organization__in=cells, status=Status.FULL)
        .exclude(events__on__gt=today - timedelta(days=210))
        .order_by("name_sort", "id")[:n]
    )


def add_demo_transfers(
    province: Organization, *, communes: list[Organization] | None = None,
    today: date | None = None,
) -> dict[str, int]:  # fmt: skip
    """Transfers between two communes of `province` that have members (the given ones, else
    the first two by code). Returns what was made, by kind. Dates are set back from `today`
    so that the deadlines land on both sides of it: one letter received, one waiting, one
    past its presentation deadline."""
    today = today or timezone.localdate()
    communes = communes or Organization.objects.filter(
        under("path", province.path), kind=Kind.COMMUNE, ended_on__isnull=True
    ).order_by("code")
    pairs = []
    for commune in communes:
        cells = _cells_with_members(commune, today)
        if cells:
            pairs.append(cells)
        if len(pairs) == 2:
            break
    if len(pairs) < 2:
        return {}
    home, (away, *_) = pairs
    movers = _members(home, 6, today)
    made = {"received": 0, "waiting": 0, "overdue": 0, "temporary": 0, "out": 0, "away": 0}
    if len(movers) < 6:
        return made
    received = transfer_issue(member=movers[0], on=today - timedelta(days=40), to=away,
                              reason="Chuyển nơi cư trú")  # fmt: skip
    transfer_receive(transfer=received, arrived_on=today - timedelta(days=30))
    made["received"] += 1
    transfer_issue(
        member=movers[1], on=today - timedelta(days=7), to=away, reason="Chuyển công tác",
        move_decided_on=today - timedelta(days=20),
    )  # fmt: skip
    made["waiting"] += 1
    transfer_issue(member=movers[2], on=today - timedelta(days=70), to=away,
                   reason="Chuyển công tác")  # fmt: skip
    made["overdue"] += 1
    temporary_transfer_issue(
        member=movers[3], on=today - timedelta(days=30), ends_on=today + timedelta(days=150),
        purpose="work", host=away, reason="Biệt phái công tác 6 tháng",
    )  # fmt: skip
    made["temporary"] += 1
    transfer_issue(member=movers[4], on=today - timedelta(days=15),
                   other_party="Đảng ủy phường Bến Nghé, Thành ủy TP Hồ Chí Minh",
                   reason="Chuyển nơi cư trú")  # fmt: skip
    made["out"] += 1
    working_away_record(
        member=movers[5], place="KCN VSIP, Thuận An, Bình Dương",
        starts_on=today - timedelta(days=200), contact="Điện thoại 0912 345 678",
    )  # fmt: skip
    made["away"] += 1
    return made
