"""The demo province's members: ~66,000 today, each with a timeline since admission.

Built after the organization history, from the cells as they lived (founded, merged,
moved, dissolved), so that a member is in a cell alive at every date of their timeline:

- **Admissions** year by year since 1950 (a few hundred a year long ago, ~1,900–2,100 in
  recent years; 2,053 in 2020, the report's figure), plus members arriving from other
  provinces (received with a transfer from their old province). A member is admitted into
  a cell alive on the decision date (membership starts then, as party age does) and until
  the end of probation; confirmation comes 12 months after the ceremony (those admitted in
  the last 12 months are still probationary). Members admitted before their cell was
  founded (before 1979 the province was Cao Lạng) are entered from its founding.
- **Lives** drawn from simple hazards: deaths by age (a life table), transfers out of the
  province, removals, a few resignations and expulsions, exemptions for the elderly
  (rarely ended), moves between cells (job, residence), and retirement into a village
  cell. When a member's cell ends, they follow it on that day: to its successor when it
  was merged, to another cell of the same kind when it was dissolved.
- **Who is entered**: everyone active at some time since 1/1/2010 (those who left
  earlier are not in the registry), a couple re-admitted after removal.

Everything is registered in one pass by `members_bulk_register`, which leaves what the
services would. The numbers are scaled down for `--small`.
"""

from __future__ import annotations

import random
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from tochuc.lib.paths import under
from tochuc.lib.vntext import fold
from tochuc.members.bulk import MemberRow, TimelineEvent, members_bulk_register
from tochuc.members.models import Affiliation, Member, MemberEvent
from tochuc.organizations.models import GrassrootsType as G
from tochuc.organizations.models import Kind, Organization

from . import langson, names
from .context import DemoContext

T = MemberEvent.Type
CELL_KINDS = (Kind.CELL, Kind.BASE_CELL)
REGISTRY_FROM = date(2010, 1, 1)  # members who left before are not in the registry
FIRST_YEAR = 1950
SMALL_SCALE = 0.006
CCCD_FROM = date(2016, 1, 1)  # 12-digit citizen IDs: those who left earlier have none

# ---------------------------------------------------------------- the population's shape


def admissions_in(year: int) -> float:
    """Members admitted in the province in `year` (before scaling)."""
    if year < 1965:
        return 300
    if year < 1979:
        return 600
    if year < 1990:
        return 1350
    if year < 2000:
        return 1550
    if year < 2010:
        return 1750
    known = {2015: 1960, 2016: 1990, 2017: 2010, 2018: 1980, 2019: 2020, 2020: 2053,
             2021: 1890, 2022: 1960, 2023: 2010, 2024: 1970, 2025: 2060, 2026: 1980}  # fmt: skip
    return known.get(year, 1900)


ARRIVALS_PER_YEAR = 300  # full members moving in from other provinces (from 1990)
# Where new members work: a share of the admissions per kind of cell.
ADMISSION_SHARES = {
    "village": 0.42, "agency": 0.14, "school": 0.12, "health": 0.04, "public": 0.03,
    "police": 0.10, "military": 0.07, "border": 0.04, "enterprise": 0.04,
}  # fmt: skip
WORKPLACES = tuple(k for k in ADMISSION_SHARES if k != "village")
ARMED = ("police", "military", "border")

# Yearly rates.
MOVE_RATE = {"village": 0.004, "work": 0.012}  # between cells of the province
OUT_RATE = (0.0095, 0.002)  # transfer out of the province: working age, older
REMOVAL_RATE = (0.002, 0.0004)
RESIGNATION_RATE = 0.00008
EXPULSION_RATE = 0.00012
PROBATION_FAILS = 0.004
EXEMPTED_SHARE = 0.55  # of those who reach 70, exempted at some age from 70 to 88
EXEMPTION_ENDS = 0.04
READMITTED = 3
# Annual probability of death by age (men; women ×0.55), Vietnam-like.
MORTALITY = ((30, 0.0012), (40, 0.002), (50, 0.004), (55, 0.007), (60, 0.010), (65, 0.015),
             (70, 0.022), (75, 0.035), (80, 0.055), (85, 0.09), (90, 0.14), (95, 0.22),
             (100, 0.32), (200, 0.45))  # fmt: skip

OTHER_PROVINCES_BEFORE = (
    "Đảng bộ tỉnh Bắc Giang", "Đảng bộ tỉnh Cao Bằng", "Đảng bộ tỉnh Thái Nguyên",
    "Đảng bộ tỉnh Quảng Ninh", "Đảng bộ thành phố Hà Nội", "Đảng bộ tỉnh Bắc Ninh",
    "Đảng bộ tỉnh Bắc Kạn", "Đảng bộ tỉnh Hải Dương", "Đảng bộ Quân khu 1",
)  # fmt: skip
OTHER_PROVINCES_AFTER = (
    "Đảng bộ tỉnh Bắc Ninh", "Đảng bộ tỉnh Cao Bằng", "Đảng bộ tỉnh Thái Nguyên",
    "Đảng bộ tỉnh Quảng Ninh", "Đảng bộ thành phố Hà Nội", "Đảng bộ thành phố Hải Phòng",
    "Đảng bộ Quân khu 1",
)  # fmt: skip
# Hometowns outside the province (with the birth province's citizen-ID code).
ELSEWHERE = (
    ("huyện Lạng Giang, tỉnh Bắc Giang", "024"), ("huyện Yên Dũng, tỉnh Bắc Giang", "024"),
    ("huyện Vũ Thư, tỉnh Thái Bình", "034"), ("huyện Hải Hậu, tỉnh Nam Định", "036"),
    ("huyện Gia Lộc, tỉnh Hải Dương", "030"), ("huyện Khoái Châu, tỉnh Hưng Yên", "033"),
    ("huyện Đông Anh, thành phố Hà Nội", "001"), ("huyện Quế Võ, tỉnh Bắc Ninh", "027"),
    ("huyện Hoằng Hóa, tỉnh Thanh Hóa", "038"), ("huyện Nghi Lộc, tỉnh Nghệ An", "040"),
    ("huyện Thanh Ba, tỉnh Phú Thọ", "025"), ("huyện Đại Từ, tỉnh Thái Nguyên", "019"),
    ("huyện Hòa An, tỉnh Cao Bằng", "004"), ("huyện Kim Bảng, tỉnh Hà Nam", "035"),
)  # fmt: skip
PHONE_PREFIXES = ("091", "094", "088", "098", "097", "096", "086", "033", "034", "035",
                  "036", "037", "038", "039", "081", "082", "083", "084", "085", "070",
                  "076", "077", "078", "079", "056", "058")  # fmt: skip
OCCUPATIONS = {
    "village": "Nông dân", "agency": "Cán bộ, công chức", "school": "Giáo viên",
    "health": "Viên chức y tế", "public": "Viên chức", "police": "Công an nhân dân",
    "military": "Quân nhân", "border": "Bộ đội Biên phòng", "enterprise": "Người lao động",
}  # fmt: skip


def _other_provinces(on: date) -> tuple[str, ...]:
    return OTHER_PROVINCES_AFTER if on >= date(2025, 7, 1) else OTHER_PROVINCES_BEFORE


def _elsewhere(arrived: date) -> str:
    """Where a member moving in on `arrived` came from (no draw: the plan's draws stay)."""
    choices = _other_provinces(arrived)
    return choices[arrived.toordinal() % len(choices)]


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


# ---------------------------------------------------------------- one member's life


def _survival(factor: float) -> list[float]:
    survival, alive, rate = [], 1.0, iter(MORTALITY)
    limit, q = next(rate)
    for age in range(121):
        while age >= limit:
            limit, q = next(rate)
        survival.append(alive)
        alive *= 1 - min(0.95, q * factor)
    return survival


SURVIVAL = {"male": _survival(1.35), "female": _survival(0.75)}
FALLING = {gender: [-s for s in survival] for gender, survival in SURVIVAL.items()}


NEVER = date.max
_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _months(value: date, months: int) -> date:
    """`add_months` (same day `months` later, or the month's last day), without calendar."""
    index = value.month - 1 + months
    year, month = value.year + index // 12, index % 12 + 1
    day = value.day
    if day > 28:
        last = _MONTH_DAYS[month - 1]
        if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
            last = 29
        day = min(day, last)
    return date(year, month, day)


def _years(years: float) -> timedelta:
    return timedelta(days=int(years * 365.25))


def _later(start: date, years: float) -> date:
    """`start` plus `years` (fractional); NEVER when that is beyond any life."""
    return start + _years(years) if years < 150 else NEVER


def _wait(rng: random.Random, start: date, rate: float) -> date:
    """When an event of constant yearly `rate` first happens after `start`."""
    return _later(start, rng.expovariate(rate)) if rate > 0 else NEVER


@dataclass
class Person:
    gender: str
    birth: date
    ethnicity: str
    admitted: date
    ceremony: date
    cell: Cell
    since: date
    category: str
    arrived: bool = False  # admitted elsewhere, moved in on `since`
    arrived_from: str = ""  # the party organization they came from
    confirmed: date | None = None
    timeline: list[TimelineEvent] = field(default_factory=list)
    periods: list[tuple[date, date | None]] = field(default_factory=list)
    final: Cell | None = None
    exit: str = ""
    exit_on: date | None = None
    exempted: bool = False

    def age_on(self, on: date) -> float:
        return (on - self.birth).days / 365.25


class Population:
    def __init__(self, cells: Cells, rng: random.Random, today: date, scale: float):
        self.cells = cells
        self.rng = rng
        self.today = today
        self.scale = scale
        self.shares = names.Weighted(ADMISSION_SHARES)

    # -- who is admitted, when, where

    def count(self, value: float) -> int:
        value *= self.scale
        whole = int(value)
        return whole + (self.rng.random() < value - whole)

    def people(self) -> list[Person]:
        rng, today = self.rng, self.today
        people: list[Person] = []
        for year in range(FIRST_YEAR, today.year + 1):
            start = date(year, 1, 1)
            last = min(date(year, 12, 31), today - timedelta(days=35))
            if last < start:
                continue
            share = ((last - start).days + 1) / 365
            for _ in range(self.count(admissions_in(year) * share)):
                admitted = start + timedelta(days=rng.randrange((last - start).days + 1))
                person = self.admit(admitted)
                if person is not None:
                    people.append(person)
            if year >= 1990:
                for _ in range(self.count(ARRIVALS_PER_YEAR * share)):
                    arrived = start + timedelta(days=rng.randrange((last - start).days + 1))
                    person = self.arrive(arrived)
                    if person is not None:
                        people.append(person)
        return people

    def _gender(self, year: int) -> str:
        women = 0.15 if year < 1979 else 0.25 if year < 2000 else 0.36 if year < 2010 else 0.43
        return "female" if self.rng.random() < women else "male"

    def _age(self, year: int) -> int:
        rng = self.rng
        if year < 1979:
            return rng.choice((18, 19, 20, 21, 22, 23, 24, 25, 26, 28, 30, 33, 36, 40))
        roll = rng.random()
        if roll < 0.16:
            return rng.randint(18, 22)
        if roll < 0.62:
            return rng.randint(23, 30)
        if roll < 0.9:
            return rng.randint(31, 40)
        if roll < 0.985:
            return rng.randint(41, 50)
        return rng.randint(51, 59)

    def _birth(self, on: date, age: int) -> date:
        # Full `age` years on `on`: born between (age+1) years and age years before it.
        latest = _months(on, -12 * age)
        earliest = _months(on, -12 * (age + 1)) + timedelta(days=1)
        return earliest + timedelta(days=self.rng.randrange((latest - earliest).days + 1))

    def _category(self, age: int) -> str:
        category = self.shares(self.rng)
        if age >= 45 and category in ARMED and self.rng.random() < 0.7:
            category = "village"
        return category

    def admit(self, admitted: date) -> Person | None:
        rng = self.rng
        ceremony = admitted + timedelta(days=rng.randint(7, 30))
        if ceremony > self.today:
            ceremony = self.today
        probation_end = _months(ceremony, 12)
        age = self._age(admitted.year)
        category = self._category(age)
        # Membership starts with the admission decision (as party age does): the cell is
        # one alive on the decision date.
        on = max(admitted, langson.PROVINCE_FOUNDED)
        cell = self.cells.pick(category, on, until=probation_end if on == admitted else None)
        if cell is None:  # before its kind of cell existed: from a cell founded by 1990
            cell = self.cells.pick(category, on, founded_by=date(1990, 1, 1))
            if cell is None:
                return None
        gender = self._gender(admitted.year)
        return Person(
            gender=gender, birth=self._birth(admitted, age), ethnicity=names.ETHNICITY(rng),
            admitted=admitted, ceremony=ceremony, cell=cell, since=max(on, cell.founded),
            category=category,
        )  # fmt: skip

    def arrive(self, arrived: date) -> Person | None:
        """A full member admitted elsewhere, 2–20 years before moving here."""
        rng = self.rng
        age_now = rng.randint(24, 55)
        years_in = rng.randint(2, min(20, age_now - 19))
        admitted = _months(arrived, -12 * years_in - rng.randrange(12))
        age = age_now - years_in
        if age < 18:
            return None
        category = rng.choice(WORKPLACES) if rng.random() < 0.7 else "village"
        cell = self.cells.pick(category, arrived)
        if cell is None:
            return None
        return Person(
            gender=self._gender(admitted.year), birth=self._birth(admitted, age),
            ethnicity="01" if rng.random() < 0.3 else names.ETHNICITY(rng), admitted=admitted,
            ceremony=admitted + timedelta(days=rng.randint(7, 30)), cell=cell, since=arrived,
            category=category, arrived=True, arrived_from=_elsewhere(arrived),
        )  # fmt: skip

    # -- what happens to them

    def death(self, person: Person) -> date:
        survival = SURVIVAL[person.gender]
        exact = person.age_on(person.since)
        age = min(120, int(exact))
        target = self.rng.random() * survival[age]
        # The first age whose survival falls to the drawn level (survival decreases).
        position = bisect_left(FALLING[person.gender], -target)
        died_at = max(exact + 0.01, position - 1 + self.rng.random())
        return person.birth + _years(died_at)

    def _hazard(self, person: Person, start: date, rates: tuple[float, float]) -> date:
        """The first event of a rate that is `rates[0]` until 60 and `rates[1]` after."""
        sixty = _months(person.birth, 720)
        if start < sixty:
            at = _wait(self.rng, start, rates[0])
            if at < sixty:
                return at
            start = sixty
        return _wait(self.rng, start, rates[1])

    def live(self, person: Person) -> None:
        rng, today = self.rng, self.today
        probation_end = _months(person.ceremony, 12)
        if person.arrived:
            person.confirmed = probation_end
        elif probation_end > today:
            person.confirmed = None
        elif rng.random() < PROBATION_FAILS and person.since == person.admitted:
            removed = probation_end + timedelta(days=rng.randint(20, 60))
            person.periods.append((person.since, None))
            if removed <= today:
                self._exit(person, T.REMOVED, removed, decision=True)
            person.final = person.cell
            return
        else:
            person.confirmed = probation_end
        cell, category = person.cell, person.category
        person.periods.append((person.since, None))
        if person.confirmed is None:
            person.final = cell
            return
        cursor = max(person.since, person.confirmed)
        never = NEVER
        exits = [
            (self.death(person), T.DIED),
            (self._hazard(person, cursor, OUT_RATE), T.TRANSFERRED_OUT),
            (self._hazard(person, cursor, REMOVAL_RATE), T.REMOVED),
            (_wait(rng, cursor, RESIGNATION_RATE), T.RESIGNED),
            (_wait(rng, cursor, EXPULSION_RATE), T.EXPELLED),
        ]
        exit_on, exit_type = min(exits, key=lambda e: e[0])
        armed = category in ARMED
        retire = _months(
            person.birth,
            12 * (rng.randint(50, 55) if armed else (60 if person.gender == "male" else 56)),
        )
        retired = category == "village"
        exempt_on = (
            _months(person.birth, 12 * rng.randint(70, 88) + rng.randrange(12))
            if rng.random() < EXEMPTED_SHARE else never
        )  # fmt: skip
        exemption_end = never
        while True:
            rate = MOVE_RATE["village" if category == "village" else "work"]
            if person.age_on(cursor) >= 60 and category != "village":
                rate = 0.0
            move_on = _wait(rng, cursor + timedelta(days=1), rate)
            ends = cell.ended or never
            candidates = [
                (exit_on, "exit"),
                (retire if not retired else never, "retire"),
                (exempt_on if not person.exempted else never, "exempt"),
                (exemption_end, "exemption_ended"),
                (move_on, "move"),
                (ends, "end"),
            ]
            on, what = min(candidates, key=lambda c: c[0])
            on = max(on, cursor + timedelta(days=1)) if what != "end" else on
            if on > today:
                break
            if what == "exit":
                if on >= ends:  # the cell ends first
                    what, on = "end", ends
                else:
                    self._exit(person, exit_type, on, decision=exit_type != T.DIED)
                    break
            if what == "end":
                target = self.cells.follow(cell, on, category)
                if target is None:
                    break
                self._move(person, on, target, on)
                cell, cursor = target, on
                continue
            if what in ("retire", "move"):
                if what == "retire":
                    retired, category = True, "village"
                    target = self.cells.pick("village", on + timedelta(days=30), avoid=cell.pk)
                else:
                    kinds = (
                        (category,) if category == "village" or rng.random() < 0.8
                        else WORKPLACES
                    )  # fmt: skip
                    target = self.cells.pick(kinds, on + timedelta(days=30), avoid=cell.pk)
                    if target is not None and category != "village":
                        category = target.category
                if target is None:
                    cursor = on
                    continue
                arrived = on + timedelta(days=rng.randint(0, 20))
                if arrived >= ends or not target.alive(arrived) or arrived > today:
                    cursor = on
                    continue
                self._move(person, on, target, arrived)
                cell, cursor = target, arrived
                continue
            if what == "exempt":
                person.exempted = True
                person.timeline.append(TimelineEvent(T.EXEMPTED, on))
                if rng.random() < EXEMPTION_ENDS:
                    exemption_end = on + timedelta(days=rng.randint(200, 700))
                cursor = on
                continue
            if what == "exemption_ended":
                person.exempted = False
                exemption_end, exempt_on = never, never
                person.timeline.append(TimelineEvent(T.EXEMPTION_ENDED, on))
                cursor = on
                continue
        person.final = cell
        person.category = category

    def _move(self, person: Person, on: date, target: Cell, arrived: date) -> None:
        person.timeline.append(TimelineEvent("transferred", on, target.pk, arrived))
        start, _ = person.periods[-1]
        person.periods[-1] = (start, arrived)
        person.periods.append((arrived, None))

    def _exit(self, person: Person, type_: str, on: date, *, decision: bool) -> None:
        other = ""
        if type_ == T.TRANSFERRED_OUT:
            other = self.rng.choice(_other_provinces(on))
        person.timeline.append(TimelineEvent(type_, on, other_party=other))
        person.exit, person.exit_on = type_, on
        start, _ = person.periods[-1]
        person.periods[-1] = (start, on)

    def readmit(self, people: list[Person], count: int) -> None:
        """A couple of removed members re-admitted after 3–5 years, then confirmed."""
        rng, today = self.rng, self.today
        removed = [
            p for p in people
            if p.exit == T.REMOVED and p.confirmed and p.exit_on >= REGISTRY_FROM
            and p.age_on(p.exit_on) < 50 and p.exit_on < _months(today, -12 * 5)
        ]  # fmt: skip
        for person in rng.sample(removed, min(count, len(removed))):
            on = _months(person.exit_on, 36 + rng.randrange(18))
            cell = self.cells.pick(person.category, on, until=today)
            if cell is None:
                continue
            person.timeline.append(
                TimelineEvent(T.READMITTED, on, cell.pk, consent="Đồng ý của Ban Thường vụ")
            )
            person.periods.append((on, None))
            confirmed = _months(on, 12)
            if confirmed <= today:
                person.timeline.append(TimelineEvent(T.CONFIRMED, confirmed))
            person.exit, person.exit_on, person.final = "", None, cell


# ---------------------------------------------------------------- records

W = names.Weighted
# Per kind of cell: qualification, political theory, state management (weights).
TRAINING = {
    "village": (W({"": 55, "so_cap": 10, "trung_cap": 20, "cao_dang": 5, "dai_hoc": 10}),
                W({"so_cap": 60, "": 30, "trung_cap": 10}), None),
    "retired": (W({"": 30, "trung_cap": 30, "cao_dang": 10, "dai_hoc": 30}),
                W({"so_cap": 45, "trung_cap": 35, "cao_cap": 5, "": 15}), None),
    "agency": (W({"dai_hoc": 63, "thac_si": 16, "cao_dang": 7, "trung_cap": 13, "tien_si": 1}),
               W({"trung_cap": 45, "so_cap": 35, "cao_cap": 14, "cu_nhan": 2, "": 4}),
               W({"chuyen_vien": 55, "chuyen_vien_chinh": 15, "chuyen_vien_cao_cap": 2,
                  "": 28})),
    "police": (W({"dai_hoc": 50, "trung_cap": 35, "cao_dang": 10, "thac_si": 5}),
               W({"trung_cap": 45, "so_cap": 42, "cao_cap": 13}), None),
    "enterprise": (W({"dai_hoc": 40, "cao_dang": 15, "trung_cap": 25, "so_cap": 5, "": 15}),
                   W({"so_cap": 50, "": 40, "trung_cap": 10}), None),
    "public": (W({"dai_hoc": 62, "thac_si": 12, "cao_dang": 14, "trung_cap": 11, "tien_si": 1}),
               W({"so_cap": 65, "trung_cap": 20, "": 12, "cao_cap": 3}),
               W({"": 80, "chuyen_vien": 20})),
}  # fmt: skip
TRAINING["military"] = TRAINING["border"] = TRAINING["police"]
TRAINING["school"] = TRAINING["health"] = TRAINING["public"]


class Records:
    """The personal record of each member: name, IDs, schooling, work, places."""

    def __init__(self, rng: random.Random, cells: Cells, today: date):
        self.rng = rng
        self.cells = cells
        self.today = today
        self.citizen_ids: set[str] = set()
        self.card = rng.randrange(100000, 130000)
        self.hometowns = sorted({c.residence.split(", ")[-1] for c in cells.by_pk.values()
                                 if c.category == "village" and ", " in c.residence})  # fmt: skip
        self.decisions: dict[tuple[str, int], int] = {}

    def record(self, person: Person) -> dict:
        rng, today = self.rng, self.today
        born = person.birth
        name = names.full_name(rng, gender=person.gender, ethnicity=person.ethnicity,
                               born=born.year)  # fmt: skip
        cell = person.final or person.cell
        category = person.category
        province = "tỉnh Lạng Sơn"
        if person.ethnicity == "01" and rng.random() < 0.3:
            hometown, id_code = rng.choice(ELSEWHERE)
        else:
            village = cell.residence if category == "village" and rng.random() < 0.6 else ""
            place = village.split(", ")[-1] if village else rng.choice(self.hometowns or [""])
            hometown, id_code = (f"{place}, {province}" if place else province), "020"
        birthplace = hometown
        if rng.random() < 0.15 and self.hometowns:
            birthplace = f"{rng.choice(self.hometowns)}, {province}"
        residence = cell.residence or rng.choice(self.cells.places or [""])
        active = not person.exit
        left = person.exit_on
        citizen_id = ""
        if left is None or left >= CCCD_FROM:
            citizen_id = self.citizen_id(id_code, person.gender, born)
        phone = ""
        if citizen_id and rng.random() < 0.92:
            phone = rng.choice(PHONE_PREFIXES) + f"{rng.randrange(10**7):07d}"
        age = (today - born).days // 365
        retired = category == "village" and age >= 56
        occupation = "Hưu trí" if retired or (age >= 61 and active) else OCCUPATIONS[category]
        workplace = "" if category == "village" else cell.workplace
        education = self.education(born.year)
        qualification, theory, management = self.training(category, born.year, retired)
        email = ""
        if active and category in ("agency", "school", "health", "public") and rng.random() < 0.4:
            login = fold(name).replace(" ", "")
            domain = "langson.gov.vn" if category == "agency" else "gmail.com"
            email = f"{login}{rng.randrange(10, 99)}@{domain}"
        religion = ""
        roll = rng.random()
        if roll < 0.006:
            religion = "phat_giao"
        elif roll < 0.008:
            religion = "cong_giao"
        return {
            "full_name": name,
            "gender": person.gender,
            "birth_date": born,
            "birthplace": birthplace,
            "hometown": hometown,
            "residence": f"{residence}, {province}" if residence else province,
            "ethnicity": person.ethnicity,
            "religion": religion,
            "citizen_id": citizen_id,
            "phone": phone,
            "email": email,
            "general_education": education,
            "qualification": qualification,
            "political_theory": theory,
            "state_management": management,
            "occupation": occupation,
            "workplace": workplace,
            "party_card_no": self.party_card() if person.confirmed else "",
        }

    def party_card(self) -> str:
        """Cards numbered in the order members were admitted, with gaps."""
        self.card += self.rng.randint(1, 9)
        return f"20{self.card:06d}"

    def citizen_id(self, code: str, gender: str, born: date) -> str:
        century = (born.year // 100 - 19) * 2 + (gender == "female")
        while True:
            value = f"{code}{century}{born.year % 100:02d}{self.rng.randrange(10**6):06d}"
            if value not in self.citizen_ids:
                self.citizen_ids.add(value)
                return value

    def education(self, born: int) -> str:
        roll = self.rng.random()
        if born >= 1975:
            return "12/12" if roll < 0.96 else "9/12"
        if born >= 1955:
            return "12/12" if roll < 0.7 else "10/10" if roll < 0.95 else "7/10"
        return "10/10" if roll < 0.45 else "12/12" if roll < 0.75 else "7/10"

    def training(self, category: str, born: int, retired: bool) -> tuple[str, str, str]:
        """Professional qualification, political theory, state management."""
        key = "retired" if category == "village" and retired else category
        qualification, theory, management = TRAINING.get(key, TRAINING["public"])
        rng = self.rng
        return qualification(rng), theory(rng), management(rng) if management else ""

    def decision(self, cell: Cell, on: date) -> str:
        suffix, issuer = cell.issuer.split("|")
        if on >= date(2025, 7, 1) and suffix == "QĐ/HU":
            suffix = "QĐ/ĐU"
        key = (issuer, on.year)
        number = self.decisions.get(key) or self.rng.randrange(5, 40)
        self.decisions[key] = number + self.rng.randrange(1, 4)
        return f"{number}-{suffix}"


# ---------------------------------------------------------------- the step


@dataclass
class Plan:
    rows: list[MemberRow]
    people: list[Person]


def plan_members(province: Organization, *, seed: int, small: bool, today: date) -> Plan:
    rng = Draws(f"{seed}-members")
    cells = Cells(load_cells(province), rng)
    population = Population(cells, rng, today, SMALL_SCALE if small else 1.0)
    people = population.people()
    for person in people:
        population.live(person)
    population.readmit(people, 1 if small else READMITTED)
    kept = [p for p in people if p.exit_on is None or p.exit_on >= REGISTRY_FROM]
    kept.sort(key=lambda p: (p.admitted, p.since))
    records = Records(rng, cells, today)
    rows = []
    for person in kept:
        decision = records.decision(person.cell, person.admitted)
        rows.append(
            MemberRow(
                organization_id=person.cell.pk,
                record=records.record(person),
                admitted_on=person.admitted,
                admission_decision_no=decision,
                ceremony_on=person.ceremony,
                confirmed_on=person.confirmed,
                since=person.since,
                timeline=person.timeline,
                arrived_from=person.arrived_from,
            )
        )
    # Members by province order of their cell, as a registry filled commune by commune.
    order = {pk: i for i, pk in enumerate(sorted(cells.by_pk, key=lambda k: cells.by_pk[k].code))}
    paired = sorted(zip(rows, kept, strict=True), key=lambda rp: order[rp[0].organization_id])
    return Plan([r for r, _ in paired], [p for _, p in paired])


def members_on(province: Organization, on: date) -> int:
    """Members of the province on a date: official affiliations in force on it."""
    return (
        Affiliation.objects.filter(kind=Affiliation.Kind.OFFICIAL, member__province=province)
        .filter(valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on))
        .count()
    )


def build(ctx: DemoContext) -> None:
    province = ctx.registry.get("province")
    today = timezone.localdate()
    plan = plan_members(province, seed=ctx.seed, small=ctx.small, today=today)
    with ctx.bar(desc="Đảng viên", total=len(plan.rows)) as bar:
        members_bulk_register(plan.rows, reason="Dữ liệu mẫu", progress=bar.update)
    ctx.data["members"] = len(plan.rows)
    if connection.vendor == "postgresql":  # fresh statistics for the planner, as autovacuum
        with connection.cursor() as cursor:  # would give them a little later
            cursor.execute(
                "ANALYZE members_member, members_memberevent, members_affiliation, "
                "members_historicalmember"
            )
    statuses = Counter(Member.objects.filter(province=province).values_list("status", flat=True))
    active = statuses["full"] + statuses["probationary"]
    ctx.write(
        f"  {_number(active)} đảng viên đang sinh hoạt ({_number(statuses['probationary'])} dự "
        f"bị); 31/12/2020: {_number(members_on(province, langson.REPORT_DATE))}; hồ sơ: "
        f"{_number(len(plan.rows))}."
    )


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")
