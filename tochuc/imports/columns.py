"""Typed columns of an import: each column says what its cells hold, and one parser reads
every importer's rows the same way.

An importer declares its columns with these types instead of `xlsx.Column` (they are
`xlsx.Column`s too, so the template documents them as before):

- `Text`: cleaned text (NFC, single spaces), a length limit, an optional pattern;
- `CodeInScope`: the code of an organization, resolved within the importer's scope (an
  organization outside it is reported exactly like a missing one);
- `Choice`: one value of a vocabulary (a `TextChoices` or pairs), matched on its label or
  its code whatever the accents, case, spaces and punctuation (`lib.vntext.fold`), in the
  active and in the source language, plus synonyms;
- `Date`: dd/mm/yyyy text or a date cell of Excel, within the dated bounds of the acts
  (`policy.acts.act_date_refusal`: not before the Party's founding, not after today);
- `Number`: a whole or decimal number within bounds.

`parse_rows(table, columns, plan, scope=…)` returns one `ParsedRow` per row (`values`
by key, `ok` when every cell was good) and adds one error per bad cell to the plan —
"Dòng 12, cột “Ngày sinh”: …" — so that an importer only checks what is its own (rows
against each other and against the database) and writes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.lib import xlsx
from tochuc.lib.vntext import fold
from tochuc.policy.acts import act_date_refusal

if TYPE_CHECKING:
    from tochuc.accounts.access import Scope
    from tochuc.imports.registry import Plan

MISSING = gettext_lazy("Chưa ghi (cột bắt buộc).")
DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
THOUSANDS = re.compile(r"-?\d{1,3}(\.\d{3})+")
LOOKUP_BATCH = 500


class CellError(ValueError):
    """A cell that cannot be read as its column's type; the message is for the user."""


def clean_text(value: Any) -> str:
    """A cell as clean text: NFC (as typed on any keyboard), single spaces."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else xlsx.cell_text(value)
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return " ".join(text.split())


def choice_key(text: str) -> str:
    """How a vocabulary value is compared: folded, letters and digits only."""
    return re.sub(r"[^0-9a-z]", "", fold(text))


@dataclass(frozen=True)
class Text(xlsx.Column):
    max_length: int | None = None
    pattern: str = ""  # a regular expression the whole text must match
    pattern_message: str = ""  # why a text not matching it is refused ("%(value)s")

    def parse(self, value: Any) -> str:
        text = clean_text(value)
        if self.max_length is not None and len(text) > self.max_length:
            raise CellError(_("Dài quá %(size)s ký tự.") % {"size": self.max_length})
        if text and self.pattern and not re.fullmatch(self.pattern, text):
            raise CellError(str(self.pattern_message) % {"value": text})
        return text


@dataclass(frozen=True)
class CodeInScope(Text):
    """An organization's code; `parse_rows` puts the organization (found within the scope)
    in `ParsedRow.found[key]`. With `may_be_new`, a code found nowhere is left to the
    importer (a parent that is another row of the file), not refused."""

    may_be_new: bool = False

    def not_found(self, code: str) -> str:
        return _("Không tìm thấy tổ chức mã “%(code)s”.") % {"code": code}


@dataclass(frozen=True)
class Choice(xlsx.Column):
    """One value of `vocabulary`: a `TextChoices` class, or (value, label) pairs."""

    vocabulary: Any = ()
    synonyms: Mapping[str, str] = field(default_factory=dict)  # other text → value

    def __post_init__(self):
        if not self.choices:
            object.__setattr__(self, "choices", tuple(label for _v, label in self.pairs()))

    def pairs(self) -> list[tuple[str, Any]]:
        vocabulary = self.vocabulary
        return list(vocabulary.choices if hasattr(vocabulary, "choices") else vocabulary)

    def table(self) -> dict[str, str]:
        """Folded label (active or source language), code or alias → stored value."""
        language = translation.get_language()
        cached = _CHOICE_TABLES.get((id(self), language))
        if cached is not None:
            return cached
        found = {choice_key(k): v for k, v in self.synonyms.items()}
        pairs = self.pairs()
        with translation.override(None):  # the source (Vietnamese) labels always match
            for value, label in pairs:
                found[choice_key(str(label))] = value
        for value, label in pairs:
            found[choice_key(str(label))] = value
            if value:
                found[choice_key(str(value))] = value
        _CHOICE_TABLES[(id(self), language)] = found
        return found

    def parse(self, value: Any) -> str:
        text = clean_text(value)
        if not text:
            return ""
        found = self.table().get(choice_key(text))
        if found is None:
            raise CellError(
                _("“%(value)s” không có trong danh mục %(column)s.")
                % {"value": text, "column": self.title}
            )
        return found


_CHOICE_TABLES: dict[tuple[int, str | None], dict[str, str]] = {}


@dataclass(frozen=True)
class Date(xlsx.Column):
    """A date: dd/mm/yyyy (or d/m/yyyy, dd-mm-yyyy, yyyy-mm-dd) or an Excel date cell,
    refused outside the acts' bounds (before the Party's founding; after today unless
    `scheduled`, then within the policy's horizon). `bounded=False`: a date that is no act
    (a birth date may precede the Party's founding), any real date; the importer checks
    its own bounds."""

    is_date: bool = True
    scheduled: bool = False
    bounded: bool = True
    format: str = gettext_lazy("Ngày dd/mm/yyyy")

    def parse(self, value: Any, *, today: date | None = None) -> date | None:
        if isinstance(value, str) and (match := DMY.match(value.strip())):
            try:
                day = date(int(match[3]), int(match[2]), int(match[1]))
            except ValueError:
                day = None  # 31/02/…: cell_date words the refusal
        else:
            day = None
        if day is None:
            try:
                day = xlsx.cell_date(value)
            except ValueError as error:
                raise CellError(str(error)) from None
        refusal = self.bounded and act_date_refusal(day, scheduled=self.scheduled, today=today)
        if refusal:
            raise CellError(refusal)
        return day


@dataclass(frozen=True)
class Number(xlsx.Column):
    """A number: whole (`decimals=0`) or with up to `decimals` digits after the comma;
    "1.234,5" and "1234.5" are both read, and "66.024" is 66024 in a whole-number column;
    bounds inclusive."""

    decimals: int = 0
    minimum: int | Decimal | None = None
    maximum: int | Decimal | None = None
    format: str = gettext_lazy("Số")

    def parse(self, value: Any) -> int | Decimal | None:
        if value is None or value == "":
            return None
        if isinstance(value, (bool, date, datetime)):
            raise CellError(_("“%(text)s” không phải số.") % {"text": xlsx.cell_text(value)})
        if isinstance(value, (int, float)):
            number = Decimal(str(value))
        else:
            shown = clean_text(value)
            text = shown.replace(" ", "")
            if "," in text:  # Vietnamese: "." groups thousands, "," marks decimals
                text = text.replace(".", "").replace(",", ".")
            elif self.decimals == 0 and THOUSANDS.fullmatch(text):  # 66.024
                text = text.replace(".", "")
            try:
                number = Decimal(text)
            except InvalidOperation:
                raise CellError(_("“%(text)s” không phải số.") % {"text": shown}) from None
        if not number.is_finite():
            raise CellError(_("“%(text)s” không phải số.") % {"text": xlsx.cell_text(value)})
        if number != number.quantize(Decimal(1).scaleb(-self.decimals)):
            if self.decimals == 0:
                raise CellError(_("Phải là số nguyên."))
            raise CellError(_("Tối đa %(digits)s chữ số sau dấu phẩy.") % {"digits": self.decimals})
        for bound, wrong, message in (
            (self.minimum, lambda b: number < b, _("Không được nhỏ hơn %(bound)s.")),
            (self.maximum, lambda b: number > b, _("Không được lớn hơn %(bound)s.")),
        ):
            if bound is not None and wrong(bound):
                raise CellError(message % {"bound": number_format(bound, force_grouping=True)})
        return int(number) if self.decimals == 0 else number


# ---------------------------------------------------------------- reading the rows


@dataclass
class ParsedRow:
    number: int  # as Excel shows it
    values: dict[str, Any]
    found: dict[str, Any] = field(default_factory=dict)  # CodeInScope key → organization
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column key, message)

    @property
    def ok(self) -> bool:
        return not self.errors


def parse_rows(
    table: xlsx.Table,
    columns: Sequence[xlsx.Column],
    plan: Plan,
    *,
    scope: Scope | None = None,
    today: date | None = None,
) -> list[ParsedRow]:
    """Every row's cells as their columns' types; each bad cell reported on the plan.

    Each distinct cell value of a column is read once (a file of 70,000 rows holds a few
    thousand distinct dates and a few dozen vocabulary values). Codes of `CodeInScope`
    columns are looked up in batches within `scope` (`registry.SystemScope()`: everywhere).
    """
    today = today or timezone.localdate()
    readers = [(c.key, c, cell_reader(c, today)) for c in columns]
    parsed = []
    for row in table.rows:
        item = ParsedRow(row.number, {})
        for key, column, read in readers:
            raw = row.values.get(key)
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                item.values[key] = None if isinstance(column, (Date, Number)) else ""
                if column.required:
                    item.errors.append((key, str(MISSING)))
                continue
            try:
                item.values[key] = read(raw)
            except CellError as error:
                item.values[key] = None if isinstance(column, (Date, Number)) else ""
                item.errors.append((key, str(error)))
        parsed.append(item)
    _resolve_codes(parsed, [c for c in columns if isinstance(c, CodeInScope)], scope)
    titles = {c.key: c.title for c in columns}
    for item in parsed:
        for key, message in item.errors:
            plan.error(item.number, titles[key], message)
    return parsed


def cell_reader(column: xlsx.Column, today: date) -> Callable[[Any], Any]:
    """How `parse_rows` reads the column's cells: its type's `parse`, each distinct value
    worked out once (a file of 70,000 rows holds a few thousand distinct dates);
    `CellError` for a bad cell."""
    if isinstance(column, Date):
        parse = lambda value: column.parse(value, today=today)  # noqa: E731
    elif hasattr(column, "parse"):
        parse = column.parse
    else:  # a plain xlsx.Column: its text
        parse = xlsx.cell_text
    known: dict[Any, Any] = {}

    def read(value: Any) -> Any:
        if not isinstance(value, (str, int, float, date)):
            return parse(value)
        key = (type(value), value)
        found = known.get(key, known)
        if found is known:
            try:
                found = parse(value)
            except CellError as error:
                found = error
            known[key] = found
        if isinstance(found, CellError):
            raise CellError(*found.args)
        return found

    return read


def _resolve_codes(
    parsed: list[ParsedRow], columns: Iterable[CodeInScope], scope: Scope | None
) -> None:
    columns = list(columns)
    if not columns:
        return
    if scope is None:
        raise ValueError("a CodeInScope column is resolved within a scope")
    codes = sorted({row.values[c.key] for row in parsed for c in columns if row.values[c.key]})
    source = scope.organizations()
    found: dict[str, Any] = {}
    for start in range(0, len(codes), LOOKUP_BATCH):
        for org in source.filter(code__in=codes[start : start + LOOKUP_BATCH]):
            found[org.code] = org
    for row in parsed:
        for column in columns:
            code = row.values[column.key]
            if not code:
                continue
            if code in found:
                row.found[column.key] = found[code]
            elif not column.may_be_new:
                row.errors.append((column.key, column.not_found(code)))
