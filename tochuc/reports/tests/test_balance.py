"""Start + in − out = end for every organization and period, on complete records.

Random complete histories (a seeded generator driving the services: admissions,
transfers inside and out of the system and in from outside, by letter or at once,
temporary activity, exits, re-admissions, merges and moves of cells and of districts)
balance for every node of the tree and every year and quarter; a deliberately gapped
record makes a difference, and the members who cause it are named, on the report page too.
"""

import contextlib
import random
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tochuc.core.errors import ProcedureError
from tochuc.core.models import AuditEntry
from tochuc.members.models import Affiliation, Member, Status
from tochuc.members.services import member_exit, member_readmit, member_register, member_transfer
from tochuc.organizations.models import Kind, Organization
from tochuc.organizations.services import organization_merge, organization_move
from tochuc.reports import periods, registry
from tochuc.reports.tests.fixtures import all_periods, imbalances
from tochuc.statistics import sources
from tochuc.statistics.reports import movement as movement_report
from tochuc.testing import PASSWORD, found, register
from tochuc.transfers.services import (
    OutsideLetter,
    temporary_transfer_issue,
    transfer_issue,
    transfer_receive,
    transfer_receive_from_outside,
)

pytestmark = pytest.mark.django_db

OLD = date(2000, 1, 1)
FIRST, LAST = date(2021, 1, 1), date(2026, 11, 30)
EXITS = ("died", "removed", "resigned", "expelled")


# ---------------------------------------------------------------- random complete histories


class History:
    """A seeded province's life from 2021 to 2026, written through the services only."""

    def __init__(self, cast, seed: int):
        self.rng = random.Random(seed)
        self.cast = cast
        self.province = cast.province
        self.districts = [
            found(f"T01.H{i}", f"Đảng bộ huyện Số {i}", Kind.DISTRICT, self.province, on=OLD)
            for i in (1, 2, 3)
        ]
        self.cells = [
            found(f"{d.code}.C{j}", f"Chi bộ thôn {d.code[-1]}-{j}", Kind.BASE_CELL, d, on=OLD)
            for d in self.districts
            for j in (1, 2, 3)
        ]
        self.people = 0
        for cell in self.cells:
            for _ in range(self.rng.randint(2, 4)):
                self.person(
                    cell, date(2005 + self.rng.randrange(14), 1 + self.rng.randrange(12), 5)
                )
        self.busy: dict[int, date] = {}  # member → the day of their last event

    def person(self, cell, admitted_on, **dates) -> Member:
        self.people += 1
        return register(cell, f"Đảng viên Số {self.people}", admitted_on=admitted_on, **dates)

    def alive_cells(self, on: date) -> list[Organization]:
        return [
            c
            for c in Organization.objects.filter(pk__in=[c.pk for c in self.cells])
            if c.founded_on <= on and (c.ended_on is None or c.ended_on > on + timedelta(days=40))
        ]

    def active(self, on: date) -> list[Member]:
        return [
            m
            for m in Member.objects.filter(status__in=[Status.PROBATIONARY, Status.FULL])
            .filter(province=self.province)
            .order_by("pk")
            if self.busy.get(m.pk, date.min) < on
        ]

    def play(self) -> None:
        day = FIRST
        while day < LAST:
            day += timedelta(days=self.rng.randint(5, 25))
            if day >= LAST:
                break
            action = self.rng.choice(
                ("admit", "admit", "move", "move", "letter", "out", "in_", "exit", "readmit",
                 "temporary", "merge", "move_cell", "merge_district")
            )  # fmt: skip
            # A draw the rules refuse (a cell ended, a date too early) is skipped.
            with contextlib.suppress(ValidationError, ProcedureError):
                getattr(self, action)(day)

    def _member(self, day):
        members = self.active(day)
        return self.rng.choice(members) if members else None

    def admit(self, day):
        cells = self.alive_cells(day)
        if cells:
            member = self.person(self.rng.choice(cells), day, confirmed=False)
            self.busy[member.pk] = day

    def move(self, day):
        member, cells = self._member(day), self.alive_cells(day)
        if member and len(cells) > 1:
            to = self.rng.choice([c for c in cells if c.pk != member.organization_id])
            arrived = day + timedelta(days=self.rng.randint(0, 20))
            member_transfer(member=member, on=day, to=to, arrived_on=arrived)
            self.busy[member.pk] = arrived

    def letter(self, day):
        member, cells = self._member(day), self.alive_cells(day)
        if member and len(cells) > 1:
            to = self.rng.choice([c for c in cells if c.pk != member.organization_id])
            transfer = transfer_issue(member=member, on=day, to=to)
            arrived = day + timedelta(days=self.rng.randint(1, 30))
            transfer_receive(transfer=transfer, arrived_on=arrived)
            self.busy[member.pk] = arrived

    def out(self, day):
        member = self._member(day)
        if member:
            member_transfer(member=member, on=day, other_party="Đảng bộ tỉnh Cao Bằng")
            self.busy[member.pk] = day

    def in_(self, day):
        cells = self.alive_cells(day)
        if cells:
            self.people += 1
            admitted = date(2012, 3, 1) + timedelta(days=self.rng.randrange(2000))
            transfer = transfer_receive_from_outside(
                organization=self.rng.choice(cells),
                letter=OutsideLetter("12-GGT/TU", day, "Đảng bộ tỉnh Bắc Giang"),
                arrived_on=day,
                record={"full_name": f"Đảng viên Số {self.people}", "gender": "female",
                        "birth_date": date(1980, 1, 1), "ethnicity": "01"},
                admitted_on=admitted, confirmed_on=admitted + timedelta(days=380),
            )  # fmt: skip
            self.busy[transfer.member_id] = day

    def exit(self, day):
        member = self._member(day)
        if member:
            member_exit(member=member, type=self.rng.choice(EXITS), on=day)
            self.busy[member.pk] = day

    def readmit(self, day):
        left = Member.objects.filter(status=Status.LEFT, province=self.province).order_by("pk")
        cells = self.alive_cells(day)
        for member in left:
            if self.busy.get(member.pk, date.min) < day - timedelta(days=3 * 366) and cells:
                member_readmit(member=member, organization=self.rng.choice(cells),
                               decided_on=day, consent="Đồng ý của Ban Thường vụ")  # fmt: skip
                self.busy[member.pk] = day
                return

    def temporary(self, day):
        member, cells = self._member(day), self.alive_cells(day)
        if member and len(cells) > 1:
            host = self.rng.choice([c for c in cells if c.pk != member.organization_id])
            temporary_transfer_issue(member=member, on=day, ends_on=day + timedelta(days=120),
                                     purpose="work", host=host)  # fmt: skip
            self.busy[member.pk] = day

    def _quiet(self, organization, day) -> bool:
        """No affiliation of the subtree changes on or after `day` (a transfer arriving
        later, say): the restructuring is recorded once the organization is settled."""
        return (
            not Affiliation.objects.filter(organization__path__startswith=organization.path)
            .filter(valid_from__gte=day)
            .exists()
            and not Affiliation.objects.filter(
                organization__path__startswith=organization.path, valid_to__gt=day
            ).exists()
        )

    def merge(self, day):
        cells = self.alive_cells(day)
        if len(cells) > 3:
            source, into = self.rng.sample(cells, 2)
            if self._quiet(source, day) and self._quiet(into, day):
                organization_merge(sources=[source], into=into, on=day)
                for member in Member.objects.filter(organization=into):
                    self.busy[member.pk] = day

    def move_cell(self, day):
        cells = self.alive_cells(day)
        districts = [d for d in Organization.objects.filter(pk__in=[d.pk for d in self.districts])
                     if d.ended_on is None]  # fmt: skip
        if cells and len(districts) > 1:
            cell = self.rng.choice(cells)
            parent = self.rng.choice([d for d in districts if d.pk != cell.parent_id])
            if self._quiet(cell, day):
                organization_move(organization=cell, parent=parent, on=day)

    def merge_district(self, day):
        districts = [d for d in Organization.objects.filter(pk__in=[d.pk for d in self.districts])
                     if d.ended_on is None]  # fmt: skip
        if len(districts) > 2 and self.rng.random() < 0.5:
            source, into = self.rng.sample(districts, 2)
            if self._quiet(source, day):
                organization_merge(sources=[source], into=into, on=day)


@pytest.mark.parametrize("seed", [7, 2026])
def test_random_complete_histories_balance_for_every_node_and_period(cast, seed):
    history = History(cast, seed)
    history.play()
    members = Member.objects.filter(province=cast.province)
    assert members.count() > 30
    kinds = set(members.values_list("events__type", flat=True))
    assert {"admitted", "transferred_in", "transferred_out", "reorganized"} <= kinds
    assert imbalances(cast.province) == []
    for period in all_periods():
        span = sources.Span(cast.province, period.before, period.end)
        assert sources.unbalanced_members(span, period.start, period.end, by_child=True) == []


# ---------------------------------------------------------------- a gapped record


@pytest.fixture
def gapped(cast):
    """Two members of Nà Phái since 2010; a third entered in 2024 "since 10/03/2024" with
    her 2010 admission recorded in the cell and nothing saying how she came: a gap."""
    register(cast.village_cell, "Nguyễn Văn An")
    register(cast.village_cell, "Lò Văn Bình")
    gap = member_register(
        organization=cast.village_cell,
        record={"full_name": "Hà Thị Chiều", "gender": "female", "birth_date": date(1988, 1, 1),
                "ethnicity": "01"},
        admitted_on=date(2010, 5, 19), confirmed_on=date(2011, 6, 1), since=date(2026, 3, 10),
    )  # fmt: skip
    return gap


def test_a_gapped_record_makes_a_difference_and_is_named(cast, gapped):
    data = registry.build("movement", cast.commune, periods.year(2026))
    counts = {row["key"]: row["count"] for row in data.table("movement").rows}
    assert (counts["start"], counts["end"]) == (2, 3)
    assert sum(counts[k] for k in movement_report.INCREASES) == 0
    assert data.checks[0].difference == 1
    span = sources.Span(cast.commune, date(2025, 12, 31), date(2026, 12, 31))
    found_members = sources.unbalanced_members(
        span, date(2026, 1, 1), date(2026, 12, 31), by_child=True
    )
    assert found_members == [sources.Unbalanced(gapped.pk, cast.village_cell.pk, 0, 1)]
    by_child = registry.build("movement_by_child", cast.commune, periods.year(2026))
    differences = {row["code"]: row["difference"] for row in by_child.table("by_child").rows}
    assert differences == {cast.base.code: 0, cast.village_cell.code: 1}


def test_the_report_page_lists_the_members_behind_the_difference(client, cast, users, gapped):
    client.login(username="commune_officer", password=PASSWORD)
    response = client.get(
        reverse("reports:index"),
        {"bao_cao": "movement_by_child", "to_chuc": cast.commune.code, "nam": "2026"},
    )
    page = response.content.decode()
    assert "Đảng viên làm chênh lệch cân đối" in page
    assert reverse("members:detail", args=[gapped.pk]) in page
    assert "Hà Thị Chiều" in page and "Nguyễn Văn An" not in page
    balanced = client.get(
        reverse("reports:index"),
        {"bao_cao": "movement", "to_chuc": cast.commune.code, "quy": "2026-Q2"},
    )
    assert "Đảng viên làm chênh lệch cân đối" not in balanced.content.decode()
    viewed = AuditEntry.objects.filter(action="tochuc.report.unbalanced_viewed")
    assert [(e.username, e.data["members"]) for e in viewed] == [("commune_officer", [gapped.pk])]


def test_a_sibling_communes_officer_sees_no_one_of_the_commune(client, cast, users, gapped):
    client.login(username="sibling_officer", password=PASSWORD)
    response = client.get(
        reverse("reports:index"),
        {"bao_cao": "movement", "to_chuc": cast.commune.code, "nam": "2026"},
    )
    assert response.status_code == 404
    assert "Hà Thị Chiều" not in response.content.decode()
