"""Import of annual admission targets (`tochuc import targets FILE`).

One row per organization and year: the number of admissions it is to reach, written by
`targets.target_set` (the service of the targets page). A target is set by the level
above: an officer imports targets for organizations under their grant, not for the
organization of the grant itself. The whole file is checked first (the organization in
scope, the year, a whole number ≥ 0, one row per organization and year; the cells are
typed columns of `tochuc.imports.columns`); a target equal
to the stored one is left alone, so re-importing a file changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.accounts.access import Scope
from tochuc.accounts.permissions import DECIDE_ADMISSIONS
from tochuc.imports import columns
from tochuc.imports.registry import Importer, Plan, Progress
from tochuc.lib import xlsx
from tochuc.organizations.models import Organization
from tochuc.policy.acts import act_year_refusal

from .models import AdmissionTarget
from .targets import TARGET_YEARS_AHEAD, target_set

CHUNK = 900  # values per IN (…)

COLUMNS = [
    columns.CodeInScope("code", gettext_lazy("Mã tổ chức"), required=True, width=22),
    columns.Text(
        "name",
        gettext_lazy("Tên tổ chức"),
        width=32,
        note=gettext_lazy("Không bắt buộc; để người đọc đối chiếu."),
    ),
    columns.Number(
        "year", gettext_lazy("Năm"), required=True, width=8, format=gettext_lazy("Số, ví dụ 2024")
    ),
    columns.Number(
        "target",
        gettext_lazy("Chỉ tiêu kết nạp"),
        required=True,
        width=14,
        format=gettext_lazy("Số nguyên, từ 0"),
        minimum=0,
    ),
]
TITLES = {c.key: c.title for c in COLUMNS}


@dataclass
class PlannedTarget:
    row: int
    organization: Organization
    year: int
    target: int


class TargetImporter(Importer):
    name = "targets"
    title = gettext_lazy("chỉ tiêu kết nạp đảng viên")
    description = gettext_lazy(
        "Chỉ tiêu kết nạp đảng viên hằng năm của từng tổ chức (mỗi dòng một tổ chức, một năm)."
    )
    sheet_title = gettext_lazy("Chỉ tiêu")
    columns = COLUMNS
    example = {"code": "T01.X01", "name": "Đảng bộ xã Tân An", "year": "2024", "target": "25"}
    notes = (
        gettext_lazy("Chỉ tiêu do cấp trên giao: chỉ nhập cho các tổ chức cấp dưới của đồng chí."),
        gettext_lazy("Nhập lại cùng tệp không thay đổi gì; chỉ tiêu khác số đã có thì được sửa."),
    )
    sample_headers = (gettext_lazy("Mã tổ chức"), gettext_lazy("Tên tổ chức"),
                      gettext_lazy("Năm"), gettext_lazy("Chỉ tiêu"))  # fmt: skip

    def plan(self, table: xlsx.Table, *, scope: Scope, by=None) -> Plan:
        plan = Plan()
        parsed = []
        for row in columns.parse_rows(table, self.columns, plan, scope=scope):
            year = row.values["year"]
            refusal = act_year_refusal(year, ahead=TARGET_YEARS_AHEAD) if year else None
            if refusal:
                plan.error(row.number, TITLES["year"], refusal)
            elif row.ok:
                code = row.values["code"]
                parsed.append((row.number, code, row.found["code"], year, row.values["target"]))
        seen: dict[tuple[str, int], int] = {}
        planned: list[PlannedTarget] = []
        for number, code, org, year, target in parsed:
            if not self._may_set(scope, org):
                plan.error(
                    number, TITLES["code"],
                    _("Không có tổ chức mã “%(code)s” trong phạm vi được giao chỉ tiêu.")
                    % {"code": code},
                )  # fmt: skip
                continue
            if (code, year) in seen:
                plan.error(
                    number, TITLES["code"],
                    _("Tổ chức %(code)s đã có chỉ tiêu năm %(year)s ở dòng %(row)s.")
                    % {"code": code, "year": year, "row": seen[(code, year)]},
                )  # fmt: skip
                continue
            seen[(code, year)] = number
            planned.append(PlannedTarget(number, org, year, target))
        if plan.errors:
            return plan
        stored = {}
        for start in range(0, len(planned), CHUNK):
            chunk = planned[start : start + CHUNK]
            stored.update(
                {
                    (t.organization_id, t.year): t.target
                    for t in AdmissionTarget.objects.filter(
                        organization_id__in=[p.organization.pk for p in chunk]
                    )
                }
            )
        for item in planned:
            before = stored.get((item.organization.pk, item.year))
            if before == item.target:
                plan.unchanged += 1
                continue
            if before is None:
                plan.created += 1
            else:
                plan.changed += 1
            plan.items.append(item)
        plan.samples = [
            [i.organization.code, i.organization.name, i.year, i.target] for i in plan.items[:20]
        ]
        return plan

    def _may_set(self, scope: Scope, org: Organization) -> bool:
        """In scope, with the rights to import and to set targets there (those of the targets
        page), and below the grant (a target is set from above)."""
        if scope.is_admin:
            return True
        return any(
            org.path.startswith(path) and org.path != path for path, _role in scope.roots
        ) and {self.permission, DECIDE_ADMISSIONS} <= scope.permissions_for(org)

    def apply(self, plan: Plan, *, by=None, progress: Progress | None = None) -> None:
        total = len(plan.items)
        for done, item in enumerate(plan.items, start=1):
            target_set(organization=item.organization, year=item.year, target=item.target, by=by)
            if progress is not None and (done % 200 == 0 or done == total):
                progress(done, total)
