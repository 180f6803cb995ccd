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
from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.db.models import Count, Q
from django.utils import timezone

from tochuc.lib.vntext import fold
from tochuc.members.bulk import MemberRow, members_bulk_register
from tochuc.members.models import Affiliation, Member
from tochuc.organizations.models import Organization

from . import langson, names
from .context import DemoContext
from .member_cells import CCCD_FROM, REGISTRY_FROM, SMALL_SCALE, Cell, Cells, Draws, load_cells
from .population import ELSEWHERE, OCCUPATIONS, PHONE_PREFIXES, READMITTED, Person, Population

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
    # Counted by the database (GROUP BY), not by reading 88,000 statuses back into Python.
    statuses = Counter(
        dict(
            Member.objects.filter(province=province)
            .values_list("status")
            .annotate(n=Count("pk"))
            .order_by()
        )
    )
    active = statuses["full"] + statuses["probationary"]
    ctx.write(
        f"  {_number(active)} đảng viên đang sinh hoạt ({_number(statuses['probationary'])} dự "
        f"bị); 31/12/2020: {_number(members_on(province, langson.REPORT_DATE))}; hồ sơ: "
        f"{_number(len(plan.rows))}."
    )


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")
