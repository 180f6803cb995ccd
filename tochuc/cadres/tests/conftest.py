"""The cadres cast: a cadre officer of the commune and one of the sibling commune, and helpers
recording through the services. Tests that depend on today travel to TODAY."""

from datetime import date

import pytest

from tochuc.accounts.permissions import Role
from tochuc.cadres import services

TODAY = date(2026, 11, 20)


@pytest.fixture
def cadre_officers(cast):
    from types import SimpleNamespace

    return SimpleNamespace(
        commune=cast.user("canbo_xa", Role.CADRE_OFFICER, cast.commune),
        sibling=cast.user("canbo_xa_ben", Role.CADRE_OFFICER, cast.sibling_commune),
    )


@pytest.fixture
def cadre(cast):
    """A cadre of the commune's committee: `cadre("Hoàng Văn An", born=date(1975, 3, 1))`."""

    def make(full_name, *, born=date(1978, 5, 12), gender="male", committee=None, **extra):
        return services.cadre_create(
            committee=committee or cast.commune, full_name=full_name, gender=gender,
            birth_date=born, **extra,
        )  # fmt: skip

    return make
