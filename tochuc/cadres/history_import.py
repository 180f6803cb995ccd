"""Import of cadre histories (`tochuc import work-history FILE`): one row per position a
cadre held, from–to, with its decision.

A cadre is named by the managing committee's code, the full name and the birth date; one not
yet recorded is created (gender required then). A position is the same when the cadre, the
title and the start date are: a row equal to a stored position changes nothing, so
re-importing a file changes nothing; a row that differs from the stored position of the same
cadre, title and start is refused (correct it on the record). The whole file is checked
first (the committee in the scope where the user has cadre rights, dates by the acts' rule);
written by the services (`cadre_create`, `position_record`), audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.accounts.access import Scope
from tochuc.accounts.permissions import MANAGE_CADRES
from tochuc.imports import columns
from tochuc.imports.registry import Importer, Plan, Progress
from tochuc.lib import vntext, xlsx
from tochuc.lib.reference import Gender
from tochuc.organizations.models import Organization

from . import services
from .models import Cadre, Position

COLUMNS = [
    columns.CodeInScope("committee", gettext_lazy("Mã cấp ủy quản lý"), required=True, width=16),
    columns.Text("full_name", gettext_lazy("Họ và tên"), required=True, width=26, max_length=120),
    columns.Date("birth_date", gettext_lazy("Ngày sinh"), required=True, width=12),
    columns.Choice("gender", gettext_lazy("Giới tính"), width=9, vocabulary=Gender),
    columns.Text("title", gettext_lazy("Chức vụ"), required=True, width=28, max_length=160),
    columns.Text("unit", gettext_lazy("Cơ quan, đơn vị"), required=True, width=32, max_length=255),
    columns.Date("starts_on", gettext_lazy("Từ ngày"), required=True, width=12),
    columns.Date("ends_on", gettext_lazy("Đến ngày"), width=12),
    columns.Text("decision_no", gettext_lazy("Số quyết định"), width=16, max_length=60),
    columns.Date("decided_on", gettext_lazy("Ngày quyết định"), width=12),
]
TITLES = {c.key: c.title for c in COLUMNS}
COMPARED = ("unit", "ends_on", "decision_no", "decided_on")


@dataclass
class PlannedPosition:
    row: int
    committee: Organization
    cadre: Cadre | None
    person: tuple[int, str, date]  # (committee id, folded name, birth date)
    values: dict


class CadrePositionImporter(Importer):
    name = "work-history"
    title = gettext_lazy("quá trình công tác của cán bộ")
    description = gettext_lazy(
        "Các chức vụ cán bộ đã, đang giữ: cơ quan, đơn vị, từ ngày, đến ngày, quyết định."
    )
    sheet_title = gettext_lazy("Quá trình công tác")
    columns = COLUMNS
    permission = MANAGE_CADRES
    example = {"committee": "T01", "full_name": "Hoàng Văn An", "birth_date": "12/05/1978",
               "gender": "Nam", "title": "Phó Giám đốc", "unit": "Sở Nội vụ",
               "starts_on": "01/03/2020", "ends_on": "", "decision_no": "125-QĐ/TU",
               "decided_on": "20/02/2020"}  # fmt: skip
    notes = (
        gettext_lazy("Cán bộ được nhận ra theo mã cấp ủy quản lý, họ tên và ngày sinh; chưa có "
                     "thì được lập (khi đó cần giới tính)."),
        gettext_lazy("Nhập lại cùng tệp không thay đổi gì."),
    )  # fmt: skip

    def plan(self, table: xlsx.Table, *, scope: Scope, by=None) -> Plan:
        plan = Plan()
        scope = scope.holding(self.permission)
        rows = [r for r in columns.parse_rows(table, self.columns, plan, scope=scope) if r.ok]
        committees = {r.found["committee"].pk for r in rows}
        known = {
            (c.committee_id, c.name_folded, c.birth_date): c
            for c in Cadre.objects.filter(committee_id__in=committees)
        }
        stored = {
            (p.cadre_id, p.title, p.starts_on): p
            for p in Position.objects.filter(cadre__in=list(known.values()))
        }
        seen: dict[tuple, int] = {}
        coming: set[tuple] = set()  # new cadres, made by an earlier row of the file
        for row in rows:
            v, committee = row.values, row.found["committee"]
            person = (committee.pk, vntext.fold(v["full_name"]), v["birth_date"])
            cadre = known.get(person)
            if cadre is None and v.get("gender"):
                coming.add(person)
            if cadre is None and person not in coming:
                plan.error(row.number, TITLES["gender"],
                           _("Cán bộ chưa có hồ sơ: hãy ghi giới tính."))  # fmt: skip
                continue
            if v.get("ends_on") and v["ends_on"] < v["starts_on"]:
                plan.error(row.number, TITLES["ends_on"], _("Trước ngày bắt đầu."))
                continue
            key = (*person, v["title"], v["starts_on"])
            if key in seen:
                plan.error(row.number, TITLES["title"],
                           _("Trùng dòng %(row)s.") % {"row": seen[key]})  # fmt: skip
                continue
            seen[key] = row.number
            before = stored.get((cadre.pk, v["title"], v["starts_on"])) if cadre else None
            if before is not None:
                now = {k: v.get(k) or ("" if k in ("unit", "decision_no") else None)
                       for k in COMPARED}  # fmt: skip
                if all(getattr(before, k) == now[k] for k in COMPARED):
                    plan.unchanged += 1
                else:
                    plan.error(row.number, TITLES["title"], _(
                        "Chức vụ này đã có với số liệu khác; hãy sửa trên hồ sơ cán bộ."
                    ))  # fmt: skip
                continue
            plan.created += 1
            plan.items.append(PlannedPosition(row.number, committee, cadre, person, dict(v)))
        if plan.errors:
            plan.items = []
            return plan
        plan.samples = [[i.values["full_name"], i.values["title"], i.values["unit"],
                         i.values["starts_on"]] for i in plan.items[:20]]  # fmt: skip
        return plan

    def apply(self, plan: Plan, *, by=None, progress: Progress | None = None) -> None:
        made: dict[tuple, Cadre] = {}
        total = len(plan.items)
        for done, item in enumerate(plan.items, start=1):
            v = item.values
            cadre = item.cadre or made.get(item.person)
            if cadre is None:
                cadre = services.cadre_create(committee=item.committee, full_name=v["full_name"],
                                              gender=v["gender"], birth_date=v["birth_date"],
                                              by=by)  # fmt: skip
                made[item.person] = cadre
            services.position_record(
                cadre=cadre, title=v["title"], unit=v["unit"], starts_on=v["starts_on"],
                ends_on=v.get("ends_on"), decision_no=v.get("decision_no") or "",
                decided_on=v.get("decided_on"), by=by,
            )  # fmt: skip
            if progress is not None and (done % 200 == 0 or done == total):
                progress(done, total)
