"""Import of staffing quotas (`tochuc import staffing FILE`): one row per agency and year —
the quota assigned, the staff actually there, the reduction planned.

An agency named by a code not yet known is created under the organization of its row; a
known one must belong to that organization. The whole file is checked first (the
organization in the scope where the user has cadre rights, the year, whole numbers ≥ 0, one
row per agency and year); a row equal to what is stored is left alone, so re-importing a
file changes nothing. Written by the services (`agency_create`, `quota_set`), audited.
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
from tochuc.organizations.models import Organization
from tochuc.policy.acts import act_year_refusal

from . import services
from .models import Agency, StaffingQuota


def _count(key, title, *, required=True):
    return columns.Number(key, title, required=required, width=12, minimum=0,
                          format=gettext_lazy("Số nguyên, từ 0"))  # fmt: skip


COLUMNS = [
    columns.CodeInScope("organization", gettext_lazy("Mã tổ chức đảng"), required=True, width=16),
    columns.Text(
        "agency_code", gettext_lazy("Mã cơ quan, đơn vị"), required=True, width=20, max_length=40
    ),  # fmt: skip
    columns.Text(
        "agency_name", gettext_lazy("Tên cơ quan, đơn vị"), required=True, width=36, max_length=255
    ),  # fmt: skip
    columns.Number(
        "year", gettext_lazy("Năm"), required=True, width=8, format=gettext_lazy("Số, ví dụ 2025")
    ),  # fmt: skip
    _count("assigned", gettext_lazy("Biên chế được giao")),
    _count("actual", gettext_lazy("Thực có")),
    _count("planned_reduction", gettext_lazy("Kế hoạch tinh giản"), required=False),
]
TITLES = {c.key: c.title for c in COLUMNS}


@dataclass
class PlannedQuota:
    row: int
    organization: Organization
    agency: Agency | None
    agency_code: str
    agency_name: str
    year: int
    values: dict


class StaffingImporter(Importer):
    name = "staffing"
    title = gettext_lazy("biên chế của cơ quan, đơn vị")
    description = gettext_lazy(
        "Biên chế được giao, thực có và kế hoạch tinh giản của từng cơ quan, đơn vị theo năm."
    )
    sheet_title = gettext_lazy("Biên chế")
    columns = COLUMNS
    permission = MANAGE_CADRES
    example = {"organization": "T01", "agency_code": "T01.CQ.SNV",
               "agency_name": "Sở Nội vụ", "year": "2025", "assigned": "54", "actual": "52",
               "planned_reduction": "12"}  # fmt: skip
    notes = (
        gettext_lazy("Mã cơ quan chưa có thì cơ quan được thêm vào tổ chức đảng của dòng."),
        gettext_lazy("Nhập lại cùng tệp không thay đổi gì; số khác số đã có thì được sửa."),
    )

    def plan(self, table: xlsx.Table, *, scope: Scope, by=None) -> Plan:
        plan = Plan()
        scope = scope.holding(self.permission)
        rows = []
        for row in columns.parse_rows(table, self.columns, plan, scope=scope):
            year = row.values["year"]
            refusal = act_year_refusal(year, ahead=1) if year else None
            if refusal:
                plan.error(row.number, TITLES["year"], refusal)
            elif row.ok:
                rows.append(row)
        codes = {r.values["agency_code"] for r in rows}
        agencies = {a.code: a for a in Agency.objects.filter(code__in=codes)
                    .select_related("organization")}  # fmt: skip
        seen: dict[tuple[str, int], int] = {}
        planned = []
        for row in rows:
            v, organization = row.values, row.found["organization"]
            agency = agencies.get(v["agency_code"])
            if agency is not None and agency.organization_id != organization.pk:
                plan.error(row.number, TITLES["agency_code"], _(
                    "Cơ quan mã “%(code)s” thuộc %(name)s, không thuộc tổ chức của dòng này."
                ) % {"code": agency.code, "name": agency.organization.name})  # fmt: skip
                continue
            key = (v["agency_code"], v["year"])
            if key in seen:
                plan.error(row.number, TITLES["agency_code"],
                           _("Cơ quan %(code)s đã có số liệu năm %(year)s ở dòng %(row)s.")
                           % {"code": key[0], "year": key[1], "row": seen[key]})  # fmt: skip
                continue
            seen[key] = row.number
            values = {"assigned": int(v["assigned"]), "actual": int(v["actual"]),
                      "planned_reduction": int(v.get("planned_reduction") or 0)}  # fmt: skip
            planned.append(PlannedQuota(row.number, organization, agency, v["agency_code"],
                                        v["agency_name"], int(v["year"]), values))  # fmt: skip
        if plan.errors:
            return plan
        stored = {
            (q.agency_id, q.year): q
            for q in StaffingQuota.objects.filter(agency__in=list(agencies.values()))
        }
        for item in planned:
            before = stored.get((item.agency.pk, item.year)) if item.agency else None
            if before is not None and all(getattr(before, k) == v for k, v in item.values.items()):
                plan.unchanged += 1
                continue
            if before is None:
                plan.created += 1
            else:
                plan.changed += 1
            plan.items.append(item)
        plan.samples = [[i.agency_code, i.agency_name, i.year, i.values["assigned"],
                         i.values["actual"]] for i in plan.items[:20]]  # fmt: skip
        return plan

    def apply(self, plan: Plan, *, by=None, progress: Progress | None = None) -> None:
        made: dict[str, Agency] = {}
        total = len(plan.items)
        for done, item in enumerate(plan.items, start=1):
            agency = item.agency or made.get(item.agency_code)
            if agency is None:
                agency = services.agency_create(organization=item.organization,
                                                code=item.agency_code, name=item.agency_name,
                                                by=by)  # fmt: skip
                made[item.agency_code] = agency
            services.quota_set(agency=agency, year=item.year, by=by, **item.values)
            if progress is not None and (done % 200 == 0 or done == total):
                progress(done, total)
