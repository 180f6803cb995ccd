"""What the imports of a cadre's records share (appointments, training, planning lists):
the columns that name the cadre, finding the cadres named, and writing row by row through
the services so that every row the services refuse is reported, then nothing is written.

A cadre is named by the managing committee's code (in the scope where the user has cadre
rights), the full name and the birth date, and must have a record already (made on the
page, or by the work-history import).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.imports import columns
from tochuc.imports.registry import ImportFailed, Plan, Progress, RowError
from tochuc.lib import vntext

from .models import Cadre

PERSON_COLUMNS = [
    columns.CodeInScope("committee", gettext_lazy("Mã cấp ủy quản lý"), required=True, width=16),
    columns.Text("full_name", gettext_lazy("Họ và tên"), required=True, width=26, max_length=120),
    columns.Date("birth_date", gettext_lazy("Ngày sinh"), required=True, width=12, bounded=False),
]
YES_NO = (("yes", gettext_lazy("Có")), ("no", gettext_lazy("Không")))

Person = tuple[int, str, date]  # (committee id, folded name, birth date)


def person_of(row) -> Person:
    return (row.found["committee"].pk, vntext.fold(row.values["full_name"]),
            row.values["birth_date"])  # fmt: skip


def cadres_named(rows) -> dict[Person, Cadre]:
    """The recorded cadres of the committees the rows name, by person (one query)."""
    committees = {r.found["committee"].pk for r in rows}
    return {
        (c.committee_id, c.name_folded, c.birth_date): c
        for c in Cadre.objects.filter(committee_id__in=committees)
    }


def no_record(plan: Plan, row, titles) -> None:
    plan.error(row.number, titles["full_name"], _(
        "Chưa có hồ sơ cán bộ %(name)s (sinh %(born)s) thuộc diện %(committee)s quản lý; hãy lập "
        "hồ sơ hoặc nhập quá trình công tác trước."
    ) % {"name": row.values["full_name"], "born": row.values["birth_date"].strftime("%d/%m/%Y"),
         "committee": row.found["committee"].name})  # fmt: skip


def write_each(
    items: Iterable, call: Callable, titles: dict, *, progress: Progress | None = None
) -> None:
    """`call(item)` for each item (each has `row`), each in a savepoint: every refusal of a
    service is collected as an error of its row (on the column of the field it names), and
    when there is one the whole import is abandoned (ImportFailed: nothing is written)."""
    items = list(items)
    errors: list[RowError] = []
    for done, item in enumerate(items, start=1):
        try:
            with transaction.atomic():
                call(item)
        except ValidationError as error:
            fields = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
            for field, messages in fields.items():
                for message in messages:
                    errors.append(RowError(item.row, str(titles.get(field, "")), message))
        if progress is not None and (done % 200 == 0 or done == len(items)):
            progress(done, len(items))
    if errors:
        raise ImportFailed(errors)
