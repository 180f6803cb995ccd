"""Import of planning lists (`tochuc import planning FILE`): one row per cadre put in the
planning list of a position (chức danh) of a committee for a term (2025–2030: 2025).

The position is named by its title under the planning committee (the cadre's managing
committee or one above it, in the user's scope); a title not yet known there is added. A
cadre already in that list for that term is left alone, so re-importing a file changes
nothing. The whole file is checked first; every row is then written by
`services.planning_add`, which checks the criteria in force on the date (age, political
theory, rating of the last years, how many per position and positions per person): each
refusal is reported on its row, then nothing is written.
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
from tochuc.lib import xlsx
from tochuc.organizations.models import Organization
from tochuc.policy.acts import act_year_refusal

from . import services
from .models import Cadre, PlannedPosition, PlanningEntry
from .record_imports import PERSON_COLUMNS, cadres_named, no_record, person_of, write_each

COLUMNS = [
    *PERSON_COLUMNS,
    columns.CodeInScope(
        "planner",
        gettext_lazy("Mã cấp ủy quy hoạch"),
        width=16,
        note=gettext_lazy("Để trống: cấp ủy quản lý cán bộ."),
    ),  # fmt: skip
    columns.Text(
        "position", gettext_lazy("Chức danh quy hoạch"), required=True, width=30, max_length=160
    ),  # fmt: skip
    columns.Number(
        "term_start",
        gettext_lazy("Năm đầu nhiệm kỳ"),
        required=True,
        width=10,
        minimum=2000,
        maximum=2100,
        format=gettext_lazy("Năm đầu nhiệm kỳ, ví dụ 2025"),
    ),  # fmt: skip
    columns.Date("added_on", gettext_lazy("Ngày đưa vào quy hoạch"), required=True, width=12),
    columns.Text("decision_no", gettext_lazy("Số quyết định"), width=16, max_length=60),
]
TITLES = {c.key: c.title for c in COLUMNS}
TITLES["cadre"] = TITLES["full_name"]


@dataclass
class PlannedEntry:
    row: int
    cadre: Cadre
    planner: Organization
    title: str
    term_start: int
    added_on: date
    decision_no: str


class PlanningImporter(Importer):
    name = "planning"
    title = gettext_lazy("danh sách quy hoạch cán bộ")
    description = gettext_lazy(
        "Cán bộ đưa vào quy hoạch chức danh của cấp ủy cho một nhiệm kỳ, kèm ngày và quyết định."
    )
    sheet_title = gettext_lazy("Quy hoạch")
    columns = COLUMNS
    permission = MANAGE_CADRES
    example = {"committee": "T01", "full_name": "Hoàng Văn An", "birth_date": "12/05/1978",
               "planner": "T01", "position": "Phó Chủ tịch UBND tỉnh", "term_start": "2025",
               "added_on": "15/09/2024", "decision_no": "512-QĐ/TU"}  # fmt: skip
    notes = (
        gettext_lazy("Cán bộ phải có hồ sơ (nhận ra theo mã cấp ủy quản lý, họ tên, ngày sinh)."),
        gettext_lazy("Chức danh chưa có ở cấp ủy quy hoạch thì được thêm."),
        gettext_lazy("Tiêu chuẩn quy hoạch được kiểm tra theo quy định tại ngày đưa vào quy "
                     "hoạch. Nhập lại cùng tệp không thay đổi gì."),
    )  # fmt: skip

    def plan(self, table: xlsx.Table, *, scope: Scope, by=None) -> Plan:
        plan = Plan()
        scope = scope.holding(self.permission)
        rows = []
        for row in columns.parse_rows(table, self.columns, plan, scope=scope):
            year = row.values["term_start"]
            refusal = act_year_refusal(int(year), ahead=10) if year else None
            if refusal:
                plan.error(row.number, TITLES["term_start"], refusal)
            elif row.ok:
                rows.append(row)
        known = cadres_named(rows)
        planners = {(r.found.get("planner") or r.found["committee"]).pk for r in rows}
        positions = {
            (p.committee_id, p.title): p
            for p in PlannedPosition.objects.filter(committee_id__in=planners)
        }
        current = set(
            PlanningEntry.objects.filter(cadre__in=list(known.values()), removed_on__isnull=True)
            .values_list("position_id", "cadre_id", "term_start")
        )  # fmt: skip
        seen: dict[tuple, int] = {}
        for row in rows:
            v = row.values
            cadre = known.get(person_of(row))
            if cadre is None:
                no_record(plan, row, TITLES)
                continue
            planner = row.found.get("planner") or row.found["committee"]
            if not cadre.committee.path.startswith(planner.path):
                plan.error(row.number, TITLES["planner"], _(
                    "%(name)s không thuộc diện %(committee)s quản lý."
                ) % {"name": cadre.full_name, "committee": planner.name})  # fmt: skip
                continue
            term = int(v["term_start"])
            key = (planner.pk, v["position"], cadre.pk, term)
            if key in seen:
                plan.error(row.number, TITLES["full_name"],
                           _("Trùng dòng %(row)s.") % {"row": seen[key]})  # fmt: skip
                continue
            seen[key] = row.number
            position = positions.get((planner.pk, v["position"]))
            if position is not None and (position.pk, cadre.pk, term) in current:
                plan.unchanged += 1
                continue
            plan.created += 1
            plan.items.append(PlannedEntry(row.number, cadre, planner, v["position"], term,
                                           v["added_on"], v["decision_no"]))  # fmt: skip
        if plan.errors:
            plan.items = []
            return plan
        plan.samples = [[i.cadre.full_name, i.title, f"{i.term_start}–{i.term_start + 5}",
                         i.added_on] for i in plan.items[:20]]  # fmt: skip
        return plan

    def apply(self, plan: Plan, *, by=None, progress: Progress | None = None) -> None:
        made: dict[tuple[int, str], PlannedPosition] = {}

        def write(item: PlannedEntry) -> None:
            key = (item.planner.pk, item.title)
            position = (
                made.get(key)
                or PlannedPosition.objects.filter(committee=item.planner, title=item.title).first()
            )
            if position is None:
                position = services.planned_position_create(
                    committee=item.planner, title=item.title, by=by
                )
            services.planning_add(
                position=position, cadre=item.cadre, term_start=item.term_start,
                added_on=item.added_on, decision_no=item.decision_no, by=by,
            )  # fmt: skip
            made[key] = position  # kept once its row is written (a refusal rolls it back)

        write_each(plan.items, write, TITLES, progress=progress)
