"""The administrators' audit viewer: the log filtered by user, action and dates; XLSX."""

import json

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from tochuc.accounts.access import scoped_view
from tochuc.accounts.permissions import ADMINISTER
from tochuc.lib.dates import parse_query_date
from tochuc.lib.xlsx import SheetData, write_workbook

from . import audit
from .audit_labels import action_label, readable_details
from .selectors import AuditFilters, audit_action_prefixes, audit_entry_list

PAGE_SIZE = 100
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_LIMIT = 100_000


def _filters(params) -> tuple[AuditFilters, dict[str, str]]:
    """The GET filters, and an error message beside each bad date."""
    errors: dict[str, str] = {}
    dates = {}
    for key in ("tu_ngay", "den_ngay"):
        try:
            dates[key] = parse_query_date(params.get(key, ""))
        except ValidationError as error:
            dates[key], errors[key] = None, " ".join(error.messages)
    filters = AuditFilters(
        username=params.get("nguoi_dung", "").strip(),
        action=params.get("thao_tac", "").strip(),
        since=dates["tu_ngay"],
        until=dates["den_ngay"],
    )
    return filters, errors


@scoped_view(ADMINISTER)
def audit_list(request):
    filters, errors = _filters(request.GET)
    page = Paginator(audit_entry_list(filters=filters), PAGE_SIZE).get_page(
        request.GET.get("trang")
    )
    query = request.GET.copy()
    query.pop("trang", None)
    context = {
        "page": page,
        "filters": filters,
        "params": request.GET,
        "errors": errors,
        "actions": audit_action_prefixes(),
        "query": query.urlencode(),
    }
    return render(request, "core/audit_list.html", context)


@scoped_view(ADMINISTER)
def audit_export(request):
    filters, _errors = _filters(request.GET)
    entries = audit_entry_list(filters=filters)[:EXPORT_LIMIT]
    count = 0

    def rows():
        nonlocal count
        for entry in entries.iterator(chunk_size=2000):
            count += 1
            yield [
                timezone.localtime(entry.at).strftime("%d/%m/%Y %H:%M:%S"),
                entry.username,
                entry.action,
                entry.object_type,
                entry.object_id,
                entry.object_repr,
                entry.reason,
                entry.ip or "",
                json.dumps(entry.data, ensure_ascii=False) if entry.data else "",
                action_label(entry.action),
                "; ".join(f"{label}: {value}" for label, value in readable_details(entry.data)),
            ]

    headers = [
        _("Thời điểm"), _("Người dùng"), _("Thao tác"), _("Loại đối tượng"), _("Mã đối tượng"),
        _("Đối tượng"), _("Căn cứ"), _("Địa chỉ IP"), _("Chi tiết"), _("Tên thao tác"),
        _("Chi tiết (diễn giải)"),
    ]  # fmt: skip
    content = write_workbook(
        [SheetData(_("Nhật ký"), headers, rows(), (20, 16, 32, 20, 12, 40, 30, 16, 60, 40, 60))]
    )
    audit.record(
        "tochuc.audit.exported", by=request.user, count=count, username=filters.username,
        action_prefix=filters.action, since=filters.since, until=filters.until,
    )  # fmt: skip
    filename = f"nhat-ky-{timezone.localdate():%Y-%m-%d}.xlsx"
    return HttpResponse(
        content,
        content_type=XLSX_TYPE,
        headers={"Content-Disposition": content_disposition_header(True, filename)},
    )
