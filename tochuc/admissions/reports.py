"""Reports: admissions in a period against the target per child organization, and the
pipeline by stage — one computation (selectors), rendered as an HTML table or XLSX."""

from datetime import date

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from tochuc.accounts.access import organization_view
from tochuc.accounts.permissions import DECIDE_ADMISSIONS, EXPORT, VIEW
from tochuc.core import audit
from tochuc.lib import xlsx
from tochuc.lib.dates import date_in_query, vn_date, year_in_query
from tochuc.organizations.selectors import ancestors_on
from tochuc.policy.acts import PARTY_FOUNDED

from . import selectors
from .models import Stage

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def period(request) -> tuple[date, date, str]:
    """The report's period: `tu`–`den` (dd/mm/yyyy) within one year; by default from 1/1 of
    the year (`nam`, this year) to today or the year's end. An error message if bad input."""
    today = timezone.localdate()
    year, error = year_in_query(request.GET, "nam", default=today.year, first=PARTY_FOUNDED.year)
    start, bad_start = date_in_query(request.GET, "tu", default=date(year, 1, 1))
    end, bad_end = date_in_query(request.GET, "den", default=min(today, date(start.year, 12, 31)))
    if error or bad_start or bad_end:
        return date(today.year, 1, 1), today, " ".join(filter(None, (error, bad_start, bad_end)))
    if end < start or end.year != start.year:
        start, end = date(end.year, 1, 1), end
        error = _("Kỳ báo cáo phải nằm trong một năm; đã tính từ 01/01 đến ngày cuối kỳ.")
    return start, end, error


def _xlsx_response(content: bytes, filename: str) -> HttpResponse:
    return HttpResponse(
        content,
        content_type=XLSX_TYPE,
        headers={"Content-Disposition": content_disposition_header(True, filename)},
    )


# ---------------------------------------------------------------- targets


def _targets_rows(total, rows):
    def target(row):
        return _("chưa giao chỉ tiêu") if row.target is None else row.target

    for number, row in enumerate(rows, start=1):
        yield (number, row.organization.name, target(row), row.children_target or None,
               row.admitted, row.percent)  # fmt: skip
    yield ("", _("Tổng cộng"), target(total), total.children_target or None, total.admitted,
           total.percent)  # fmt: skip


@organization_view(VIEW)
def report_targets(request, organization):
    start, end, error = period(request)
    total, rows = selectors.targets_report(
        scope=request.scope, organization=organization, start=start, end=end
    )
    return render(
        request,
        "admissions/report_targets.html",
        {
            "org": organization,
            "trail": [],
            "ancestors": ancestors_on(scope=request.scope, organization=organization, on=end),
            "total": total,
            "rows": rows,
            "start": start,
            "end": end,
            "error": error,
            "can_export": EXPORT in request.org_perms,
            "can_set": DECIDE_ADMISSIONS in request.org_perms,
        },
    )


@organization_view(EXPORT)
def report_targets_xlsx(request, organization):
    start, end, _error = period(request)
    total, rows = selectors.targets_report(
        scope=request.scope, organization=organization, start=start, end=end
    )
    admitted = _("Đã kết nạp %(start)s–%(end)s") % {"start": vn_date(start), "end": vn_date(end)}
    headers = [
        _("STT"),
        _("Tổ chức"),
        _("Chỉ tiêu năm %(year)s được giao") % {"year": end.year},
        _("Tổng chỉ tiêu giao cho cấp dưới"),
        admitted,
        _("Tỷ lệ (%)"),
    ]
    content = xlsx.write_workbook(
        [
            xlsx.SheetData(
                _("Kết nạp so với chỉ tiêu"),
                headers,
                _targets_rows(total, rows),
                [6, 50, 18, 18, 14, 12],
            )
        ]
    )
    audit.record(
        "tochuc.admission.report_exported",
        by=request.user,
        obj=organization,
        report="targets",
        start=start,
        end=end,
    )
    return _xlsx_response(content, f"ket-nap-chi-tieu-{organization.code}-{end:%Y-%m-%d}.xlsx")


# ---------------------------------------------------------------- pipeline

PIPELINE_COLUMNS = [s for s in selectors.PIPELINE_STAGES if s != Stage.ADMITTED]


def _pipeline_rows(total, rows):
    for number, row in enumerate([*rows, total], start=1):
        is_total = row is total
        yield (
            "" if is_total else number,
            _("Tổng cộng") if is_total else row.organization.name,
            *(row.stages.get(s, 0) for s in PIPELINE_COLUMNS),
            row.open,
            row.probationary,
        )


@organization_view(VIEW)
def report_pipeline(request, organization):
    on = timezone.localdate()
    total, rows = selectors.pipeline_report(scope=request.scope, organization=organization, on=on)
    return render(
        request,
        "admissions/report_pipeline.html",
        {
            "org": organization,
            "trail": [],
            "ancestors": ancestors_on(scope=request.scope, organization=organization, on=on),
            "columns": [(s, Stage(s).label) for s in PIPELINE_COLUMNS],
            "lines": list(_pipeline_rows(total, rows)),
            "on": on,
            "can_export": EXPORT in request.org_perms,
        },
    )


@organization_view(EXPORT)
def report_pipeline_xlsx(request, organization):
    on = timezone.localdate()
    total, rows = selectors.pipeline_report(scope=request.scope, organization=organization, on=on)
    headers = [
        _("STT"),
        _("Tổ chức"),
        *(str(Stage(s).label) for s in PIPELINE_COLUMNS),
        _("Đang xem xét"),
        _("Đảng viên dự bị"),
    ]
    content = xlsx.write_workbook(
        [
            xlsx.SheetData(
                _("Quy trình kết nạp"),
                headers,
                _pipeline_rows(total, rows),
                [6, 50, *([14] * (len(headers) - 2))],
            )
        ]
    )
    audit.record(
        "tochuc.admission.report_exported",
        by=request.user,
        obj=organization,
        report="pipeline",
        on=on,
    )
    return _xlsx_response(content, f"ket-nap-quy-trinh-{organization.code}-{on:%Y-%m-%d}.xlsx")


# ---------------------------------------------------------------- the candidate list


@organization_view(EXPORT)
def export_candidates(request, organization):
    qs = selectors.candidate_list(
        scope=request.scope,
        organization=organization,
        stage=request.GET.get("buoc", "dang_xem_xet"),
        text=request.GET.get("q", ""),
    )
    count = 0

    def lines():
        nonlocal count
        for count, c in enumerate(qs.iterator(chunk_size=2000), start=1):  # noqa: B007
            yield (
                count,
                c.full_name,
                c.birth_date,
                c.get_gender_display(),
                c.cell.name,
                c.get_stage_display(),
                c.stage_on,
                c.identified_on,
                c.cell_resolved_on,
                c.decision_no,
                c.decided_on,
                c.ceremony_on,
            )

    headers = [
        _("STT"),
        _("Họ và tên"),
        _("Ngày sinh"),
        _("Giới tính"),
        _("Chi bộ"),
        _("Bước hiện tại"),
        _("Ngày"),
        _("Ngày xác định đối tượng"),
        _("Ngày nghị quyết chi bộ"),
        _("Số quyết định kết nạp"),
        _("Ngày quyết định"),
        _("Ngày lễ kết nạp"),
    ]
    content = xlsx.write_workbook(
        [
            xlsx.SheetData(
                _("Quần chúng ưu tú"),
                headers,
                lines(),
                [6, 28, 12, 9, 36, 30, 12, 14, 14, 18, 12, 12],
            )
        ]
    )
    audit.record(
        "tochuc.admission.candidates_exported", by=request.user, obj=organization, count=count
    )
    return _xlsx_response(content, f"quan-chung-{organization.code}-{timezone.localdate()}.xlsx")
