"""Import of training (`tochuc import training FILE`): one row per course or degree of a
cadre — political theory, state management, professional, short courses — with its dates
and result.

A course is the same when the cadre, the kind, the name and the start date are: a row equal
to the stored course changes nothing (re-importing a file changes nothing); one that differs
is refused (correct it on the record). The whole file is checked first; every course is
written by `services.training_record` (a completed political-theory degree above the
record's level raises it), each refusal reported on its row, then nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.accounts.access import Scope
from tochuc.accounts.permissions import MANAGE_CADRES
from tochuc.imports import columns
from tochuc.imports.registry import Importer, Plan, Progress
from tochuc.lib import xlsx
from tochuc.lib.reference import PoliticalTheory

from . import services
from .models import Cadre, Training
from .record_imports import (
    PERSON_COLUMNS,
    YES_NO,
    cadres_named,
    no_record,
    person_of,
    write_each,
)

COLUMNS = [
    *PERSON_COLUMNS,
    columns.Choice(
        "kind", gettext_lazy("Loại"), required=True, width=22, vocabulary=Training.Kind
    ),  # fmt: skip
    columns.Choice(
        "theory_level",
        gettext_lazy("Trình độ lý luận chính trị"),
        width=14,
        vocabulary=PoliticalTheory,
        note=gettext_lazy("Bắt buộc khi loại là lý luận chính trị."),
    ),  # fmt: skip
    columns.Text(
        "name", gettext_lazy("Tên khóa học, văn bằng"), required=True, width=36, max_length=255
    ),  # fmt: skip
    columns.Text("institution", gettext_lazy("Cơ sở đào tạo"), width=28, max_length=255),
    columns.Date("starts_on", gettext_lazy("Từ ngày"), required=True, width=12),
    columns.Date("ends_on", gettext_lazy("Đến ngày"), width=12, scheduled=True),
    columns.Choice("completed", gettext_lazy("Đã hoàn thành"), width=10, vocabulary=YES_NO),
    columns.Text("result", gettext_lazy("Kết quả"), width=20, max_length=120),
]
TITLES = {c.key: c.title for c in COLUMNS}
COMPARED = ("theory_level", "institution", "ends_on", "completed", "result")


@dataclass
class PlannedTraining:
    row: int
    cadre: Cadre
    values: dict


def _values(v: dict) -> dict:
    """The row as the service takes it (and as the stored course is compared)."""
    political = v["kind"] == Training.Kind.POLITICAL_THEORY
    return {
        "kind": v["kind"], "name": v["name"], "starts_on": v["starts_on"],
        "theory_level": v["theory_level"] if political else "",
        "institution": v["institution"], "ends_on": v["ends_on"],
        "completed": v["completed"] == "yes", "result": v["result"],
    }  # fmt: skip


class TrainingImporter(Importer):
    name = "training"
    title = gettext_lazy("đào tạo, bồi dưỡng cán bộ")
    description = gettext_lazy(
        "Các khóa đào tạo, bồi dưỡng của cán bộ: lý luận chính trị, quản lý nhà nước, chuyên "
        "môn, bồi dưỡng ngắn hạn; thời gian và kết quả."
    )
    sheet_title = gettext_lazy("Đào tạo")
    columns = COLUMNS
    permission = MANAGE_CADRES
    example = {"committee": "T01", "full_name": "Hoàng Văn An", "birth_date": "12/05/1978",
               "kind": "Lý luận chính trị", "theory_level": "Cao cấp",
               "name": "Cao cấp lý luận chính trị hệ không tập trung",
               "institution": "Học viện Chính trị khu vực I", "starts_on": "01/03/2022",
               "ends_on": "30/06/2023", "completed": "Có", "result": "Khá"}  # fmt: skip
    notes = (
        gettext_lazy("Cán bộ phải có hồ sơ (nhận ra theo mã cấp ủy quản lý, họ tên, ngày sinh)."),
        gettext_lazy("Hoàn thành lý luận chính trị cao hơn trình độ trên hồ sơ thì hồ sơ được "
                     "nâng theo. Nhập lại cùng tệp không thay đổi gì."),
    )  # fmt: skip

    def plan(self, table: xlsx.Table, *, scope: Scope, by=None) -> Plan:
        plan = Plan()
        scope = scope.holding(self.permission)
        rows = [r for r in columns.parse_rows(table, self.columns, plan, scope=scope) if r.ok]
        known = cadres_named(rows)
        stored = {
            (t.cadre_id, t.kind, t.name, t.starts_on): t
            for t in Training.objects.filter(cadre__in=list(known.values()))
        }
        seen: dict[tuple, int] = {}
        for row in rows:
            v = row.values
            cadre = known.get(person_of(row))
            if cadre is None:
                no_record(plan, row, TITLES)
                continue
            values = _values(v)
            if v["kind"] == Training.Kind.POLITICAL_THEORY and not values["theory_level"]:
                plan.error(row.number, TITLES["theory_level"],
                           _("Hãy ghi trình độ lý luận chính trị."))  # fmt: skip
                continue
            if values["ends_on"] and values["ends_on"] < values["starts_on"]:
                plan.error(row.number, TITLES["ends_on"], _("Trước ngày bắt đầu."))
                continue
            key = (cadre.pk, v["kind"], v["name"], v["starts_on"])
            if key in seen:
                plan.error(row.number, TITLES["name"],
                           _("Trùng dòng %(row)s.") % {"row": seen[key]})  # fmt: skip
                continue
            seen[key] = row.number
            before = stored.get(key)
            if before is not None:
                if all(getattr(before, k) == values[k] for k in COMPARED):
                    plan.unchanged += 1
                else:
                    plan.error(row.number, TITLES["name"], _(
                        "Khóa học này đã có với số liệu khác; hãy sửa trên hồ sơ cán bộ."
                    ))  # fmt: skip
                continue
            plan.created += 1
            plan.items.append(PlannedTraining(row.number, cadre, values))
        if plan.errors:
            plan.items = []
            return plan
        plan.samples = [[i.values["name"], i.cadre.full_name, i.values["starts_on"]]
                        for i in plan.items[:20]]  # fmt: skip
        return plan

    def apply(self, plan: Plan, *, by=None, progress: Progress | None = None) -> None:
        write_each(
            plan.items,
            lambda item: services.training_record(cadre=item.cadre, by=by, **item.values),
            TITLES,
            progress=progress,
        )
