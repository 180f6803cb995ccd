"""The commendation proposal (tờ trình đề nghị khen thưởng: the organizations and members
rated "hoàn thành xuất sắc nhiệm vụ" in every year of a period and not yet commended) and
the commendation decision (quyết định khen thưởng: the commendations recorded under one
decision number), as DOCX in the Party's layout, with the helpers the badge documents use
(`tochuc.lib.documents`, `awards.documents`)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from tochuc.accounts.access import organization_view
from tochuc.accounts.permissions import EXPORT
from tochuc.core import audit
from tochuc.core.pages import DOCX_TYPE, download
from tochuc.lib import documents
from tochuc.lib.dates import parse_query_year

from . import selectors
from .documents import heading_fields
from .models import RecipientKind


def _grid(document, titles: list[str], rows: list[list[str]], weights: list[float]) -> None:
    grid = document.add_table(rows=1, cols=len(titles))
    grid.style = "Table Grid"
    for cell, title in zip(grid.rows[0].cells, titles, strict=True):
        cell.text = title
    for values in rows:
        for cell, value in zip(grid.add_row().cells, values, strict=True):
            cell.text = value
    documents.docx_fit_table(document, grid, weights)


def _years(year_from: int, year_to: int) -> str:
    return str(year_from) if year_from == year_to else f"{year_from}–{year_to}"


def proposal_document(*, organization, candidates, year_from: int, year_to: int, on: date) -> bytes:
    """The proposal to the level above: one table of organizations, one of members."""
    head = heading_fields(organization, on)
    years = _years(year_from, year_to)
    document = documents.docx_document(
        documents.Heading(
            issuer_parent=head["issuer_parent"],
            issuer=head["issuer"],
            number=_("Số       -TTr/ĐU"),
            place=head["place"],
            on=on,
            kind=_("TỜ TRÌNH"),
            title=_("đề nghị khen thưởng tổ chức đảng và đảng viên hoàn thành xuất sắc "
                    "nhiệm vụ năm %(years)s") % {"years": years},
        )
    )  # fmt: skip
    achievement = _("Hoàn thành xuất sắc nhiệm vụ %(y)s") % {"y": years}
    organizations = [c for c in candidates if c.kind == RecipientKind.ORGANIZATION]
    members = [c for c in candidates if c.kind == RecipientKind.MEMBER]
    documents.docx_paragraph(
        document,
        _(
            "Căn cứ kết quả đánh giá, xếp loại chất lượng tổ chức đảng và đảng viên năm "
            "%(years)s, %(issuer)s đề nghị cấp trên xét khen thưởng %(orgs)s tổ chức đảng và "
            "%(members)s đảng viên đã hoàn thành xuất sắc nhiệm vụ %(span)s, có danh sách "
            "kèm theo."
        )
        % {
            "years": years,
            "issuer": head["committee"],
            "orgs": len(organizations),
            "members": len(members),
            "span": _("năm %(y)s") % {"y": years}
            if year_from == year_to
            else _("trong các năm %(y)s") % {"y": years},
        },
    )
    if organizations:
        documents.docx_paragraph(document, _("I. Tổ chức đảng"), bold=True)
        _grid(
            document,
            [_("STT"), _("Tên tổ chức đảng"), _("Thành tích")],
            [
                [str(n), c.organization.name, achievement]
                for n, c in enumerate(organizations, start=1)
            ],
            [0.6, 6, 5],
        )
    if members:
        documents.docx_paragraph(document, _("II. Đảng viên"), bold=True)
        _grid(
            document,
            [_("STT"), _("Họ và tên"), _("Năm sinh"), _("Nơi sinh hoạt"), _("Thành tích")],
            [
                [
                    str(n),
                    c.member.full_name,
                    str(c.member.birth_date.year),
                    c.member.organization.name,
                    achievement,
                ]
                for n, c in enumerate(members, start=1)
            ],  # fmt: skip
            [0.6, 3.2, 1, 3.4, 3.4],
        )
    documents.docx_signature(document, _("T/M Ban Thường vụ"), _("Bí thư"), "")
    documents.docx_recipients(document, [_("Như trên"), _("Lưu văn phòng")])
    return documents.docx_bytes(document)


def decision_document(*, organization, decision_no: str, records) -> bytes:
    """The decision: what it gives, to whom, for what; the list of those commended."""
    first = records[0]
    head = heading_fields(organization, first.decided_on)
    forms = sorted({r.get_form_display() for r in records})
    document = documents.docx_document(
        documents.Heading(
            issuer_parent=head["issuer_parent"],
            issuer=head["issuer"],
            number=_("Số %(no)s") % {"no": decision_no},
            place=head["place"],
            on=first.decided_on,
            kind=_("QUYẾT ĐỊNH"),
            title=_("khen thưởng %(forms)s") % {"forms": ", ".join(forms).lower()},
        )
    )
    count = {kind: sum(1 for r in records if r.recipient_kind == kind) for kind in RecipientKind}
    documents.docx_paragraph(
        document,
        _(
            "Điều 1. %(issuer)s tặng %(forms)s cho %(orgs)s tổ chức đảng, %(members)s đảng viên "
            "và %(persons)s cá nhân có tên trong danh sách kèm theo, vì đã có thành tích như "
            "đã nêu."
        )
        % {
            "issuer": first.issuer,
            "forms": ", ".join(forms),
            "orgs": count[RecipientKind.ORGANIZATION],
            "members": count[RecipientKind.MEMBER],
            "persons": count[RecipientKind.PERSON],
        },
    )
    documents.docx_paragraph(
        document,
        _(
            "Điều 2. Các cơ quan, tổ chức đảng có liên quan và các tổ chức, cá nhân có tên "
            "trong danh sách chịu trách nhiệm thi hành quyết định này."
        ),
    )
    _grid(
        document,
        [_("STT"), _("Hình thức"), _("Tên"), _("Chức vụ, đơn vị"), _("Thành tích"), _("Năm")],
        [
            [
                str(n),
                r.get_form_display(),
                r.recipient_name,
                r.recipient_detail,
                r.reason or r.get_reason_kind_display(),
                r.years_label,
            ]
            for n, r in enumerate(records, start=1)
        ],  # fmt: skip
        [0.6, 2.4, 3, 2.6, 3.4, 1.2],
    )
    documents.docx_signature(document, _("T/M Ban Thường vụ"), _("Bí thư"), "")
    documents.docx_recipients(document, [_("Như Điều 2"), _("Lưu văn phòng")])
    return documents.docx_bytes(document)


def _year_span(request) -> tuple[int, int]:
    this_year = timezone.localdate().year
    try:
        year_to = parse_query_year(request.GET.get("den_nam")) or this_year - 1
        year_from = parse_query_year(request.GET.get("tu_nam")) or year_to
    except ValidationError:
        year_from = year_to = this_year - 1
    return min(year_from, year_to), max(year_from, year_to)


@organization_view(EXPORT)
def proposal_docx(request, organization):
    year_from, year_to = _year_span(request)
    rows = selectors.candidates(
        scope=request.scope, organization=organization, year_from=year_from, year_to=year_to
    )
    proposed = [c for c in rows if not c.already]
    data = proposal_document(
        organization=organization, candidates=proposed, year_from=year_from, year_to=year_to,
        on=timezone.localdate(),
    )  # fmt: skip
    audit.record(
        "tochuc.commendation.document_exported", by=request.user, obj=organization,
        kind="proposal", year_from=year_from, year_to=year_to, count=len(proposed),
    )  # fmt: skip
    return download(
        data, f"to-trinh-khen-thuong-{organization.code}-{_years(year_from, year_to)}.docx",
        DOCX_TYPE,
    )  # fmt: skip


@organization_view(EXPORT)
def decision_docx(request, organization):
    decision_no = request.GET.get("so", "").strip()
    records = list(
        selectors.commendation_list(
            scope=request.scope, organization=organization,
            filters=selectors.CommendationFilters(),
        ).filter(decision_no=decision_no, authority=organization)
        .order_by("form", "recipient_kind", "recipient_name", "id")
    ) if decision_no else []  # fmt: skip
    if not records:
        raise Http404
    data = decision_document(organization=organization, decision_no=decision_no, records=records)
    audit.record(
        "tochuc.commendation.document_exported", by=request.user, obj=organization,
        kind="decision", decision_no=decision_no, count=len(records),
    )  # fmt: skip
    return download(data, f"quyet-dinh-khen-thuong-{organization.code}.docx", DOCX_TYPE)
