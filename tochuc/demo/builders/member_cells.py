"""The cells of the demo province as members see them: when each lived, what kind of
place it is (village, workplace), who decides its admissions; and quick random draws."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from tochuc.lib.paths import under
from tochuc.members.models import MemberEvent
from tochuc.organizations.models import GrassrootsType as G
from tochuc.organizations.models import Kind, Organization

T = MemberEvent.Type
CELL_KINDS = (Kind.CELL, Kind.BASE_CELL)
REGISTRY_FROM = date(2010, 1, 1)  # members who left before are not in the registry
FIRST_YEAR = 1950
SMALL_SCALE = 0.006
CCCD_FROM = date(2016, 1, 1)  # 12-digit citizen IDs: those who left earlier have none
# Where members are admitted: villages, workplaces of each kind (shares of admissions).
ADMISSION_SHARES = {
    "village": 0.42, "agency": 0.14, "school": 0.12, "health": 0.04, "public": 0.03,
    "police": 0.10, "military": 0.07, "border": 0.04, "enterprise": 0.04,
}  # fmt: skip
WORKPLACES = tuple(k for k in ADMISSION_SHARES if k != "village")

# ---------------------------------------------------------------- cells


class Draws(random.Random):
    """`random.Random` with plain, quicker integer draws (tens of millions are made)."""

    def randrange(self, start, stop=None, step=1):
        if stop is None:
            return int(self.random() * start)
        return start + int(self.random() * (stop - start))

    def randint(self, a, b):
        return a + int(self.random() * (b - a + 1))

    def choice(self, seq):
        return seq[int(self.random() * len(seq))]


@dataclass(eq=False)
class Cell:
    pk: int
    code: str
    name: str
    founded: date
    ended: date | None
    successor: int | None
    category: str = "agency"
    workplace: str = ""
    residence: str = ""  # "thôn Nà Phái, xã Thiện Tân" (without the province)
    issuer: str = ""  # who decides admissions: ("QĐ/HU", "T20.H186") …

    def alive(self, on: date) -> bool:
        return self.founded <= on and (self.ended is None or on < self.ended)


def _strip(name: str) -> str:
    for prefix in ("Đảng bộ ", "Chi bộ "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


RESIDENTIAL = ("Chi bộ thôn", "Chi bộ bản", "Chi bộ khối", "Chi bộ khu", "Chi bộ tổ dân phố")
COMMUNE_TYPES = (G.COMMUNE, G.WARD, G.TOWNLET, G.SPECIAL_ZONE)


def load_cells(province: Organization) -> dict[int, Cell]:
    """Every cell that ever stood in the province, with its kind of work and its place."""
    rows = Organization.objects.filter(under("path", province.path)).values_list(
        "pk", "code", "name", "kind", "parent_id", "grassroots_type", "founded_on", "ended_on",
        "successor_id",
    )  # fmt: skip
    orgs = {r[0]: r for r in rows}
    cells: dict[int, Cell] = {}
    for pk, code, name, kind, parent_id, gtype, founded, ended, successor in orgs.values():
        if kind not in CELL_KINDS:
            continue
        chain, above = [], parent_id
        while above is not None and above in orgs:
            chain.append(orgs[above])
            above = orgs[above][4]
        cell = Cell(pk, code, name, founded, ended, successor)
        types = [gtype] + [a[5] for a in chain]
        kind_of_work = next((t for t in types if t and t not in COMMUNE_TYPES), "")
        words = " ".join([name] + [a[2] for a in chain[:2]])
        if name.startswith(RESIDENTIAL) or kind_of_work in (G.OTHER, G.VILLAGE, G.RESIDENTIAL):
            cell.category = "village"
        elif "Công an" in words:
            cell.category = "police"
        elif "Biên phòng" in words:
            cell.category = "border"
        elif kind_of_work == G.ARMED_FORCES or "Quân sự" in words:
            cell.category = "military"
        elif kind_of_work == G.PUBLIC_SERVICE:
            cell.category = (
                "school" if "Trường" in words
                else "health" if "Y tế" in words or "Bệnh viện" in words
                else "public"
            )  # fmt: skip
        elif kind_of_work in (G.STATE_ENTERPRISE, G.PRIVATE_ENTERPRISE):
            cell.category = "enterprise"
        commune = next(
            (a for a in chain if a[3] == Kind.COMMUNE or (a[3] == Kind.BASE_COMMITTEE
                                                         and a[5] in COMMUNE_TYPES)),
            None,
        )  # fmt: skip
        place = _strip(commune[2]) if commune else ""
        if cell.category == "village":
            cell.residence = f"{_strip(name)}, {place}" if place else _strip(name)
        else:
            cell.residence = place
            unit = next((a for a in chain if a[3] != Kind.SUB_COMMITTEE), None)
            own = _strip(name)
            if (
                kind == Kind.BASE_CELL
                or unit is None
                or unit[3] in (Kind.COMMUNE, Kind.BASE_COMMITTEE)
                and unit[5] in COMMUNE_TYPES
            ):
                cell.workplace = own
            else:
                cell.workplace = f"{own} – {_strip(unit[2])}"
        segments = code.split(".")
        top = ".".join(segments[:2])
        suffix = "QĐ/HU" if segments[1].startswith("H") else "QĐ/ĐU"
        cell.issuer = f"{suffix}|{top}"
        cells[pk] = cell
    return cells


class Cells:
    """Cells by kind of work, drawn at random among those alive on a date."""

    def __init__(self, cells: dict[int, Cell], rng: random.Random):
        self.by_pk = cells
        self.rng = rng
        self.by_category: dict[str, list[Cell]] = {}
        for cell in sorted(cells.values(), key=lambda c: c.code):
            self.by_category.setdefault(cell.category, []).append(cell)
        self.places = sorted({c.residence.split(", ")[-1] for c in cells.values() if c.residence})
        self.by_year: dict[tuple[str, int], list[Cell]] = {}
        self.by_date: dict[tuple[str, date], list[Cell]] = {}

    def alive_in(self, category: str, year: int) -> list[Cell]:
        """Cells of `category` alive at some time in `year` (remembered)."""
        key = (category, year)
        found = self.by_year.get(key)
        if found is None:
            start, end = date(year, 1, 1), date(year, 12, 31)
            found = self.by_year[key] = [
                c for c in self.by_category.get(category, ())
                if c.founded <= end and (c.ended is None or c.ended > start)
            ]  # fmt: skip
        return found

    def founded_by(self, category: str, on: date) -> list[Cell]:
        key = (category, on)
        found = self.by_date.get(key)
        if found is None:
            found = self.by_date[key] = [
                c for c in self.alive_in(category, on.year) if c.founded <= on
            ]
        return found

    def pick(self, categories, on: date, *, until: date | None = None, avoid: int = 0,
             founded_by: date | None = None) -> Cell | None:  # fmt: skip
        """A cell alive on `on` (and still on `until`), of one of `categories`; with
        `founded_by`, one founded by then and alive on `on` or later."""
        if isinstance(categories, str):
            categories = (categories,)
        if founded_by is not None:
            pools = [self.founded_by(k, founded_by) for k in categories]
        else:
            pools = [self.alive_in(k, on.year) for k in categories]
        pools = [p for p in pools if p]
        if not pools:
            return None

        def fits(cell: Cell) -> bool:
            if founded_by is not None:
                return cell.ended is None or cell.ended > on
            return (
                cell.founded <= on
                and (cell.ended is None or on < cell.ended)
                and (until is None or cell.ended is None or cell.ended > until)
                and cell.pk != avoid
            )

        rng = self.rng
        for _ in range(20):
            pool = pools[rng.randrange(len(pools))] if len(pools) > 1 else pools[0]
            cell = pool[rng.randrange(len(pool))]
            if fits(cell):
                return cell
        fitting = [c for pool in pools for c in pool if fits(c)]
        return fitting[rng.randrange(len(fitting))] if fitting else None

    def follow(self, cell: Cell, on: date, category: str) -> Cell | None:
        """Where a member of `cell`, ending on `on`, continues."""
        successor = self.by_pk.get(cell.successor) if cell.successor else None
        if successor is not None and successor.alive(on):
            return successor
        kinds = (category,) if category == "village" else (category, *WORKPLACES)
        return self.pick(kinds, on, avoid=cell.pk) or self.pick(tuple(self.by_category), on)
