"""Start + in − out = end across a restructuring that members are in transit through.

As on 1/7/2025: on one day the districts end, their cells go under new communes (moved,
merged into a sibling cell, or carried by a district split into communes), while members
hold letters issued before that day and arrive after it — some out of a cell that was
merged that day (their activity followed the merger), some out of a cell that moved under
a new parent. Random complete histories of this kind (seeded, written through the services
only) balance for every node of the tree and every year and quarter, and no member is
named by the drill-down.
"""

import contextlib
import random
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from tochuc.core.errors import ProcedureError
from tochuc.members.models import Member, MemberEvent, Status
from tochuc.members.services import member_exit, member_transfer
from tochuc.organizations.models import Kind, Organization
from tochuc.organizations.services import (
    NewOrganization,
    organization_dissolve,
    organization_merge,
    organization_move,
    organization_split,
)
from tochuc.reports.tests.fixtures import all_periods, imbalances
from tochuc.statistics import sources
from tochuc.testing import found, register
from tochuc.transfers.services import transfer_issue, transfer_receive

pytestmark = pytest.mark.django_db

OLD = date(2000, 1, 1)
RESTRUCTURED = date(2025, 7, 1)
T = MemberEvent.Type


class Restructuring:
    """Three districts of three cells each, life in 2024–2026 and, on 1/7/2025, the
    districts end: the first is split into two new communes, the cells of the second move
    under a third new commune (one of them merged into a sibling first), the third district
    is merged into the first new commune's result. Letters issued in the six weeks before
    arrive on that day or in the six weeks after."""

    def __init__(self, cast, seed: int):
        self.rng = random.Random(seed)
        self.cast = cast
        self.province = cast.province
        self.districts = [
            found(f"T01.H{i}", f"Đảng bộ huyện Số {i}", Kind.DISTRICT, self.province, on=OLD)
            for i in (1, 2, 3)
        ]
        self.cells = {
            d.pk: [
                found(
                    f"{d.code}.C{j}", f"Chi bộ thôn {d.code[-1]}-{j}", Kind.BASE_CELL, d, on=OLD
                )  # fmt: skip
                for j in (1, 2, 3)
            ]
            for d in self.districts
        }
        self.people = 0
        for cell in self.all_cells():
            for _ in range(self.rng.randint(3, 5)):
                self.people += 1
                register(cell, f"Đảng viên Số {self.people}",
                         admitted_on=date(2005 + self.rng.randrange(14), 3, 5))  # fmt: skip
        self.busy: dict[int, date] = {}
        self.letters = []  # (transfer, arrival day) received after the restructuring

    def all_cells(self) -> list[Organization]:
        return [c for cells in self.cells.values() for c in cells]

    def alive(self, on: date) -> list[Organization]:
        ids = [c.pk for c in self.all_cells()]
        return [
            c
            for c in Organization.objects.filter(pk__in=ids).order_by("pk")
            if c.ended_on is None or c.ended_on > on
        ]

    def member(self, on: date) -> Member | None:
        members = [
            m
            for m in Member.objects.filter(status__in=[Status.PROBATIONARY, Status.FULL])
            .filter(province=self.province)
            .order_by("pk")
            if self.busy.get(m.pk, date.min) < on
        ]
        return self.rng.choice(members) if members else None

    def quiet_life(self, first: date, last: date) -> None:
        """Transfers completed at once, exits and admissions between `first` and `last`."""
        day = first
        while True:
            day += timedelta(days=self.rng.randint(4, 15))
            if day >= last:
                return
            member, cells = self.member(day), self.alive(day + timedelta(days=10))
            action = self.rng.choice(("move", "move", "admit", "exit"))
            with contextlib.suppress(ValidationError, ProcedureError):
                if action == "admit" and cells:
                    self.people += 1
                    admitted = register(self.rng.choice(cells), f"Đảng viên Số {self.people}",
                                        admitted_on=day, confirmed=False)  # fmt: skip
                    self.busy[admitted.pk] = day
                elif action == "exit" and member:
                    member_exit(member=member, type="died", on=day)
                    self.busy[member.pk] = day
                elif member and len(cells) > 1:
                    to = self.rng.choice([c for c in cells if c.pk != member.organization_id])
                    arrived = min(day + timedelta(days=self.rng.randint(0, 10)), last)
                    member_transfer(member=member, on=day, to=to, arrived_on=arrived)
                    self.busy[member.pk] = arrived

    def letters_across(self) -> None:
        """Letters issued in the six weeks before the restructuring, to cells that survive
        it, each received on its day (the cell left under the old parent, the arrival
        counted under the new one) or up to 40 days after it."""
        survivors = [self.cells[d.pk][0] for d in self.districts[:2]]
        for _ in range(self.rng.randint(6, 10)):
            on = RESTRUCTURED - timedelta(days=self.rng.randint(1, 42))
            member = self.member(on)
            if member is None:
                continue
            to = self.rng.choice([c for c in survivors if c.pk != member.organization_id])
            with contextlib.suppress(ValidationError, ProcedureError):
                transfer = transfer_issue(member=member, on=on, to=to)
                arrival = RESTRUCTURED + timedelta(days=self.rng.choice((0, 0, 3, 12, 40)))
                self.letters.append((transfer, arrival))
                self.busy[member.pk] = arrival

    def restructure(self) -> list[Organization]:
        on = RESTRUCTURED
        first, second, third = self.districts
        a, b, c = self.cells[first.pk]
        one, two = organization_split(
            source=first,
            parts=[
                NewOrganization("T01.X1", "Đảng bộ xã Mới Một", Kind.COMMUNE, children=[a, b]),
                NewOrganization("T01.X2", "Đảng bộ xã Mới Hai", Kind.COMMUNE, children=[c]),
            ],
            parent=self.province,
            on=on,
        )
        three = found("T01.X3", "Đảng bộ xã Mới Ba", Kind.COMMUNE, self.province, on=on)
        d, e, f = self.cells[second.pk]
        organization_merge(sources=[f], into=d, on=on)  # f's members follow into d
        for cell in (d, e):
            organization_move(organization=cell, parent=three, on=on)
        organization_dissolve(organization=second, on=on)
        g, h, i = self.cells[third.pk]
        organization_merge(sources=[h], into=g, on=on)
        organization_merge(sources=[third], into=two, on=on)  # g, i go under Mới Hai
        return [one, two, three]

    def receive(self) -> None:
        """An arrival on the very day a merger carried the member into another cell is
        refused (the activity there starts that day): that letter is received later."""
        for transfer, arrival in self.letters:
            transfer.refresh_from_db()
            try:
                transfer_receive(transfer=transfer, arrived_on=arrival)
            except (ValidationError, ProcedureError):
                transfer_receive(transfer=transfer, arrived_on=arrival + timedelta(days=5))


@pytest.mark.parametrize("seed", [1, 16, 2025])
def test_letters_straddling_a_restructuring_balance_everywhere(cast, seed):
    history = Restructuring(cast, seed)
    history.quiet_life(date(2024, 1, 1), RESTRUCTURED - timedelta(days=45))
    history.letters_across()
    history.restructure()
    history.receive()
    history.quiet_life(RESTRUCTURED + timedelta(days=45), date(2026, 11, 30))

    assert MemberEvent.objects.filter(type=T.TRANSFERRED_IN, on=RESTRUCTURED).exists()
    crossing = MemberEvent.objects.filter(type=T.TRANSFERRED_IN, on__gt=RESTRUCTURED)
    crossing = crossing.filter(member__events__type=T.TRANSFERRED_OUT,
                               member__events__on__lt=RESTRUCTURED)  # fmt: skip
    assert crossing.exists(), "some letters were issued before and received after 1/7/2025"
    assert MemberEvent.objects.filter(type=T.REORGANIZED, on=RESTRUCTURED).exists()
    assert imbalances(cast.province) == []
    for period in all_periods():
        span = sources.Span(cast.province, period.before, period.end)
        assert sources.unbalanced_members(span, period.start, period.end, by_child=True) == []
