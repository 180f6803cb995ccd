"""How the demo names its organizations: codes and party names from the official unit lists,
used by the tree, its history and the registry.

A leaf of the demo package (it imports no builder step): the registry, the tree and its
history all read it.
"""

from __future__ import annotations

from datetime import date

from .sources import Province

# Names a provincial organization had before today's (renamed on the given date).
FORMER_NAMES = {"thanhphohue": ("Đảng bộ tỉnh Thừa Thiên Huế", date(2025, 1, 1))}


def number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def province_code(province: Province) -> str:
    return f"T{province.official_code}"


def commune_code(province: Province, ward) -> str:
    return f"{province_code(province)}.X{ward.official_code}"


def party_name(unit_name: str) -> str:
    """ "Xã Tân Thành" → "Đảng bộ xã Tân Thành"; "Thành phố Huế" → "Đảng bộ thành phố Huế"."""
    return f"Đảng bộ {unit_name[0].lower()}{unit_name[1:]}"


def province_party_name(province: Province) -> str:
    return party_name(province.full_name)
