"""The page kit: what every app's pages share, so that a new app's views are small and the
same shape.

- `place(request, organization, trail, on=)`: where a page stands in the tree, as of a
  date, for the one breadcrumbs include (`templates/_breadcrumbs.html`): the ancestors in
  the caller's scope with the names they had on that date, the organization, the page's
  own trail of (title, url).
- `date_in_view(request)`: the date a page is about (`?ngay=dd/mm/yyyy`, today by default)
  and the Vietnamese note to show when the typed date is bad.
- `show_refusal(form, error)`: a service's refusal (`ProcedureError`, any
  `ValidationError`) beside the fields it names, or at the top of the form.
- `procedure_page(...)`: GET the form → POST → the service → a message → redirect; a
  refusal stays on the page beside its field, and nothing is changed.
- `export_response(...)`: a spreadsheet download described by a sheet spec (`Sheet` of
  `Col`umns with Vietnamese titles, a type — text, int, date, percent — and a width),
  audited (`core.audit`), the one `XLSX_TYPE`, a dated file name.
- `download(content, filename, content_type)`: any other file (DOCX, PDF).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header

from tochuc.lib import xlsx
from tochuc.lib.dates import date_in_query

from . import audit

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_TYPE = "application/pdf"


def today() -> date:
    return timezone.localdate()


# ---------------------------------------------------------------- the place and the date


def date_in_view(request, name: str = "ngay") -> tuple[date, str]:
    """The date in view (`?ngay=dd/mm/yyyy` or ISO), today by default; and a note if bad."""
    return date_in_query(request.GET, name, default=today())


def place(
    request, organization, trail: Iterable[tuple[str, str]] = (), *, on=None, version=None
) -> dict:
    """Where a page stands in the tree, for `_breadcrumbs.html`: the organization, its
    ancestors in the caller's scope as named on `on` (today by default), the page's own
    trail of (title, url), and `on` when it is not today (the links keep the date).
    `version`: the organization's version on `on` when the page has read it (a page that
    has found none passes None and the breadcrumb reads it again, as without it)."""
    from tochuc.organizations.selectors import UNREAD, ancestors_on

    day = on or today()
    return {
        "org": organization,
        "ancestors": (
            ancestors_on(
                scope=request.scope,
                organization=organization,
                on=day,
                version=UNREAD if version is None else version,
            )  # fmt: skip
            if organization is not None
            else []
        ),
        "trail": list(trail),
        "on": day if day != today() else None,
    }


# ---------------------------------------------------------------- refusals and procedures


def show_refusal(form: forms.Form, error, error_fields: Mapping[str, str] | None = None) -> None:
    """Put a service's ValidationError beside the fields it names, or at the top.
    `error_fields` maps a service's field name to the form's where they differ."""
    error_fields = error_fields or {}
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            target = error_fields.get(name, name)
            form.add_error(target if target in form.fields else None, errors)
    else:
        form.add_error(None, error)


@contextmanager
def recorded_by(request):
    """Let django-simple-history note who made the change, as its request middleware
    would (HistoryRequestMiddleware); the services save the rows."""
    from simple_history.models import HistoricalRecords

    context = HistoricalRecords.context
    previous = getattr(context, "request", None)
    context.request = request
    try:
        yield
    finally:
        if previous is None:
            del context.request
        else:
            context.request = previous


def procedure_page(
    request,
    *,
    form: forms.Form,
    call: Callable[[forms.Form], Any],
    done: str | Callable[[Any], str],
    then: str | Callable[[Any], str],
    template: str,
    context: Mapping[str, Any],
    allowed: bool = True,
) -> HttpResponse:
    """One procedure: GET shows `form`; a valid POST runs `call(form)` (the service) and
    on success shows `done` (a text, or made from the result) and redirects to `then` (a
    URL, or made from the result); a refusal stays beside its field and changes nothing.
    `allowed=False`: the page shows the form but a POST does nothing."""
    if request.method == "POST" and allowed and form.is_valid():
        try:
            with recorded_by(request):
                result = call(form)
        except ValidationError as error:
            show_refusal(form, error, getattr(form, "error_fields", None))
        else:
            messages.success(request, done(result) if callable(done) else done)
            return redirect(then(result) if callable(then) else then)
    return render(request, template, {**context, "form": form})


# ---------------------------------------------------------------- exports

TEXT, INT, DATE, PERCENT = "text", "int", "date", "percent"


@dataclass(frozen=True)
class Col:
    """A column of an exported sheet: its Vietnamese title, its type and its width.
    A percent column holds fractions (0.025 shows as 2,5%) with `digits` decimals."""

    title: Any
    kind: str = TEXT
    width: int = 14
    digits: int = 1

    @property
    def number_format(self) -> str | None:
        if self.kind == INT:
            return xlsx.INTEGER_FORMAT
        if self.kind == PERCENT:
            return xlsx.percent_format(self.digits)
        if self.kind == DATE:
            return xlsx.DATE_FORMAT
        return None


@dataclass
class Sheet:
    title: Any
    columns: Sequence[Col]
    rows: Iterable[Sequence[Any]]

    def data(self) -> xlsx.SheetData:
        return xlsx.SheetData(
            str(self.title),
            [str(c.title) for c in self.columns],
            self.rows,
            [c.width for c in self.columns],
            [c.number_format for c in self.columns],
        )


def sheet(title, columns: Sequence[Col], rows: Iterable[Sequence[Any]]) -> Sheet:
    return Sheet(title, columns, rows)


def workbook(sheets: Sequence[Sheet]) -> bytes:
    return xlsx.write_workbook([s.data() for s in sheets])


def dated_filename(stem: str, on: date | None = None, extension: str = "xlsx") -> str:
    """`stem-yyyy-mm-dd.extension`, the date of the data (today by default)."""
    return f"{stem}-{(on or today()):%Y-%m-%d}.{extension}"


def download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    return HttpResponse(
        content,
        content_type=content_type,
        headers={"Content-Disposition": content_disposition_header(True, filename)},
    )


class _Counted:
    """Rows passed through while being counted (an export records how many it wrote)."""

    def __init__(self, rows: Iterable[Sequence[Any]]):
        self.rows = rows
        self.count = 0

    def __iter__(self) -> Iterator[Sequence[Any]]:
        for row in self.rows:
            self.count += 1
            yield row


def export_response(
    request,
    *,
    sheets: Sequence[Sheet],
    filename: str,
    action: str,
    obj=None,
    reason: str = "",
    counted: bool = True,
    **audit_data: Any,
) -> HttpResponse:
    """The XLSX of `sheets`, its export recorded in the audit log as `action` (by the
    user, on `obj`, with `audit_data` and, when `counted`, the number of rows of the
    first sheet as `count`)."""
    first = None
    if counted and sheets and "count" not in audit_data:
        first = _Counted(sheets[0].rows)
        sheets = [Sheet(sheets[0].title, sheets[0].columns, first), *sheets[1:]]
    content = workbook(sheets)
    if first is not None:
        audit_data["count"] = first.count
    audit.record(action, by=request.user, obj=obj, reason=reason, **audit_data)
    return download(content, filename, XLSX_TYPE)
