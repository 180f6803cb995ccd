"""The proposal list (tờ trình) and the decision (quyết định) awarding Party badges, as DOCX
in the Party's layout (`tochuc.lib.documents`): the heading, the sentences, the table of
members, the signature and the recipients."""

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from tochuc.accounts.access import organization_view
from tochuc.accounts.permissions import EXPORT
from tochuc.core import audit
from tochuc.core.pages import DOCX_TYPE, download
from tochuc.lib import documents
from tochuc.lib.dates import vn_date
from tochuc.reports.numbers import vn_int

from . import selectors
from .models import Stage
from .views import occasion_from


def heading_fields(organization, on: date) -> dict[str, str]:
    from tochuc.organizations.selectors import version_of
    from tochuc.reports.heading import committee_name
    from tochuc.reports.heading import heading_fields as fields_of

    version = version_of(organization=organization, on=on) or (
        organization.versions.order_by("-valid_from").first()
    )
    # `committee`: the issuer's name as a sentence says it (the heading's is in capitals).
    return {**fields_of(version, on), "committee": committee_name(version)}


def _table(document, cases, *, with_decision: bool) -> None:
    titles = [
        _("STT"),
        _("Họ và tên"),
        _("Năm sinh"),
        _("Nơi sinh hoạt"),
        _("Ngày vào Đảng"),
        _("Huy hiệu"),
        _("Diện"),
    ]
    if with_decision:
        titles.append(_("Tiền thưởng (đồng)"))
    grid = document.add_table(rows=1, cols=len(titles))
    grid.style = "Table Grid"
    for cell, title in zip(grid.rows[0].cells, titles, strict=True):
        cell.text = title
    for number, case in enumerate(cases, start=1):
        member = case.member
        values = [
            str(number),
            member.full_name,
            str(member.birth_date.year),
            member.organization.name,
            vn_date(member.admitted_on),
            _("%(years)s năm") % {"years": case.milestone},
            case.get_early_display(),
        ]
        if with_decision:
            values.append(vn_int(case.gift_amount or 0))
        for cell, value in zip(grid.add_row().cells, values, strict=True):
            cell.text = value
    documents.docx_fit_table(
        document, grid, [0.6, 3, 1, 3, 1.5, 1.2, 1.6, *([1.8] * with_decision)]
    )


def proposal_document(*, organization, occasion: date, cases, on: date) -> bytes:
    head = heading_fields(organization, on)
    numbers = sorted({c.proposal_no for c in cases})
    document = documents.docx_document(
        documents.Heading(
            issuer_parent=head["issuer_parent"],
            issuer=head["issuer"],
            number=_("Số %(no)s") % {"no": ", ".join(numbers) or "      -TTr/ĐU"},
            place=head["place"],
            on=on,
            kind=_("TỜ TRÌNH"),
            title=_("đề nghị tặng Huy hiệu Đảng đợt %(day)s") % {"day": vn_date(occasion)},
        )
    )
    by_milestone = {}
    for case in cases:
        by_milestone[case.milestone] = by_milestone.get(case.milestone, 0) + 1
    parts = ", ".join(
        _("%(n)s đồng chí %(years)s năm tuổi Đảng") % {"n": n, "years": years}
        for years, n in sorted(by_milestone.items())
    )
    documents.docx_paragraph(
        document,
        _(
            "Căn cứ quy định về xét tặng Huy hiệu Đảng, %(issuer)s đề nghị cấp trên xét tặng Huy "
            "hiệu Đảng đợt %(day)s cho %(total)s đồng chí (%(parts)s), có danh sách kèm theo."
        )
        % {
            "issuer": head["committee"],
            "day": vn_date(occasion),
            "total": len(cases),
            "parts": parts,
        },
    )
    early = [c for c in cases if c.early]
    for case in early:
        documents.docx_paragraph(
            document,
            _("Đồng chí %(name)s — %(kind)s: %(grounds)s")
            % {
                "name": case.member.full_name,
                "kind": case.get_early_display().lower(),
                "grounds": case.grounds,
            },
        )
    _table(document, cases, with_decision=False)
    documents.docx_signature(document, _("T/M Ban Thường vụ"), _("Bí thư"), "")
    documents.docx_recipients(document, [_("Như trên"), _("Lưu văn phòng")])
    return documents.docx_bytes(document)


def decision_document(*, organization, decision_no: str, cases, on: date) -> bytes:
    head = heading_fields(organization, on)
    issuer = cases[0].issuer if cases else head["issuer"]
    document = documents.docx_document(
        documents.Heading(
            issuer_parent=head["issuer_parent"],
            issuer=head["issuer"],
            number=_("Số %(no)s") % {"no": decision_no},
            place=head["place"],
            on=on,
            kind=_("QUYẾT ĐỊNH"),
            title=_("tặng Huy hiệu Đảng"),
        )
    )
    total = sum(c.gift_amount or 0 for c in cases)
    documents.docx_paragraph(
        document,
        _(
            "%(issuer)s quyết định tặng Huy hiệu Đảng cho %(n)s đồng chí có tên trong danh sách "
            "kèm theo. Tiền thưởng kèm Huy hiệu theo mức lương cơ sở hiện hành, tổng cộng "
            "%(total)s đồng."
        )
        % {"issuer": issuer, "n": len(cases), "total": vn_int(total)},
    )
    documents.docx_paragraph(
        document,
        _(
            "Các cơ quan, tổ chức đảng có liên quan và các đồng chí có tên trong danh sách "
            "chịu trách nhiệm thi hành quyết định này."
        ),
    )
    _table(document, cases, with_decision=True)
    documents.docx_signature(document, _("T/M Ban Thường vụ"), _("Bí thư"), "")
    documents.docx_recipients(document, [_("Như Điều 2"), _("Lưu văn phòng")])
    return documents.docx_bytes(document)


@organization_view(EXPORT)
def proposal_docx(request, organization):
    occasion, _error = occasion_from(request)
    cases = list(
        selectors.badge_cases(scope=request.scope, organization=organization, occasion=occasion)
        .exclude(stage=Stage.WITHDRAWN)
        .order_by("member__name_sort", "id")
    )
    on = min(
        timezone.localdate(), max((c.proposed_on for c in cases), default=timezone.localdate())
    )
    data = proposal_document(organization=organization, occasion=occasion, cases=cases, on=on)
    audit.record(
        "tochuc.badge.document_exported",
        by=request.user,
        obj=organization,
        occasion=occasion,
        count=len(cases),
        kind="proposal",
    )
    return download(
        data, f"to-trinh-huy-hieu-{organization.code}-{occasion:%Y-%m-%d}.docx", DOCX_TYPE
    )


@organization_view(EXPORT)
def decision_docx(request, organization):
    occasion, _error = occasion_from(request)
    decision_no = request.GET.get("so", "").strip()
    qs = selectors.badge_cases(scope=request.scope, organization=organization, occasion=occasion)
    qs = qs.filter(stage__in=(Stage.DECIDED, Stage.AWARDED, Stage.RETURNED)).exclude(decision_no="")
    if decision_no:
        qs = qs.filter(decision_no=decision_no)
    cases = list(qs.order_by("member__name_sort", "id"))
    decision_no = decision_no or (cases[0].decision_no if cases else "      -QĐ/TU")
    on = cases[0].decided_on if cases else timezone.localdate()
    data = decision_document(organization=organization, decision_no=decision_no, cases=cases, on=on)
    audit.record(
        "tochuc.badge.document_exported",
        by=request.user,
        obj=organization,
        occasion=occasion,
        count=len(cases),
        kind="decision",
    )
    return download(
        data, f"quyet-dinh-huy-hieu-{organization.code}-{occasion:%Y-%m-%d}.docx", DOCX_TYPE
    )
