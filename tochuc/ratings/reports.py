"""Exports: a session's results (XLSX: per organization, members, organizations, screening;
DOCX: the summary report in the Party's layout), the votes of confidence (XLSX)."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.accounts.access import organization_view
from tochuc.accounts.permissions import EXPORT
from tochuc.core import audit
from tochuc.core.pages import (
    DATE,
    DOCX_TYPE,
    INT,
    PERCENT,
    TEXT,
    XLSX_TYPE,
    Col,
    Sheet,
    download,
    export_response,
    workbook,
)
from tochuc.lib import documents
from tochuc.organizations.models import Organization
from tochuc.reports.numbers import vn_int, vn_percent

from . import selectors
from .models import LEVEL_ORDER, SHORT_LABELS, Level, PeriodKind, SubjectKind
from .views import _year, session_param


def _percent(value) -> float | None:
    """A share in percent (35,29) as the fraction a percent cell holds (0,3529)."""
    return float(value / 100) if value is not None else None


def level_columns() -> list[Col]:
    columns = []
    for level in LEVEL_ORDER:
        columns += [
            Col(SHORT_LABELS[level], INT, 12),
            Col(_("%s (%%)") % SHORT_LABELS[level], PERCENT, 10, digits=2),
        ]
    return columns


def count_rows(rows, total):
    for number, counts in enumerate(rows, start=1):
        yield [number, counts.label, counts.subjects, counts.decided,
               *[v for n, p in counts.cells() for v in (n, _percent(p))]]  # fmt: skip
    yield ["", _("Tổng cộng"), total.subjects, total.decided,
           *[v for n, p in total.cells() for v in (n, _percent(p))]]  # fmt: skip


def _level(value: str) -> str:
    return str(Level(value).label) if value else ""


def results_workbook(*, scope, organization: Organization, session) -> bytes:
    found = selectors.results(scope=scope, organization=organization, session=session)
    head = [
        Col(_("STT"), INT, 6),
        Col(_("Tổ chức"), TEXT, 45),
        Col(_("Số được đánh giá"), INT, 12),
        Col(_("Đã xếp loại"), INT, 12),
        *level_columns(),
    ]
    subjects = (
        list(selectors.subject_list(session=session, organization=organization)) if session else []
    )
    flagged = (
        selectors.flagged_member_ids(session=session, organization=organization)
        if session
        else set()
    )
    member_rows = [
        [n, s.name, s.organization.name, s.self_score, _level(s.self_level),
         _level(s.proposed_level), _level(s.final_level), s.decision_no, s.decided_on,
         _("Có") if s.member_id in flagged else ""]
        for n, s in enumerate((s for s in subjects if s.kind == SubjectKind.MEMBER), start=1)
    ]  # fmt: skip
    org_rows = [
        [n, s.name, s.self_score, _level(s.self_level), _level(s.proposed_level),
         _level(s.final_level), s.decision_no, s.decided_on]
        for n, s in enumerate((s for s in subjects if s.kind == SubjectKind.ORGANIZATION), start=1)
    ]  # fmt: skip
    for row in member_rows + org_rows:
        for i, value in enumerate(row):
            if hasattr(value, "as_tuple"):  # Decimal → number
                row[i] = float(value)
    return workbook(
        [
            Sheet(_("Đảng viên theo tổ chức"), head,
                  count_rows(found.members, found.members_total)),
            Sheet(_("Tổ chức đảng"), head,
                  count_rows(found.organizations, found.organizations_total)),
            Sheet(
                _("Danh sách đảng viên"),
                [Col(_("STT"), INT, 6), Col(_("Họ và tên"), TEXT, 30),
                 Col(_("Chi bộ"), TEXT, 35), Col(_("Điểm tự chấm"), TEXT, 10),
                 Col(_("Tự xếp loại"), TEXT, 28), Col(_("Chi bộ đề xuất"), TEXT, 28),
                 Col(_("Cấp ủy quyết định"), TEXT, 28), Col(_("Số quyết định"), TEXT, 16),
                 Col(_("Ngày quyết định"), DATE, 14),
                 Col(_("Hai năm liền không hoàn thành"), TEXT, 14)],
                member_rows,
            ),
            Sheet(
                _("Danh sách tổ chức đảng"),
                [Col(_("STT"), INT, 6), Col(_("Tổ chức"), TEXT, 45),
                 Col(_("Điểm tự chấm"), TEXT, 10), Col(_("Tự xếp loại"), TEXT, 28),
                 Col(_("Đề xuất"), TEXT, 28), Col(_("Cấp ủy quyết định"), TEXT, 28),
                 Col(_("Số quyết định"), TEXT, 16), Col(_("Ngày quyết định"), DATE, 14)],
                org_rows,
            ),
        ]
    )  # fmt: skip


def _slug(session) -> str:
    return f"{session.year}-{session.pk}" if session else timezone.localdate().strftime("%Y")


@organization_view(EXPORT)
def results_xlsx(request, organization):
    session = session_param(request, organization)
    content = results_workbook(scope=request.scope, organization=organization, session=session)
    audit.record(
        "tochuc.rating.results_exported", by=request.user, obj=organization,
        session=session.pk if session else None, format="xlsx",
    )  # fmt: skip
    return download(content, f"xep-loai-{organization.code}-{_slug(session)}.xlsx", XLSX_TYPE)


def summary_sentences(found) -> list[str]:
    sentences = []
    for what, total in ((_("đảng viên"), found.members_total),
                        (_("tổ chức đảng"), found.organizations_total)):  # fmt: skip
        if not total.subjects:
            continue
        parts = [
            _("%(n)s %(label)s (%(p)s)")
            % {"n": vn_int(n), "label": Level(level).label.lower(), "p": vn_percent(p) or "0%"}
            for level, (n, p) in zip(LEVEL_ORDER, total.cells(), strict=True)
        ]
        sentences.append(
            _("Tổng số %(what)s được đánh giá, xếp loại: %(n)s; đã có quyết định xếp loại: "
              "%(decided)s, trong đó: %(parts)s.")
            % {"what": what, "n": vn_int(total.subjects), "decided": vn_int(total.decided),
               "parts": "; ".join(parts)}
        )  # fmt: skip
    return sentences


@organization_view(EXPORT)
def results_docx(request, organization):
    from tochuc.organizations.selectors import version_of
    from tochuc.reports.heading import heading_fields

    session = session_param(request, organization)
    found = selectors.results(scope=request.scope, organization=organization, session=session)
    today = timezone.localdate()
    version = version_of(organization=organization, on=today) or organization.versions.last()
    fields = heading_fields(version, today)
    title = (
        _("Kết quả đánh giá, xếp loại chất lượng tổ chức đảng và đảng viên %(t)s")
        % {"t": session.title.lower() if session else ""}
    ).strip()
    document = documents.docx_document(
        documents.Heading(
            number="Số     -BC/ĐU", on=today, kind=_("BÁO CÁO"), title=title, **fields
        )  # fmt: skip
    )
    if session is None:
        documents.docx_paragraph(document, _("Chưa có kỳ đánh giá, xếp loại."))
    else:
        documents.docx_paragraph(
            document,
            _("Căn cứ %(source)s; thực hiện kỳ đánh giá, xếp loại chất lượng %(title)s, "
              "%(org)s báo cáo kết quả như sau:")
            % {"source": session.policy_source, "title": session.title.lower(),
               "org": fields["issuer"].title()},
        )  # fmt: skip
        for sentence in summary_sentences(found):
            documents.docx_paragraph(document, sentence)
        for counts in found.members:
            documents.docx_paragraph(
                document,
                _("%(org)s: %(n)s đảng viên được đánh giá; %(parts)s.")
                % {"org": counts.label, "n": vn_int(counts.subjects),
                   "parts": ", ".join(f"{SHORT_LABELS[lv]} {vn_int(n)}"
                                      for lv, (n, _p) in zip(LEVEL_ORDER, counts.cells(),
                                                             strict=True))},
            )  # fmt: skip
        flagged = selectors.two_years_not_done(organization=organization, year=session.year)
        if session.kind == PeriodKind.YEAR and flagged:
            documents.docx_paragraph(
                document,
                _("Đảng viên hai năm liền không hoàn thành nhiệm vụ, cần xem xét sàng lọc: %(n)s "
                  "(%(names)s).")
                % {"n": vn_int(len(flagged)),
                   "names": ", ".join(row["member"].full_name for row in flagged)},
            )  # fmt: skip
    documents.docx_signature(document, "T/M BAN THƯỜNG VỤ", "BÍ THƯ", "")
    documents.docx_recipients(document, [_("Như trên"), _("Lưu Văn phòng")])
    audit.record(
        "tochuc.rating.results_exported", by=request.user, obj=organization,
        session=session.pk if session else None, format="docx",
    )  # fmt: skip
    return download(
        documents.docx_bytes(document),
        f"bao-cao-xep-loai-{organization.code}-{_slug(session)}.docx",
        DOCX_TYPE,
    )


@organization_view(EXPORT)
def votes_xlsx(request, organization):
    year = _year(request)
    rows = []
    for n, vote in enumerate(selectors.vote_list(organization=organization, year=year), start=1):
        rows.append(
            [n, vote.member.full_name, vote.position, vote.organization.name, vote.held_on,
             vote.ballots_issued, vote.ballots_valid, vote.high, _percent(vote.high_share),
             vote.medium, _percent(vote.medium_share), vote.low, _percent(vote.low_share),
             "; ".join(selectors.vote_flags(vote))]
        )  # fmt: skip
    return export_response(
        request,
        sheets=[Sheet(_("Lấy phiếu tín nhiệm"), VOTE_COLUMNS, rows)],
        filename=f"phieu-tin-nhiem-{organization.code}-{year or 'tat-ca'}.xlsx",
        action="tochuc.confidence_vote.exported",
        obj=organization,
        counted=False,
        year=year,
    )


VOTE_COLUMNS = (
    Col(gettext_lazy("STT"), INT, 6),
    Col(gettext_lazy("Họ và tên"), TEXT, 28),
    Col(gettext_lazy("Chức vụ"), TEXT, 30),
    Col(gettext_lazy("Tổ chức lấy phiếu"), TEXT, 35),
    Col(gettext_lazy("Ngày lấy phiếu"), DATE, 14),
    Col(gettext_lazy("Phiếu phát ra"), INT, 10),
    Col(gettext_lazy("Phiếu hợp lệ"), INT, 10),
    Col(gettext_lazy("Tín nhiệm cao"), INT, 10),
    Col(gettext_lazy("Tín nhiệm cao (%)"), PERCENT, 10, digits=2),
    Col(gettext_lazy("Tín nhiệm"), INT, 10),
    Col(gettext_lazy("Tín nhiệm (%)"), PERCENT, 10, digits=2),
    Col(gettext_lazy("Tín nhiệm thấp"), INT, 10),
    Col(gettext_lazy("Tín nhiệm thấp (%)"), PERCENT, 10, digits=2),
    Col(gettext_lazy("Lưu ý"), TEXT, 30),
)
