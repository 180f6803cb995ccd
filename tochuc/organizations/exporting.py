"""Export of the organization search to XLSX (the "Xuất" button of the search page).

Same filters as the search page (q, loai, trang_thai; `kind` and `active` are accepted
too), same scope, formula-injection safe (lib.xlsx), audited.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.accounts.access import scoped_view
from tochuc.accounts.permissions import EXPORT
from tochuc.core.pages import DATE, TEXT, Col, Sheet, dated_filename, export_response, workbook

from . import selectors
from .models import GrassrootsType, Kind, Organization

COLUMNS = (
    Col(gettext_lazy("Mã"), TEXT, 22),
    Col(gettext_lazy("Tên"), TEXT, 44),
    Col(gettext_lazy("Loại"), TEXT, 30),
    Col(gettext_lazy("Loại hình cơ sở"), TEXT, 24),
    Col(gettext_lazy("Cấp trên"), TEXT, 40),
    Col(gettext_lazy("Mã cấp trên"), TEXT, 22),
    Col(gettext_lazy("Ngày thành lập"), DATE, 16),
    Col(gettext_lazy("Ngày chấm dứt"), DATE, 16),
)
STATUSES = {"hoat_dong": True, "1": True, "da_cham_dut": False, "0": False}


def organizations_sheet(rows: Iterable[Organization]) -> Sheet:
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

    return Sheet(_("Tổ chức"), COLUMNS, lines())


def organizations_workbook(rows: Iterable[Organization]) -> bytes:
    return workbook([organizations_sheet(rows)])


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
    return export_response(
        request,
        sheets=[organizations_sheet(results.iterator(chunk_size=2000))],
        filename=dated_filename("to-chuc"),
        action="tochuc.organization.exported",
        text=filters["text"],
        kinds=filters["kinds"],
        active=filters["active"],
    )
