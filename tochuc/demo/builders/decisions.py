"""Decision numbers that look like the sector's: "125-QĐ/TU", "1047-QĐ/HU", "38-QĐ/ĐU".

Each issuing committee numbers its decisions from 1 every year; the demo starts each
year's series at a seeded number and steps on by a few, as other decisions fall between.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from tochuc.organizations.services import Decision


class DecisionBook:
    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._next: dict[tuple[str, str, int], int] = {}

    def issue(
        self, suffix: str, effective: date, *, issuer: str = "", days_before: int = 1, note=""
    ) -> Decision:
        """A decision of `issuer` ("QĐ/TU" of the province, "QĐ/HU" of a district…)."""
        decided = effective - timedelta(days=days_before)
        key = (suffix, issuer or suffix, decided.year)
        if key not in self._next:
            self._next[key] = self._rng.randrange(20, 400)
        number = self._next[key]
        self._next[key] = number + self._rng.randrange(1, 8)
        return Decision(f"{number}-{suffix}", decided, note)

    def tw(self, effective: date, **kw) -> Decision:  # Bộ Chính trị, Ban Bí thư
        return self.issue("QĐ/TW", effective, **kw)

    def tu(self, effective: date, **kw) -> Decision:  # Tỉnh ủy (and Thành ủy)
        return self.issue("QĐ/TU", effective, **kw)

    def hu(self, effective: date, *, district: str, city: bool = False, **kw) -> Decision:
        return self.issue("QĐ/TU" if city else "QĐ/HU", effective, issuer=district, **kw)

    def du(self, effective: date, *, committee: str, **kw) -> Decision:  # Đảng ủy
        return self.issue("QĐ/ĐU", effective, issuer=committee, **kw)

    def duk(self, effective: date, **kw) -> Decision:  # Đảng ủy Khối
        return self.issue("QĐ/ĐUK", effective, **kw)
