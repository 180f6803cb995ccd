"""Import of party organizations from a spreadsheet (`tochuc import organizations FILE`).

Each row founds one organization, as `organization_found` would (in bulk). The whole file is checked
first: required fields, dates, codes (unique in the file; an existing code must carry the
same data, and is then left alone, so re-importing a file changes nothing), the parent
(in the database *and in the importer's scope*, or an earlier or later row of the file),
the kind allowed under the parent, the founding date not before the parent's, and no
cycles. A parent outside the scope is reported exactly like a missing one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.accounts.access import Scope
from tochuc.imports import columns
from tochuc.imports.registry import (
    Importer,
    ImportFailed,
    Plan,
    Progress,
    RowError,
    error_messages,
)
from tochuc.lib import xlsx
from tochuc.lib.dates import vn_date

from .bulk import Founding, PlannedParent, organizations_found_bulk
from .models import GrassrootsType, Kind, Organization
from .services import Decision, NewOrganization, check_placement

CODE_PATTERN = r"[A-Za-z0-9._-]+"
MAX_DECISION_GAP = timedelta(days=366)
SAMPLE_ROWS = 20


def _codes_note(enum) -> str:
    """ "Mã: value = label, …" for a column's note, in the active language."""
    codes = ", ".join(f"{member.value} = {member.label}" for member in enum)
    return _("Mã: %(codes)s") % {"codes": codes}


codes_note = lazy(_codes_note, str)

COLUMNS = [
    columns.Text(
        "code",
        gettext_lazy("Mã tổ chức"),
        required=True,
        format=gettext_lazy(
            "Văn bản, tối đa 40 ký tự: chữ cái không dấu, chữ số, dấu chấm, gạch ngang, gạch dưới"
        ),
        note=gettext_lazy(
            "Duy nhất trong toàn hệ thống; dùng để nhận ra tổ chức khi nhập lại tệp."
        ),
        width=22,
        max_length=40,
        pattern=CODE_PATTERN,
        pattern_message=gettext_lazy(
            "Mã “%(value)s” chỉ được gồm chữ cái không dấu, chữ số và các dấu . - _"
        ),
    ),
    columns.Text(
        "name",
        gettext_lazy("Tên tổ chức"),
        required=True,
        format=gettext_lazy("Văn bản, tối đa 255 ký tự"),
        width=40,
        max_length=255,
    ),
    columns.Choice(
        "kind",
        gettext_lazy("Loại tổ chức"),
        required=True,
        format=gettext_lazy(
            "Một giá trị trong danh mục (ghi tên hoặc mã, không phân biệt hoa thường, dấu)"
        ),
        note=codes_note(Kind),
        width=30,
        vocabulary=Kind,
    ),
    columns.CodeInScope(
        "parent",
        gettext_lazy("Mã tổ chức cấp trên"),
        format=gettext_lazy(
            "Mã một tổ chức đã có trong hệ thống (trong phạm vi được phân quyền) hoặc có trong tệp"
        ),
        note=gettext_lazy("Chỉ để trống với Đảng bộ tỉnh, thành phố."),
        width=22,
        may_be_new=True,  # another row of the file: checked by the importer
    ),
    columns.Choice(
        "grassroots_type",
        gettext_lazy("Loại hình cơ sở"),
        format=gettext_lazy("Một giá trị trong danh mục (tên hoặc mã)"),
        note=codes_note(GrassrootsType),
        width=26,
        vocabulary=GrassrootsType,
    ),
    columns.Text(
        "admin_unit_code",
        gettext_lazy("Mã đơn vị hành chính"),
        format=gettext_lazy("Văn bản, tối đa 10 ký tự"),
        note=gettext_lazy("Mã xã, phường, đặc khu theo danh mục đơn vị hành chính (nếu có)."),
        width=18,
        max_length=10,
    ),
    columns.Date(
        "founded_on",
        gettext_lazy("Ngày thành lập"),
        required=True,
        note=gettext_lazy("Không trước ngày thành lập của tổ chức cấp trên, không sau ngày nhập."),
        width=16,
    ),
    columns.Text(
        "decision_no",
        gettext_lazy("Số quyết định"),
        format=gettext_lazy("Văn bản, tối đa 60 ký tự"),
        note=gettext_lazy("Số quyết định thành lập, ví dụ 125-QĐ/ĐU."),
        width=18,
        max_length=60,
    ),
    columns.Date(
        "decision_date",
        gettext_lazy("Ngày quyết định"),
        note=gettext_lazy("Ngày ký quyết định thành lập."),
        width=16,
    ),
]
TITLES = {c.key: c.title for c in COLUMNS}


@dataclass
class PlannedOrganization:
    row: int
    code: str
    name: str
    kind: str
    parent_code: str
    grassroots_type: str
    admin_unit_code: str
    founded_on: date
    decision: Decision
    existing: Organization | None = None
    parent: Organization | None = None  # the parent when it is in the database
    broken: bool = False  # has its own error: rows under it are not checked against it
    order: int = 0
    children: list[PlannedOrganization] = field(default_factory=list)


class OrganizationImporter(Importer):
    name = "organizations"
    title = gettext_lazy("tổ chức đảng")
    description = gettext_lazy(
        "Thành lập hàng loạt tổ chức đảng (đảng bộ, chi bộ) từ tệp Excel, theo mã tổ chức."
    )
    sheet_title = gettext_lazy("Tổ chức")
    columns = COLUMNS
    example = {
        "code": "T01.X01.BANMOI",
        "name": "Chi bộ thôn Bản Mới",
        "kind": Kind.BASE_CELL.label,
        "parent": "T01.X01",
        "grassroots_type": GrassrootsType.OTHER.label,
        "admin_unit_code": "",
        "founded_on": "01/07/2025",
        "decision_no": "125-QĐ/ĐU",
        "decision_date": "25/06/2025",
    }
    notes = (
        gettext_lazy(
            "Mỗi dòng của trang “Tổ chức” là một tổ chức đảng được thành lập. Dòng 1 là tiêu đề "
            "(giữ nguyên); dòng 2 là ví dụ: hãy ghi đè hoặc xóa dòng này trước khi nhập."
        ),
        gettext_lazy("Cột có dấu * là bắt buộc. Ngày ghi theo dạng dd/mm/yyyy, ví dụ 01/07/2025."),
        gettext_lazy(
            "Tổ chức cấp trên là một tổ chức đã có trong hệ thống, trong phạm vi bạn được phân "
            "quyền, hoặc một dòng khác của tệp (thứ tự các dòng không quan trọng)."
        ),
        gettext_lazy(
            "Hệ thống kiểm tra toàn bộ tệp trước: chỉ cần một dòng sai thì không ghi dòng nào, "
            "và báo từng dòng sai (số dòng, cột, lý do)."
        ),
        gettext_lazy(
            "Nhập lại cùng một tệp không thay đổi gì: mã đã có với cùng dữ liệu được bỏ qua; mã "
            "đã có với dữ liệu khác bị báo lỗi (dùng chức năng đổi tên, chuyển trực thuộc)."
        ),
    )
    sample_headers = (
        gettext_lazy("Dòng"),
        gettext_lazy("Mã"),
        gettext_lazy("Tên"),
        gettext_lazy("Loại"),
        gettext_lazy("Cấp trên"),
        gettext_lazy("Ngày thành lập"),
    )

    # ------------------------------------------------------------ plan

    def plan(self, table: xlsx.Table, *, scope: Scope, by=None) -> Plan:
        plan = Plan()
        today = timezone.localdate()
        parsed: list[PlannedOrganization] = []
        first_row: dict[str, PlannedOrganization] = {}
        for row in columns.parse_rows(table, self.columns, plan, scope=scope, today=today):
            item = self._parse(row, plan, today)
            if item.code and item.code in first_row:
                self._refuse(
                    plan, item, "code",
                    _("Mã “%(code)s” trùng với dòng %(row)s.")
                    % {"code": item.code, "row": first_row[item.code].row},
                )  # fmt: skip
                continue
            if item.code:
                first_row[item.code] = item
            parsed.append(item)

        wanted = {i.code for i in parsed if i.code} | {i.parent_code for i in parsed}
        known = {
            org.code: org
            for org in Organization.objects.filter(code__in=wanted - {""}).select_related("parent")
        }
        to_create: list[PlannedOrganization] = []
        for item in parsed:
            existing = known.get(item.code)
            if existing is None:
                if not item.broken:
                    to_create.append(item)
                continue
            item.existing = existing
            if item.broken:
                continue
            if not scope.contains(existing):
                # The code is taken; the organization holding it stays unnamed.
                self._refuse(
                    plan, item, "code",
                    _("Mã tổ chức “%(code)s” đã được dùng.") % {"code": item.code},
                )  # fmt: skip
                continue
            differences = self._differences(item, existing)
            if differences:
                self._refuse(
                    plan, item, "code",
                    _(
                        "Mã “%(code)s” đã có với %(fields)s khác; dùng chức năng đổi tên/chuyển "
                        "trực thuộc thay cho nhập lại."
                    )
                    % {"code": item.code, "fields": ", ".join(differences)},
                )  # fmt: skip
            else:
                plan.unchanged += 1

        creating = {i.code: i for i in to_create}
        self._check_parents(plan, to_create, creating, first_row, known, scope)
        ordered = self._order(plan, to_create, creating)
        for item in ordered:
            self._check_against_parent(plan, item, creating)
        plan.items = [i for i in ordered if not i.broken]
        plan.created = len(plan.items)
        plan.samples = [
            [
                str(i.row), i.code, i.name, str(Kind(i.kind).label),
                i.parent_code or "—", vn_date(i.founded_on),
            ]
            for i in plan.items[:SAMPLE_ROWS]
        ]  # fmt: skip
        return plan

    def _refuse(self, plan: Plan, item: PlannedOrganization, key: str, message: str) -> None:
        plan.error(item.row, TITLES[key], message)
        item.broken = True

    def _parse(self, row: columns.ParsedRow, plan: Plan, today: date) -> PlannedOrganization:
        """The row's typed cells (their errors already on the plan), and what only this
        importer checks: the decision's date near the founding, no parent of itself."""
        values = row.values
        errors: list[tuple[str, str]] = []
        code, founded_on, decision_date = (
            values["code"],
            values["founded_on"],
            values["decision_date"],
        )
        if founded_on and decision_date and decision_date - founded_on > MAX_DECISION_GAP:
            errors.append(
                (
                    "decision_date",
                    _("Ngày quyết định cách ngày thành lập quá xa; hãy kiểm tra lại."),
                )
            )
        if code and values["parent"] == code:
            errors.append(("parent", _("Tổ chức không thể là cấp trên của chính nó.")))
        for key, message in errors:
            plan.error(row.number, TITLES[key], message)
        return PlannedOrganization(
            row=row.number,
            code=code,
            name=values["name"],
            kind=values["kind"],
            parent_code=values["parent"],
            grassroots_type=values["grassroots_type"],
            admin_unit_code=values["admin_unit_code"],
            founded_on=founded_on or date.min,
            decision=Decision(number=values["decision_no"], date=decision_date),
            broken=bool(errors) or not row.ok,
        )

    def _differences(self, item: PlannedOrganization, org: Organization) -> list[str]:
        differences = []
        if item.name != org.name:
            differences.append(_("tên"))
        if item.kind != org.kind:
            differences.append(_("loại"))
        if item.parent_code != (org.parent.code if org.parent else ""):
            differences.append(_("cấp trên"))
        if item.founded_on != org.founded_on:
            differences.append(_("ngày thành lập"))
        if item.grassroots_type and item.grassroots_type != org.grassroots_type:
            differences.append(_("loại hình cơ sở"))
        if item.admin_unit_code and item.admin_unit_code != org.admin_unit_code:
            differences.append(_("mã đơn vị hành chính"))
        return differences

    def _check_parents(self, plan, to_create, creating, first_row, known, scope) -> None:
        """Each new organization's parent: in the file, or in the database and in scope."""
        for item in to_create:
            code = item.parent_code
            if not code:
                if item.kind != Kind.PROVINCE:
                    self._refuse(
                        plan, item, "parent",
                        _(
                            "Chưa ghi mã tổ chức cấp trên (chỉ Đảng bộ tỉnh, thành phố được để "
                            "trống)."
                        ),
                    )  # fmt: skip
                elif not scope.is_admin:
                    self._refuse(
                        plan, item, "parent",
                        _("Chỉ quản trị hệ thống được nhập tổ chức cấp cao nhất."),
                    )  # fmt: skip
                continue
            if code in creating:
                continue  # checked once the file's rows are ordered
            in_file = first_row.get(code)
            if in_file is not None and in_file.existing is None:
                item.broken = True  # under a bad row of the file: its own error says why
                continue
            parent = known.get(code)
            if parent is None or not scope.contains(parent):
                self._refuse(
                    plan, item, "parent",
                    _("Không tìm thấy tổ chức cấp trên mã “%(code)s”.") % {"code": code},
                )  # fmt: skip
                continue
            if self.permission not in scope.permissions_for(parent):
                self._refuse(
                    plan, item, "parent",
                    _("Bạn không có quyền nhập dữ liệu cho %(name)s (mã “%(code)s”).")
                    % {"name": parent.name, "code": code},
                )  # fmt: skip
                continue
            item.parent = parent

    def _order(self, plan, to_create, creating) -> list[PlannedOrganization]:
        """Parents before children (file order otherwise); rows on a cycle are refused."""
        state: dict[str, str] = {}  # code → "visiting" | "done"
        ordered: list[PlannedOrganization] = []
        for item in to_create:
            chain: list[PlannedOrganization] = []
            current: PlannedOrganization | None = item
            while current is not None and current.code not in state:
                state[current.code] = "visiting"
                chain.append(current)
                current = creating.get(current.parent_code)
            if current is not None and state[current.code] == "visiting":
                cycle = chain[chain.index(current) :]
                path = " → ".join([*(c.code for c in cycle), current.code])
                for member in cycle:
                    self._refuse(
                        plan, member, "parent", _("Vòng lặp cấp trên: %(path)s.") % {"path": path}
                    )
            for member in reversed(chain):
                state[member.code] = "done"
                ordered.append(member)
        return ordered

    def _check_against_parent(self, plan, item, creating) -> None:
        """Kind allowed under the parent; founded while the parent was alive."""
        if item.broken:
            return
        if item.parent_code in creating:
            above = creating[item.parent_code]
            if above.broken:
                item.broken = True  # reported on the parent's row; nothing to add here
                return
            parent = PlannedParent(above.kind, above.name)
            parent_founded, parent_ended = above.founded_on, None
        elif item.parent is not None:
            parent = item.parent
            parent_founded, parent_ended = parent.founded_on, parent.ended_on
        else:
            parent = None
            parent_founded = parent_ended = None
        if not item.kind:
            return
        try:
            check_placement(kind=item.kind, parent=parent)
        except ValidationError as error:
            self._refuse(plan, item, "kind", error_messages(error))
            return
        if parent is None:
            return
        if item.founded_on < parent_founded:
            self._refuse(
                plan, item, "founded_on",
                _(
                    "Ngày thành lập %(day)s trước ngày thành lập của tổ chức cấp trên %(name)s "
                    "(%(founded)s)."
                )
                % {
                    "day": vn_date(item.founded_on),
                    "name": parent.name,
                    "founded": vn_date(parent_founded),
                },
            )  # fmt: skip
        elif parent_ended is not None and item.founded_on >= parent_ended:
            self._refuse(
                plan, item, "parent",
                _("Tổ chức cấp trên %(name)s đã chấm dứt hoạt động từ %(ended)s.")
                % {"name": parent.name, "ended": vn_date(parent_ended)},
            )  # fmt: skip

    # ------------------------------------------------------------ apply

    def apply(self, plan: Plan, *, by=None, progress: Progress | None = None) -> None:
        """Found every planned organization in bulk (`organizations_found_bulk`: what
        `organization_found` leaves, row by row, in a few queries per level of the tree)."""
        foundings: dict[str, Founding] = {}
        for item in plan.items:  # parents come before their children in the plan
            spec = NewOrganization(
                code=item.code,
                name=item.name,
                kind=item.kind,
                grassroots_type=item.grassroots_type,
                admin_unit_code=item.admin_unit_code,
            )
            parent = foundings.get(item.parent_code) or item.parent
            foundings[item.code] = Founding(spec, item.founded_on, parent, item.decision)
        total, written = len(plan.items), 0

        def report(count: int) -> None:
            nonlocal written
            written += count
            if progress:
                progress(written, total)

        try:
            organizations_found_bulk(list(foundings.values()), by=by, progress=report)
        except ValidationError as error:
            raise ImportFailed([RowError(None, "", error_messages(error))]) from error
        except IntegrityError as error:
            raise ImportFailed(
                [RowError(None, str(TITLES["code"]), _("Mã tổ chức đã được dùng."))]
            ) from error
