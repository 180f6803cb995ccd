"""The period's summary as DOCX in the Party's layout (`tochuc.lib.documents`): the report
"kết quả công tác kiểm tra, giám sát và thi hành kỷ luật", its sentences and tables."""

from django.utils import timezone
from django.utils.translation import gettext as _
from docx.enum.text import WD_ALIGN_PARAGRAPH

from tochuc.accounts.access import organization_view
from tochuc.accounts.permissions import EXPORT
from tochuc.core import audit
from tochuc.core.pages import DOCX_TYPE, download
from tochuc.lib import documents
from tochuc.reports.numbers import vn_int

from . import selectors
from .reports import period_from, sentences, tables


def summary_document(*, organization, period, counts, on) -> bytes:
    from tochuc.organizations.selectors import version_of
    from tochuc.reports.heading import heading_fields

    version = version_of(organization=organization, on=on) or (
        organization.versions.order_by("-valid_from").first()
    )
    head = heading_fields(version, on)
    document = documents.docx_document(
        documents.Heading(
            issuer_parent=head["issuer_parent"],
            issuer=head["issuer"],
            number="Số       -BC/ĐU",
            place=head["place"],
            on=on,
            kind=_("BÁO CÁO"),
            title=_("kết quả công tác kiểm tra, giám sát và thi hành kỷ luật đảng, %(period)s")
            % {"period": period.label().lower()},
        )
    )
    for paragraph in sentences(counts, period):
        documents.docx_paragraph(document, paragraph)
    for table in tables(counts):
        documents.docx_paragraph(document, table.title, bold=True, indent=False)
        grid = document.add_table(rows=1, cols=len(table.columns))
        grid.style = "Table Grid"
        for cell, column in zip(grid.rows[0].cells, table.columns, strict=True):
            cell.text = column.title
        lines = [*table.rows, table.totals]
        for line in lines:
            cells = grid.add_row().cells
            for cell, column in zip(cells, table.columns, strict=True):
                value = line.get(column.key)
                cell.text = str(value) if column.type == "text" else vn_int(value)
                if column.type != "text":
                    cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        if table.note:
            documents.docx_paragraph(document, table.note, italic=True, indent=False)
    documents.docx_signature(document, _("T/M Ban Thường vụ"), _("Bí thư"), "")
    documents.docx_recipients(document, [_("Như trên"), _("Lưu văn phòng")])
    return documents.docx_bytes(document)


@organization_view(EXPORT)
def summary_docx(request, organization):
    period, _error = period_from(request)
    counts = selectors.period_counts(
        scope=request.scope, organization=organization, start=period.start, end=period.end
    )
    on = min(period.end, timezone.localdate())
    data = summary_document(organization=organization, period=period, counts=counts, on=on)
    audit.record(
        "tochuc.inspection.summary_exported", by=request.user, obj=organization,
        start=period.start, end=period.end,
    )  # fmt: skip
    filename = f"bao-cao-kiem-tra-giam-sat-{organization.code}-{period.end:%Y-%m-%d}.docx"
    return download(data, filename, DOCX_TYPE)
