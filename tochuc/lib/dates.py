"""Dates the Vietnamese way: shown as dd/mm/yyyy, typed as dd/mm/yyyy or ISO."""

import calendar
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# What a date typed into an address (`?ngay=`, `?tu=`, `?den=`, `?nam=`) may be: wide
# enough for any report or filter of the sector (the Party was founded in 1930), narrow
# enough that a day or a year either side of it is still a date (no overflow at 9999).
QUERY_FIRST = date(1900, 1, 1)
QUERY_LAST = date(2999, 12, 31)


def vn_date(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def parse_date(text: str | date | None) -> date | None:
    """dd/mm/yyyy, d/m/yyyy, dd-mm-yyyy or yyyy-mm-dd; None when empty; ValueError when bad."""
    if text is None or isinstance(text, date):
        return text.date() if isinstance(text, datetime) else text
    text = str(text).strip()
    if not text:
        return None
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(_("“%(text)s” không phải ngày hợp lệ (dd/mm/yyyy).") % {"text": text})


def add_months(value: date, months: int) -> date:
    """The same day `months` later (the month's last day where that day does not exist);
    saturates at the first or last representable day, so a bad stored date (31/12/9999)
    gives a far date, not an error page."""
    month_index = value.month - 1 + months
    year, month = value.year + month_index // 12, month_index % 12 + 1
    if year > date.max.year:
        return date.max
    if year < date.min.year:
        return date.min
    day = value.day
    if day > 28:  # every month has the 28th; only later days need the month's length
        day = min(day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def add_days(value: date, days: int) -> date:
    """`value` + `days`, saturating at the first or last representable day."""
    try:
        return value + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


def parse_query_date(text: str | None, *, label: str = "") -> date | None:
    """The one parser of dates in a page's address: None when empty, else a date between
    QUERY_FIRST and QUERY_LAST, or a ValidationError with a Vietnamese message (never an
    exception that becomes a 500)."""
    if text is None or not str(text).strip():
        return None
    text = str(text).strip()[:40]
    try:
        value = parse_date(text)
    except (ValueError, OverflowError):
        value = None
    if value is None:
        raise ValidationError(
            _("%(label)s“%(text)s” không phải ngày hợp lệ (dd/mm/yyyy).")
            % {"label": f"{label}: " if label else "", "text": text}
        )
    if not QUERY_FIRST <= value <= QUERY_LAST:
        raise ValidationError(
            _("%(label)sNgày %(day)s nằm ngoài khoảng %(first)s – %(last)s.")
            % {
                "label": f"{label}: " if label else "",
                "day": vn_date(value),
                "first": vn_date(QUERY_FIRST),
                "last": vn_date(QUERY_LAST),
            }
        )
    return value


def parse_query_year(text: str | None, *, first: int = QUERY_FIRST.year) -> int | None:
    """A year in a page's address (`?nam=2024`): None when empty, else a year from `first`
    to QUERY_LAST's, or a ValidationError with a Vietnamese message."""
    if text is None or not str(text).strip():
        return None
    text = str(text).strip()[:40]
    if not (text.isascii() and text.isdigit()) or not first <= int(text) <= QUERY_LAST.year:
        raise ValidationError(
            _("“%(text)s” không phải năm hợp lệ (từ %(first)s đến %(last)s).")
            % {"text": text, "first": first, "last": QUERY_LAST.year}
        )
    return int(text)


def parse_command_date(text: str | None, *, label: str, latest: date | None = None) -> date | None:
    """A date given to a command (`--ngay`, `--date`): None when empty, else a date in the
    range of `parse_query_date` and not after `latest` when given (a command that writes
    acts takes no day after today); ValueError with a Vietnamese message otherwise."""
    try:
        value = parse_query_date(text, label=label)
    except ValidationError as error:
        raise ValueError(" ".join(error.messages)) from error
    if value is not None and latest is not None and value > latest:
        raise ValueError(
            _("%(label)s: ngày %(day)s sau ngày %(latest)s, chưa thể ghi.")
            % {"label": label, "day": vn_date(value), "latest": vn_date(latest)}
        )
    return value


def full_months(start: date, end: date) -> int:
    """Whole months from `start` to `end` (18 years full = 216 months on the birthday)."""
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if add_months(start, months) > end:
        months -= 1
    return months


def date_in_query(params, name: str, *, default: date, label: str = "") -> tuple[date, str]:
    """The date `params[name]` (a request's GET) or `default` when absent; when it is bad,
    `default` and the Vietnamese message to show on the page."""
    try:
        return parse_query_date(params.get(name), label=label) or default, ""
    except ValidationError as error:
        return default, " ".join(error.messages)


def year_in_query(
    params, name: str, *, default: int, first: int = QUERY_FIRST.year
) -> tuple[int, str]:
    """The year `params[name]` or `default` when absent; when bad, `default` and why."""
    try:
        value = parse_query_year(params.get(name), first=first)
    except ValidationError as error:
        return default, " ".join(error.messages)
    return (default if value is None else value), ""
