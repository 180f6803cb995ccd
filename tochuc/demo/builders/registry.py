"""Named organizations of the demo, for the builders that come after the tree.

Names are stable strings ("province", "commune", "cell", "bloc.CA", "district.huyencaoloc",
"khoi.SNV", "new.xathientan"); each maps to an organization code. Later builders (members,
admissions…) look organizations up here instead of guessing codes:

    registry.get("commune")          # Đảng bộ xã Thiện Tân, fresh from the database
    registry.codes_under("commune")  # every code registered below it

The same registry can be rebuilt for a database built earlier (`Registry.load()`): the
named codes do not depend on the seed.
"""

from __future__ import annotations

from tochuc.lib.paths import under
from tochuc.organizations.models import Organization

from . import langson
from .naming import commune_code, province_code
from .sources import legacy_communes, provinces_2025


class Registry:
    def __init__(self) -> None:
        self._codes: dict[str, str] = {}

    def add(self, name: str, code: str) -> None:
        if self._codes.get(name, code) != code:
            raise KeyError(f"“{name}” đã gắn với mã {self._codes[name]}.")
        self._codes[name] = code

    def code(self, name: str) -> str:
        return self._codes[name]

    def __contains__(self, name: str) -> bool:
        return name in self._codes

    def names(self, prefix: str = "") -> list[str]:
        return sorted(n for n in self._codes if n.startswith(prefix))

    def get(self, name: str) -> Organization:
        """The organization, read afresh (services change organizations in place)."""
        return Organization.objects.get(code=self._codes[name])

    def codes_under(self, name: str) -> list[str]:
        root = self.get(name)
        return list(
            Organization.objects.filter(under("path", root.path))
            .exclude(pk=root.pk)
            .values_list("code", flat=True)
        )

    @classmethod
    def load(cls) -> Registry:
        """The named organizations of an existing demo database."""
        registry = cls()
        register_named(registry)
        existing = set(
            Organization.objects.filter(code__in=registry._codes.values()).values_list(
                "code", flat=True
            )
        )
        registry._codes = {n: c for n, c in registry._codes.items() if c in existing}
        return registry


def register_named(registry: Registry) -> None:
    """The named organizations; their codes come from the data, not from the seed."""
    lang_son = next(p for p in provinces_2025() if p.key == langson.PROVINCE_KEY)
    code = province_code(lang_son)
    registry.add("province", code)
    for ward in lang_son.wards:
        registry.add(f"new.{ward.key}", commune_code(lang_son, ward))
    registry.add("commune", registry.code(f"new.{langson.DEMO_COMMUNE}"))
    registry.add("sibling_commune", registry.code(f"new.{langson.SIBLING_COMMUNE}"))
    for slug in langson.BLOCS:
        registry.add(f"bloc.{slug}", f"{code}.{slug}")
    registry.add("khoi", f"{code}.KCQ")
    registry.add("bloc.CQD", f"{code}.CQD")
    registry.add("bloc.UBND", f"{code}.UBND")
    for slug, units in langson.BLOC_UNITS.items():
        prefix = "khoi" if slug == "KCQ" else f"bloc.{slug}"
        for unit in units:
            registry.add(f"{prefix}.{unit.slug}", f"{code}.{slug}.{unit.slug}")
    registry.add("khoi.SNNMT", f"{code}.UBND.SNNMT")
    registry.add("khoi.DN2022", f"{code}.KCQ.DN2022")
    for commune in legacy_communes(langson.PROVINCE_KEY):
        registry.add(
            f"district.{commune.district_key}", langson.district_code(commune.district_code)
        )
        registry.add(f"old.{commune.full_key}", langson.old_commune_code(commune))
        if commune.full_key == langson.DEMO_VILLAGE[0]:
            registry.add("cell", f"{langson.old_commune_code(commune)}.T01")
