"""Export of the organization search to XLSX (the "Xuất" button of the search page).

Same filters as the search page (q, loai, trang_thai; `kind` and `active` are accepted
too), same scope, formula-injection safe (lib.xlsx), audited.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.accounts.access import scoped_view
from tochuc.accounts.permissions import EXPORT
from tochuc.core import audit
from tochuc.lib import xlsx

from . import selectors
from .models import GrassrootsType, Kind, Organization

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADERS = (
    gettext_lazy("Mã"),
    gettext_lazy("Tên"),
    gettext_lazy("Loại"),
    gettext_lazy("Loại hình cơ sở"),
    gettext_lazy("Cấp trên"),
    gettext_lazy("Mã cấp trên"),
    gettext_lazy("Ngày thành lập"),
    gettext_lazy("Ngày chấm dứt"),
)
WIDTHS = (22, 44, 30, 24, 40, 22, 16, 16)
STATUSES = {"hoat_dong": True, "1": True, "da_cham_dut": False, "0": False}


def organizations_workbook(rows: Iterable[Organization]) -> bytes:
    """One sheet "Tổ chức" with a row per organization (parents should be selected)."""
    kinds = dict(Kind.choices)
    types = dict(GrassrootsType.choices)

    def lines():
        for org in rows:
            parent = org.parent
            yield (
                org.code,
                org.name,
                kinds.get(org.kind, org.kind),
                types.get(org.grassroots_type, org.grassroots_type),
                parent.name if parent else "",
                parent.code if parent else "",
                org.founded_on,
                org.ended_on,
            )

    return xlsx.write_workbook([xlsx.SheetData(_("Tổ chức"), HEADERS, lines(), WIDTHS)])


def search_filters(params) -> dict:
    """The search page's GET filters as `organization_search` arguments."""
    kinds = [k for k in (params.getlist("loai") or params.getlist("kind")) if k in Kind.values]
    if "trang_thai" in params:
        active = STATUSES.get(params["trang_thai"])  # "tat_ca" or anything else: all
    elif "active" in params:
        active = STATUSES.get(params["active"])  # "": all
    else:
        active = True  # the search page's default
    return {"text": params.get("q", "").strip(), "kinds": kinds or None, "active": active}


@scoped_view(EXPORT)
def export_search(request):
    filters = search_filters(request.GET)
    results = selectors.organization_search(scope=request.scope, **filters)
    count = 0

    def counted():
        nonlocal count
        for org in results.iterator(chunk_size=2000):
            count += 1
            yield org

    content = organizations_workbook(counted())
    audit.record(
        "tochuc.organization.exported",
        by=request.user,
        count=count,
        text=filters["text"],
        kinds=filters["kinds"],
        active=filters["active"],
    )
    filename = f"to-chuc-{timezone.localdate():%Y-%m-%d}.xlsx"
    return HttpResponse(
        content,
        content_type=XLSX_TYPE,
        headers={"Content-Disposition": content_disposition_header(True, filename)},
    )
