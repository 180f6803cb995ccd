"""Where each member of a split organization goes, read from an uploaded spreadsheet.

One row a person: the party card number or citizen ID (CCCD) of someone in activity in the
organization being split, and the code of the new organization they go to. The whole file
is checked before anything is used: a row naming nobody in the organization, a person
twice, or a code that is not one of the new organizations is an error with its row number;
everyone in activity must be placed. Any error refuses the file (nothing is written).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.lib import xlsx

from .hooks import RosterEntry

COLUMNS = (
    xlsx.Column(
        "person",
        gettext_lazy("Số thẻ đảng viên hoặc CCCD"),
        required=True,
        aliases=("Số thẻ đảng viên", "Số CCCD", "CCCD"),
    ),
    xlsx.Column("name", gettext_lazy("Họ và tên")),
    xlsx.Column("code", gettext_lazy("Mã tổ chức mới"), required=True),
)
MAX_ERRORS = 50


def read_placement(
    source, *, roster: Iterable[RosterEntry], codes: Iterable[str]
) -> dict[int, str]:
    """Member id → new organization code, or a ValidationError listing every bad row."""
    try:
        table = xlsx.read_table(source, COLUMNS)
    except xlsx.SpreadsheetError as error:
        raise ValidationError(error.messages) from error
    roster = list(roster)
    codes = set(codes)
    by_identifier = {i: entry for entry in roster for i in entry.identifiers}
    placed: dict[int, str] = {}
    first_row: dict[int, int] = {}
    errors: list[str] = []
    for row in table.rows:
        person, code = row.text("person"), row.text("code")
        if not person and not code:
            continue
        entry = by_identifier.get(person)
        if entry is None:
            errors.append(
                _("Dòng %(row)s: không có ai mang số “%(person)s” đang sinh hoạt ở đây.")
                % {"row": row.number, "person": person}
            )
        elif entry.pk in first_row:
            errors.append(
                _("Dòng %(row)s: %(name)s đã có ở dòng %(first)s.")
                % {"row": row.number, "name": entry.name, "first": first_row[entry.pk]}
            )
        if code not in codes:
            errors.append(
                _("Dòng %(row)s: mã tổ chức mới “%(code)s” không có trong các tổ chức được lập.")
                % {"row": row.number, "code": code}
            )
        if entry is not None and entry.pk not in first_row:
            first_row[entry.pk] = row.number
            placed[entry.pk] = code
    missing = [entry.name for entry in roster if entry.pk not in first_row]
    if missing:
        shown = ", ".join(missing[:5]) + ("…" if len(missing) > 5 else "")
        errors.append(
            _("Tệp chưa phân %(count)s người đang sinh hoạt: %(names)s.")
            % {"count": len(missing), "names": shown}
        )
    if errors:
        raise ValidationError(errors[:MAX_ERRORS])
    return placed
