"""The briefing as DOCX in the Party's administrative layout (`tochuc.lib.documents`)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from tochuc.lib import documents
from tochuc.organizations.selectors import version_of
from tochuc.reports.heading import heading_fields
from tochuc.reports.numbers import vn_int

from .models import Briefing


def briefing_document(*, briefing: Briefing) -> bytes:
    organization = briefing.organization
    on = briefing.issued_at.date() if briefing.issued_at else timezone.localdate()
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
            title=_("kết quả công tác tổ chức xây dựng Đảng tháng %(m)s, nhiệm vụ tháng tới")
            % {"m": f"{briefing.month:%m/%Y}"},
        )
    )
    for line in briefing.text.splitlines():
        if line.strip():
            documents.docx_paragraph(
                document, line, bold=line[:4].strip(".").isupper() and not line.startswith("-")
            )
    documents.docx_paragraph(document, _("PHỤ LỤC: SỐ LIỆU TRONG THÁNG"), bold=True, indent=False)
    for report in briefing.figures:
        for table in report.get("tables", []):
            documents.docx_paragraph(
                document, f"{report['title']} — {table['title']}", bold=True, indent=False
            )
            grid = document.add_table(rows=1, cols=2)
            grid.style = "Table Grid"
            grid.rows[0].cells[0].text, grid.rows[0].cells[1].text = "", table["column"]
            for label, value in [*table["rows"], [_("Cộng"), table["total"]]]:
                if value is None:
                    continue
                cells = grid.add_row().cells
                cells[0].text, cells[1].text = str(label), vn_int(value)
    documents.docx_signature(document, _("T/M Ban Thường vụ"), _("Bí thư"), "")
    documents.docx_recipients(document, [_("Như trên"), _("Lưu văn phòng")])
    return documents.docx_bytes(document)
