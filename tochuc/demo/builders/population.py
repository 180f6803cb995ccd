"""How the demo population is drawn: admissions year by year, then each member's life
(deaths, transfers, removals, exemptions, moves between cells) as dated events.

The shape (rates, shares, the life table) is at the top; see `members` for the whole.
"""

from __future__ import annotations

import random
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import date, timedelta

from tochuc.members.bulk import TimelineEvent

from . import langson, names
from .member_cells import (
    ADMISSION_SHARES,
    FIRST_YEAR,
    REGISTRY_FROM,
    WORKPLACES,
    Cell,
    Cells,
    T,
)

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
