"""Spreadsheets in and out, safely.

Reading: an uploaded file is checked *before* any XML is parsed — its size, that it is a
ZIP holding a workbook, and that it is not a ZIP bomb (the sum of the uncompressed sizes
and the compression ratio of each member, from the ZIP directory). The declared sizes can
be trusted because Python's `zipfile` never yields more bytes than a member declares (a
lying member fails its CRC check instead). Then each sheet to be read is streamed once
through expat (`scan_sheet`), a chunk at a time, before calamine sees it: calamine builds a
grid spanning every used row and column (32 bytes a cell), so one cell at XFD1048576 would
ask for 512 GB and one at AZ600000 for a gigabyte. The pass follows each cell's position
(its `r`, or the one after the previous cell, never the declared `<dimension>`) and refuses
a cell holding anything beyond the row and column limits, or a grid larger than
`max_cells`, in memory that does not grow with the sheet. A sheet in the plain form Excel
saves (every cell naming its own place, no DTD, comment or prefix) is vouched for first by
`plain_sheet`, a few regular-expression passes over the raw bytes (several times faster
than expat with a Python call per element); anything else, and anything it cannot vouch for,
goes through the full scan, whose verdict and messages are unchanged. Then calamine (Rust, through
python-calamine) reads the cells: it is about ten times faster than openpyxl and its XML
reader (quick-xml) never processes a DTD, so entity expansion ("billion laughs") and
external entities cannot happen; openpyxl, used for writing, parses through `defusedxml`,
and `defuse_stdlib()` covers any other XML parsing in the process; the scan refuses a DTD.
Rows are counted while they are read and capped.

Columns are found by their Vietnamese titles in the header row, ignoring case, accents, a
"*" (required mark) and a trailing note in parentheses: "Ngày thành lập* (dd/mm/yyyy)"
matches the column "Ngày thành lập".

Writing (`write_workbook`, `template_workbook`: formula-safe cells) is in `xlsx_write`,
whose names are reached from here too.
"""

from __future__ import annotations

import functools
import io
import os
import posixpath
import re
import warnings
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from itertools import chain, islice
from pathlib import Path
from typing import Any
from xml.parsers import expat

import defusedxml
import defusedxml.ElementTree
import openpyxl
import python_calamine
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from openpyxl.utils import get_column_letter

from tochuc.lib.dates import parse_date, vn_date
from tochuc.lib.vntext import fold, input_text
from tochuc.lib.xlsx_write import (  # noqa: F401 (the writing half, reached from here)
    DATE_FORMAT,
    DATETIME_FORMAT,
    EXAMPLE_FONT,
    FORMULA_TRIGGERS,
    GUIDE_TITLE,
    HEADER_FILL,
    HEADER_FONT,
    INTEGER_FORMAT,
    LISTS_TITLE,
    SHEET_TITLE_LIMIT,
    TEXT_FORMAT,
    SheetData,
    is_formula_like,
    percent_format,
    put,
    safe_cell,
    short_sheet_name,
    template_workbook,
    write_workbook,
)

with warnings.catch_warnings():  # it imports its deprecated cElementTree shim
    warnings.simplefilter("ignore", DeprecationWarning)
    defusedxml.defuse_stdlib()
if not openpyxl.DEFUSEDXML:  # pragma: no cover - guarded by the dependency list
    raise ImportError("openpyxl must parse through defusedxml (OPENPYXL_DEFUSEDXML=False?)")

MB = 1024 * 1024
MAX_COLUMNS = 200
HEADER_SEARCH_ROWS = 10
BLANK_ROWS = 1_000  # rows without data allowed among the data rows (and above the header)
MAX_CELLS = 4_000_000  # the grid calamine builds: rows spanned × columns spanned (128 MB)
SCAN_CHUNK = 1024 * 1024

NOT_XLSX = gettext_noop("Tệp không phải định dạng Excel .xlsx.")
TOO_MANY_ROWS = gettext_noop("Tệp có hơn %(rows)s dòng dữ liệu; hãy chia thành nhiều tệp.")
FORMULA_CELL = gettext_noop(
    "Dòng %(row)s, cột “%(column)s”: ô bắt đầu bằng dấu “=” (công thức). Hãy nhập giá trị, "
    "không nhập công thức; nếu cần, sao chép rồi dán dạng giá trị (Paste Values)."
)


class SpreadsheetError(ValidationError):
    """The file as a whole is refused; the message is for the user, in Vietnamese."""


# ---------------------------------------------------------------- limits


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_uncompressed: int
    max_ratio: int
    max_rows: int
    max_members: int = 2000
    ratio_floor: int = MB  # members smaller than this are not held to the ratio
    max_columns: int = MAX_COLUMNS  # a cell holding data beyond column GR is refused
    max_cells: int = MAX_CELLS

    @property
    def max_row_number(self) -> int:
        """The last row number where a cell may hold data (the data rows, the rows above
        the header and a margin of blank rows); beyond it the file is refused unread."""
        return self.max_rows + HEADER_SEARCH_ROWS + BLANK_ROWS

    @classmethod
    def from_settings(cls, **overrides) -> Limits:
        limits = cls(
            max_bytes=settings.TOCHUC_IMPORT_MAX_BYTES,
            max_uncompressed=getattr(settings, "TOCHUC_IMPORT_MAX_UNCOMPRESSED_BYTES", 300 * MB),
            max_ratio=getattr(settings, "TOCHUC_IMPORT_MAX_RATIO", 100),
            max_rows=getattr(settings, "TOCHUC_IMPORT_MAX_ROWS", 100_000),
            max_cells=getattr(settings, "TOCHUC_IMPORT_MAX_CELLS", MAX_CELLS),
        )
        return replace(limits, **overrides)


def _mb(size: int) -> str:
    return f"{size / MB:.1f}".rstrip("0").rstrip(".").replace(".", ",")


def _as_file(source) -> tuple[Any, int]:
    """(a seekable binary file, its size) for a path, bytes, or an uploaded file."""
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if not path.is_file():
            raise SpreadsheetError(_("Không tìm thấy tệp %(path)s.") % {"path": path})
        return path.open("rb"), path.stat().st_size
    if isinstance(source, (bytes, bytearray)):
        return io.BytesIO(source), len(source)
    fileobj = getattr(source, "file", source)  # Django's UploadedFile wraps a file
    size = getattr(source, "size", None)
    if size is None:
        fileobj.seek(0, os.SEEK_END)
        size = fileobj.tell()
    fileobj.seek(0)
    return fileobj, size


def check_size(size: int, limits: Limits) -> None:
    if size > limits.max_bytes:
        raise SpreadsheetError(
            _("Tệp quá lớn (%(size)s MB), tối đa %(limit)s MB.")
            % {"size": _mb(size), "limit": _mb(limits.max_bytes)}
        )
    if size == 0:
        raise SpreadsheetError(_("Tệp rỗng."))


def check_archive(fileobj, limits: Limits) -> None:
    """Refuse what is not a workbook, or would inflate too much, from the ZIP directory alone."""
    fileobj.seek(0)
    head = fileobj.read(8)
    fileobj.seek(0)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise SpreadsheetError(
            _(
                "Tệp là định dạng Excel cũ (.xls) hoặc có đặt mật khẩu; hãy mở bằng Excel, "
                "bỏ mật khẩu nếu có và lưu lại dưới dạng .xlsx."
            )
        )
    if not head.startswith(b"PK"):
        raise SpreadsheetError(_(NOT_XLSX))
    try:
        with zipfile.ZipFile(fileobj) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as error:
        raise SpreadsheetError(_(NOT_XLSX)) from error
    finally:
        fileobj.seek(0)
    names = {member.filename for member in members}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise SpreadsheetError(_(NOT_XLSX))
    if len(members) > limits.max_members:
        raise SpreadsheetError(_("Tệp có cấu trúc bất thường (quá nhiều thành phần); không đọc."))
    total = 0
    for member in members:
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > limits.ratio_floor and ratio > limits.max_ratio:
            raise SpreadsheetError(
                _(
                    "Tệp bị nén bất thường (nghi là “bom nén”); không đọc. Hãy mở bằng Excel và "
                    "lưu lại."
                )
            )
    if total > limits.max_uncompressed:
        raise SpreadsheetError(
            _(
                "Dữ liệu trong tệp quá lớn khi giải nén (%(size)s MB), tối đa %(limit)s MB; "
                "hãy chia nhỏ tệp."
            )
            % {"size": _mb(total), "limit": _mb(limits.max_uncompressed)}
        )


def _calamine(fileobj) -> python_calamine.CalamineWorkbook:
    """The workbook read by calamine (Rust), once the checks above passed. Open a sheet of it
    only after `scan_sheet` (as `read_table` does); close it after use."""
    fileobj.seek(0)
    try:
        return python_calamine.CalamineWorkbook.from_filelike(fileobj)
    except Exception as error:  # calamine raises its own kinds on a malformed package
        raise SpreadsheetError(_(UNREADABLE)) from error


UNREADABLE = gettext_noop("Không đọc được tệp Excel (tệp hỏng hoặc có nội dung không cho phép).")
RELATIONSHIP_ID = re.compile(r"^\{[^}]*\}id$")


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """{sheet name: its part in the package} from the workbook and its relationships."""
    try:
        book = defusedxml.ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = defusedxml.ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except Exception as error:  # missing member, malformed XML, a DTD or entities refused
        raise SpreadsheetError(_(UNREADABLE)) from error
    targets = {}
    for rel in rels:
        target = rel.get("Target", "")
        if target.startswith("/"):
            target = target[1:]
        else:
            target = posixpath.normpath(posixpath.join("xl", target))
        targets[rel.get("Id")] = target
    parts = {}
    for element in book.iter():
        if element.tag.rpartition("}")[2] != "sheet":
            continue
        rid = next((v for k, v in element.attrib.items() if RELATIONSHIP_ID.match(k)), None)
        if rid in targets:
            parts[element.get("name", "")] = targets[rid]
    return parts


_DIGITS = "0123456789"


def _column_number(letters: str) -> int:
    """1 for A, 26 for Z, 27 for AA …; a reference that is not one is refused."""
    if not 1 <= len(letters) <= 3 or not letters.isascii() or not letters.isalpha():
        raise SpreadsheetError(_(UNREADABLE))
    column = 0
    for letter in letters.upper():
        column = column * 26 + ord(letter) - 64
    return column


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


class _SheetScan:
    """The expat handler of `scan_sheet`: follows each cell's position and refuses the
    first cell holding something (a value, an inline string or a formula) out of bounds."""

    def __init__(self, limits: Limits, sheet: str):
        self.limits = limits
        self.sheet = sheet
        self.row = 0  # of the last <row> (or the last cell's when it named its own)
        self.column = 0  # 1-based, of the last cell
        self.cell_row = 0
        self.pending = False  # the last <c> has not yet shown whether it holds something
        self.columns: dict[str, int] = {}
        self.rows_with_data = 0
        self.last_row_with_data = 0
        self.top = self.left = 1 << 62
        self.bottom = self.right = 0

    def start(self, name: str, attrs: list) -> None:
        # The commonest elements first: this runs for every element of the sheet. `attrs`
        # is [name, value, name, value …] (expat's ordered_attributes: no dict per element).
        if name == "v" or name == "is" or name == "f":
            if self.pending:
                self.pending = False
                # Most cells: in the row just seen, within the columns already seen.
                if self.cell_row != self.last_row_with_data or not (
                    self.left <= self.column <= self.right
                ):
                    self._holds_data()
        elif name == "c":
            ref = _attribute(attrs, "r")
            if ref:
                letters = ref.rstrip(_DIGITS)
                column = self.columns.get(letters)
                if column is None:
                    column = _column_number(letters)
                    self.columns[letters] = column
                digits = ref[len(letters) :]
                if not digits.isdigit() or len(digits) > 9:
                    raise SpreadsheetError(_(UNREADABLE))
                self.column, self.cell_row = column, int(digits)
            else:
                self.column += 1
                self.cell_row = self.row
            self.pending = True
        elif name == "row":
            ref = _attribute(attrs, "r")
            self.row = int(ref) if ref and ref.isdigit() and len(ref) <= 9 else self.row + 1
            self.cell_row, self.column, self.pending = self.row, 0, False
        elif ":" in name:  # a prefixed element: the same, by its local name
            self.start(name.rpartition(":")[2], attrs)

    def _holds_data(self) -> None:
        row, column, limits = self.cell_row, self.column, self.limits
        if row != self.last_row_with_data:
            self.last_row_with_data = row
            self.rows_with_data += 1
        if column > limits.max_columns:
            raise SpreadsheetError(
                _(
                    "Trang “%(sheet)s” có dữ liệu ở cột %(column)s (ô %(cell)s), ngoài "
                    "%(limit)s cột được đọc; hãy xóa các cột thừa rồi lưu lại."
                )
                % {
                    "sheet": self.sheet,
                    "column": get_column_letter(min(column, 16384)),
                    "cell": self._cell(),
                    "limit": limits.max_columns,
                }  # fmt: skip
            )
        if row > limits.max_row_number:
            if self.rows_with_data > limits.max_rows:
                raise SpreadsheetError(_(TOO_MANY_ROWS) % {"rows": _number(limits.max_rows)})
            raise SpreadsheetError(
                _(
                    "Trang “%(sheet)s” có dữ liệu ở dòng %(row)s (ô %(cell)s), quá xa so với "
                    "giới hạn %(limit)s dòng; hãy xóa các dòng thừa hoặc chia thành nhiều tệp."
                )
                % {
                    "sheet": self.sheet,
                    "row": _number(row),
                    "cell": self._cell(),
                    "limit": _number(limits.max_rows),
                }  # fmt: skip
            )
        grown = False
        if row < self.top:
            self.top, grown = row, True
        if row > self.bottom:
            self.bottom, grown = row, True
        if column < self.left:
            self.left, grown = column, True
        if column > self.right:
            self.right, grown = column, True
        if grown:
            height, width = self.bottom - self.top + 1, self.right - self.left + 1
            if height * width > limits.max_cells:
                raise SpreadsheetError(
                    _(
                        "Vùng dữ liệu của trang “%(sheet)s” quá rộng (%(rows)s dòng × "
                        "%(columns)s cột, ô xa nhất %(cell)s); hãy xóa các ô thừa ở xa vùng "
                        "dữ liệu hoặc chia thành nhiều tệp."
                    )
                    % {
                        "sheet": self.sheet,
                        "rows": _number(height),
                        "columns": width,
                        "cell": self._cell(),
                    }  # fmt: skip
                )

    def _cell(self) -> str:
        return f"{get_column_letter(min(max(self.column, 1), 16384))}{self.cell_row}"


def _attribute(attrs: list, name: str) -> str | None:
    """The value of attribute `name` in expat's ordered list (a repeated attribute is not
    well-formed: expat refuses it before any handler runs)."""
    if attrs and attrs[0] == name:
        return attrs[1]
    for index in range(2, len(attrs) - 1, 2):
        if attrs[index] == name:
            return attrs[index + 1]
    return None


def _refuse_declarations(*_args) -> None:
    raise SpreadsheetError(_(UNREADABLE))


# The plain form of a sheet as Excel, LibreOffice and openpyxl save it, which `plain_sheet`
# can vouch for without parsing: UTF-8, no DTD, comment, CDATA or processing instruction,
# and every cell element unprefixed, opening with its own reference as its only "r" (calamine
# takes the last of repeated ones) and known attributes in double quotes.
_PLAIN_START = re.compile(
    rb'(?:\xef\xbb\xbf)?<\?xml version="1\.0"(?: encoding="utf-8")?'
    rb'(?: standalone="(?:yes|no)")?\?>',
    re.IGNORECASE,
)
_CELL_ATTRIBUTES = rb'(?: (?:s|t|cm|vm|ph)="[^"<&>]*")*'
_REFERENCE = rb"[A-Z]{1,3}[1-9][0-9]{0,8}"
_NOT_PLAIN = (  # each searched on its own: one alternation would be several times slower
    re.compile(rb"<[!?]"),
    re.compile(rb":c[\s/>]"),
    re.compile(rb"<c[\t\n\r\f\v/>]"),
    re.compile(rb'<c (?!r="' + _REFERENCE + rb'"' + _CELL_ATTRIBUTES + rb"/?>)"),
)


class _NotPlain(Exception):
    """The sheet is not in the plain form (or not within the limits by the plain count)."""


@functools.cache
def _columns_beyond(count: int) -> re.Pattern:
    """A cell that may hold data (not self-closed) in a column beyond the `count`-th."""
    letters = get_column_letter(count)
    beyond = [f"[A-Z]{{{len(letters) + 1},3}}"] if len(letters) < 3 else []
    for index, letter in enumerate(letters):
        if letter != "Z":
            rest = len(letters) - index - 1
            beyond.append(f"{letters[:index]}[{chr(ord(letter) + 1)}-Z][A-Z]{{{rest}}}")
    if not beyond:
        return re.compile(rb"(?!)")  # nothing lies beyond ZZZ
    return re.compile(
        rb'<c r="(?:' + "|".join(beyond).encode() + rb')[0-9]+"' + _CELL_ATTRIBUTES + rb">"
    )


@functools.cache
def _rows_of_digits(digits: int) -> re.Pattern:
    """The row of a cell that may hold data, when it has at least `digits` digits."""
    return re.compile(
        rb'<c r="[A-Z]{1,3}([1-9][0-9]{%d,8})"' % (digits - 1) + _CELL_ATTRIBUTES + rb">"
    )


_COLUMN_STEPS = (26, 52, 104)


def _plain_chunks(stream) -> Iterator[bytes]:
    """The sheet's XML a chunk at a time, each cut before its last tag (carried over to the
    next), without the XML declaration; _NotPlain for another encoding or a tag longer than
    a chunk."""
    carry, first = b"", True
    while True:
        chunk = stream.read(SCAN_CHUNK)
        data = carry + chunk
        if first:
            first = False
            start = _PLAIN_START.match(data)
            if start:
                data = data[start.end() :]
            elif not data.startswith(b"<") or data.startswith(b"<?"):
                raise _NotPlain
        if not chunk:
            yield data
            return
        cut = data.rfind(b"<")
        if cut < 0:  # no tag begins here: keep the last bytes, a prefixed name's ":c"
            cut = len(data) - 2
        if cut <= 0:
            if len(data) > 2 * SCAN_CHUNK:
                raise _NotPlain
            carry = data
            continue
        carry = data[cut:]
        yield data[:cut]


def plain_sheet(archive: zipfile.ZipFile, part: str, limits: Limits) -> bool:
    """Whether the sheet is in the plain form above with every cell that may hold data (any
    not self-closed) within the limits — found by a few regular-expression passes over the
    raw XML, a chunk at a time, many times faster than `_SheetScan`'s parse. In that form
    each cell's position is its own reference, so the bound is sound: no cell can lie
    beyond the references seen. False for anything else, including every file the scan
    would refuse: the full scan then decides, with its exact message."""
    widths = sorted({n for n in _COLUMN_STEPS if n < limits.max_columns} | {limits.max_columns})
    step, bottom = 0, 0  # widths[step]: columns; bottom: no data row lies below it
    try:
        with archive.open(part) as stream:
            for data in _plain_chunks(stream):
                if any(pattern.search(data) for pattern in _NOT_PLAIN):
                    return False
                while _columns_beyond(widths[step]).search(data):
                    step += 1
                    if step == len(widths):
                        return False
                allowed = min(limits.max_row_number, limits.max_cells // widths[step])
                digits = len(str(allowed))
                rows = [int(row) for row in _rows_of_digits(digits).findall(data)]
                if any(row > allowed for row in rows):
                    return False
                bottom = max(bottom, 10 ** (digits - 1) - 1, *rows)
    except _NotPlain:
        return False
    except Exception:  # a missing part, a bad CRC …: the full scan says so
        return False
    allowed = min(limits.max_row_number, limits.max_cells // widths[step])
    return bottom <= allowed


def scan_sheet(archive: zipfile.ZipFile, part: str, limits: Limits, *, sheet: str = "") -> None:
    """Refuse one sheet if calamine would have to build a grid beyond the limits (see the
    module's docstring): vouched for by `plain_sheet` when it can, else streamed through
    expat. Memory stays constant; a DTD is refused."""
    if plain_sheet(archive, part, limits):
        return
    scan = _SheetScan(limits, sheet or part)
    parser = expat.ParserCreate()
    parser.ordered_attributes = True
    parser.StartElementHandler = scan.start
    parser.StartDoctypeDeclHandler = _refuse_declarations
    parser.EntityDeclHandler = _refuse_declarations
    try:
        with archive.open(part) as stream:
            while chunk := stream.read(SCAN_CHUNK):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except SpreadsheetError:
        raise
    except Exception as error:  # a missing part, malformed XML, a bad CRC …
        raise SpreadsheetError(_(UNREADABLE)) from error


# ---------------------------------------------------------------- columns and rows


@dataclass(frozen=True)
class Column:
    """One column of an import format, as the template documents it."""

    key: str
    title: str
    required: bool = False
    format: str = gettext_lazy("Văn bản")
    choices: tuple[str, ...] = ()
    note: str = ""
    width: int = 20
    is_date: bool = False
    aliases: tuple[str, ...] = ()

    @property
    def header(self) -> str:
        return f"{self.title}*" if self.required else self.title


_NOTE = re.compile(r"\([^)]*\)\s*$")


def header_key(title: Any) -> str:
    """How a header cell is compared: folded, without "*" or a trailing "(…)" note."""
    text = fold(str(title or ""))
    text = _NOTE.sub("", text).replace("*", "")
    return " ".join(text.split()).strip(" :")


@dataclass
class Row:
    number: int  # as Excel shows it
    values: dict[str, Any]

    def text(self, key: str) -> str:
        return cell_text(self.values.get(key))


@dataclass
class Table:
    sheet: str
    header_row: int
    columns: list[Column]
    rows: list[Row] = field(default_factory=list)
    ignored_headers: list[str] = field(default_factory=list)


def cell_text(value: Any) -> str:
    """A cell as text: stripped; whole numbers without ".0"; dates as dd/mm/yyyy."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return vn_date(value.date())
    if isinstance(value, date):
        return vn_date(value)
    return str(value).strip()


def cell_date(value: Any) -> date | None:
    """A date cell (a real date, or text dd/mm/yyyy); ValueError in Vietnamese if not."""
    if value is None or value == "":
        return None
    if isinstance(value, (datetime, date)):
        return parse_date(value)
    if isinstance(value, (int, float)):
        raise ValueError(
            _("“%(text)s” không phải ngày hợp lệ (dd/mm/yyyy).") % {"text": cell_text(value)}
        )
    return parse_date(str(value))


def source_text(text: Any) -> str:
    """`text` in the source language (Vietnamese): the msgid of a lazy translation."""
    with translation.override(None):
        return str(text)


def _rows_from_a1(sheet) -> Iterator[list]:
    """The sheet's rows from row 1 and column A, one at a time (calamine yields rows from
    row 1 but columns from the first one used)."""
    start = sheet.start
    pad = [""] * start[1] if start else []
    for values in sheet.iter_rows():
        yield pad + values if pad else values


def _find_header(rows, columns: Sequence[Column]):
    """(row number, {position: column}, ignored titles) of the first row naming a column.

    A column is recognised by its title in the active language or in Vietnamese.
    """
    by_key: dict[str, Column] = {}
    for column in columns:
        for name in (source_text(column.title), column.title, *column.aliases):
            by_key[header_key(name)] = column
    for number, values in enumerate(rows[:HEADER_SEARCH_ROWS], start=1):
        found: dict[int, Column] = {}
        ignored: list[str] = []
        for position, value in enumerate(values[:MAX_COLUMNS]):
            if value is None or cell_text(value) == "":
                continue
            column = by_key.get(header_key(value))
            if column is None:
                ignored.append(cell_text(value))
            elif column in found.values():
                raise SpreadsheetError(
                    _("Cột “%(column)s” xuất hiện hai lần ở dòng tiêu đề.")
                    % {"column": column.title}
                )
            else:
                found[position] = column
        if found:
            return number, found, ignored
    return None, {}, []


def _candidate_sheets(workbook, sheet_title: str) -> list[str]:
    skipped = {header_key(t) for t in (GUIDE_TITLE, LISTS_TITLE, _(GUIDE_TITLE), _(LISTS_TITLE))}
    sheets = [
        sheet.name
        for sheet in workbook.sheets_metadata
        if sheet.typ == python_calamine.SheetTypeEnum.WorkSheet
        and header_key(sheet.name) not in skipped
    ]
    wanted = (
        {header_key(sheet_title), header_key(source_text(sheet_title))} if sheet_title else set()
    )
    named = [name for name in sheets if header_key(name) in wanted]
    return named or sheets


def read_table(
    source,
    columns: Sequence[Column],
    *,
    sheet_title: str = "",
    limits: Limits | None = None,
) -> Table:
    """The rows of the data sheet, keyed by column; every refusal is a SpreadsheetError.

    The data sheet is the one titled `sheet_title`, else the first sheet (other than the
    guide and the lists) whose header row names every required column.
    """
    limits = limits or Limits.from_settings()
    fileobj, size = _as_file(source)
    check_size(size, limits)
    check_archive(fileobj, limits)
    workbook = _calamine(fileobj)
    try:
        with zipfile.ZipFile(fileobj) as archive:
            parts = sheet_parts(archive)

            def scan(name: str) -> None:
                if name not in parts:
                    raise SpreadsheetError(_(UNREADABLE))
                scan_sheet(archive, parts[name], limits, sheet=name)

            return _read(workbook, columns, sheet_title, limits, scan)
    except SpreadsheetError:
        raise
    except Exception as error:  # malformed sheet XML, refused entities …
        raise SpreadsheetError(_(UNREADABLE)) from error
    finally:
        workbook.close()


def _read(workbook, columns, sheet_title, limits, scan) -> Table:
    required = [c for c in columns if c.required]
    chosen = None
    missing: list[Column] | None = None
    for name in _candidate_sheets(workbook, sheet_title):
        # Scanned first: calamine's grid spans every used cell (see `scan_sheet`). From A1
        # whatever the sheet's <dimension> says: Excel's row numbers stay true.
        scan(name)
        rows = _rows_from_a1(workbook.get_sheet_by_name(name))
        head = list(islice(rows, HEADER_SEARCH_ROWS))
        header_row, found, ignored = _find_header(head, columns)
        if header_row is None:
            continue
        lacking = [c for c in required if c not in found.values()]
        if not lacking:
            chosen = (name, chain(head[header_row:], rows), header_row, found, ignored)
            break
        if missing is None:
            missing = lacking
    if chosen is None:
        titles = ", ".join(f"“{c.title}”" for c in (missing or required))
        raise SpreadsheetError(
            _(
                "Không tìm thấy dòng tiêu đề có đủ các cột bắt buộc (thiếu %(columns)s). "
                "Hãy dùng tệp mẫu."
            )
            % {"columns": titles}
        )
    name, rows, header_row, found, ignored = chosen
    table = Table(name, header_row, list(found.values()), ignored_headers=ignored)
    positions = list(found.items())
    for number, values in enumerate(rows, start=header_row + 1):
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        if len(table.rows) >= limits.max_rows:
            raise SpreadsheetError(_(TOO_MANY_ROWS) % {"rows": _number(limits.max_rows)})
        record = {}
        width = len(values)
        for position, column in positions:
            value = values[position] if position < width else None
            if isinstance(value, str):  # NFC, hidden characters dropped (lib.vntext)
                value = input_text(value).strip() or None
                if value and value.startswith("="):
                    raise SpreadsheetError(
                        _(FORMULA_CELL) % {"row": number, "column": column.title}
                    )
            record[column.key] = value
        table.rows.append(Row(number, record))
    return table
