"""Real administrative units, read from the installed reference packages.

- `vietnam_provinces` (2025 data): today's 34 provinces and 3,321 communes, wards and
  special zones with their official codes.
- `vietnamadminunits`: the pre-2025 list (63 provinces, districts, communes, with codes)
  in its SQLite dataset, and the 1/7/2025 conversion (which old communes went into which
  new one, and the old communes divided between several new ones).

Keys follow `vietnamadminunits`: a unit's full name folded without spaces
("Phường Lương Văn Tri" → "phuongluongvantri"); an old commune's full key is
"<province>_<district>_<commune>".
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import vietnam_provinces
import vietnamadminunits

from tochuc.lib.vntext import fold

_ADMINUNITS_DATA = Path(vietnamadminunits.__file__).parent / "data"


def unit_key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(name))


@dataclass(frozen=True)
class Ward:
    code: int
    name: str  # "Xã Thất Khê", "Phường Kỳ Lừa", "Đặc khu Phú Quốc"
    division_type: str  # "xã", "phường", "đặc khu"

    @property
    def key(self) -> str:
        return unit_key(self.name)

    @property
    def official_code(self) -> str:
        return f"{self.code:05d}"


@dataclass(frozen=True)
class Province:
    code: int
    name: str  # "Lạng Sơn", "Thành phố Hà Nội"
    division_type: str  # "tỉnh", "thành phố trung ương"
    wards: tuple[Ward, ...] = field(repr=False)

    @property
    def full_name(self) -> str:
        return self.name if self.division_type != "tỉnh" else f"Tỉnh {self.name}"

    @property
    def key(self) -> str:
        return unit_key(self.full_name)

    @property
    def official_code(self) -> str:
        return f"{self.code:02d}"


@cache
def provinces_2025() -> tuple[Province, ...]:
    """Today's 34 provinces with their communes, in the package's (official) order."""
    with open(vietnam_provinces.NESTED_DIVISIONS_JSON_PATH, encoding="utf-8") as handle:
        data = json.load(handle)
    return tuple(
        Province(
            code=p["code"],
            name=p["name"],
            division_type=p["division_type"],
            wards=tuple(Ward(w["code"], w["name"], w["division_type"]) for w in p["wards"]),
        )
        for p in data
    )


@cache
def _converter() -> dict:
    with open(_ADMINUNITS_DATA / "converter_2025.json", encoding="utf-8") as handle:
        return json.load(handle)


def old_provinces_of(province_key: str) -> list[str]:
    """Keys of the provinces that formed `province_key` on 1/7/2025 (itself if unmerged)."""
    return list(_converter()["DICT_PROVINCE"].get(province_key, [province_key]))


@dataclass(frozen=True)
class LegacyCommune:
    """A commune, ward or townlet as it was just before 1/7/2025, with its district."""

    province_key: str
    district_key: str
    district_name: str  # "Huyện Cao Lộc", "Thành phố Lạng Sơn"
    district_type: str  # "Huyện", "Thành phố", "Quận", "Thị xã"
    district_code: str  # "183"
    key: str  # "xahopthanh"
    name: str  # "Xã Hợp Thành"
    type: str  # "Xã", "Phường", "Thị trấn"
    code: str  # "06193"

    @property
    def full_key(self) -> str:
        return f"{self.province_key}_{self.district_key}_{self.key}"

    @property
    def short_name(self) -> str:
        return self.name[len(self.type) + 1 :]


@cache
def legacy_communes(province_key: str) -> tuple[LegacyCommune, ...]:
    """The old communes of one province, ordered by district code then commune code."""
    connection = sqlite3.connect(f"file:{_ADMINUNITS_DATA / 'dataset.db'}?mode=ro", uri=True)
    try:
        rows = connection.execute(
            "SELECT provinceKey, districtKey, district, districtType, districtCode, wardKey,"
            " ward, wardType, wardCode FROM admin_units_legacy WHERE provinceKey = ?"
            " ORDER BY districtCode, wardCode",
            (province_key,),
        ).fetchall()
    finally:
        connection.close()
    return tuple(LegacyCommune(*row) for row in rows)


@dataclass(frozen=True)
class Conversion:
    """Where an old commune went on 1/7/2025: its main new commune, and others for parts."""

    main: str  # new commune key
    others: tuple[str, ...] = ()


@cache
def conversion_2025(province_key: str) -> dict[str, Conversion]:
    """Old commune full key → new commune keys, from the package's 2025 converter."""
    data = _converter()
    result: dict[str, Conversion] = {}
    for new_key, olds in data["DICT_PROVINCE_WARD_NO_DIVIDED"].get(province_key, {}).items():
        for old in olds:
            result[old] = Conversion(main=new_key)
    for old, parts in data["DICT_PROVINCE_WARD_DIVIDED"].get(province_key, {}).items():
        main = next(p["newWardKey"] for p in parts if p["isDefaultNewWard"])
        others = tuple(sorted(p["newWardKey"] for p in parts if not p["isDefaultNewWard"]))
        result[old] = Conversion(main=main, others=others)
    return result
