"""The period counts as the sector reports them — a sentence and a table — on a page, as
XLSX, and through report_definition.py as the report "inspections" of the report engine."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from tochuc.accounts.access import organization_view
from tochuc.accounts.permissions import EXPORT, VIEW
from tochuc.core.pages import INT, TEXT, Col, Sheet, dated_filename, export_response, place
from tochuc.organizations.models import Kind
from tochuc.reports import periods
from tochuc.reports.dataset import TEXT as DATASET_TEXT
from tochuc.reports.dataset import Column, Table
from tochuc.reports.numbers import vn_int
from tochuc.reports.periods import Period

from . import selectors
from .models import Activity, Body

BODY_SUBJECTS = {
    Body.COMMITTEE: "cấp ủy",
    Body.COMMISSION: "ủy ban kiểm tra",
}


# ---------------------------------------------------------------- the period


def period_from(request) -> tuple[Period, str]:
    """The period of `nam`, `quy` or `tu`–`den` (as the report page takes them); this year
    by default. An error message (and this year) when the input is bad."""
    this_year = periods.year(timezone.localdate().year)
    get = request.GET
    try:
        period = periods.parse(
            year_text=get.get("nam", "").strip() or None,
            quarter_text=get.get("quy", "").strip() or None,
            start=get.get("tu", "").strip() or None,
            end=get.get("den", "").strip() or None,
        )
    except ValidationError as error:
        return this_year, " ".join(error.messages)
    return period or this_year, ""


# ---------------------------------------------------------------- the sentence


def _pair(orgs: int, members: int) -> str:
    parts = []
    if orgs:
        parts.append(_("%(n)s tổ chức đảng") % {"n": vn_int(orgs)})
    if members:
        parts.append(_("%(n)s đảng viên") % {"n": vn_int(members)})
    return _(" và ").join(parts)


def sentences(counts: selectors.PeriodCounts, period: Period) -> list[str]:
    """ "Quý I năm 2021, cấp ủy giám sát 6 tổ chức đảng và 170 đảng viên; ủy ban kiểm tra
    giám sát 32 tổ chức đảng và 164 đảng viên." — only the parts whose numbers exist."""
    clauses = []
    for body in Body:
        done = []
        for activity in (Activity.INSPECTION, Activity.SUPERVISION):
            pair = _pair(
                counts.get(body, activity, "organization"), counts.get(body, activity, "member")
            )
            if pair:
                done.append(f"{activity.label.lower()} {pair}")
        if done:
            clauses.append(f"{BODY_SUBJECTS[body]} {', '.join(done)}")
    when = period.label()
    paragraphs = []
    if clauses:
        paragraphs.append(f"{when}, {'; '.join(clauses)}.")
    else:
        paragraphs.append(_("%(when)s, chưa ghi cuộc kiểm tra, giám sát nào.") % {"when": when})
    punished = []
    for subject_type, noun in (("member", _("đảng viên")), ("organization", _("tổ chức đảng"))):
        total = counts.discipline_total(subject_type)
        if not total:
            continue
        forms = [
            f"{row['label'].lower()} {vn_int(row[subject_type + 's'])}"
            for row in counts.discipline_rows()
            if row[subject_type + "s"]
        ]
        punished.append(f"{vn_int(total)} {noun} ({', '.join(forms)})")
    if punished:
        paragraphs.append(_("Thi hành kỷ luật %(list)s.") % {"list": _(" và ").join(punished)})
    return paragraphs


# ---------------------------------------------------------------- tables


def _count_columns(label: str) -> list[Column]:
    return [
        Column("label", label, DATASET_TEXT),
        Column("organizations", _("Tổ chức đảng")),
        Column("members", _("Đảng viên")),
        Column("total", _("Cộng")),
    ]


def _totals(rows: list[dict]) -> dict:
    return {
        "label": _("Tổng cộng"),
        **{k: sum(r[k] for r in rows) for k in ("organizations", "members", "total")},
    }


def tables(counts: selectors.PeriodCounts) -> list[Table]:
    rows = counts.rows()
    discipline_rows = counts.discipline_rows()
    return [
        Table(
            key="inspections",
            title=_("Kiểm tra, giám sát (số lượt đối tượng)"),
            columns=_count_columns(_("Chủ thể, hoạt động")),
            rows=rows,
            totals=_totals(rows),
            chart="bar",
            note=_(
                "Mỗi lượt là một đối tượng trong một quyết định, kế hoạch; tính theo ngày bắt "
                "đầu, theo tổ chức tiến hành thuộc phạm vi báo cáo."
            ),
        ),
        Table(
            key="disciplines",
            title=_("Thi hành kỷ luật"),
            columns=_count_columns(_("Hình thức")),
            rows=discipline_rows,
            totals=_totals(discipline_rows),
            note=_("Tính theo ngày quyết định."),
        ),
    ]


# ---------------------------------------------------------------- the page and XLSX


@organization_view(VIEW)
def counts_page(request, organization):
    period, error = period_from(request)
    counts = selectors.period_counts(
        scope=request.scope, organization=organization, start=period.start, end=period.end
    )
    query = urlencode(period.as_query())
    return render(
        request,
        "inspections/counts.html",
        {
            **place(request, organization, [(_("Kiểm tra, giám sát"), _list_url(organization))]),
            "period": period,
            "query": query,
            "error": error,
            "paragraphs": sentences(counts, period),
            "tables": tables(counts),
            "can_export": EXPORT in request.org_perms,
            "year": period.end.year,
            "is_cell": organization.kind in (Kind.CELL, Kind.BASE_CELL),
        },
    )


def _list_url(organization):
    from django.urls import reverse

    return reverse("inspections:list", args=[organization.code])


@organization_view(EXPORT)
def counts_xlsx(request, organization):
    period, _error = period_from(request)
    counts = selectors.period_counts(
        scope=request.scope, organization=organization, start=period.start, end=period.end
    )
    sheets = []
    titles = {"inspections": _("Kiểm tra, giám sát"), "disciplines": _("Kỷ luật")}
    for table in tables(counts):
        rows = [[row[c.key] for c in table.columns] for row in table.rows]
        rows.append([table.totals[c.key] for c in table.columns])
        columns = [
            Col(c.title, TEXT if c.type == DATASET_TEXT else INT, width)
            for c, width in zip(table.columns, (44, 16, 14, 12), strict=False)
        ]
        sheets.append(Sheet(titles[table.key], columns, rows))
    sheets.append(
        Sheet(
            _("Tóm tắt"), [Col(period.label(), TEXT, 120)], [[p] for p in sentences(counts, period)]
        )
    )
    return export_response(
        request,
        sheets=sheets,
        filename=dated_filename(f"kiem-tra-giam-sat-{organization.code}", period.end),
        action="tochuc.inspection.report_exported",
        obj=organization,
        counted=False,
        start=period.start,
        end=period.end,
    )
