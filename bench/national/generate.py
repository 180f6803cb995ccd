"""Write the synthetic nation into the configured PostgreSQL database (see the package doc)."""

from __future__ import annotations

import multiprocessing
import random
import sys
import time
from dataclasses import dataclass, field
from datetime import date

from django.db import connection, transaction
from django.utils import timezone

from tochuc.demo.builders import names
from tochuc.demo.builders.naming import commune_code, party_name, province_code
from tochuc.demo.builders.organizations import WARD_TYPES
from tochuc.demo.builders.sources import provinces_2025
from tochuc.lib.vntext import fold, sort_key
from tochuc.members.bulk import Names
from tochuc.organizations.models import GrassrootsType, Kind

MEMBERS = 5_600_000
FOUNDED = date(1950, 1, 1)  # every organization's (single) version starts here
TABLES = [
    "organizations_organization", "organizations_organizationversion", "members_member",
    "members_memberevent", "members_affiliation",
]  # fmt: skip

ETHNICITY = names.Weighted({
    "01": 89.0, "02": 2.4, "03": 2.0, "06": 1.6, "05": 1.0, "07": 1.3, "09": 0.6, "08": 0.4,
    "04": 0.2, "10": 0.3, "12": 0.3, "17": 0.2, "24": 0.2,
})  # fmt: skip
RELIGION = names.Weighted({"": 94.0, "phat_giao": 3.0, "cong_giao": 2.0, "cao_dai": 0.4,
                           "hoa_hao": 0.3, "tin_lanh": 0.3})  # fmt: skip
EDUCATION = names.Weighted({"12/12": 90.0, "10/10": 5.0, "9/12": 4.0, "7/10": 1.0})
QUALIFICATION = names.Weighted({"": 18.0, "so_cap": 5.0, "trung_cap": 20.0, "cao_dang": 10.0,
                                "dai_hoc": 39.0, "thac_si": 7.0, "tien_si": 1.0})  # fmt: skip
THEORY = names.Weighted({"": 15.0, "so_cap": 55.0, "trung_cap": 22.0, "cao_cap": 7.0,
                         "cu_nhan": 1.0})  # fmt: skip
OCCUPATIONS = ("Cán bộ, công chức", "Viên chức", "Giáo viên", "Nông dân", "Công nhân",
               "Bác sĩ", "Sĩ quan", "Kinh doanh", "Hưu trí", "Sinh viên")  # fmt: skip

BASE_CELLS = [  # (name, grassroots type)
    ("Chi bộ thôn {n} {unit}", GrassrootsType.OTHER),
    ("Chi bộ Khu dân cư số {n} {unit}", GrassrootsType.OTHER),
    ("Chi bộ Trường Mầm non số {n} {unit}", GrassrootsType.PUBLIC_SERVICE),
    ("Chi bộ Trường Tiểu học số {n} {unit}", GrassrootsType.PUBLIC_SERVICE),
    ("Chi bộ Trạm Y tế {unit} ({n})", GrassrootsType.PUBLIC_SERVICE),
    ("Chi bộ Công an {unit} ({n})", GrassrootsType.ARMED_FORCES),
    ("Chi bộ Ban Chỉ huy Quân sự {unit} ({n})", GrassrootsType.ARMED_FORCES),
    ("Chi bộ Công ty TNHH Thương mại số {n} {unit}", GrassrootsType.PRIVATE_ENTERPRISE),
]
BASE_COMMITTEES = [
    ("Đảng bộ Cơ quan Ủy ban nhân dân {unit} ({n})", GrassrootsType.ADMINISTRATIVE),
    ("Đảng bộ Trường Trung học cơ sở số {n} {unit}", GrassrootsType.PUBLIC_SERVICE),
    ("Đảng bộ Trung tâm Y tế khu vực số {n} {unit}", GrassrootsType.PUBLIC_SERVICE),
    ("Đảng bộ Công ty Cổ phần số {n} {unit}", GrassrootsType.STATE_ENTERPRISE),
    ("Đảng bộ Tổ dân phố liên khu số {n} {unit}", GrassrootsType.OTHER),
]
CELL_NAMES = ("Chi bộ Tổ dân phố số {n}", "Chi bộ Phòng số {n}", "Chi bộ Khối số {n}",
              "Chi bộ Đội số {n}")  # fmt: skip


@dataclass
class Org:
    pk: int
    code: str
    kind: str
    name: str
    parent: Org | None
    path: str
    depth: int
    province_id: int
    grassroots_type: str = ""
    admin_unit_code: str = ""


@dataclass
class Province:
    org: Org
    official: int
    holders: list[Org] = field(default_factory=list)  # cells and base cells: members' homes
    weight: int = 0


def _text(value) -> str:
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    return str(value)


class Copier:
    """COPY … FROM STDIN of tab-separated lines, written in blocks."""

    def __init__(self, cursor, table: str, columns: list[str]):
        quoted = ", ".join(f'"{c}"' for c in columns)
        self.statement = f"COPY {table} ({quoted}) FROM STDIN WITH (FREEZE)"
        self.cursor = cursor
        self.lines: list[str] = []

    def add(self, *values) -> None:
        self.lines.append("\t".join(map(_text, values)))

    def flush(self) -> None:
        if not self.lines:
            return
        with self.cursor.copy(self.statement) as copy:
            block = []
            size = 0
            for line in self.lines:
                block.append(line)
                size += len(line)
                if size > 1 << 20:
                    copy.write("\n".join(block) + "\n")
                    block, size = [], 0
            if block:
                copy.write("\n".join(block) + "\n")
        self.lines = []


ORG_COLUMNS = ["id", "code", "kind", "grassroots_type", "admin_unit_code", "founded_on",
               "ended_on", "name", "path", "depth", "name_folded", "name_sort", "parent_id",
               "province_id", "successor_id"]  # fmt: skip
VERSION_COLUMNS = ["name", "kind", "path", "depth", "valid_from", "valid_to", "event_id",
                   "organization_id", "parent_id", "province_id"]  # fmt: skip
MEMBER_COLUMNS = [
    "id", "full_name", "other_names", "gender", "birth_date", "birthplace", "hometown",
    "residence", "ethnicity", "religion", "citizen_id", "phone", "email", "general_education",
    "qualification", "academic_title", "political_theory", "state_management", "occupation",
    "workplace", "party_card_no", "admission_decision_no", "admitted_on", "ceremony_on",
    "confirmed_on", "photo", "status", "is_exempted", "org_path", "party_age_anchor",
    "name_folded", "name_sort", "row_version", "created_at", "organization_id", "province_id",
]  # fmt: skip
EVENT_COLUMNS = ["id", "type", "on", "decision_no", "decision_date", "other_party", "detail",
                 "note", "recorded_at", "member_id", "organization_id",
                 "other_organization_id", "recorded_by_id"]  # fmt: skip
AFFILIATION_COLUMNS = ["kind", "valid_from", "valid_to", "organization_id", "member_id",
                       "started_by_id"]  # fmt: skip


def _lower_first(text: str) -> str:
    return text[0].lower() + text[1:]


def build_tree(rng: random.Random, scale: float) -> tuple[list[Province], list[Org]]:
    """Provinces → communes → grassroots (base committees with cells, base cells)."""
    provinces: list[Province] = []
    orgs: list[Org] = []
    pk = 0

    def new(code, kind, name, parent, **extra) -> Org:
        nonlocal pk
        pk += 1
        path = f"{parent.path if parent else ''}{pk}/"
        depth = parent.depth + 1 if parent else 0
        province_id = pk if kind == Kind.PROVINCE else parent.province_id
        org = Org(pk, code, kind, name, parent, path, depth, province_id, **extra)
        orgs.append(org)
        return org

    def scaled(count: int) -> int:
        return max(1, round(count * scale))

    for source in provinces_2025():
        code = province_code(source)
        org = new(code, Kind.PROVINCE, party_name(source.full_name), None,
                  admin_unit_code=source.official_code)  # fmt: skip
        province = Province(org, source.code, weight=len(source.wards))
        provinces.append(province)
        for ward in source.wards:
            commune = new(
                commune_code(source, ward), Kind.COMMUNE, party_name(ward.name), org,
                grassroots_type=WARD_TYPES[ward.division_type],
                admin_unit_code=ward.official_code,
            )  # fmt: skip
            unit = _lower_first(ward.name)
            for n in range(1, scaled(rng.randint(10, 21)) + 1):
                if rng.random() < 0.45:
                    template, gtype = rng.choice(BASE_COMMITTEES)
                    name = template.format(n=n, unit=unit)
                    base = new(f"{commune.code}.D{n:02d}", Kind.BASE_COMMITTEE, name, commune,
                               grassroots_type=gtype)  # fmt: skip
                    for m in range(1, scaled(rng.randint(4, 17)) + 1):
                        cell = new(f"{base.code}.{m:02d}", Kind.CELL,
                                   rng.choice(CELL_NAMES).format(n=m), base)  # fmt: skip
                        province.holders.append(cell)
                else:
                    template, gtype = rng.choice(BASE_CELLS)
                    name = template.format(n=n, unit=unit)
                    base = new(f"{commune.code}.C{n:02d}", Kind.BASE_CELL, name, commune,
                               grassroots_type=gtype)  # fmt: skip
                    province.holders.append(base)
    return provinces, orgs


def write_tree(cursor, orgs: list[Org]) -> None:
    organizations = Copier(cursor, "organizations_organization", ORG_COLUMNS)
    versions = Copier(cursor, "organizations_organizationversion", VERSION_COLUMNS)
    for org in orgs:
        parent_id = org.parent.pk if org.parent else None
        organizations.add(
            org.pk, org.code, org.kind, org.grassroots_type, org.admin_unit_code, FOUNDED, None,
            org.name, org.path, org.depth, fold(org.name), sort_key(org.name), parent_id,
            org.province_id, None,
        )  # fmt: skip
        versions.add(org.name, org.kind, org.path, org.depth, FOUNDED, None, None, org.pk,
                     parent_id, org.province_id)  # fmt: skip
    organizations.flush()
    versions.flush()


def _admission_years(today: date) -> names.Weighted:
    """More members were admitted recently (most of the 1960s' members have died)."""
    return names.Weighted({y: (y - 1950) ** 1.3 for y in range(1958, today.year + 1)})


EPOCH = date(1850, 1, 1).toordinal()
ISO = [date.fromordinal(EPOCH + i).isoformat() for i in range(200 * 366)]
EVENTS_PER_MEMBER = 4  # event ids are member id × 4 + 0…3 (at most four events a member)
NULL = "\\N"
STATUS_AFTER = {"died": "deceased", "transferred_out": "away"}


@dataclass
class Work:
    """One province's members to write: ids from `first_id`, `count` of them."""

    index: int
    first_id: int
    count: int
    seed: int
    today: date
    now: str


_PROVINCES: list[Province] = []  # set before the worker processes fork


def province_rows(work: Work) -> tuple[str, str, str, dict]:
    """The COPY text of one province's members, events and affiliations (in a worker)."""
    province = _PROVINCES[work.index]
    rng = random.Random(work.seed * 1000 + work.index)
    today = work.today.toordinal() - EPOCH
    years = _admission_years(work.today)
    born_floor = date(1925, 1, 1).toordinal() - EPOCH
    year_start = {y: date(y, 1, 1).toordinal() - EPOCH for y in range(1950, work.today.year + 1)}
    holders = [(org.pk, org.path) for org in province.holders]
    official, pid = province.official, province.org.pk
    sorter = Names()
    serials: dict[tuple, int] = {}
    details: dict[int, str] = {}
    randint, random_ = rng.randint, rng.random
    people = []
    for _ in range(work.count):
        gender = "female" if random_() < 0.38 else "male"
        ethnicity = ETHNICITY(rng)
        admitted = year_start[years(rng)] + randint(0, 364)
        if admitted > today - 20:
            admitted = today - randint(20, 300)
        age = 18 + min(int(rng.expovariate(1 / 9)), 42)
        birth = admitted - age * 365 - randint(1, 364)
        if birth < born_floor:  # nobody alive in the registry was born before 1925
            birth = admitted - 18 * 365 - randint(1, 364)
        ceremony = min(admitted + randint(7, 30), today)
        confirmed = ceremony + 365
        if confirmed > today:
            confirmed = None
        born_year = int(ISO[birth][:4])
        name = names.full_name(rng, gender=gender, ethnicity=ethnicity, born=born_year)
        home = holders[randint(0, len(holders) - 1)]
        step = None
        if confirmed and confirmed < today - 60:
            roll = random_()
            if roll < 0.03:  # a transfer inside the province
                target = holders[randint(0, len(holders) - 1)]
                if target is not home:
                    step = ("transferred", randint(confirmed + 30, today), target)
            elif roll < 0.05:
                old = work.today.year - born_year > 70
                kind = "died" if old or roll < 0.038 else rng.choice(
                    ("resigned", "removed", "removed", "transferred_out"))  # fmt: skip
                step = (kind, randint(confirmed + 30, today), None)
        people.append((sorter.sort(name), name, gender, ethnicity, born_year, birth, admitted,
                       ceremony, confirmed, home, step))  # fmt: skip
    people.sort(key=lambda p: p[0])
    now = work.now
    members, events, affiliations = [], [], []
    counts = {"members": work.count, "events": 0, "affiliations": 0}
    for mid, person in enumerate(people, start=work.first_id):
        sort, name, gender, ethnicity, born_year, birth, admitted, ceremony, confirmed, home, \
            step = person  # fmt: skip
        eid = mid * EVENTS_PER_MEMBER
        decision = f"{randint(1, 999)}-QĐ/ĐU"
        detail = details.get(ceremony)
        if detail is None:
            detail = details[ceremony] = f'{{"ceremony_on": "{ISO[ceremony]}"}}'
        home_id, home_path = home
        events.append(f"{eid}\tadmitted\t{ISO[admitted]}\t{decision}\t\\N\t\t{detail}\t\t{now}"
                      f"\t{mid}\t{home_id}\t\\N\t\\N")  # fmt: skip
        if confirmed:
            eid += 1
            events.append(f"{eid}\tconfirmed\t{ISO[confirmed]}\t{randint(1, 999)}-QĐ/ĐU\t\\N"
                          f"\t\t{{}}\t\t{now}\t{mid}\t{home_id}\t\\N\t\\N")  # fmt: skip
        status = "full" if confirmed else "probationary"
        org_id, org_path = home_id, home_path
        first_to = r"\N"
        versions = 1
        if step is not None:
            kind, on, target = step
            versions = 2
            first_to = ISO[on]
            if kind == "transferred":
                eid += 1
                events.append(f"{eid}\ttransferred_out\t{ISO[on]}\t\t\\N\t\t{{}}\t\t{now}\t{mid}"
                              f"\t{home_id}\t{target[0]}\t\\N")  # fmt: skip
                eid += 1
                events.append(f"{eid}\ttransferred_in\t{ISO[on]}\t\t\\N\t\t{{}}\t\t{now}\t{mid}"
                              f"\t{target[0]}\t{home_id}\t\\N")  # fmt: skip
                org_id, org_path = target
                affiliations.append(f"official\t{ISO[on]}\t\\N\t{org_id}\t{mid}\t{eid}")
                counts["affiliations"] += 1
            else:
                eid += 1
                other = "Đảng bộ ngoài hệ thống" if kind == "transferred_out" else ""
                events.append(f"{eid}\t{kind}\t{ISO[on]}\t\t\\N\t{other}\t{{}}\t\t{now}\t{mid}"
                              f"\t{home_id}\t\\N\t\\N")  # fmt: skip
                status = STATUS_AFTER.get(kind, "left")
        affiliations.append(f"official\t{ISO[ceremony]}\t{first_to}\t{home_id}\t{mid}"
                            f"\t{mid * EVENTS_PER_MEMBER}")  # fmt: skip
        counts["affiliations"] += 1
        counts["events"] += eid - mid * EVENTS_PER_MEMBER + 1
        confirmed_text = ISO[confirmed] if confirmed else NULL
        century = (0 if born_year < 2000 else 2) + (gender == "female")
        key = (century, born_year)
        serial = serials[key] = serials.get(key, 0) + 1
        citizen = f"{official:03d}{century}{born_year % 100:02d}{serial:06d}"
        members.append(
            f"{mid}\t{name}\t\t{gender}\t{ISO[birth]}\t\t\t\t{ethnicity}\t{RELIGION(rng)}"
            f"\t{citizen}\t\t\t{EDUCATION(rng)}\t{QUALIFICATION(rng)}\t\t{THEORY(rng)}\t"
            f"\t{OCCUPATIONS[randint(0, len(OCCUPATIONS) - 1)]}\t\t1{mid:09d}\t{decision}"
            f"\t{ISO[admitted]}\t{ISO[ceremony]}\t{confirmed_text}\t"
            f"\t{status}\tf\t{org_path}\t{ISO[admitted]}\t{sorter.fold(name)}\t{sort}"
            f"\t{versions}\t{now}\t{org_id}\t{pid}"
        )
    return ("\n".join(members) + "\n", "\n".join(events) + "\n",
            "\n".join(affiliations) + "\n", counts)  # fmt: skip


def _copy(cursor, table: str, columns: list[str], text: str) -> None:
    quoted = ", ".join(f'"{c}"' for c in columns)
    with cursor.copy(f"COPY {table} ({quoted}) FROM STDIN WITH (FREEZE)") as copy:
        step = 1 << 22
        for start in range(0, len(text), step):
            copy.write(text[start : start + step])


# ---------------------------------------------------------------- indexes around the load


def _secondary_indexes(cursor, table: str) -> list[tuple[str, str, str | None, str | None]]:
    """(index, its definition, constraint name, constraint definition) but the primary key."""
    cursor.execute(
        """
        SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid), c.conname,
               pg_get_constraintdef(c.oid)
        FROM pg_index i
        LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.conrelid = i.indrelid
             AND c.contype IN ('u', 'x')
        WHERE i.indrelid = %s::regclass AND NOT i.indisprimary
        """,
        [table],
    )
    return cursor.fetchall()


def drop_indexes(cursor) -> list[tuple[str, str]]:
    """Drop the secondary indexes and constraints of the loaded tables; returns how to make
    them again: (table, SQL)."""
    again = []
    for table in TABLES:
        for index, definition, constraint, constraint_def in _secondary_indexes(cursor, table):
            if constraint:
                cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{constraint}"')
                again.append((table, f'ALTER TABLE {table} ADD CONSTRAINT "{constraint}" '
                                     f"{constraint_def}"))  # fmt: skip
            else:
                cursor.execute(f"DROP INDEX {index}")
                again.append((table, definition))
    return again


def generate(*, scale: float, seed: int, out=sys.stderr) -> dict:
    global _PROVINCES
    rng = random.Random(seed)
    today = timezone.localdate()
    started = time.perf_counter()

    def say(text: str) -> None:
        out.write(f"[{time.perf_counter() - started:6.1f} s] {text}\n")
        out.flush()

    provinces, orgs = build_tree(rng, scale)
    say(f"tree: {len(orgs):,} organizations, "
        f"{sum(len(p.holders) for p in provinces):,} cells holding members")  # fmt: skip
    total = round(MEMBERS * scale)
    weights = sum(p.weight for p in provinces)
    quotas = [total * p.weight // weights for p in provinces]
    quotas[0] += total - sum(quotas)
    firsts = [1 + sum(quotas[:i]) for i in range(len(quotas))]
    now = timezone.now().isoformat()
    works = [Work(i, firsts[i], quotas[i], seed, today, now) for i in range(len(provinces))]
    _PROVINCES = provinces
    counts = {"members": 0, "events": 0, "affiliations": 0}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")  # no FK triggers
        cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
        cursor.execute("SET LOCAL max_parallel_maintenance_workers = 2")
        cursor.execute("SET LOCAL synchronous_commit = off")
        cursor.execute(f"TRUNCATE {', '.join(TABLES)} CASCADE")
        again = drop_indexes(cursor)
        say(f"dropped {len(again)} secondary indexes and constraints")
        write_tree(cursor, orgs)
        say("organizations and versions written")
        # Two processes make the rows, province by province, while this one copies them.
        with multiprocessing.get_context("fork").Pool(2) as pool:
            for work, (members, events, affiliations, made) in zip(
                works, pool.imap(province_rows, works), strict=True
            ):
                _copy(cursor, "members_member", MEMBER_COLUMNS, members)
                _copy(cursor, "members_memberevent", EVENT_COLUMNS, events)
                _copy(cursor, "members_affiliation", AFFILIATION_COLUMNS, affiliations)
                for key, value in made.items():
                    counts[key] += value
                say(f"{provinces[work.index].org.name}: {work.count:,} members")
        for table, sql in again:
            began = time.perf_counter()
            cursor.execute(sql)
            say(f"{table}: {sql[:90]}… {time.perf_counter() - began:.1f} s")
        for table in TABLES:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
            )
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"VACUUM ANALYZE {table}")
    say("vacuum analyze done")
    return {"organizations": len(orgs), **counts, "seconds": time.perf_counter() - started}
