"""Dates the Vietnamese way: shown as dd/mm/yyyy, typed as dd/mm/yyyy or ISO."""

from datetime import date, datetime

from django.utils.translation import gettext as _


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
    """The same day `months` later (the month's last day where that day does not exist)."""
    import calendar

    month_index = value.month - 1 + months
    year, month = value.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(value.day, calendar.monthrange(year, month)[1]))


def full_months(start: date, end: date) -> int:
    """Whole months from `start` to `end` (18 years full = 216 months on the birthday)."""
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if add_months(start, months) > end:
        months -= 1
    return months
