"""Import of appointments (`tochuc import appointments FILE`): one row per decision of
appointment (bổ nhiệm: a new position) or re-appointment (bổ nhiệm lại: the position of the
same title the cadre holds, for a new term), in the order of the file.

A decision already recorded for the cadre with the same data is left alone, so re-importing
a file changes nothing; the same decision number with other data is refused. The whole file
is checked first; every decision is then written by `services.appointment_record`, which
applies the dated policy (the term, the age conditions, the 90 days before the term's end
for a re-appointment): each refusal is reported on its row and then nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.accounts.access import Scope
from tochuc.accounts.permissions import MANAGE_CADRES
from tochuc.imports import columns
from tochuc.imports.registry import Importer, Plan, Progress
from tochuc.lib import xlsx

from . import services
from .models import Appointment, Cadre, Position
from .record_imports import PERSON_COLUMNS, cadres_named, no_record, person_of, write_each

COLUMNS = [
    *PERSON_COLUMNS,
    columns.Choice(
        "kind", gettext_lazy("Loại"), required=True, width=14, vocabulary=Appointment.Kind
    ),  # fmt: skip
    columns.Text("title", gettext_lazy("Chức vụ"), required=True, width=28, max_length=160),
    columns.Text(
        "unit",
        gettext_lazy("Cơ quan, đơn vị"),
        width=32,
        max_length=255,
        note=gettext_lazy("Bắt buộc khi bổ nhiệm lần đầu."),
    ),  # fmt: skip
    columns.Text(
        "decision_no", gettext_lazy("Số quyết định"), required=True, width=16, max_length=60
    ),  # fmt: skip
    columns.Date("decided_on", gettext_lazy("Ngày quyết định"), required=True, width=12),
    columns.Date(
        "starts_on", gettext_lazy("Ngày có hiệu lực"), required=True, width=12, scheduled=True
    ),  # fmt: skip
]
TITLES = {c.key: c.title for c in COLUMNS}
TITLES["position"] = TITLES["title"]


@dataclass
class PlannedAppointment:
    row: int
    cadre: Cadre
    values: dict


class AppointmentImporter(Importer):
    name = "appointments"
    title = gettext_lazy("quyết định bổ nhiệm, bổ nhiệm lại cán bộ")
    description = gettext_lazy(
        "Bổ nhiệm (chức vụ mới) và bổ nhiệm lại (chức vụ đang giữ, thời hạn mới) theo quyết "
        "định, theo thứ tự các dòng."
    )
    sheet_title = gettext_lazy("Bổ nhiệm")
    columns = COLUMNS
    permission = MANAGE_CADRES
    example = {"committee": "T01", "full_name": "Hoàng Văn An", "birth_date": "12/05/1978",
               "kind": "Bổ nhiệm", "title": "Phó Giám đốc", "unit": "Sở Nội vụ",
               "decision_no": "125-QĐ/TU", "decided_on": "20/02/2020",
               "starts_on": "01/03/2020"}  # fmt: skip
    notes = (
        gettext_lazy("Cán bộ phải có hồ sơ (nhận ra theo mã cấp ủy quản lý, họ tên, ngày sinh)."),
        gettext_lazy("Bổ nhiệm lại: chức vụ ghi đúng tên chức vụ cán bộ đang giữ (hoặc được bổ "
                     "nhiệm ở một dòng trên)."),
        gettext_lazy("Thời hạn bổ nhiệm và điều kiện tuổi theo quy định đang áp dụng; nhập lại "
                     "cùng tệp không thay đổi gì."),
    )  # fmt: skip

    def plan(self, table: xlsx.Table, *, scope: Scope, by=None) -> Plan:
        plan = Plan()
        scope = scope.holding(self.permission)
        rows = [r for r in columns.parse_rows(table, self.columns, plan, scope=scope) if r.ok]
        known = cadres_named(rows)
        cadres = list(known.values())
        stored = {
            (a.cadre_id, a.decision_no): a
            for a in Appointment.objects.filter(cadre__in=cadres).select_related("position")
        }
        held = {
            (p.cadre_id, p.title)
            for p in Position.objects.filter(cadre__in=cadres, ends_on__isnull=True)
        }
        seen: dict[tuple, int] = {}
        for row in rows:
            v = row.values
            cadre = known.get(person_of(row))
            if cadre is None:
                no_record(plan, row, TITLES)
                continue
            key = (cadre.pk, v["decision_no"])
            if key in seen:
                plan.error(row.number, TITLES["decision_no"], _(
                    "Quyết định %(no)s của cán bộ này đã có ở dòng %(row)s."
                ) % {"no": v["decision_no"], "row": seen[key]})  # fmt: skip
                continue
            seen[key] = row.number
            before = stored.get(key)
            if before is not None:
                if _same(before, v):
                    plan.unchanged += 1
                else:
                    plan.error(row.number, TITLES["decision_no"], _(
                        "Quyết định %(no)s đã được ghi với số liệu khác; hãy sửa trên hồ sơ "
                        "cán bộ."
                    ) % {"no": v["decision_no"]})  # fmt: skip
                continue
            if v["kind"] == Appointment.Kind.FIRST:
                if not v["unit"]:
                    plan.error(row.number, TITLES["unit"],
                               _("Bổ nhiệm lần đầu cần ghi cơ quan, đơn vị."))  # fmt: skip
                    continue
                held.add((cadre.pk, v["title"]))
            elif (cadre.pk, v["title"]) not in held:
                plan.error(row.number, TITLES["title"], _(
                    "%(name)s không đang giữ chức vụ “%(title)s” để bổ nhiệm lại."
                ) % {"name": cadre.full_name, "title": v["title"]})  # fmt: skip
                continue
            plan.created += 1
            plan.items.append(PlannedAppointment(row.number, cadre, dict(v)))
        if plan.errors:
            plan.items = []
            return plan
        plan.samples = [[i.values["full_name"], str(Appointment.Kind(i.values["kind"]).label),
                         i.values["title"], i.values["decision_no"], i.values["starts_on"]]
                        for i in plan.items[:20]]  # fmt: skip
        return plan

    def apply(self, plan: Plan, *, by=None, progress: Progress | None = None) -> None:
        write_each(plan.items, lambda item: _write(item, by), TITLES, progress=progress)


def _same(before: Appointment, v: dict) -> bool:
    return (before.kind, before.position.title, before.decided_on, before.starts_on) == (
        v["kind"], v["title"], v["decided_on"], v["starts_on"],
    )  # fmt: skip


def _write(item: PlannedAppointment, by) -> None:
    v = item.values
    position = None
    if v["kind"] == Appointment.Kind.AGAIN:
        position = (
            item.cadre.positions.filter(title=v["title"], ends_on__isnull=True)
            .order_by("-starts_on", "-id")
            .first()
        )
        if position is None:  # ended by an earlier row of the file
            raise ValidationError({"title": _("Cán bộ không còn giữ chức vụ này.")})
    services.appointment_record(
        cadre=item.cadre, kind=v["kind"], decision_no=v["decision_no"],
        decided_on=v["decided_on"], starts_on=v["starts_on"], position=position,
        title=v["title"], unit=v["unit"], by=by,
    )  # fmt: skip
