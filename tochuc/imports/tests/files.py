"""Spreadsheets for tests: an XLSX with a header row and rows, as bytes."""

import io

import openpyxl

ORGANIZATION_HEADERS = [
    "Mã tổ chức*",
    "Tên tổ chức*",
    "Loại tổ chức*",
    "Mã tổ chức cấp trên",
    "Loại hình cơ sở",
    "Mã đơn vị hành chính",
    "Ngày thành lập*",
    "Số quyết định",
    "Ngày quyết định",
]


def xlsx_bytes(rows, headers=ORGANIZATION_HEADERS, title="Tổ chức") -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def organization_row(code, name, kind, parent, founded, **extra):
    """A row of the organizations format; extra: grassroots_type, admin_unit_code,
    decision_no, decision_date."""
    return [
        code,
        name,
        kind,
        parent,
        extra.get("grassroots_type", ""),
        extra.get("admin_unit_code", ""),
        founded,
        extra.get("decision_no", ""),
        extra.get("decision_date", ""),
    ]
