"""The planning list of one position for a term as DOCX, in the Party's administrative layout
(`tochuc.lib.documents`): the heading of the committee, the list with the criteria checked."""

from datetime import date

from django.utils.translation import gettext as _

from tochuc.lib import documents
from tochuc.lib.dates import vn_date

COLUMNS = ("STT", "Họ và tên", "Ngày sinh", "Lý luận chính trị", "Nghỉ hưu từ", "Tiêu chuẩn")


def planning_document(*, position, term: int, planned, on: date) -> bytes:
    from tochuc.organizations.selectors import version_of
    from tochuc.reports.heading import heading_fields

    committee = position.committee
    version = version_of(organization=committee, on=on) or (
        committee.versions.order_by("-valid_from").first()
    )
    head = heading_fields(version, on)
    document = documents.docx_document(documents.Heading(
        issuer_parent=head["issuer_parent"], issuer=head["issuer"], number="Số       -DS/TU",
        place=head["place"], on=on, kind=_("DANH SÁCH"),
        title=_("cán bộ quy hoạch chức danh %(title)s, nhiệm kỳ %(term)s")
        % {"title": position.title, "term": f"{term}–{term + 5}"},
    ))  # fmt: skip
    grid = document.add_table(rows=1, cols=len(COLUMNS))
    grid.style = "Table Grid"
    for cell, title in zip(grid.rows[0].cells, COLUMNS, strict=True):
        cell.text = _(title)
    for number, p in enumerate(planned, start=1):
        cadre = p.entry.cadre
        values = (
            str(number), cadre.full_name, vn_date(cadre.birth_date),
            cadre.get_political_theory_display() if cadre.political_theory else "",
            vn_date(p.retires_on), " ".join(p.failures) if p.failures else _("Đạt"),
        )  # fmt: skip
        for cell, value in zip(grid.add_row().cells, values, strict=True):
            cell.text = value
    documents.docx_paragraph(
        document, _("Có %(n)s đồng chí trong quy hoạch, %(bad)s đồng chí không còn đủ tiêu "
                    "chuẩn.") % {"n": len(planned), "bad": sum(not p.meets for p in planned)},
    )  # fmt: skip
    documents.docx_signature(document, _("T/M Ban Thường vụ"), _("Bí thư"), "")
    documents.docx_recipients(document, [_("Ban Tổ chức"), _("Lưu văn phòng")])
    return documents.docx_bytes(document)


def appointment_document(*, appointment, on: date) -> bytes:
    """The decision of an appointment or re-appointment (QUYẾT ĐỊNH về việc bổ nhiệm cán bộ)."""
    from tochuc.organizations.selectors import version_of
    from tochuc.policy.rules import policy_for
    from tochuc.reports.heading import heading_fields

    cadre, position = appointment.cadre, appointment.position
    committee = cadre.committee
    version = version_of(organization=committee, on=appointment.decided_on) or (
        committee.versions.order_by("-valid_from").first()
    )
    head = heading_fields(version, appointment.decided_on)
    again = appointment.kind == "again"
    document = documents.docx_document(documents.Heading(
        issuer_parent=head["issuer_parent"], issuer=head["issuer"],
        number=f"Số {appointment.decision_no}", place=head["place"], on=appointment.decided_on,
        kind=_("QUYẾT ĐỊNH"),
        title=_("về việc bổ nhiệm lại cán bộ") if again else _("về việc bổ nhiệm cán bộ"),
    ))  # fmt: skip
    policy = policy_for(appointment.starts_on)
    documents.docx_paragraph(
        document, _("Căn cứ %(source)s;") % {"source": policy.appointment_source}
    )
    documents.docx_paragraph(document, _("Xét đề nghị của Ban Tổ chức,"))
    documents.docx_paragraph(document, _("QUYẾT ĐỊNH"), bold=True, indent=False,
                             align=documents.WD_ALIGN_PARAGRAPH.CENTER)  # fmt: skip
    documents.docx_paragraph(
        document,
        _(
            "Điều 1. %(verb)s đồng chí %(name)s, sinh ngày %(born)s, giữ chức vụ %(title)s, "
            "%(place)s, kể từ ngày %(start)s. Thời hạn bổ nhiệm đến ngày %(end)s."
        )
        % {
            "verb": _("Bổ nhiệm lại") if again else _("Bổ nhiệm"),
            "name": cadre.full_name,
            "born": vn_date(cadre.birth_date),
            "title": position.title,
            "place": position.place,
            "start": vn_date(appointment.starts_on),
            "end": vn_date(appointment.term_ends_on),
        },
    )
    documents.docx_paragraph(document, _(
        "Điều 2. Các cơ quan, đơn vị có liên quan và đồng chí %(name)s căn cứ quyết định thi "
        "hành."
    ) % {"name": cadre.full_name})  # fmt: skip
    documents.docx_signature(document, _("T/M Ban Thường vụ"), _("Bí thư"), "")
    documents.docx_recipients(document, [_("Như Điều 2"), _("Lưu văn phòng, hồ sơ cán bộ")])
    return documents.docx_bytes(document)
