"""What a report covers: a date (members at 31/12) or a period (admissions in Q1).

A period is [start, end], both days included. "At the start" of a period means at the end
of the day before `start`; "at the end" means at the end of `end`.
"""

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tochuc.lib.dates import parse_query_date, parse_query_year, vn_date
from tochuc.policy.acts import PARTY_FOUNDED

QUARTER = re.compile(r"^(\d{4})-?[Qq]?([1-4])$")
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@dataclass(frozen=True)
class Period:
    start: date | None  # None: a report at a date
    end: date
    kind: str  # "date" | "year" | "quarter" | "range"

    @property
    def on(self) -> date:
        return self.end

    @property
    def before(self) -> date:
        """The last day before the period (its opening balance is counted there)."""
        return (self.start or self.end) - timedelta(days=1)

    @property
    def year(self) -> int:
        return self.end.year

    @property
    def is_period(self) -> bool:
        return self.start is not None

    def label(self) -> str:
        if self.kind == "date":
            return _("Tại ngày %(day)s") % {"day": vn_date(self.end)}
        if self.kind == "year":
            return _("Năm %(year)s") % {"year": self.end.year}
        if self.kind == "quarter":
            return _("Quý %(quarter)s năm %(year)s") % {
                "quarter": ROMAN[(self.end.month - 1) // 3 + 1],
                "year": self.end.year,
            }
        return _("Từ ngày %(start)s đến ngày %(end)s") % {
            "start": vn_date(self.start),
            "end": vn_date(self.end),
        }

    def as_query(self) -> dict[str, str]:
        """The query parameters of the report page that give this period back."""
        if self.kind == "date":
            return {"ngay": vn_date(self.end)}
        if self.kind == "year":
            return {"nam": str(self.end.year)}
        if self.kind == "quarter":
            return {"quy": f"{self.end.year}-Q{(self.end.month - 1) // 3 + 1}"}
        return {"tu": vn_date(self.start), "den": vn_date(self.end)}

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat(),
            "label": self.label(),
        }


def at(on: date) -> Period:
    return Period(None, on, "date")


def year(value: int) -> Period:
    return Period(date(value, 1, 1), date(value, 12, 31), "year")


def quarter(value: int, number: int) -> Period:
    first = 3 * (number - 1) + 1
    last = first + 2
    return Period(
        date(value, first, 1), date(value, last, calendar.monthrange(value, last)[1]), "quarter"
    )


def between(start: date, end: date) -> Period:
    if end < start:
        raise ValidationError(_("Ngày kết thúc phải sau ngày bắt đầu."))
    return Period(start, end, "range")


def parse_year(text: str) -> int:
    value = parse_query_year(text, first=PARTY_FOUNDED.year)
    if value is None:
        raise ValidationError(_("Hãy nhập năm."))
    return value


def parse_quarter(text: str) -> Period:
    """'2021-Q1', '2021Q1' or '2021-1'."""
    match = QUARTER.match(str(text).strip())
    if not match:
        raise ValidationError(
            _("“%(text)s” không phải quý hợp lệ (viết dạng 2021-Q1).") % {"text": text}
        )
    return quarter(parse_year(match.group(1)), int(match.group(2)))


def parse(
    *,
    on: str | None = None,
    year_text: str | None = None,
    quarter_text: str | None = None,
    start: str | None = None,
    end: str | None = None,
) -> Period | None:
    """The one period given (None when none is); ValidationError when several or a bad one."""
    given = [bool(on), bool(year_text), bool(quarter_text), bool(start or end)]
    if sum(given) > 1:
        raise ValidationError(_("Chỉ chọn một trong: ngày, năm, quý hoặc khoảng thời gian."))
    try:
        if on:
            return at(parse_query_date(on))
        if year_text:
            return year(parse_year(year_text))
        if quarter_text:
            return parse_quarter(quarter_text)
        if start or end:
            if not (start and end):
                raise ValidationError(_("Khoảng thời gian cần cả ngày bắt đầu và ngày kết thúc."))
            return between(
                parse_query_date(start, label=_("Từ ngày")),
                parse_query_date(end, label=_("Đến ngày")),
            )
    except ValueError as error:
        raise ValidationError(str(error)) from error
    return None
