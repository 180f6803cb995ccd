"""The administrators' audit viewer: the log filtered by user, action and dates; XLSX."""

import json

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.accounts.access import scoped_view
from tochuc.accounts.permissions import ADMINISTER
from tochuc.lib.dates import parse_query_date

from .audit_labels import action_label, readable_details
from .pages import TEXT, Col, Sheet, dated_filename, export_response
from .selectors import AuditFilters, audit_action_prefixes, audit_entry_list

PAGE_SIZE = 100
EXPORT_COLUMNS = (
    Col(gettext_lazy("Thời điểm"), TEXT, 20),
    Col(gettext_lazy("Người dùng"), TEXT, 16),
    Col(gettext_lazy("Thao tác"), TEXT, 32),
    Col(gettext_lazy("Loại đối tượng"), TEXT, 20),
    Col(gettext_lazy("Mã đối tượng"), TEXT, 12),
    Col(gettext_lazy("Đối tượng"), TEXT, 40),
    Col(gettext_lazy("Căn cứ"), TEXT, 30),
    Col(gettext_lazy("Địa chỉ IP"), TEXT, 16),
    Col(gettext_lazy("Chi tiết"), TEXT, 60),
    Col(gettext_lazy("Tên thao tác"), TEXT, 40),
    Col(gettext_lazy("Chi tiết (diễn giải)"), TEXT, 60),
)
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

    def rows():
        for entry in entries.iterator(chunk_size=2000):
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

    return export_response(
        request,
        sheets=[Sheet(_("Nhật ký"), EXPORT_COLUMNS, rows())],
        filename=dated_filename("nhat-ky"),
        action="tochuc.audit.exported",
        username=filters.username,
        action_prefix=filters.action,
        since=filters.since,
        until=filters.until,
    )
