"""Sửa / Hủy of programme tasks and progress reports (core/corrections.py: the reason, the
correcting decision, before → after kept and audited), and the files of a progress report.

- `task_correct`: title, deadline (inside the programme), expected output, assignees (in the
  programme's subtree; an organization that has reported on the task stays assigned).
- `task_cancel`: a task set by mistake, with its progress reports (the correction counts
  them) and their files.
- `progress_correct` / `progress_cancel`: a report's date, status, percent, text; the task's
  state is its latest remaining report's again (`task_refresh`).
- `progress_attach`: a file on a report (core/uploads.py: size, type, name checked).
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tochuc.core import audit, corrections, uploads
from tochuc.core.errors import ProcedureError
from tochuc.organizations.models import Organization
from tochuc.policy.acts import check_act_date

from .models import ProgressFile, ProgressReport, Task
from .services import check_assignees, check_deadline, check_progress, task_refresh

TASK_FIELDS = ["title", "deadline", "expected_output", "assignees"]
PROGRESS_FIELDS = ["reported_on", "status", "percent", "text"]


def _stale(expected_version: int | None, current: int, what: str) -> None:
    if expected_version is not None and current != expected_version:
        raise ProcedureError(
            _(
                "%(what)s đã được người khác sửa sau khi đồng chí mở trang này. Thay đổi của "
                "đồng chí chưa được lưu; hãy tải lại trang để xem bản mới rồi sửa lại."
            )
            % {"what": what}
        )


def _task_snapshot(task: Task) -> dict:
    data = corrections.snapshot(task, TASK_FIELDS[:3])
    data["assignees"] = ", ".join(sorted(o.code for o in task.assignees.all()))
    return data


@transaction.atomic
def task_correct(
    *,
    task: Task,
    grounds: corrections.Grounds,
    expected_version: int | None = None,
    title: str | None = None,
    deadline: date | None = None,
    expected_output: str | None = None,
    assignees: list[Organization] | None = None,
    by=None,
) -> Task:
    grounds.check()
    task = Task.objects.select_for_update().select_related("group__programme").get(pk=task.pk)
    _stale(expected_version, task.row_version, _("Nhiệm vụ"))
    before = _task_snapshot(task)
    programme = task.group.programme
    if title is not None:
        if not title.strip():
            raise ValidationError({"title": _("Hãy ghi nhiệm vụ.")})
        task.title = title.strip()
    if deadline is not None:
        check_deadline(programme, deadline)
        task.deadline = deadline
    if expected_output is not None:
        task.expected_output = expected_output.strip()
    if assignees is not None:
        check_assignees(programme, assignees)
        kept = {o.pk for o in assignees}
        reported = Organization.objects.filter(
            pk__in=task.reports.values("organization_id")
        ).exclude(pk__in=kept)
        if reported:
            raise ValidationError(
                {"assignees": _("%(names)s đã báo cáo tiến độ nhiệm vụ này: không bỏ được.")
                 % {"names": ", ".join(o.name for o in reported)}}
            )  # fmt: skip
        task.assignees.set(assignees)
    task.row_version += 1
    task.full_clean(exclude=["group"])
    task.save()
    corrections.record(
        obj=task, entity="programme_task", action=corrections.CORRECTED, grounds=grounds,
        before=before, after=_task_snapshot(task), by=by,
        labels={"assignees": _("Giao cho")},
    )  # fmt: skip
    return task


@transaction.atomic
def task_cancel(
    *, task: Task, grounds: corrections.Grounds, expected_version: int | None = None, by=None
) -> None:
    grounds.check()
    task = Task.objects.select_for_update().get(pk=task.pk)
    _stale(expected_version, task.row_version, _("Nhiệm vụ"))
    reports = task.reports.count()
    paths = list(ProgressFile.objects.filter(report__task=task).values_list("path", flat=True))
    effects = []
    if reports:
        effects.append(_("Xóa %(n)s báo cáo tiến độ của nhiệm vụ.") % {"n": reports})
    if paths:
        effects.append(_("Xóa %(n)s tệp đính kèm.") % {"n": len(paths)})
    corrections.record(
        obj=task, entity="programme_task", action=corrections.CANCELLED, grounds=grounds,
        before=_task_snapshot(task), by=by, effects=effects, labels={"assignees": _("Giao cho")},
    )  # fmt: skip
    task.delete()
    uploads.discard(paths)


def _lock_report(report: ProgressReport, expected_version: int | None) -> ProgressReport:
    Task.objects.select_for_update().filter(pk=report.task_id).first()
    current = (
        ProgressReport.objects.select_for_update()
        .select_related("task", "organization")
        .get(pk=report.pk)
    )
    _stale(expected_version, current.row_version, _("Báo cáo tiến độ"))
    return current


def _save_task(task: Task) -> None:
    task_refresh(task)
    task.row_version += 1
    task.save(update_fields=["status", "percent", "completed_on", "row_version"])


@transaction.atomic
def progress_correct(
    *,
    report: ProgressReport,
    grounds: corrections.Grounds,
    expected_version: int | None = None,
    reported_on: date | None = None,
    status: str | None = None,
    percent: int | None = None,
    text: str | None = None,
    by=None,
) -> ProgressReport:
    grounds.check()
    report = _lock_report(report, expected_version)
    before = corrections.snapshot(report, PROGRESS_FIELDS)
    if reported_on is not None:
        check_act_date(reported_on, field="reported_on")
        report.reported_on = reported_on
    report.status = status if status is not None else report.status
    report.percent = percent if percent is not None else report.percent
    if text is not None:
        report.text = text.strip()
    check_progress(report.status, report.percent)
    report.row_version += 1
    report.full_clean(exclude=["task", "organization", "recorded_by"])
    report.save()
    _save_task(report.task)
    corrections.record(
        obj=report, entity="programme_progress", action=corrections.CORRECTED,
        grounds=grounds, before=before, after=corrections.snapshot(report, PROGRESS_FIELDS),
        by=by,
    )  # fmt: skip
    return report


@transaction.atomic
def progress_cancel(
    *,
    report: ProgressReport,
    grounds: corrections.Grounds,
    expected_version: int | None = None,
    by=None,
) -> None:
    grounds.check()
    report = _lock_report(report, expected_version)
    task = report.task
    paths = list(report.files.values_list("path", flat=True))
    corrections.record(
        obj=report, entity="programme_progress", action=corrections.CANCELLED, grounds=grounds,
        before={"task": task.title, **corrections.snapshot(report, PROGRESS_FIELDS)}, by=by,
        effects=[_("Xóa %(n)s tệp đính kèm.") % {"n": len(paths)}] if paths else (),
        labels={"task": _("Nhiệm vụ")},
    )  # fmt: skip
    report.delete()
    _save_task(task)
    uploads.discard(paths)


@transaction.atomic
def progress_attach(*, report: ProgressReport, upload, by=None) -> ProgressFile:
    """A file on a progress report (evidence of the result)."""
    report = ProgressReport.objects.select_for_update().select_related("task").get(pk=report.pk)
    stored = uploads.store(upload, folder="progress", on=timezone.localdate())
    row = ProgressFile(report=report)
    row.fill(stored, by)
    row.save()
    audit.record(
        "tochuc.programme.file_attached", by=by, obj=report.task.group.programme,
        reason=report.task.title[:255], filename=row.filename, size=row.size,
    )  # fmt: skip
    return row


@transaction.atomic
def progress_file_remove(*, row: ProgressFile, grounds: corrections.Grounds, by=None) -> None:
    """A file attached by mistake to a progress report: removed, the reason kept."""
    row = ProgressFile.objects.select_for_update().select_related("report").get(pk=row.pk)
    uploads.remove(row, grounds=grounds, by=by, audit_on=[row.report])
