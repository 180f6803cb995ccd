"""The admission decision and the confirmation decision as DOCX, in the Party's
administrative layout (`tochuc.lib.documents`). Before the decision is recorded, the
document is a draft (dự thảo) with the number left blank, for the committee to sign."""

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from docx.enum.text import WD_ALIGN_PARAGRAPH

from tochuc.accounts.permissions import EXPORT
from tochuc.core import audit
from tochuc.core.pages import DOCX_TYPE, download
from tochuc.lib import documents
from tochuc.lib.dates import vn_date
from tochuc.members.models import Member
from tochuc.organizations.models import Organization
from tochuc.policy.rules import policy_for

from . import selectors
from .models import Candidate, ConfirmationCase
from .views import candidate_view, probation_view

CENTER = WD_ALIGN_PARAGRAPH.CENTER
BLANK_NUMBER = "Số       -QĐ/ĐU"


def issuer_of(cell: Organization) -> tuple[str, str, str]:
    """(superior, issuer, place) for a decision on a member of `cell`: the committee of the
    organization above the grassroots (that decides admissions), and its superior."""
    chain = []
    org = cell
    while org is not None:
        chain.append(org)
        org = org.parent
    grassroots = next((o for o in chain if o.is_grassroots), cell)
    deciding = grassroots.parent or grassroots
    superior = deciding.parent
    place = deciding.name.split(" ", 3)[-1] if deciding.name.count(" ") >= 3 else deciding.name
    issuer = _("Ban Thường vụ %(name)s") % {"name": deciding.name.replace("Đảng bộ", "Đảng ủy")}
    return (superior.name if superior else "", issuer, place)


def _heading(cell, number, on, title) -> documents.Heading:
    superior, issuer, place = issuer_of(cell)
    return documents.Heading(
        issuer_parent=superior,
        issuer=issuer,
        number=f"Số {number}" if number else BLANK_NUMBER,
        place=place,
        on=on,
        kind=_("QUYẾT ĐỊNH"),
        title=title,
    )


def _response(data: bytes, filename: str) -> HttpResponse:
    return download(data, filename, DOCX_TYPE)


def admission_decision_docx(candidate: Candidate) -> bytes:
    on = candidate.decided_on or timezone.localdate()
    heading = _heading(candidate.cell, candidate.decision_no, on, _("về việc kết nạp đảng viên"))
    doc = documents.docx_document(heading)
    _superior, issuer, _place = issuer_of(candidate.cell)
    p = documents.docx_paragraph
    p(doc, issuer.upper(), bold=True, indent=False, align=CENTER)
    p(doc, _("- Căn cứ Điều lệ Đảng Cộng sản Việt Nam và các quy định, hướng dẫn thi hành;"))
    p(
        doc,
        _(
            "- Xét nghị quyết số %(no)s ngày %(day)s của %(cell)s đề nghị kết nạp đảng viên "
            "(%(votes)s/%(full)s đảng viên chính thức tán thành);"
        )
        % {
            "no": candidate.cell_resolution_no or "…",
            "day": vn_date(candidate.cell_resolved_on),
            "cell": candidate.cell.name,
            "votes": candidate.votes_for or "…",
            "full": candidate.cell_full_members or "…",
        },
    )
    if candidate.committee_resolution_no:
        p(
            doc,
            _("- Xét nghị quyết số %(no)s ngày %(day)s của đảng ủy cơ sở;")
            % {
                "no": candidate.committee_resolution_no,
                "day": vn_date(candidate.committee_resolved_on),
            },
        )
    p(doc, _("QUYẾT ĐỊNH"), bold=True, indent=False, align=CENTER)
    p(
        doc,
        _(
            "Điều 1. Kết nạp %(title)s %(name)s, sinh ngày %(birth)s, quê quán %(home)s, "
            "vào Đảng Cộng sản Việt Nam; sinh hoạt tại %(cell)s."
        )
        % {
            "title": _("đồng chí"),
            "name": candidate.full_name,
            "birth": vn_date(candidate.birth_date),
            "home": candidate.hometown or "…",
            "cell": candidate.cell.name,
        },
    )
    p(
        doc,
        _(
            "Điều 2. Thời gian dự bị %(months)s tháng kể từ ngày tổ chức lễ kết nạp. Chi bộ "
            "tổ chức lễ kết nạp trong thời hạn quy định."
        )
        % {"months": policy_for(on).probation_months},
    )
    p(
        doc,
        _("Điều 3. Chi bộ, đảng ủy cơ sở và đồng chí có tên tại Điều 1 thi hành quyết định này."),
    )
    documents.docx_signature(doc, _("T/M Ban Thường vụ"), _("Bí thư"), "")
    documents.docx_recipients(doc, [_("Như Điều 3"), _("Lưu hồ sơ đảng viên")])
    return documents.docx_bytes(doc)


def confirmation_decision_docx(member: Member, case: ConfirmationCase | None) -> bytes:
    ends = case.probation_ends_on if case else selectors.probation_end(member)
    on = case.decided_on if case and case.decided_on else timezone.localdate()
    heading = _heading(
        member.organization,
        case.decision_no if case else "",
        on,
        _("về việc công nhận đảng viên chính thức"),
    )
    doc = documents.docx_document(heading)
    _superior, issuer, _place = issuer_of(member.organization)
    p = documents.docx_paragraph
    p(doc, issuer.upper(), bold=True, indent=False, align=CENTER)
    p(doc, _("- Căn cứ Điều lệ Đảng Cộng sản Việt Nam và các quy định, hướng dẫn thi hành;"))
    if case and case.proposed_on:
        vote = case.votes.filter(passed=True).last()
        p(
            doc,
            _(
                "- Xét nghị quyết ngày %(day)s của %(cell)s (%(votes)s/%(full)s đảng viên "
                "chính thức tán thành);"
            )
            % {
                "day": vn_date(case.proposed_on),
                "cell": member.organization.name,
                "votes": vote.votes_for if vote else "…",
                "full": vote.full_members if vote else "…",
            },
        )
    p(doc, _("QUYẾT ĐỊNH"), bold=True, indent=False, align=CENTER)
    p(
        doc,
        _(
            "Điều 1. Công nhận đồng chí %(name)s, sinh ngày %(birth)s, vào Đảng ngày "
            "%(ceremony)s, là đảng viên chính thức kể từ ngày %(ends)s."
        )
        % {
            "name": member.full_name,
            "birth": vn_date(member.birth_date),
            "ceremony": vn_date(member.ceremony_on or member.admitted_on),
            "ends": vn_date(ends),
        },
    )
    p(
        doc,
        _("Điều 2. %(cell)s và đồng chí có tên tại Điều 1 thi hành quyết định này.")
        % {"cell": member.organization.name},
    )
    documents.docx_signature(doc, _("T/M Ban Thường vụ"), _("Bí thư"), "")
    documents.docx_recipients(doc, [_("Như Điều 2"), _("Lưu hồ sơ đảng viên")])
    return documents.docx_bytes(doc)


@candidate_view(EXPORT)
def admission_decision(request, candidate):
    data = admission_decision_docx(candidate)
    audit.record("tochuc.admission.decision_printed", by=request.user, obj=candidate)
    return _response(data, f"quyet-dinh-ket-nap-{candidate.pk}.docx")


@probation_view(EXPORT)
def confirmation_decision(request, member):
    case = selectors.confirmation_case(member=member)
    data = confirmation_decision_docx(member, case)
    audit.record("tochuc.confirmation.decision_printed", by=request.user, obj=member)
    return _response(data, f"quyet-dinh-cong-nhan-chinh-thuc-{member.pk}.docx")
