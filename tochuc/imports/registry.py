"""Importers by name, and the one way every import runs.

An importer (registered by its app: `catalog`) declares its columns (typed: `columns`) and
two steps: `plan` checks the whole file against the database and the caller's scope and
says, row by row, what it would create, change or leave alone — or lists every bad row;
`apply` performs the plan through the domain services or their bulk paths (audited with
`core.audit.record_many`). `run_import` ties them together:
nothing is written unless every row is good, everything is written in one transaction,
and a dry run performs the writes and rolls them back, so the preview is exactly what
the import would do. Importing the same file twice changes nothing the second time
(importers recognise existing rows by their code).

To add an importer: subclass `Importer` in the domain app (`<app>/importing.py`), declare
its columns with the typed columns of `tochuc.imports.columns` (read by `parse_rows`),
and register it from the app's `ready()` with `tochuc.imports.catalog.register`.

Progress: `run_import` reports each phase to an optional `watch(phase, done, total)`
callback — "reading" the file (n of 0: the size is unknown until read), "checking" its
rows, then "writing" them — so that the command line draws a bar and the web page a
progress bar (`tochuc.imports.jobs`). An importer needs nothing special for it: rows
checked are counted as its `plan` iterates `table.rows`, and rows written are whatever
its `apply` reports through `progress(done, total)`.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import number_format
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.accounts.access import Scope
from tochuc.accounts.permissions import IMPORT
from tochuc.core import audit
from tochuc.lib import xlsx
from tochuc.lib.memory import collector_paused

from .catalog import IMPORTERS

Progress = Callable[[int, int], Any]  # (rows written so far, rows to write)
Watch = Callable[[str, int, int], Any]  # (phase, rows done in it, rows in it)

READING, CHECKING, WRITING = "reading", "checking", "writing"
COUNT_STEPS = 200  # a checking report every 1/200 of the rows at most


@dataclass(frozen=True)
class RowError:
    """One reason a row (or the file, when `row` is None) is refused."""

    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(_("Dòng %(row)s") % {"row": self.row})
        if self.column:
            where.append(_("cột “%(column)s”") % {"column": self.column})
        if not where:
            return str(self.message)
        return _("%(where)s: %(message)s") % {"where": ", ".join(where), "message": self.message}


class ImportFailed(Exception):
    """Raised by `apply` to abandon the whole import (the transaction rolls back)."""

    def __init__(self, errors: Sequence[RowError]):
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = list(errors)


def flags_need_reason(rows: int) -> str:
    return _(
        "Tệp có %(rows)s dòng nghi trùng với hồ sơ đã có hoặc với dòng khác của tệp; hãy ghi "
        "lý do vẫn nhập (hoặc bỏ các dòng đó khỏi tệp)."
    ) % {"rows": rows}


def error_messages(error: ValidationError) -> str:
    return " ".join(str(m) for m in error.messages)


@dataclass
class Plan:
    """What an importer would do with a file."""

    errors: list[RowError] = field(default_factory=list)
    items: list[Any] = field(default_factory=list)  # the importer's own, in write order
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    samples: list[list[str]] = field(default_factory=list)  # first rows to be created
    rows: int = 0  # rows of the file it was made from
    # Rows to be written that need a word from the importer first (a likely duplicate of a
    # kept record or of another row), with the evidence: shown by the preview; the write
    # needs a reason (`run_import(reason=)`), which `apply` finds in `flag_reason`.
    flags: list[RowError] = field(default_factory=list)
    flag_reason: str = ""

    def error(self, row: int | None, column: str, message: str) -> None:
        self.errors.append(RowError(row, str(column), str(message)))

    def flag(self, row: int | None, column: str, message: str) -> None:
        self.flags.append(RowError(row, str(column), str(message)))

    @property
    def writes(self) -> int:
        return self.created + self.changed


class Importer:
    """Base of every importer. Subclasses set the attributes and implement the two steps."""

    name: str = ""
    title: str = ""  # what is imported, lower case: "tổ chức đảng"
    description: str = ""
    sheet_title: str = gettext_lazy("Dữ liệu")
    columns: Sequence[xlsx.Column] = ()
    example: dict[str, Any] = {}
    notes: Sequence[str] = ()
    sample_headers: Sequence[str] = ()
    permission: str = IMPORT

    def plan(self, table: xlsx.Table, *, scope: Scope, by=None) -> Plan:
        raise NotImplementedError

    def apply(self, plan: Plan, *, by=None, progress: Progress | None = None) -> None:
        raise NotImplementedError

    def template(self) -> bytes:
        return xlsx.template_workbook(
            title=self.title,
            sheet_title=self.sheet_title,
            columns=self.columns,
            example=self.example,
            notes=self.notes,
        )

    def template_filename(self) -> str:
        return f"mau-nhap-{self.name}.xlsx"


@dataclass
class Outcome:
    importer: Importer
    filename: str = ""
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    rows: int = 0
    samples: list[list[str]] = field(default_factory=list)
    dry_run: bool = False
    written: bool = False
    flags: list[RowError] = field(default_factory=list)  # the plan's, sorted by row

    @property
    def flagged_rows(self) -> int:
        return len({flag.row for flag in self.flags})

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def summary(self) -> str:
        return _("%(created)s tạo mới, %(changed)s thay đổi, %(unchanged)s không đổi") % {
            "created": number_format(self.created, force_grouping=True),
            "changed": number_format(self.changed, force_grouping=True),
            "unchanged": number_format(self.unchanged, force_grouping=True),
        }


# ---------------------------------------------------------------- the registry


class UnknownImporter(LookupError):
    pass


@cache
def get(name: str) -> Importer:
    try:
        path = IMPORTERS[name]
    except KeyError:
        names = ", ".join(sorted(IMPORTERS))
        raise UnknownImporter(
            _("Không có loại dữ liệu nhập “%(name)s”; các loại có: %(names)s.")
            % {"name": name, "names": names}
        ) from None
    return import_string(path)()


def all_importers() -> list[Importer]:
    return [get(name) for name in IMPORTERS]


def available_to(scope: Scope) -> list[Importer]:
    """The importers a user may use somewhere in their scope."""
    perms = scope.permissions_for(None)
    return [importer for importer in all_importers() if importer.permission in perms]


class SystemScope(Scope):
    """The whole database, for the command line run by an operator without --user."""

    def __init__(self):
        super().__init__(None, [])
        self.is_admin = True


# ---------------------------------------------------------------- running an import


class CountedRows(list):
    """The rows of a table, counting how many an importer has gone through.

    `report(done)` is called every `step` rows and once at the end of each pass, so an
    importer's `for row in table.rows` reports the checking progress by itself.
    """

    def __init__(self, rows, report: Callable[[int], Any], step: int):
        super().__init__(rows)
        self.report = report
        self.step = max(1, step)

    def __iter__(self):
        done = 0
        for row in super().__iter__():
            yield row
            done += 1
            if done % self.step == 0:
                self.report(done)
        if done % self.step:
            self.report(done)


@cache
def _reports_rows_read() -> bool:
    """Whether `xlsx.read_table` takes `progress(rows read so far)` (the file's row count
    is unknown until it is read, so the reading phase reports `(done, 0)`)."""
    return "progress" in inspect.signature(xlsx.read_table).parameters


def run_import(
    importer: Importer,
    source,
    *,
    scope: Scope,
    by=None,
    dry_run: bool = False,
    filename: str = "",
    progress: Progress | None = None,
    watch: Watch | None = None,
    channel: str = "web",
    plan: Plan | None = None,
    keep: Callable[[Plan], Any] | None = None,
    reason: str = "",
) -> Outcome:
    """Read, check every row, then write all rows in one transaction (or none).

    `reason`: why the rows the plan flags (likely duplicates) are written anyway; without
    one a file with flagged rows is checked (a dry run shows the flags) but not written.

    `plan`: a plan made earlier from the same file (by a check whose data has not changed
    since: `tochuc.imports.jobs`), written without reading and checking the file again.
    `keep(plan)` receives the plan of a good file before anything is written.

    `source` is a path, bytes or an uploaded file. A dry run performs the writes and rolls
    them back. Audited as `tochuc.import.<name>` with the counts when written, and as
    `tochuc.import.checked` (a read of the file, like an export) after a dry run.
    `progress(done, total)` follows the writing; `watch(phase, done, total)` every phase.
    After a write the summary table's refresh is queued (`tochuc.statistics.tasks`).
    """
    with collector_paused():  # a file's rows, then its plan, stay in memory until written
        outcome = _run_import(
            importer, source, scope=scope, by=by, dry_run=dry_run, filename=filename,
            progress=progress, watch=watch, channel=channel, plan=plan, keep=keep,
            reason=reason.strip(),
        )  # fmt: skip
    if dry_run:
        audit.record(
            "tochuc.import.checked",
            by=by,
            importer=importer.name,
            filename=filename,
            rows=outcome.rows,
            created=outcome.created,
            changed=outcome.changed,
            unchanged=outcome.unchanged,
            errors=len(outcome.errors),
            flagged=outcome.flagged_rows,
            channel=channel,
        )
    if outcome.written and (outcome.created or outcome.changed):
        from tochuc.statistics.tasks import refresh_summary

        refresh_summary.enqueue()  # the summary's parts of the provinces written
    return outcome


def _run_import(
    importer: Importer, source, *, scope: Scope, by, dry_run: bool, filename: str,
    progress: Progress | None, watch: Watch | None, channel: str, plan: Plan | None,
    keep: Callable[[Plan], Any] | None, reason: str = "",
) -> Outcome:  # fmt: skip
    outcome = Outcome(importer, filename=filename, dry_run=dry_run)
    if plan is None:
        plan = _plan(importer, source, outcome, scope=scope, by=by, watch=watch)
        if plan is None or outcome.errors:
            return outcome
        if keep is not None:
            keep(plan)
    outcome.flags = sorted(plan.flags, key=lambda f: f.row or 0)
    if plan.flags and not dry_run and not reason:
        outcome.errors = [RowError(None, "", flags_need_reason(outcome.flagged_rows))]
        return outcome
    plan.flag_reason = reason if plan.flags else ""
    outcome.rows = plan.rows
    outcome.created, outcome.changed, outcome.unchanged = (
        plan.created,
        plan.changed,
        plan.unchanged,
    )
    outcome.samples = plan.samples

    def rows_written(done: int, total: int) -> None:
        if progress is not None:
            progress(done, total)
        if watch is not None:
            watch(WRITING, done, total)

    reporting = progress is not None or watch is not None
    if watch is not None:
        watch(WRITING, 0, len(plan.items))
    try:
        with transaction.atomic():
            importer.apply(plan, by=by, progress=rows_written if reporting else None)
            if dry_run:
                transaction.set_rollback(True)
            else:
                provinces = _provinces_of(scope)  # none said: every province
                audit.record(
                    f"tochuc.import.{importer.name}",
                    by=by,
                    filename=filename,
                    rows=outcome.rows,
                    created=plan.created,
                    changed=plan.changed,
                    unchanged=plan.unchanged,
                    channel=channel,
                    **(
                        {"flagged": outcome.flagged_rows, "flag_reason": reason}
                        if plan.flags
                        else {}
                    ),  # fmt: skip
                    **provinces,
                    province=audit.shared_province(*provinces["provinces"])
                    if provinces
                    else audit.EVERY_PROVINCE,
                )
    except ImportFailed as failure:
        outcome.errors = failure.errors
        return outcome
    outcome.written = not dry_run
    return outcome


def _plan(
    importer: Importer, source, outcome: Outcome, *, scope: Scope, by, watch: Watch | None
) -> Plan | None:
    """Read the file and check every row; the errors go on `outcome` (None: unreadable)."""
    if watch is not None:
        watch(READING, 0, 0)
    reading = {}
    if watch is not None and _reports_rows_read():
        reading["progress"] = lambda done: watch(READING, done, 0)
    try:
        table = xlsx.read_table(
            source, importer.columns, sheet_title=importer.sheet_title, **reading
        )
    except xlsx.SpreadsheetError as error:
        outcome.errors = [RowError(None, "", error_messages(error))]
        return None
    outcome.rows = count = len(table.rows)
    if watch is not None:
        watch(CHECKING, 0, count)
        table.rows = CountedRows(
            table.rows, lambda done: watch(CHECKING, done, count), count // COUNT_STEPS
        )
    plan = importer.plan(table, scope=scope, by=by)
    plan.rows = count
    if plan.errors:
        outcome.errors = sorted(plan.errors, key=lambda e: e.row or 0)
        outcome.created, outcome.changed, outcome.unchanged = (
            plan.created, plan.changed, plan.unchanged,
        )  # fmt: skip
        outcome.samples = plan.samples
    return plan


def _provinces_of(scope) -> dict:
    """The provinces an import could write to (the importer's scope), for the summary
    table's freshness; none said for an administrator (every province)."""
    if scope is None or scope.is_admin:
        return {}
    return {"provinces": sorted({g.organization.province_id for g in scope.grants
                                 if g.organization_id})}  # fmt: skip
