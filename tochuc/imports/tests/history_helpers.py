"""A small dated tree and members for the history import tests, and event rows as files."""

from datetime import date

from tochuc.imports import registry
from tochuc.imports.history_fixture import workbook
from tochuc.members.services import member_register
from tochuc.organizations.models import GrassrootsType, Kind
from tochuc.testing import found

OLD = date(2000, 1, 1)


class Tree:
    """Tỉnh P (P) ⊃ xã Một (P.C1: chi bộ A1, A2), xã Hai (P.C2: chi bộ B1), all from 2000;
    chi bộ Mới (P.C2.NEW) founded 1/1/2022; chi bộ Cũ (P.C1.OLD) dissolved 1/1/2020."""

    def __init__(self):
        self.province = found("P", "Đảng bộ tỉnh P", Kind.PROVINCE, on=date(1950, 1, 1))
        self.c1 = found("P.C1", "Đảng bộ xã Một", Kind.COMMUNE, self.province, on=OLD)
        self.c2 = found("P.C2", "Đảng bộ xã Hai", Kind.COMMUNE, self.province, on=OLD)
        other = GrassrootsType.OTHER
        self.a1 = found("P.C1.A1", "Chi bộ A1", Kind.BASE_CELL, self.c1, OLD, other)
        self.a2 = found("P.C1.A2", "Chi bộ A2", Kind.BASE_CELL, self.c1, OLD, other)
        self.b1 = found("P.C2.B1", "Chi bộ B1", Kind.BASE_CELL, self.c2, OLD, other)
        self.new = found("P.C2.NEW", "Chi bộ Mới", Kind.BASE_CELL, self.c2, date(2022, 1, 1), other)
        self.old = found("P.C1.OLD", "Chi bộ Cũ", Kind.BASE_CELL, self.c1, OLD, other)
        from tochuc.organizations.services import organization_dissolve

        organization_dissolve(organization=self.old, on=date(2020, 1, 1))


def person(tree_cell, number: int, *, probationary=False, name="Nguyễn Văn An"):
    """A member of `tree_cell` with card `P{number}`: full since 2011, or admitted 2020."""
    admitted = date(2020, 3, 1) if probationary else date(2010, 3, 1)
    return member_register(
        organization=tree_cell,
        record={
            "full_name": name, "gender": "male", "birth_date": date(1980, 1, 1),
            "party_card_no": f"P{number:05d}", "citizen_id": f"{number:012d}",
        },
        admitted_on=admitted, ceremony_on=admitted.replace(day=15),
        confirmed_on=None if probationary else date(2011, 3, 15),
    )  # fmt: skip


def event_row(card, type_, on, **extra) -> dict:
    return {"party_card_no": card, "type": type_, "on": on, **extra}


def run(name, rows, *, scope=None, by=None, dry_run=False):
    return registry.run_import(
        registry.get(name), workbook(name, rows), scope=scope or registry.SystemScope(), by=by,
        dry_run=dry_run,
    )  # fmt: skip
