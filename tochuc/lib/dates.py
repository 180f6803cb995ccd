"""Dates the Vietnamese way: shown as dd/mm/yyyy, typed as dd/mm/yyyy or ISO."""

from datetime import date, datetime


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
    raise ValueError(f"“{text}” không phải ngày hợp lệ (dd/mm/yyyy).")
