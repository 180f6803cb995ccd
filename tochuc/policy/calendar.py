"""The working-day calendar every deadline uses.

Vietnamese public holidays come from the `holidays` package (Tết by the lunar calendar, the
Hùng Kings' day, 30/4, 1/5, 2/9 and the substituted days the government announced, including
Saturdays made working days). An administrator adds what the package does not know yet as
dated overrides (`WorkingDayOverride`): a compensatory day off, or a day made a working day.

Deadlines in the rules are counted in working days *after* the starting event: a decision due
"within 60 working days of the cell resolution" is due on `add_working_days(resolution, 60)`.
"""

import threading
import time
from datetime import date, timedelta
from functools import lru_cache

import holidays
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import WorkingDayOverride

_lock = threading.Lock()
_overrides: dict[date, bool] | None = None
_loaded_at = 0.0
RELOAD_SECONDS = 300  # other processes see an administrator's change within five minutes


@lru_cache(maxsize=1)
def _public_holidays() -> holidays.HolidayBase:
    return holidays.VN(language="vi")  # years are added as they are asked for


def overrides() -> dict[date, bool]:
    """The administrator's overrides: read at once in the process that saves one, and at most
    five minutes late in the others."""
    global _overrides, _loaded_at
    with _lock:
        if _overrides is None or time.monotonic() - _loaded_at > RELOAD_SECONDS:
            _overrides = dict(WorkingDayOverride.objects.values_list("day", "is_working_day"))
            _loaded_at = time.monotonic()
        return _overrides


@receiver([post_save, post_delete], sender=WorkingDayOverride)
def _forget_overrides(**kwargs) -> None:
    global _overrides
    with _lock:
        _overrides = None


def holiday_name(day: date) -> str:
    """The public holiday's Vietnamese name, or ''."""
    return _public_holidays().get(day) or ""


def is_working_day(day: date) -> bool:
    return _is_working_day(day, overrides(), _public_holidays())


def _is_working_day(day: date, overrides: dict[date, bool], public: holidays.HolidayBase) -> bool:
    override = overrides.get(day)
    if override is not None:
        return override
    return public.is_working_day(day)


def add_working_days(start: date, n: int) -> date:
    """The n-th working day after `start` (n = 0 gives `start` itself); the last
    representable day when that is beyond it (a bad stored date shows, not a 500)."""
    if n < 0:
        raise ValueError("n must not be negative")
    day, known, public = start, overrides(), _public_holidays()  # read once, not per day
    while n:
        if day == date.max:
            return day
        day += timedelta(days=1)
        if _is_working_day(day, known, public):
            n -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (0 when end ≤ start)."""
    count, day, known, public = 0, start, overrides(), _public_holidays()
    while day < end:
        day += timedelta(days=1)
        count += _is_working_day(day, known, public)
    return count
