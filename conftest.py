import os

import pytest

os.environ.setdefault("TOCHUC_TESTING", "1")


@pytest.fixture
def cast(db):
    from tochuc.testing import build_cast

    return build_cast()


@pytest.fixture
def users(cast):
    """One user per role in the cast, by name: users.commune_officer …"""
    from types import SimpleNamespace

    from tochuc.testing import ROLES_BY_NAME

    made = {}
    for name, (role, where) in ROLES_BY_NAME.items():
        made[name] = cast.user(name, role, getattr(cast, where) if where else None)
    return SimpleNamespace(**made)


@pytest.fixture(autouse=True)
def _fresh_calendar_overrides():
    """Overrides are cached per process; a rolled-back test must not leave its days behind."""
    from tochuc.policy import calendar

    calendar._forget_overrides()
    yield
    calendar._forget_overrides()


@pytest.fixture(autouse=True)
def _empty_cache():
    """The cache outlives a rolled-back test, whose ids the next test may reuse."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()
