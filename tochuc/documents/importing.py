"""Import of the document registry from a spreadsheet (`tochuc import documents FILE`).

Each row registers one document at an organization of the importer's scope, as
`document_register` would. The whole file is checked first — numbers parsed (the reason of a
malformed one, as on the form), dates, the organization in scope, the same number twice in
the file — and a document already registered with the same number, year and title is left
alone, so importing the same file again changes nothing; the same number with another title
is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.accounts.access import Scope
from tochuc.imports import columns
from tochuc.imports.registry import Importer, ImportFailed, Plan, Progress, RowError
from tochuc.lib import xlsx
from tochuc.lib.dates import vn_date
from tochuc.organizations.models import Organization

from . import numbers, services
from .models import Classification, Document

COLUMNS = [
    columns.CodeInScope("organization", gettext_lazy("Mã tổ chức đăng ký"), required=True),
    columns.Text("number", gettext_lazy("Số, ký hiệu"), required=True, max_length=60),
    columns.Date("issued_on", gettext_lazy("Ngày ban hành"), required=True),
    columns.Text("title", gettext_lazy("Trích yếu"), required=True, max_length=500),
    columns.Choice("classification", gettext_lazy("Độ mật"), vocabulary=Classification),
    columns.Text("summary", gettext_lazy("Tóm tắt nội dung"), max_length=4000),
]
TITLES = {c.key: c.title for c in COLUMNS}


@dataclass
class PlannedDocument:
    row: int
    organization: Organization
    number: str
    issued_on: date
    title: str
    classification: str
    summary: str


class DocumentImporter(Importer):
    name = "documents"
    title = gettext_lazy("sổ văn bản")
    description = gettext_lazy("Đăng ký hàng loạt văn bản (số, ngày, trích yếu) từ tệp Excel.")
    sheet_title = gettext_lazy("Văn bản")
    columns = COLUMNS
    example = {
        "organization": "T20",
        "number": "35-CT/TW",
        "issued_on": "14/06/2024",
        "title": "Chỉ thị về đại hội đảng bộ các cấp tiến tới Đại hội XIV của Đảng",
        "classification": Classification.NORMAL.label,
        "summary": "",
    }
    notes = (
        gettext_lazy("Mỗi dòng là một văn bản. Số ghi như trên văn bản: 35-CT/TW, 04-CTr/TU."),
        gettext_lazy("Văn bản mật chỉ ghi số và trích yếu, để trống tóm tắt."),
        gettext_lazy(
            "Nhập lại cùng một tệp không thay đổi gì: văn bản đã có cùng số, năm và trích yếu "
            "được bỏ qua."
        ),
    )
    sample_headers = (
        gettext_lazy("Dòng"),
        gettext_lazy("Tổ chức"),
        gettext_lazy("Số"),
        gettext_lazy("Ngày"),
        gettext_lazy("Trích yếu"),
    )

    def plan(self, table: xlsx.Table, *, scope: Scope, by=None) -> Plan:
        plan = Plan()
        items: list[PlannedDocument] = []
        seen: dict[tuple, int] = {}
        for row in columns.parse_rows(table, self.columns, plan, scope=scope):
            values = row.values
            if not row.ok:
                continue
            try:
                number = str(numbers.parse(values["number"]))
            except ValidationError as error:
                plan.error(row.number, TITLES["number"], " ".join(error.messages))
                continue
            classification = values["classification"] or Classification.NORMAL
            if classification == Classification.SECRET and values["summary"]:
                plan.error(
                    row.number,
                    TITLES["summary"],
                    _("Văn bản mật chỉ được đăng ký số và trích yếu."),
                )
                continue
            organization = row.found["organization"]
            key = (organization.pk, number, values["issued_on"].year)
            if key in seen:
                plan.error(
                    row.number,
                    TITLES["number"],
                    _("Số %(number)s trùng với dòng %(row)s.")
                    % {"number": number, "row": seen[key]},
                )
                continue
            seen[key] = row.number
            items.append(
                PlannedDocument(
                    row.number,
                    organization,
                    number,
                    values["issued_on"],
                    values["title"],
                    classification,
                    values["summary"],
                )
            )
        existing = {
            (d.organization_id, d.number, d.year): d
            for d in Document.objects.filter(
                organization_id__in={i.organization.pk for i in items},
                number__in={i.number for i in items},
            )
        }
        for item in items:
            found = existing.get((item.organization.pk, item.number, item.issued_on.year))
            if found is None:
                plan.items.append(item)
            elif found.title == item.title and found.issued_on == item.issued_on:
                plan.unchanged += 1
            else:
                plan.error(
                    item.row,
                    TITLES["number"],
                    _("%(number)s năm %(year)s đã đăng ký với trích yếu hoặc ngày khác.")
                    % {"number": item.number, "year": item.issued_on.year},
                )
        plan.created = len(plan.items)
        plan.samples = [
            [str(i.row), i.organization.code, i.number, vn_date(i.issued_on), i.title[:60]]
            for i in plan.items[:20]
        ]
        return plan

    def apply(self, plan: Plan, *, by=None, progress: Progress | None = None) -> None:
        total = len(plan.items)
        for done, item in enumerate(plan.items, start=1):
            try:
                services.document_register(
                    organization=item.organization,
                    number=item.number,
                    issued_on=item.issued_on,
                    title=item.title,
                    summary=item.summary,
                    classification=item.classification,
                    by=by,
                )
            except ValidationError as error:
                raise ImportFailed([RowError(item.row, "", " ".join(error.messages))]) from error
            if progress:
                progress(done, total)
