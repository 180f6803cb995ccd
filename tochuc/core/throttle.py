"""Per-user counters over fixed time windows, kept in Django's cache.

`spend` adds to a user's counter for the current window and says whether it is still
within the limit. The counters are no data of record: a cache that forgets them only
forgives early. Used by the citizen-ID checks (`tochuc.members.identity`).
"""

import time

from django.core.cache import cache


def spend(name: str, *, user_id: int, amount: int, limit: int, window_seconds: int) -> bool:
    """Add `amount` to `user_id`'s counter `name` in the current window; True while the
    total stays within `limit`."""
    if amount <= 0:
        return used(name, user_id=user_id, window_seconds=window_seconds) <= limit
    key = _key(name, user_id, window_seconds)
    cache.add(key, 0, timeout=window_seconds * 2)
    try:
        total = cache.incr(key, amount)
    except ValueError:  # evicted meanwhile
        cache.set(key, amount, timeout=window_seconds * 2)
        total = amount
    return total <= limit


def used(name: str, *, user_id: int, window_seconds: int) -> int:
    return cache.get(_key(name, user_id, window_seconds), 0)


def _key(name: str, user_id: int, window_seconds: int) -> str:
    return f"tochuc:throttle:{name}:{user_id}:{int(time.time() // window_seconds)}"
