"""Meeting pages: an organization's meetings (list, export), the record page a cell
secretary fills on a phone, one meeting and its "Sửa / Hủy", the cells due (no regular
meeting this month, no thematic meeting this quarter), the figures per cell (attendance
rate) and the members absent without reason.

Every page is on one organization (`to-chuc/<code>/`): out of scope → 404, in scope
without the permission → 403. Recording and correcting need RECORD_MEETINGS (cell
secretaries at their cell; officers in their subtree).
"""

from __future__ import annotations

from datetime import date
from functools import partial
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.accounts.access import organization_view, scoped_view
from tochuc.accounts.permissions import EXPORT, RECORD_MEETINGS, VIEW
from tochuc.core import audit, uploads
from tochuc.core.corrections import correction_page
from tochuc.core.pages import (
    DATE,
    INT,
    PERCENT,
    TEXT,
    Col,
    Sheet,
    date_in_view,
    dated_filename,
    export_response,
    place,
    procedure_page,
    today,
)  # fmt: skip
from tochuc.lib.dates import vn_date
from tochuc.policy.acts import PARTY_FOUNDED
from tochuc.policy.rules import policy_for
from tochuc.reports import periods

from . import forms, selectors, services
from .models import CELL_KINDS, Body, Kind, Presence

COMMITTEE_BODIES = [(Body.COMMITTEE, Body.COMMITTEE.label), (Body.STANDING, Body.STANDING.label)]

PAGE_SIZE = 200
KIND_FILTERS = [("", gettext_lazy("Tất cả")), *Kind.choices]


def period_from(request) -> tuple[periods.Period, str]:
    """The period of `nam`, `quy` or `tu`–`den` (as the report page takes them); this year
    by default, with the Vietnamese error when the input is bad."""
    this_year = periods.year(today().year)
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
    if period is not None and not period.is_period:
        period = periods.year(period.end.year)
    return period or this_year, ""


def _link(organization):
    return (_("Sinh hoạt chi bộ"), reverse("meetings:list", args=[organization.code]))


@scoped_view(VIEW)
def index(request):
    """The navigation's entry: the meetings of the user's (first) organization."""
    homes = request.scope.home_organizations()
    if not homes:
        raise Http404
    return redirect("meetings:list", code=homes[0].code)


# ---------------------------------------------------------------- the list


def _list(request, organization):
    period, error = period_from(request)
    kind = request.GET.get("loai", "")
    kind = kind if kind in Kind.values else ""
    qs = selectors.meeting_list(
        scope=request.scope, organization=organization, start=period.start, end=period.end,
        kind=kind,
    )  # fmt: skip
    return period, error, kind, qs


@organization_view(VIEW)
def meeting_list(request, organization):
    period, error, kind, qs = _list(request, organization)
    total = qs.count()
    perms = request.org_perms
    query = urlencode({**period.as_query(), **({"loai": kind} if kind else {})})
    return render(
        request,
        "meetings/list.html",
        {
            **place(request, organization),
            "rows": list(qs[:PAGE_SIZE]),
            "total": total,
            "more": total > PAGE_SIZE,
            "period": period,
            "error": error,
            "filters": [("loai", _("Loại"), KIND_FILTERS)],
            "chosen": {"loai": kind},
            "query": query,
            "can_record": RECORD_MEETINGS in perms and organization.is_active,
            "can_export": EXPORT in perms,
            "is_cell": organization.kind in CELL_KINDS,
        },
    )


LIST_COLUMNS = (
    Col(gettext_lazy("Ngày"), DATE, 12),
    Col(gettext_lazy("Mã chi bộ"), TEXT, 18),
    Col(gettext_lazy("Chi bộ"), TEXT, 32),
    Col(gettext_lazy("Loại"), TEXT, 20),
    Col(gettext_lazy("Chủ đề"), TEXT, 36),
    Col(gettext_lazy("Phải dự"), INT, 9),
    Col(gettext_lazy("Có mặt"), INT, 9),
    Col(gettext_lazy("Vắng có lý do"), INT, 10),
    Col(gettext_lazy("Vắng không lý do"), INT, 10),
    Col(gettext_lazy("Tỷ lệ dự"), PERCENT, 10),
    Col(gettext_lazy("Tự đánh giá"), TEXT, 12),
)


@organization_view(EXPORT)
def meeting_export(request, organization):
    period, _error, _kind, qs = _list(request, organization)
    rows = (
        [m.held_on, m.organization.code, m.organization.name,
         f"{m.get_body_display()}: {m.get_kind_display()}" if m.is_committee
         else m.get_kind_display(), m.topic,
         m.expected, m.present, m.excused, m.absent,
         (m.present / m.expected) if m.expected else None, m.get_quality_display()]
        for m in qs.iterator()
    )  # fmt: skip
    return export_response(
        request,
        sheets=[Sheet(_("Buổi sinh hoạt chi bộ"), LIST_COLUMNS, rows)],
        filename=dated_filename(f"sinh-hoat-{organization.code}", period.end),
        action="tochuc.meeting.exported",
        obj=organization,
        period=period.label(),
    )


# ---------------------------------------------------------------- the record page


@organization_view(RECORD_MEETINGS)
def meeting_record(request, organization):
    """On a cell: the roll of the day (`?ngay=`, today by default), all present unless
    marked. On a committee: the cells under it to choose from."""
    context = place(request, organization, [_link(organization)])
    body = request.GET.get("hoi_nghi", "")
    body = body if body in (Body.COMMITTEE, Body.STANDING) else Body.CELL
    title = (
        _("Ghi buổi sinh hoạt chi bộ")
        if body == Body.CELL
        else _("Ghi %(body)s") % {"body": Body(body).label.lower()}
    )
    if body == Body.CELL and organization.kind not in CELL_KINDS:
        cells = selectors.cells_on(organization, today())
        return render(
            request, "meetings/pick_cell.html", {**context, "title": title, "cells": cells,
                                                 "bodies": COMMITTEE_BODIES},
        )  # fmt: skip
    held_on, date_error = date_in_view(request)
    roll = services.expected_on(organization, held_on, body)
    form = forms.MeetingForm(
        request.POST if request.method == "POST" else None,
        organization=organization, held_on=held_on, roll=roll, body=body,
    )  # fmt: skip
    return procedure_page(
        request,
        form=form,
        call=lambda form: services.meeting_record(by=request.user, **form.service_kwargs()),
        done=lambda meeting: _("Đã ghi buổi sinh hoạt ngày %(day)s: %(present)s/%(expected)s "
                               "đồng chí có mặt.") % {
            "day": vn_date(meeting.held_on), "present": meeting.present,
            "expected": meeting.expected},
        then=lambda meeting: _detail_url(meeting),
        template="meetings/record.html",
        context={
            **context, "title": title, "held_on": held_on, "date_error": date_error,
            "roll_size": len(roll), "presence": Presence, "body": body,
            "is_cell_meeting": body == Body.CELL,
            "cancel": reverse("meetings:list", args=[organization.code]),
        },
    )  # fmt: skip


def _detail_url(meeting) -> str:
    code = meeting.organization.code
    return f"{reverse('meetings:detail', args=[code])}?buoi={meeting.pk}"


# ---------------------------------------------------------------- one meeting


def _meeting_param(request, organization):
    """The meeting `?buoi=` of a cell under `organization` (the latest one by default);
    404 when there is none."""
    raw = request.GET.get("buoi", "").strip()
    if raw and not raw.isdigit():
        raise Http404
    qs = selectors.meeting_list(
        scope=request.scope, organization=organization, start=PARTY_FOUNDED, end=today()
    )
    meeting = qs.filter(pk=int(raw)).first() if raw else qs.first()
    if meeting is None:
        raise Http404
    return meeting


@organization_view(VIEW)
def meeting_detail(request, organization):
    meeting = _meeting_param(request, organization)
    return render(
        request,
        "meetings/detail.html",
        {
            **place(request, meeting.organization, [_link(meeting.organization)]),
            "meeting": meeting,
            "attendance": selectors.attendance_of(meeting),
            "files": meeting.files.all(),
            "can_correct": RECORD_MEETINGS in request.org_perms,
        },
    )


@organization_view(RECORD_MEETINGS)
def meeting_attach(request, organization):
    """Attach a file to the meeting `?buoi=` (the signed minutes, a document)."""
    meeting = _meeting_param(request, organization)
    form = forms.AttachForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    back = _detail_url(meeting)
    return procedure_page(
        request,
        form=form,
        call=lambda form: services.meeting_attach(
            meeting=meeting, upload=form.cleaned_data["file"], by=request.user
        ),
        done=lambda row: _("Đã đính kèm %(name)s.") % {"name": row.filename},
        then=back,
        template="documents/form.html",
        context={
            **place(request, meeting.organization, [_link(meeting.organization),
                                                    (str(meeting), back)]),
            "title": _("Đính kèm tệp: %(meeting)s") % {"meeting": meeting},
            "help_text": _("Nhận tệp %(types)s, tối đa %(mb)s MB.") % {
                "types": ", ".join(f".{t}" for t in uploads.allowed_types()),
                "mb": settings.TOCHUC_ATTACHMENT_MAX_BYTES // 1048576},
            "cancel": back,
            "multipart": True,
        },
    )  # fmt: skip


@organization_view(VIEW)
def meeting_file(request, organization, file):
    """A file of a meeting under `organization`, inside the caller's scope (else 404);
    the download is audited."""
    row = selectors.meeting_file(scope=request.scope, organization=organization, pk=file)
    audit.record(
        "tochuc.meeting.file_downloaded", by=request.user, obj=row.meeting,
        organization=row.meeting.organization.code, filename=row.filename,
    )  # fmt: skip
    return uploads.response(row)


@organization_view(RECORD_MEETINGS)
def meeting_correct(request, organization):
    meeting = _meeting_param(request, organization)
    marks = {
        a.member_id: (a.presence, a.reason)
        for a in meeting.attendance.all()
        if a.presence != Presence.PRESENT
    }
    roll = (
        services.expected_on(meeting.organization, meeting.held_on, meeting.body)
        if meeting.detailed
        else []
    )
    initial = {name: getattr(meeting, name) for name in services.FIELDS}
    initial["row_version"] = meeting.row_version

    def correct(form):
        return services.meeting_correct, {
            "meeting": meeting,
            "expected_version": form.cleaned_data.get("row_version"),
            **form.changes(),
        }

    def cancel(form):
        return services.meeting_cancel, {
            "meeting": meeting,
            "expected_version": form.cleaned_data.get("row_version"),
        }

    return correction_page(
        request,
        obj=meeting,
        form_class=partial(forms.MeetingCorrectionForm, roll=roll, marks=marks),
        title=_("Sửa / Hủy buổi sinh hoạt chi bộ"),
        back_url=_detail_url(meeting),
        done_url=reverse("meetings:list", args=[meeting.organization.code]),
        initial=initial,
        correct=correct,
        cancel=cancel,
        error_fields={"attendance": None},
        context=place(request, meeting.organization, [_link(meeting.organization)]),
    )


# ---------------------------------------------------------------- the due list


DUE_COLUMNS = (
    Col(gettext_lazy("Mã chi bộ"), TEXT, 18),
    Col(gettext_lazy("Chi bộ"), TEXT, 36),
    Col(gettext_lazy("Thường kỳ trong tháng"), INT, 12),
    Col(gettext_lazy("Chuyên đề trong quý"), INT, 12),
    Col(gettext_lazy("Lần sinh hoạt gần nhất"), DATE, 14),
)


def _due(request, organization):
    on, error = date_in_view(request)
    return on, error, selectors.due_cells(organization, on)


@organization_view(VIEW)
def due_list(request, organization):
    on, error, due = _due(request, organization)
    return render(
        request,
        "meetings/due.html",
        {
            **place(request, organization, [_link(organization)], on=on),
            "title": _("Chi bộ chưa sinh hoạt"),
            "day": on,
            "error": error,
            "rows": due,
            "not_met": sum(1 for d in due if d.regular_missing),
            "no_thematic": sum(1 for d in due if d.thematic_missing),
            "cells": len(selectors.cells_on(organization, on)),
            "source": policy_for(on).meetings_source,
            "can_export": EXPORT in request.org_perms,
        },
    )


@organization_view(EXPORT)
def due_export(request, organization):
    on, _error, due = _due(request, organization)
    rows = ([d.cell.code, d.cell.name, d.regular_held, d.thematic_held, d.last_held_on]
            for d in due)  # fmt: skip
    return export_response(
        request,
        sheets=[Sheet(_("Chi bộ chưa sinh hoạt"), DUE_COLUMNS, rows)],
        filename=dated_filename(f"chi-bo-chua-sinh-hoat-{organization.code}", on),
        action="tochuc.meeting.exported",
        obj=organization,
        on=on,
    )


# ---------------------------------------------------------------- figures per cell


FIGURE_COLUMNS = (
    Col(gettext_lazy("Mã chi bộ"), TEXT, 18),
    Col(gettext_lazy("Chi bộ"), TEXT, 36),
    Col(gettext_lazy("Số buổi"), INT, 9),
    Col(gettext_lazy("Chuyên đề"), INT, 10),
    Col(gettext_lazy("Lượt phải dự"), INT, 11),
    Col(gettext_lazy("Lượt có mặt"), INT, 11),
    Col(gettext_lazy("Tỷ lệ dự"), PERCENT, 10),
)


def _figures(request, organization):
    period, error = period_from(request)
    return period, error, selectors.figures(organization, period.start, period.end)


@organization_view(VIEW)
def figures(request, organization):
    period, error, cells = _figures(request, organization)
    total = selectors.Figures()
    for item in cells:
        total.add(item.total)
    return render(
        request,
        "meetings/figures.html",
        {
            **place(request, organization, [_link(organization)]),
            "title": _("Số buổi sinh hoạt và tỷ lệ đảng viên dự"),
            "period": period,
            "error": error,
            "rows": cells,
            "total": total,
            "query": urlencode(period.as_query()),
            "can_export": EXPORT in request.org_perms,
        },
    )


@organization_view(EXPORT)
def figures_export(request, organization):
    period, _error, cells = _figures(request, organization)
    rows = (
        [c.cell.code, c.cell.name, c.total.held, c.total.thematic, c.total.expected,
         c.total.present, float(c.total.rate) if c.total.rate is not None else None]
        for c in cells
    )  # fmt: skip
    return export_response(
        request,
        sheets=[Sheet(_("Tỷ lệ dự sinh hoạt"), FIGURE_COLUMNS, rows)],
        filename=dated_filename(f"ty-le-sinh-hoat-{organization.code}", period.end),
        action="tochuc.meeting.exported",
        obj=organization,
        period=period.label(),
    )


# ---------------------------------------------------------------- absences without reason


@organization_view(VIEW)
def absentees(request, organization):
    on = today()
    raw = request.GET.get("nam", "").strip()
    year = int(raw) if raw.isdigit() and PARTY_FOUNDED.year <= int(raw) <= on.year else on.year
    rows = selectors.absentees_flagged(
        organization=organization, year=year, scope=request.scope, on=on
    )
    policy = policy_for(min(date(year, 12, 31), on))
    return render(
        request,
        "meetings/absentees.html",
        {
            **place(request, organization, [_link(organization)]),
            "title": _("Đảng viên vắng sinh hoạt không có lý do"),
            "year": year,
            "rows": rows,
            "threshold": policy.meeting_absent_months_flag,
            "source": policy.meetings_source,
        },
    )


@organization_view(RECORD_MEETINGS)
def meeting_file_remove(request, organization, file):
    """Hủy a file attached by mistake (the reason is kept)."""
    row = selectors.meeting_file(scope=request.scope, organization=organization, pk=file)
    back = _detail_url(row.meeting)
    return correction_page(
        request,
        obj=row,
        form_class=forms.FileRemoveForm,
        title=_("Gỡ tệp %(name)s") % {"name": row.filename},
        back_url=back,
        cancel=lambda form: (services.meeting_file_remove, {"row": row}),
        context=place(request, row.meeting.organization, [_link(row.meeting.organization)]),
    )
