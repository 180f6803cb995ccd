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
        from .organizations import register_named

        registry = cls()
        register_named(registry)
        existing = set(
            Organization.objects.filter(code__in=registry._codes.values()).values_list(
                "code", flat=True
            )
        )
        registry._codes = {n: c for n, c in registry._codes.items() if c in existing}
        return registry
