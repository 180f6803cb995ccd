"""Remittance up the tree (trích giữ lại, nộp lên): per month, each organization's collected,
received-from-below, retained and remitted dues, from the cells' sheets and the shares of
the dues policy in force that month.

An organization keeps its share of what passes through it — what its own sheet collected
plus what its children remitted — and remits the rest to its parent as the tree was at the
month's end (OrganizationVersion). So, for every organization and month,

    collected + received = retained + remitted

holds in integer đồng (the retained part is rounded down, the remitted part is the rest),
and what a parent received is exactly the sum of what its children remitted. The province
remits to the Central Committee.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from django.db.models import Q

from tochuc.lib.paths import under
from tochuc.organizations.models import GrassrootsType, Kind, Organization, OrganizationVersion
from tochuc.policy.dues import DuesPolicy, DuesPolicyLookup

from .models import DuesSheet
from .rolls import month_end

LOCAL_GRASSROOTS = (
    GrassrootsType.COMMUNE, GrassrootsType.WARD, GrassrootsType.TOWNLET,
    GrassrootsType.SPECIAL_ZONE, GrassrootsType.VILLAGE, GrassrootsType.RESIDENTIAL,
)  # fmt: skip
# The kinds that collect from their members (a cell's collection sheet).
COLLECTING = (Kind.CELL, Kind.BASE_CELL)


def retained_share(policy: DuesPolicy, kind: str, grassroots_type: str) -> Fraction:
    if kind == Kind.CELL:
        return policy.retained_cell
    if kind == Kind.SUB_COMMITTEE:
        return policy.retained_sub_committee
    if kind in (Kind.BASE_CELL, Kind.BASE_COMMITTEE):
        if grassroots_type in LOCAL_GRASSROOTS:
            return policy.retained_grassroots_local
        return policy.retained_grassroots
    return policy.retained_above_grassroots


@dataclass
class Line:
    organization_id: int
    collected: int = 0
    received: int = 0
    retained: int = 0
    remitted: int = 0

    @property
    def through(self) -> int:
        return self.collected + self.received

    @property
    def balanced(self) -> bool:
        return self.collected + self.received == self.retained + self.remitted

    def add(self, other: Line) -> None:
        self.collected += other.collected
        self.received += other.received
        self.retained += other.retained
        self.remitted += other.remitted


@dataclass
class Month:
    month: date
    lines: dict[int, Line]  # organization id → its line
    parents: dict[int, int | None]  # the tree of the month's end, inside the subtree
    root_id: int

    def children(self, organization_id: int) -> list[int]:
        return [o for o, p in self.parents.items() if p == organization_id]


def _versions(root: Organization, first: date, last: date) -> list[tuple]:
    """The versions in force at some month's end of [first, last] that can be in `root`'s
    subtree: under one of the paths `root` had then (not the whole province's tree)."""
    province_id = root.province_id or root.pk
    in_period = Q(valid_to__isnull=True) | Q(valid_to__gt=month_end(first))
    prefixes = set(
        OrganizationVersion.objects.filter(in_period, organization_id=root.pk)
        .filter(valid_from__lte=month_end(last))
        .values_list("path", flat=True)
    )
    if not prefixes:
        return []
    subtree = Q()
    for prefix in sorted(prefixes):
        subtree |= under("path", prefix)
    return list(
        OrganizationVersion.objects.filter(
            Q(province_id=province_id) | Q(organization_id=province_id),
            in_period,
            subtree,
            valid_from__lte=month_end(last),
        ).values_list(
            "organization_id", "parent_id", "path", "depth", "kind", "valid_from", "valid_to"
        )  # fmt: skip
    )


def ledger(*, root: Organization, months: list[date]) -> list[Month]:
    """The ledger of `root`'s subtree for each month (first days), in a few queries."""
    if not months:
        return []
    versions = _versions(root, months[0], months[-1])
    grassroots = dict(
        Organization.objects.filter(pk__in={v[0] for v in versions}).values_list(
            "pk", "grassroots_type"
        )
    )
    collected = defaultdict(int)
    for org_id, month, amount in DuesSheet.objects.filter(
        organization_id__in=grassroots, month__gte=months[0], month__lte=months[-1]
    ).values_list("organization_id", "month", "collected"):
        collected[(org_id, month)] += amount
    rules = DuesPolicyLookup()
    return [_month(root, month, versions, grassroots, collected, rules(month)) for month in months]


def _month(root, month, versions, grassroots, collected, policy) -> Month:
    day = month_end(month)
    in_force = {v[0]: v for v in versions if v[5] <= day and (v[6] is None or v[6] > day)}
    root_version = in_force.get(root.pk)
    if root_version is None:
        return Month(month, {}, {}, root.pk)
    prefix = root_version[2]
    subtree = {o: v for o, v in in_force.items() if v[2].startswith(prefix)}
    lines = {o: Line(o, collected=collected.get((o, month), 0)) for o in subtree}
    for org_id, version in sorted(subtree.items(), key=lambda item: -item[1][3]):
        line = lines[org_id]
        share = retained_share(policy, version[4], grassroots.get(org_id, ""))
        line.retained = line.through * share.numerator // share.denominator
        line.remitted = line.through - line.retained
        parent = version[1]
        if org_id != root.pk and parent in lines:
            lines[parent].received += line.remitted
    parents = {o: (v[1] if o != root.pk else None) for o, v in subtree.items()}
    return Month(month, lines, parents, root.pk)


@dataclass
class PeriodRow:
    organization: Organization
    line: Line
    depth: int  # 0 the root, 1 its children


def period_rows(*, root: Organization, months: list[date]) -> tuple[list[PeriodRow], Line]:
    """The root and its direct children (those of any month of the period), each with its
    lines summed over the months; and the root's total."""
    per_month = ledger(root=root, months=months)
    sums: dict[int, Line] = {}
    children: set[int] = set()
    for month in per_month:
        ids = [root.pk, *month.children(root.pk)]
        children.update(ids[1:])
        for org_id in ids:
            if org_id in month.lines:
                sums.setdefault(org_id, Line(org_id)).add(month.lines[org_id])
    organizations = Organization.objects.in_bulk([root.pk, *children])
    rows = [PeriodRow(root, sums.get(root.pk, Line(root.pk)), 0)]
    kids = sorted((organizations[c] for c in children), key=lambda o: (o.name_sort, o.pk))
    rows += [PeriodRow(o, sums.get(o.pk, Line(o.pk)), 1) for o in kids]
    return rows, rows[0].line
