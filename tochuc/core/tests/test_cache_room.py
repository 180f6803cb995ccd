"""The cache keeps what a national deployment puts in it: the home-page panels of thousands of
organizations do not push out each other, nor the throttles' counters (Django's default of
300 entries dropped a third of the cache at each write: every province's panels were
computed again and again under load, and a user's look-up allowance could start afresh)."""

from django.core.cache import cache

from tochuc.core import throttle

ORGANIZATIONS = 500  # a few provinces' communes with their home pages open
PANELS = 10  # about what an officer sees


def panel_key(organization: int, panel: int) -> str:
    return f"tochuc:panel:p{panel}:{organization}:2026-12-07:1"


def test_a_thousand_panels_leave_the_first_ones_and_the_throttle_counters_cached():
    assert throttle.spend("identity", user_id=7, amount=30, limit=40, window_seconds=3600)
    cache.set_many({panel_key(org, p): {"n": org} for org in range(ORGANIZATIONS)
                    for p in range(PANELS)}, 60)  # fmt: skip
    for org in range(ORGANIZATIONS):  # one write each, as the home pages come in
        cache.set(panel_key(org, PANELS), {"n": org}, 60)
    assert cache.get(panel_key(0, 0)) == {"n": 0}
    assert len(cache.get_many(panel_key(org, 0) for org in range(ORGANIZATIONS))) == ORGANIZATIONS
    assert throttle.used("identity", user_id=7, window_seconds=3600) == 30
    assert not throttle.spend("identity", user_id=7, amount=20, limit=40, window_seconds=3600)
