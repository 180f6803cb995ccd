"""The demo province, Lạng Sơn, as it stood before the 1/7/2025 reorganization — as a plan.

The plan is plain data (`Node`s), built from the real pre-2025 districts and communes
(`vietnamadminunits`) and the catalog of agencies and units; `organizations.py` founds it
in bulk and `history.py` replays what happened to it afterwards, through the services.

Scale: at 31/12/2020 the province counts exactly `GRASSROOTS_2020` grassroots
organizations and `UNDER_GRASSROOTS_2020` organizations under grassroots committees, the
figures of its annual report. The fixed parts (communes, agencies, units, their cells)
are laid out first; commune schools and village cells then fill the difference.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from tochuc.organizations.models import (
    GRASSROOTS_KINDS,
    UNDER_GRASSROOTS_KINDS,
    Kind,
    settlement_type,
)
from tochuc.organizations.models import GrassrootsType as G

from . import catalog, catalog_local
from .catalog import Unit
from .sources import LegacyCommune, conversion_2025, legacy_communes, unit_key

PROVINCE_KEY = "tinhlangson"
PROVINCE_CODE = "T20"
PROVINCE_FOUNDED = date(1979, 1, 1)  # Lạng Sơn re-established after Cao Lạng (29/12/1978)
CITY_FROM = date(2002, 10, 17)  # thị xã Lạng Sơn became a city (Nghị định 82/2002/NĐ-CP)
REPORT_DATE = date(2020, 12, 31)
GRASSROOTS_2020 = 744
UNDER_GRASSROOTS_2020 = 3280

BLOCS = {
    # slug: (name, founded)
    "KCQ": ("Đảng bộ Khối các cơ quan và doanh nghiệp tỉnh", date(1979, 1, 1)),
    "QS": ("Đảng bộ Quân sự tỉnh", date(1979, 1, 1)),
    "CA": ("Đảng bộ Công an tỉnh", date(1979, 1, 1)),
    "BP": ("Đảng bộ Bộ đội Biên phòng tỉnh", date(1979, 1, 1)),
}
BLOC_UNITS = {
    "KCQ": catalog.KHOI_UNITS,
    "QS": catalog.QUANSU_UNITS,
    "CA": catalog.CONGAN_UNITS,
    "BP": catalog.BIENPHONG_UNITS,
}
# What the small demo (tests) keeps of each bloc: the units the history needs.
SMALL_BLOC_UNITS = {
    "KCQ": {"VPTU", "TAND", "VKS", "STC", "SKHDT", "SNN", "STNMT", "DLN", "BVDK"},
    "QS": {"CQ", "TS"},
    "CA": {"PV01", "PX03"},
    "BP": {"CQ", "HN"},
}
SMALL_DISTRICT_UNITS = {"CQHU", "UBND", "QS", "CA", "TAND", "VHTT", "KL"}
CITY = "thanhpholangson"
# The districts of the small demo: the city, and those where communes merged in 2020, 2024.
SMALL_DISTRICTS = {CITY, "huyenhuulung", "huyentrangdinh", "huyenvanquan", "huyenlocbinh"}


@dataclass(frozen=True)
class CommuneMerger:
    """Commune committees merged when their communes were (a real resolution's terms)."""

    district: str
    sources: tuple[str, ...]  # names of communes that ended ("Đô Lương")
    into: str = ""  # key of the receiving commune ("xavannham")
    new: str = ""  # key of the commune formed from the sources ("xathientan")
    part_to: str = ""  # key of a commune that received part of the (single) source

    @property
    def receiver(self) -> str:
        return self.into or self.new


# Nghị quyết 818/NQ-UBTVQH14 (21/11/2019), in force from 1/1/2020.
MERGERS_2020_ON = date(2020, 1, 1)
MERGERS_2020 = (
    CommuneMerger("huyenhuulung", ("Đô Lương",), into="xavannham"),
    CommuneMerger("huyenhuulung", ("Thiện Kỵ", "Tân Lập"), new="xathientan"),
    CommuneMerger("huyentrangdinh", ("Bắc Ái",), into="xadetham", part_to="xakimdong"),
)
# The 2023–2025 arrangement of communes, in force from 1/12/2024.
MERGERS_2024_ON = date(2024, 12, 1)
MERGERS_2024 = (
    CommuneMerger("huyentrangdinh", ("Vĩnh Tiến",), into="xakhanhlong"),
    CommuneMerger("huyentrangdinh", ("Đại Đồng",), into="xadoican", part_to="thitranthatkhe"),
    CommuneMerger("huyenvanquan", ("Đồng Giáp", "Tràng Các"), into="xakhanhkhe"),
    CommuneMerger("huyenlocbinh", ("Tĩnh Bắc",), into="xatamgia"),
    CommuneMerger("huyenhuulung", ("Sơn Hà",), into="thitranhuulung"),
)

# District seats, where the seat is not the district's only townlet.
SEATS = {
    "thanhpholangson": "phuongchilang",
    "huyencaoloc": "thitrancaoloc",
    "huyenchilang": "thitrandongmo",
    "huyenlocbinh": "thitranlocbinh",
    "huyendinhlap": "thitrandinhlap",
}

# The demo's named organizations (registry names; see registry.py).
DEMO_COMMUNE = "xathientan"  # new Xã Thiện Tân (Hữu Lũng): three old communes, one of
# them formed in 2020 from Thiện Kỵ and Tân Lập
SIBLING_COMMUNE = "xatanthanh"
DEMO_VILLAGE = ("tinhlangson_huyenhuulung_xathanhson", "Nà Phái")


@dataclass(eq=False)
class Node:
    code: str
    name: str
    kind: str
    on: date
    parent: Node | None  # None: directly under the province
    grassroots_type: str = ""
    admin_unit_code: str = ""
    role: str = ""
    dest: str = ""
    where: str = ""  # full key of the old commune it stands in
    children: list[Node] = field(default_factory=list)


@dataclass
class Plan:
    nodes: list[Node] = field(default_factory=list)  # parents before children
    districts: dict[str, Node] = field(default_factory=dict)
    district_names: dict[str, str] = field(default_factory=dict)  # key → "huyện Cao Lộc"
    communes: dict[str, Node] = field(default_factory=dict)  # old full key → node
    legacy: dict[str, LegacyCommune] = field(default_factory=dict)  # full key → commune
    commune_cells: dict[str, dict[str, Node]] = field(default_factory=dict)
    villages: dict[str, list[Node]] = field(default_factory=dict)
    blocs: dict[str, Node] = field(default_factory=dict)
    units: dict[str, Node] = field(default_factory=dict)  # "KCQ.SNV" → node
    district_units: list[Node] = field(default_factory=list)
    seats: dict[str, str] = field(default_factory=dict)  # district key → old full key
    schools: list[Node] = field(default_factory=list)

    def add(self, node: Node) -> Node:
        self.nodes.append(node)
        if node.parent is not None:
            node.parent.children.append(node)
        return node


# ---------------------------------------------------------------- codes and names


def district_code(district_code_: str) -> str:
    return f"{PROVINCE_CODE}.H{district_code_}"


def old_commune_code(commune: LegacyCommune) -> str:
    return f"{district_code(commune.district_code)}.X{commune.code}"


def extra_commune_code(district_code_: str, name: str) -> str:
    return f"{district_code(district_code_)}.{unit_key(name).upper()}"


def lower_type(type_: str) -> str:
    return type_[0].lower() + type_[1:]


def committee_name(type_: str, name: str) -> str:
    """ "Xã", "Hợp Thành" → "Đảng bộ xã Hợp Thành"."""
    return f"Đảng bộ {lower_type(type_)} {name}"


COMMUNE_TYPES = {"Xã": G.COMMUNE, "Phường": G.WARD, "Thị trấn": G.TOWNLET}


def full_key(district_key: str, key: str) -> str:
    return f"{PROVINCE_KEY}_{district_key}_{key}"


# ---------------------------------------------------------------- plan


def _random_date(rng: random.Random, start: date, end: date) -> date:
    if end <= start:
        return start
    return start + timedelta(days=rng.randrange((end - start).days + 1))


def plan_langson(*, rng: random.Random, small: bool = False) -> Plan:
    plan = Plan()
    communes = legacy_communes(PROVINCE_KEY)
    by_district: dict[str, list[LegacyCommune]] = {}
    for commune in communes:
        if small and commune.district_key not in SMALL_DISTRICTS:
            continue
        by_district.setdefault(commune.district_key, []).append(commune)
        plan.legacy[commune.full_key] = commune
    formed_later = {full_key(m.district, m.new) for m in MERGERS_2020 if m.new}
    extra = {m.district: [] for m in (*MERGERS_2020, *MERGERS_2024)}
    for merger in (*MERGERS_2020, *MERGERS_2024):
        extra[merger.district].extend(merger.sources)

    # Districts and their commune committees.
    for district_key, members in by_district.items():
        first = members[0]
        is_city = first.district_type == "Thành phố"
        short = first.district_name[len(first.district_type) + 1 :]
        name = f"{lower_type(first.district_type)} {short}"
        plan.district_names[district_key] = name
        founded_name = f"Đảng bộ thị xã {short}" if is_city else f"Đảng bộ {name}"
        district = plan.add(
            Node(
                district_code(first.district_code),
                founded_name,
                Kind.DISTRICT,
                PROVINCE_FOUNDED,
                None,
                role="district",
            )
        )
        plan.districts[district_key] = district
        seat_key = SEATS.get(district_key) or next(c.key for c in members if c.type == "Thị trấn")
        plan.seats[district_key] = full_key(district_key, seat_key)
        for commune in members:
            if commune.full_key in formed_later:
                continue
            _add_commune(
                plan,
                district,
                commune.full_key,
                old_commune_code(commune),
                committee_name(commune.type, commune.short_name),
                COMMUNE_TYPES[commune.type],
                commune.code,
                f"{lower_type(commune.type)} {commune.short_name}",
            )
        for source in extra.get(district_key, []):
            _add_commune(
                plan,
                district,
                full_key(district_key, unit_key(f"Xã {source}")),
                extra_commune_code(first.district_code, source),
                committee_name("Xã", source),
                G.COMMUNE,
                "",
                f"xã {source}",
            )

    # Province-level blocs and their units.
    for slug, (name, founded) in BLOCS.items():
        bloc = plan.add(Node(f"{PROVINCE_CODE}.{slug}", name, Kind.BLOC, founded, None))
        plan.blocs[slug] = bloc
        for unit in BLOC_UNITS[slug]:
            if small and unit.slug not in SMALL_BLOC_UNITS[slug]:
                continue
            node = _add_unit(plan, rng, bloc, unit, f"{bloc.code}.{unit.slug}", unit.name, founded)
            node.role = "bloc_unit"
            plan.units[f"{slug}.{unit.slug}"] = node

    # District-level agencies, units, schools and enterprises.
    for district_key, district in plan.districts.items():
        members = by_district[district_key]
        is_city = district.name.startswith("Đảng bộ thị xã")
        words = {
            "unit": plan.district_names[district_key],
            "committee": "Thành ủy" if is_city else "Huyện ủy",
        }
        earliest = CITY_FROM if is_city else date(1985, 1, 1)
        units = list(catalog_local.DISTRICT_UNITS)
        if is_city:
            units[2] = replace(units[2], cells=catalog_local.UBND_CITY_CELLS)
        else:
            units.append(catalog_local.DTNT)
        for unit in units:
            if small and unit.slug not in SMALL_DISTRICT_UNITS:
                continue
            cells = unit.cells[:2] if small else unit.cells
            unit = replace(unit, cells=cells)
            node = _add_unit(
                plan,
                rng,
                district,
                unit,
                f"{district.code}.{unit.slug}",
                unit.name.format(**words),
                earliest,
            )
            node.role, node.dest = "district_unit", unit.dest
            node.where = plan.seats[district_key]
            plan.district_units.append(node)
        if small:
            continue
        for index, (school, located) in enumerate(
            catalog_local.THPT_SCHOOLS[district_key], start=1
        ):
            where = full_key(district_key, located) if located else plan.seats[district_key]
            n_cells = 3 + (index == 1) + rng.randrange(2)
            unit = Unit(
                f"THPT{index}",
                f"Đảng bộ Trường Trung học phổ thông {school}",
                Kind.BASE_COMMITTEE,
                G.PUBLIC_SERVICE,
                catalog_local.THPT_CELLS[:n_cells],
            )
            node = _add_unit(
                plan, rng, district, unit, f"{district.code}.{unit.slug}", unit.name, earliest
            )
            node.role, node.dest, node.where = "district_unit", "commune", where
            plan.district_units.append(node)
        if district_key in catalog_local.FORESTRY:
            unit = Unit(
                "LN", catalog_local.FORESTRY[district_key], Kind.BASE_CELL, G.STATE_ENTERPRISE
            )
            node = _add_unit(plan, rng, district, unit, f"{district.code}.LN", unit.name, earliest)
            node.role, node.dest = "district_unit", "bloc:UBND"
            plan.district_units.append(node)
        for index in range(1, 2 + rng.randrange(2) + is_city):
            name = _company_name(rng, plan)
            unit = Unit(f"DN{index:02d}", f"Chi bộ {name}", Kind.BASE_CELL, G.PRIVATE_ENTERPRISE)
            node = _add_unit(
                plan,
                rng,
                district,
                unit,
                f"{district.code}.{unit.slug}",
                unit.name,
                max(earliest, date(2005, 1, 1)),
            )
            located = rng.choice([c for c in members if c.full_key not in formed_later])
            node.role, node.dest, node.where = "district_unit", "commune", located.full_key
            plan.district_units.append(node)

    _fill(plan, rng, small, by_district, formed_later)
    return plan


def _add_commune(
    plan: Plan, district: Node, key: str, code: str, name: str, type_: str, admin: str, unit: str
) -> None:
    node = plan.add(
        Node(code, name, Kind.BASE_COMMITTEE, PROVINCE_FOUNDED, district, type_, admin, "commune")
    )
    plan.communes[key] = node
    plan.commune_cells[key] = {
        slug: plan.add(
            Node(
                f"{code}.{slug}",
                cell_name.format(unit=unit),
                Kind.CELL,
                PROVINCE_FOUNDED,
                node,
                cell_type,
                role=f"commune_cell:{slug}",
            )
        )
        for slug, cell_name, cell_type in catalog_local.COMMUNE_CELLS
    }
    plan.villages[key] = []


def _add_unit(
    plan: Plan, rng: random.Random, parent: Node, unit: Unit, code: str, name: str, earliest: date
) -> Node:
    founded = _random_date(rng, max(earliest, parent.on), date(2012, 12, 31))
    node = plan.add(Node(code, name, unit.kind, founded, parent, unit.grassroots_type))
    for index, cell in enumerate(unit.cells, start=1):
        plan.add(
            Node(
                f"{code}.C{index:02d}",
                cell,
                Kind.CELL,
                _random_date(rng, founded, date(2019, 6, 30)),
                node,
            )
        )
    for index, (sub_name, sub_cells) in enumerate(unit.subcommittees, start=1):
        sub = plan.add(Node(f"{code}.B{index}", sub_name, Kind.SUB_COMMITTEE, founded, node))
        for number, cell in enumerate(sub_cells, start=1):
            plan.add(Node(f"{sub.code}.C{number:02d}", cell, Kind.CELL, founded, sub))
    return node


def _company_name(rng: random.Random, plan: Plan) -> str:
    taken = {n.name for n in plan.district_units}
    while True:
        name = (
            f"{rng.choice(catalog_local.COMPANY_FORMS)} {rng.choice(catalog_local.COMPANY_TRADES)} "
            f"{rng.choice(catalog_local.COMPANY_BRANDS)}"
        )
        if f"Chi bộ {name}" not in taken:
            return name


def counts_on_report_date(plan: Plan) -> tuple[int, int]:
    """Grassroots and under-grassroots organizations of the plan on 31/12/2020."""
    grassroots = sum(1 for n in plan.nodes if n.kind in GRASSROOTS_KINDS)
    under = sum(1 for n in plan.nodes if n.kind in UNDER_GRASSROOTS_KINDS)
    # The 2020 mergers: each source committee ended and its commune cells were merged
    # into the receiver's; a merger forming a new commune adds one with its own cells.
    per_commune = len(catalog_local.COMMUNE_CELLS)
    for merger in MERGERS_2020:
        ended = len(merger.sources) - (1 if merger.new else 0)
        grassroots -= ended
        under -= per_commune * ended
    return grassroots, under


def _fill(plan, rng, small, by_district, formed_later) -> None:
    """Commune schools and village cells, in the numbers that give the 2020 figures."""
    grassroots, under = counts_on_report_date(plan)
    if small:
        n_schools = len(plan.districts)
        n_villages = len(plan.communes)
    else:
        n_schools = GRASSROOTS_2020 - grassroots
        n_villages = UNDER_GRASSROOTS_2020 - under
    if not small and (n_schools < 0 or n_villages < 3 * len(plan.communes)):
        raise RuntimeError("Kế hoạch dữ liệu mẫu vượt quy mô năm 2020; hãy rút bớt danh mục.")

    # Schools: spread over the districts by their number of communes.
    candidates = []
    for district_key, members in by_district.items():
        for commune in members:
            if commune.full_key in formed_later:
                continue
            for school in catalog_local.COMMUNE_SCHOOLS:
                if school.startswith("Trường Phổ thông") and commune.type != "Xã":
                    continue
                candidates.append((district_key, commune, school))
    if small:
        chosen = [next(c for c in candidates if c[0] == d) for d in by_district]
    else:
        chosen = rng.sample(candidates, n_schools)
        chosen.sort(key=lambda c: (c[1].district_code, c[1].code, c[2]))
    slugs = dict(zip(catalog_local.COMMUNE_SCHOOLS, ("MN", "TH", "THCS", "PTDTBT"), strict=True))
    for district_key, commune, school in chosen:
        district = plan.districts[district_key]
        earliest = CITY_FROM if district.name.startswith("Đảng bộ thị xã") else date(1985, 1, 1)
        unit_name = f"{lower_type(commune.type)} {commune.short_name}"
        node = plan.add(
            Node(
                f"{district.code}.{slugs[school]}.{commune.code}",
                f"Chi bộ {school} {unit_name}",
                Kind.BASE_CELL,
                _random_date(rng, earliest, date(2015, 12, 31)),
                district,
                G.PUBLIC_SERVICE,
                role="school",
                dest="commune",
                where=commune.full_key,
            )
        )
        plan.schools.append(node)
        plan.district_units.append(node)

    # Villages: wards count by "khối", townlets by "khu", communes by village name.
    keys = list(plan.communes)
    if small:
        sizes = dict.fromkeys(keys, 1)
    else:
        weights = {k: rng.uniform(0.6, 1.6) for k in keys}
        total = sum(weights.values())
        raw = {k: 3 + (n_villages - 3 * len(keys)) * w / total for k, w in weights.items()}
        sizes = {k: int(v) for k, v in raw.items()}
        rest = n_villages - sum(sizes.values())
        for key in sorted(keys, key=lambda k: raw[k] - sizes[k], reverse=True)[:rest]:
            sizes[key] += 1
    # Names are unique within the commune each one became on 1/7/2025, so that the merged
    # commune does not hold two "thôn Làng Mới" or two "khối 3".
    groups = {key: _group_2025(key) for key in keys}
    used: dict[str, set[str]] = {g: set() for g in groups.values()}
    used[groups[DEMO_VILLAGE[0]]].add(f"thôn {DEMO_VILLAGE[1]}")
    numbers: dict[tuple[str, str], int] = {}
    for key in keys:
        commune = plan.communes[key]
        count = sizes[key]
        names = []
        if key == DEMO_VILLAGE[0]:
            names, count = [f"thôn {DEMO_VILLAGE[1]}"], count - 1
        names += _village_names(
            rng, key, commune.grassroots_type, count, used[groups[key]], numbers, groups[key]
        )
        for index, name in enumerate(names, start=1):
            plan.villages[key].append(
                plan.add(
                    Node(
                        f"{commune.code}.T{index:02d}",
                        f"Chi bộ {name}",
                        Kind.CELL,
                        _random_date(rng, PROVINCE_FOUNDED, date(2005, 12, 31)),
                        commune,
                        settlement_type(f"Chi bộ {name}"),
                        role="village",
                    )
                )
            )


def _group_2025(key: str) -> str:
    """The new commune an old commune's villages belong to since 1/7/2025."""
    conversion = conversion_2025(PROVINCE_KEY)
    if key in conversion:
        return conversion[key].main
    for merger in (*MERGERS_2020, *MERGERS_2024):
        sources = {full_key(merger.district, unit_key(f"Xã {s}")) for s in merger.sources}
        if key in sources:
            return conversion[full_key(merger.district, merger.receiver)].main
    raise KeyError(key)


def _village_names(
    rng: random.Random,
    key: str,
    type_: str,
    count: int,
    used: set[str],
    numbers: dict[tuple[str, str], int],
    group: str,
) -> list[str]:
    if type_ in (G.WARD, G.TOWNLET):
        word = "khối" if type_ == G.WARD else "khu"
        start = numbers.get((group, word), 0)
        numbers[(group, word)] = start + count
        return [f"{word} {n}" for n in range(start + 1, start + count + 1)]
    district_key = key.split("_")[1]
    kinh = [n for n in catalog_local.KINH_NAMES if f"thôn {n}" not in used]
    rng.shuffle(kinh)
    names: list[str] = []
    while len(names) < count:
        if district_key in catalog_local.KINH_DISTRICTS and kinh and rng.random() < 0.5:
            name = f"thôn {kinh.pop()}"
        else:
            name = (
                f"thôn {rng.choice(catalog_local.TAY_FIRST)} {rng.choice(catalog_local.TAY_SECOND)}"
            )
        if name not in used:
            used.add(name)
            names.append(name)
    return names
