"""Import of the history of the organization tree (`tochuc import org-events FILE`).

One row per event — founding, renaming, move to another parent, merger, split,
dissolution — with its effective date and decision, performed by the organization
services (`organization_found`, `_rename`, `_move`, `_merge`, `_split`, `_dissolve`), in
date order (rows of one date in file order). Several organizations in one cell (the
sources of a merger, the new parts of a split) are separated by ";". The cells are typed
columns of `tochuc.imports.columns` read by `parse_rows` (the type, the kind and the
grassroots type whatever the accents and case; dates within the acts' bounds).

Checking plays every row through the services inside a transaction that is rolled back,
so each row is judged on the tree as the earlier rows leave it, by the services' own
rules (alive on the date, placement, nothing dated before a later change …), and every
bad row is reported; nothing is written unless all are good. Codes must be in the
importer's scope (a code outside it reads like a missing one). A row already recorded
(an event of the same type, date and decision number with the same subject; for a
founding, the code founded on that date) is left alone, so re-importing changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.accounts.access import Scope
from tochuc.accounts.permissions import CHANGE_ORGANIZATIONS
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

from .models import GrassrootsType, Kind, Organization, OrganizationEvent
from .services import (
    Decision,
    NewOrganization,
    organization_dissolve,
    organization_found,
    organization_merge,
    organization_move,
    organization_rename,
    organization_split,
)

E = OrganizationEvent.Type
TYPE_LABELS = {
    E.FOUNDED: "Thành lập",
    E.RENAMED: "Đổi tên",
    E.MOVED: "Chuyển trực thuộc",
    E.MERGED: "Hợp nhất, sáp nhập",
    E.SPLIT: "Chia tách",
    E.DISSOLVED: "Giải thể",
}
COLUMNS = [
    columns.Choice(
        "type",
        gettext_lazy("Loại sự kiện"),
        required=True,
        width=20,
        vocabulary=list(TYPE_LABELS.items()),
        synonyms={"Sáp nhập": E.MERGED, "Hợp nhất": E.MERGED},
    ),
    columns.Date("on", gettext_lazy("Ngày hiệu lực"), required=True, width=12),
    columns.Text(
        "code",
        gettext_lazy("Mã tổ chức"),
        required=True,
        width=24,
        note=gettext_lazy(
            "Tổ chức được thành lập, đổi tên, chuyển, giải thể, bị chia tách; hợp nhất, "
            "sáp nhập: các tổ chức bị hợp nhất, cách nhau bằng dấu “;”."
        ),
    ),
    columns.Text(
        "result",
        gettext_lazy("Mã tổ chức kết quả"),
        width=24,
        note=gettext_lazy(
            "Hợp nhất, sáp nhập: mã tổ chức nhận (đã có: sáp nhập; mới: hợp nhất, ghi "
            "tên và loại). Chia tách: mã các tổ chức mới, cách nhau bằng “;”."
        ),
    ),
    columns.Text(
        "name",
        gettext_lazy("Tên"),
        width=30,
        note=gettext_lazy(
            "Tên tổ chức mới, tên mới khi đổi tên; chia tách: các tên "
            "theo thứ tự mã, cách nhau bằng “;”."
        ),
    ),
    columns.Choice("kind", gettext_lazy("Loại tổ chức"), width=20, vocabulary=Kind),
    columns.Text(
        "parent",
        gettext_lazy("Mã tổ chức cấp trên"),
        width=20,
        note=gettext_lazy(
            "Thành lập, hợp nhất: cấp trên; chuyển trực thuộc: cấp trên "
            "mới; chia tách: cấp trên của các tổ chức mới (mặc định: "
            "cấp trên của tổ chức bị chia)."
        ),
    ),
    columns.Choice(
        "grassroots_type", gettext_lazy("Loại hình cơ sở"), width=20, vocabulary=GrassrootsType
    ),
    columns.Text("decision_no", gettext_lazy("Số quyết định"), width=16, max_length=60),
    columns.Date("decision_date", gettext_lazy("Ngày quyết định"), width=12),
]
TITLES = {c.key: c.title for c in COLUMNS}


def _codes(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


@dataclass
class PlannedEvent:
    row: int
    type: str
    on: date
    codes: list[str]
    results: list[str]
    names: list[str]
    kind: str
    parent: str
    grassroots_type: str
    decision: Decision
    order: int = 0
    refs: list[str] = field(default_factory=list)


class OrganizationEventImporter(Importer):
    name = "org-events"
    title = gettext_lazy("sự kiện của tổ chức đảng")
    description = gettext_lazy(
        "Lịch sử tổ chức đảng: thành lập, đổi tên, chuyển trực thuộc, hợp nhất, sáp nhập, chia "
        "tách, giải thể — mỗi dòng một sự kiện, có ngày hiệu lực và số quyết định."
    )
    sheet_title = gettext_lazy("Sự kiện tổ chức")
    columns = COLUMNS
    example = {
        "type": "Hợp nhất, sáp nhập",
        "on": "01/07/2025",
        "code": "T01.X01.CB1; T01.X01.CB2",
        "result": "T01.X01.CB12",
        "name": "Chi bộ thôn 1-2",
        "kind": Kind.BASE_CELL.label,
        "parent": "T01.X01",
        "decision_no": "125-QĐ/ĐU",
        "decision_date": "25/06/2025",
    }
    notes = (
        gettext_lazy("Mỗi dòng một sự kiện; các sự kiện được thực hiện theo ngày hiệu lực."),
        gettext_lazy(
            "Chia tách: các tổ chức trực thuộc của tổ chức bị chia chuyển về tổ chức mới đầu tiên."
        ),  # fmt: skip
        gettext_lazy("Có dòng sai thì không ghi dòng nào. Xem docs/nhap-lich-su.md."),
    )
    sample_headers = (gettext_lazy("Dòng"), gettext_lazy("Loại sự kiện"),
                      gettext_lazy("Ngày hiệu lực"), gettext_lazy("Tổ chức"))  # fmt: skip

    def plan(self, table: xlsx.Table, *, scope: Scope, by=None) -> Plan:
        plan = Plan()
        today = timezone.localdate()
        parsed = []
        for index, row in enumerate(columns.parse_rows(table, self.columns, plan, today=today)):
            item = self._parse(row, plan) if row.ok else None
            if item is not None:
                item.order = index
                parsed.append(item)
        parsed.sort(key=lambda i: (i.on, i.order))
        outside = self._check_scope(plan, parsed, scope)
        # Play every row through the services, then roll everything back.
        to_write: list[PlannedEvent] = []
        with transaction.atomic():
            for item in parsed:
                if item.row in outside:
                    continue
                if self._recorded(item):
                    plan.unchanged += 1
                    continue
                try:
                    with transaction.atomic():
                        self._perform(item, by=None)
                except ValidationError as error:
                    plan.error(item.row, "", error_messages(error))
                    continue
                except ObjectDoesNotExist:
                    plan.error(
                        item.row, "", _("Sự kiện không khớp với lịch sử đã ghi của tổ chức.")
                    )
                    continue
                except IntegrityError:
                    plan.error(item.row, TITLES["code"], _("Mã tổ chức đã được dùng."))
                    continue
                to_write.append(item)
            transaction.set_rollback(True)
        plan.items = to_write
        plan.created = len(to_write)
        plan.samples = [
            [i.row, TYPE_LABELS[i.type], vn_date(i.on), "; ".join(i.codes)] for i in to_write[:20]
        ]
        return plan

    def _parse(self, row: columns.ParsedRow, plan: Plan) -> PlannedEvent | None:
        values = row.values
        codes = _codes(values["code"])
        if not codes:  # only semicolons
            plan.error(row.number, TITLES["code"], str(columns.MISSING))
            return None
        item = PlannedEvent(
            row=row.number, type=values["type"], on=values["on"], codes=codes,
            results=_codes(values["result"]), names=_codes(values["name"]), kind=values["kind"],
            parent=values["parent"], grassroots_type=values["grassroots_type"],
            decision=Decision(number=values["decision_no"], date=values["decision_date"]),
        )  # fmt: skip
        problem = self._shape(item)
        if problem:
            plan.error(row.number, "", problem)
            return None
        return item

    @staticmethod
    def _shape(item: PlannedEvent) -> str:
        """What a row of its type must say, beyond the required columns."""
        if item.type != E.MERGED and len(item.codes) != 1:
            return _("Chỉ ghi một mã tổ chức cho loại sự kiện này.")
        if item.type == E.FOUNDED and not (item.names and item.kind):
            return _("Thành lập: hãy ghi tên và loại tổ chức.")
        if item.type == E.RENAMED and len(item.names) != 1:
            return _("Đổi tên: hãy ghi tên mới.")
        if item.type == E.MOVED and not item.parent:
            return _("Chuyển trực thuộc: hãy ghi mã tổ chức cấp trên mới.")
        if item.type == E.MERGED and len(item.results) != 1:
            return _("Hợp nhất, sáp nhập: hãy ghi một mã tổ chức kết quả.")
        if item.type == E.SPLIT and (len(item.results) < 2 or len(item.names) != len(item.results)
                                     or not item.kind):  # fmt: skip
            return _("Chia tách: hãy ghi ít nhất hai mã tổ chức mới, tên của từng tổ chức (cùng "
                     "thứ tự, cách nhau bằng “;”) và loại tổ chức.")  # fmt: skip
        return ""

    def _check_scope(self, plan: Plan, parsed: list[PlannedEvent], scope: Scope) -> set[int]:
        """Every code the rows name: in the scope, or founded by an earlier row. Returns
        the rows naming a code outside it."""
        outside: set[int] = set()
        wanted = set()
        for item in parsed:
            wanted.update(item.codes, item.results, [item.parent] if item.parent else [])
        known = {o.code: o for o in Organization.objects.filter(code__in=wanted)}
        made: set[str] = set()
        for item in parsed:
            new = set()
            if item.type == E.FOUNDED:
                new = set(item.codes)
            elif item.type == E.SPLIT or (
                item.type == E.MERGED
                and item.results[0] not in known
                and item.results[0] not in made
            ):
                new = set(item.results)
            named = set(item.codes) | set(item.results) | ({item.parent} if item.parent else set())
            for code in sorted(named - new):
                org = known.get(code)
                if code in made:
                    continue
                if org is None or not scope.contains(org) or not (
                    {self.permission, CHANGE_ORGANIZATIONS} <= scope.permissions_for(org)
                ):  # fmt: skip
                    plan.error(
                        item.row, TITLES["code"],
                        _("Không có tổ chức mã “%(code)s” trong phạm vi được nhập.")
                        % {"code": code},
                    )  # fmt: skip
                    outside.add(item.row)
            made |= new
        return outside

    @staticmethod
    def _recorded(item: PlannedEvent) -> bool:
        if item.type == E.FOUNDED:
            return Organization.objects.filter(code=item.codes[0], founded_on=item.on).exists()
        subject = item.results[0] if item.type == E.MERGED else item.codes[0]
        return OrganizationEvent.objects.filter(
            type=item.type, effective_on=item.on, decision_no=item.decision.number,
            parts__organization__code=subject,
        ).exists()  # fmt: skip

    @staticmethod
    def _org(code: str) -> Organization:
        org = Organization.objects.filter(code=code).first()
        if org is None:
            raise ValidationError(_("Không có tổ chức mã “%(code)s”.") % {"code": code})
        return org

    def _perform(self, item: PlannedEvent, *, by) -> None:
        common = {"on": item.on, "decision": item.decision, "by": by}
        if item.type != E.FOUNDED:
            for code in item.codes:
                org = self._org(code)
                if org.ended_on is not None:
                    raise ValidationError(
                        _("%(name)s đã chấm dứt hoạt động từ %(ended)s.")
                        % {"name": org.name, "ended": vn_date(org.ended_on)}
                    )
        if item.type == E.FOUNDED:
            spec = NewOrganization(code=item.codes[0], name=item.names[0], kind=item.kind,
                                   grassroots_type=item.grassroots_type)  # fmt: skip
            parent = self._org(item.parent) if item.parent else None
            organization_found(spec=spec, parent=parent, **common)
        elif item.type == E.RENAMED:
            organization_rename(organization=self._org(item.codes[0]), name=item.names[0],
                                kind=item.kind or None, **common)  # fmt: skip
        elif item.type == E.MOVED:
            organization_move(organization=self._org(item.codes[0]),
                              parent=self._org(item.parent), **common)  # fmt: skip
        elif item.type == E.MERGED:
            sources = [self._org(code) for code in item.codes]
            into = Organization.objects.filter(code=item.results[0]).first()
            if into is not None:
                organization_merge(sources=sources, into=into, **common)
            else:
                if not (item.names and item.kind):
                    raise ValidationError(_("Hợp nhất vào tổ chức mới: hãy ghi tên và loại."))
                spec = NewOrganization(code=item.results[0], name=item.names[0], kind=item.kind,
                                       grassroots_type=item.grassroots_type)  # fmt: skip
                parent = self._org(item.parent) if item.parent else sources[0].parent
                organization_merge(sources=sources, new=spec, parent=parent, **common)
        elif item.type == E.SPLIT:
            source = self._org(item.codes[0])
            children = list(source.children.filter(ended_on__isnull=True).order_by("id"))
            parts = [
                NewOrganization(
                    code=code,
                    name=name,
                    kind=item.kind,
                    grassroots_type=item.grassroots_type,
                    children=children if index == 0 else [],
                )  # fmt: skip
                for index, (code, name) in enumerate(zip(item.results, item.names, strict=True))
            ]
            parent = self._org(item.parent) if item.parent else None
            organization_split(source=source, parts=parts, parent=parent, **common)
        elif item.type == E.DISSOLVED:
            organization_dissolve(organization=self._org(item.codes[0]), **common)

    def apply(self, plan: Plan, *, by=None, progress: Progress | None = None) -> None:
        total = len(plan.items)
        for done, item in enumerate(plan.items, start=1):
            try:
                self._perform(item, by=by)
            except ValidationError as error:
                raise ImportFailed([RowError(item.row, "", error_messages(error))]) from error
            if progress is not None:
                progress(done, total)
