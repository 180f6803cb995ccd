"""Reports: admissions in a period against the target per child organization, and the
pipeline by stage — one computation (selectors), rendered as an HTML table or XLSX."""

from datetime import date

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.accounts.access import organization_view
from tochuc.accounts.permissions import DECIDE_ADMISSIONS, EXPORT, VIEW
from tochuc.core.pages import (
    DATE,
    INT,
    PERCENT,
    TEXT,
    Col,
    Sheet,
    dated_filename,
    export_response,
    place,
)
from tochuc.lib.dates import date_in_query, vn_date, year_in_query
from tochuc.policy.acts import PARTY_FOUNDED

from . import selectors
from .models import Stage

CANDIDATE_COLUMNS = (
    Col(gettext_lazy("STT"), INT, 6),
    Col(gettext_lazy("Họ và tên"), TEXT, 28),
    Col(gettext_lazy("Ngày sinh"), DATE, 12),
    Col(gettext_lazy("Giới tính"), TEXT, 9),
    Col(gettext_lazy("Chi bộ"), TEXT, 36),
    Col(gettext_lazy("Bước hiện tại"), TEXT, 30),
    Col(gettext_lazy("Ngày"), DATE, 12),
    Col(gettext_lazy("Ngày xác định đối tượng"), DATE, 14),
    Col(gettext_lazy("Ngày nghị quyết chi bộ"), DATE, 14),
    Col(gettext_lazy("Số quyết định kết nạp"), TEXT, 18),
    Col(gettext_lazy("Ngày quyết định"), DATE, 12),
    Col(gettext_lazy("Ngày lễ kết nạp"), DATE, 12),
)


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


# ---------------------------------------------------------------- targets


def _targets_rows(total, rows):
    def target(row):
        return _("chưa giao chỉ tiêu") if row.target is None else row.target

    for number, row in enumerate(rows, start=1):
        yield (number, row.organization.name, target(row), row.children_target or None,
               row.admitted, _fraction(row))  # fmt: skip
    yield ("", _("Tổng cộng"), target(total), total.children_target or None, total.admitted,
           _fraction(total))  # fmt: skip


def _fraction(row) -> float | None:
    """The share admitted against the level's own target (never the children's sum), as a
    fraction for a percent cell (2,0 → 200%); None without a target of its own."""
    return row.admitted / row.target if row.target else None


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
            **place(request, organization, on=end),
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
    columns = [
        Col(_("STT"), INT, 6),
        Col(_("Tổ chức"), TEXT, 50),
        Col(_("Chỉ tiêu năm %(year)s được giao") % {"year": end.year}, INT, 18),
        Col(_("Tổng chỉ tiêu giao cho cấp dưới"), INT, 18),
        Col(admitted, INT, 14),
        Col(_("Tỷ lệ"), PERCENT, 12),
    ]
    return export_response(
        request,
        sheets=[Sheet(_("Kết nạp so với chỉ tiêu"), columns, _targets_rows(total, rows))],
        filename=dated_filename(f"ket-nap-chi-tieu-{organization.code}", end),
        action="tochuc.admission.report_exported",
        obj=organization,
        counted=False,
        report="targets",
        start=start,
        end=end,
    )


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
            **place(request, organization, on=on),
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
    columns = [
        Col(_("STT"), INT, 6),
        Col(_("Tổ chức"), TEXT, 50),
        *(Col(Stage(s).label, INT) for s in PIPELINE_COLUMNS),
        Col(_("Đang xem xét"), INT),
        Col(_("Đảng viên dự bị"), INT),
    ]
    return export_response(
        request,
        sheets=[Sheet(_("Quy trình kết nạp"), columns, _pipeline_rows(total, rows))],
        filename=dated_filename(f"ket-nap-quy-trinh-{organization.code}", on),
        action="tochuc.admission.report_exported",
        obj=organization,
        counted=False,
        report="pipeline",
        on=on,
    )


# ---------------------------------------------------------------- the candidate list


@organization_view(EXPORT)
def export_candidates(request, organization):
    qs = selectors.candidate_list(
        scope=request.scope,
        organization=organization,
        stage=request.GET.get("buoc", "dang_xem_xet"),
        text=request.GET.get("q", ""),
    )

    def lines():
        for number, c in enumerate(qs.iterator(chunk_size=2000), start=1):
            yield (
                number,
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

    return export_response(
        request,
        sheets=[Sheet(_("Quần chúng ưu tú"), CANDIDATE_COLUMNS, lines())],
        filename=dated_filename(f"quan-chung-{organization.code}"),
        action="tochuc.admission.candidates_exported",
        obj=organization,
    )
