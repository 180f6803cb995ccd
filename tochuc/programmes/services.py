"""Writes: programmes, task groups, tasks, progress reports, and the monthly briefing."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tochuc.core import audit
from tochuc.core.errors import ProcedureError
from tochuc.lib.dates import add_months, vn_date
from tochuc.organizations.models import Organization
from tochuc.policy.acts import check_act_date
from tochuc.reports import periods

from . import figures, selectors
from .models import Briefing, Programme, ProgressReport, Status, Task, TaskGroup


def _by(user):
    return user if getattr(user, "is_authenticated", False) else None


@transaction.atomic
def programme_create(
    *,
    organization: Organization,
    title: str,
    starts_on: date,
    ends_on: date,
    document=None,
    groups: list[str] = (),
    by=None,
) -> Programme:
    check_act_date(starts_on, field="starts_on")
    check_act_date(ends_on, field="ends_on", scheduled=True)
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("Ngày kết thúc không được trước ngày bắt đầu.")})
    if not (title or "").strip():
        raise ValidationError({"title": _("Hãy ghi tên chương trình.")})
    programme = Programme.objects.create(
        organization=organization,
        title=title.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        document=document,
        recorded_by=_by(by),
    )
    TaskGroup.objects.bulk_create(
        TaskGroup(programme=programme, number=n, title=t) for n, t in enumerate(groups, 1)
    )
    audit.record("tochuc.programme.created", by=by, obj=programme, reason=title[:255])
    return programme


def check_assignees(programme: Programme, assignees: list[Organization]) -> None:
    """A task goes to at least one organization, each in the programme's subtree."""
    if not assignees:
        raise ValidationError({"assignees": _("Hãy giao nhiệm vụ cho ít nhất một tổ chức.")})
    outside = [o.name for o in assignees if not o.path.startswith(programme.organization.path)]
    if outside:
        raise ValidationError(
            {
                "assignees": _("%(names)s không thuộc %(name)s.")
                % {"names": ", ".join(outside), "name": programme.organization.name}
            }
        )


def check_deadline(programme: Programme, deadline: date) -> None:
    if not programme.starts_on <= deadline <= programme.ends_on:
        raise ValidationError(
            {
                "deadline": _(
                    "Thời hạn phải trong thời gian của chương trình (%(start)s – %(end)s)."
                )
                % {"start": vn_date(programme.starts_on), "end": vn_date(programme.ends_on)}
            }
        )


def check_progress(status: str, percent: int) -> None:
    if status not in Status.values:
        raise ValidationError({"status": _("Tình trạng không hợp lệ.")})
    if not 0 <= percent <= 100:
        raise ValidationError({"percent": _("Tỷ lệ hoàn thành từ 0 đến 100%.")})
    if (status == Status.DONE) != (percent == 100):
        raise ValidationError({"percent": _("Nhiệm vụ hoàn thành khi và chỉ khi đạt 100%.")})


@transaction.atomic
def task_add(
    *,
    group: TaskGroup,
    title: str,
    assignees: list[Organization],
    deadline: date,
    expected_output: str = "",
    by=None,
) -> Task:
    programme = group.programme
    check_assignees(programme, assignees)
    check_deadline(programme, deadline)
    if not (title or "").strip():
        raise ValidationError({"title": _("Hãy ghi nhiệm vụ.")})
    task = Task.objects.create(
        group=group, title=title.strip(), deadline=deadline, expected_output=expected_output.strip()
    )
    task.assignees.set(assignees)
    audit.record("tochuc.programme.task_added", by=by, obj=programme, reason=title[:255])
    return task


def task_refresh(task: Task) -> None:
    """The task's state is its latest report's (by date, then as recorded); with none, not
    started. One rule for a new report, a corrected one and a cancelled one."""
    latest = task.reports.order_by("-reported_on", "-id").first()
    if latest is None:
        task.status, task.percent, task.completed_on = Status.NOT_STARTED, 0, None
    else:
        task.status, task.percent = latest.status, latest.percent
        task.completed_on = latest.reported_on if latest.status == Status.DONE else None


@transaction.atomic
def progress_report(
    *,
    task: Task,
    organization: Organization,
    reported_on: date,
    status: str,
    percent: int,
    text: str = "",
    by=None,
) -> ProgressReport:
    task = Task.objects.select_for_update().get(pk=task.pk)
    check_act_date(reported_on, field="reported_on")
    if not task.assignees.filter(pk=organization.pk).exists():
        raise ProcedureError(
            _("Nhiệm vụ này không giao cho %(name)s.") % {"name": organization.name}
        )
    check_progress(status, percent)
    report = ProgressReport.objects.create(
        task=task,
        organization=organization,
        reported_on=reported_on,
        status=status,
        percent=percent,
        text=text.strip(),
        recorded_by=_by(by),
    )
    task_refresh(task)
    task.row_version += 1
    task.save(update_fields=["status", "percent", "completed_on", "row_version"])
    audit.record(
        "tochuc.programme.progress_reported",
        by=by,
        obj=task.group.programme,
        reason=task.title[:255],
        percent=percent,
        status=status,
    )
    return report


def month_start(day: date) -> date:
    return day.replace(day=1)


def previous_month(day: date) -> date:
    """The first day of the month before `day`'s."""
    return add_months(month_start(day), -1)


def month_period(month: date) -> periods.Period:
    """The calendar month starting on `month` (its first day): one rule, lib.dates."""
    return periods.between(month, add_months(month, 1) - timedelta(days=1))


def draft_text(*, organization: Organization, month: date, figures_: list[dict]) -> str:
    """The briefing's text as the sector writes it: I. results of last month (the reports'
    paragraphs), II. the programme tasks completed and overdue, III. this month's tasks."""
    period = month_period(month)
    lines = [_("I. KẾT QUẢ CÔNG TÁC THÁNG %(month)s") % {"month": f"{month:%m/%Y}"}]
    for report in figures_:
        lines += [f"- {p}" for p in report["paragraphs"]]
    done = selectors.tasks_completed(organization=organization, start=period.start, end=period.end)
    overdue = selectors.tasks_overdue(organization=organization, on=add_months(month, 1))
    lines.append(_("II. THỰC HIỆN NHIỆM VỤ TRỌNG TÂM"))
    lines.append(_("Hoàn thành trong tháng: %(n)s nhiệm vụ.") % {"n": len(done)})
    lines += [f"- {t.title}" for t in done]
    lines.append(_("Quá hạn chưa hoàn thành: %(n)s nhiệm vụ.") % {"n": len(overdue)})
    lines += [f"- {t.title} ({_('hạn')} {vn_date(t.deadline)})" for t in overdue]
    following = month_period(add_months(month, 1))
    ahead = selectors.tasks_due(organization=organization, start=following.start, end=following.end)
    lines.append(_("III. NHIỆM VỤ THÁNG %(month)s") % {"month": f"{following.start:%m/%Y}"})
    lines += [f"- {t.group.number}. {t.title} ({_('hạn')} {vn_date(t.deadline)})" for t in ahead]
    return "\n".join(lines)


@transaction.atomic
def briefing_draft(*, organization: Organization, month: date, by=None) -> Briefing:
    """Generate (or regenerate, while a draft) the briefing of `organization` for `month`."""
    month = month_start(month)
    if month > month_start(timezone.localdate()):
        raise ValidationError(
            {"month": _("Chưa đến tháng %(month)s.") % {"month": f"{month:%m/%Y}"}}
        )
    briefing = (
        Briefing.objects.select_for_update().filter(organization=organization, month=month).first()
    )
    if briefing is not None and briefing.is_issued:
        raise ProcedureError(
            _("Báo cáo giao ban tháng %(month)s đã ban hành, không lập lại.")
            % {"month": f"{month:%m/%Y}"}
        )
    found = figures.month_figures(organization=organization, period=month_period(month))
    text = draft_text(organization=organization, month=month, figures_=found)
    if briefing is None:
        briefing = Briefing(organization=organization, month=month)
    else:
        briefing.row_version += 1
    briefing.figures, briefing.text = found, text
    briefing.save()
    audit.record("tochuc.briefing.drafted", by=by, obj=briefing, month=f"{month:%m/%Y}")
    return briefing


@transaction.atomic
def briefing_edit(*, briefing: Briefing, text: str, row_version: int, by=None) -> Briefing:
    briefing = Briefing.objects.select_for_update().get(pk=briefing.pk)
    if briefing.is_issued:
        raise ProcedureError(_("Báo cáo đã ban hành, không sửa được."))
    if briefing.row_version != row_version:
        raise ProcedureError(_("Người khác vừa sửa báo cáo này; hãy mở lại trang."))
    briefing.text = text.strip()
    briefing.row_version += 1
    briefing.save(update_fields=["text", "row_version"])
    audit.record("tochuc.briefing.edited", by=by, obj=briefing)
    return briefing


@transaction.atomic
def briefing_issue(*, briefing: Briefing, row_version: int, by=None) -> Briefing:
    """Issue the briefing as it stands: from then on it is kept as issued, unchanged."""
    briefing = Briefing.objects.select_for_update().get(pk=briefing.pk)
    if briefing.is_issued:
        raise ProcedureError(_("Báo cáo đã ban hành."))
    if briefing.row_version != row_version:
        raise ProcedureError(_("Người khác vừa sửa báo cáo này; hãy mở lại trang."))
    briefing.issued_at = timezone.now()
    briefing.issued_by = _by(by)
    briefing.row_version += 1
    briefing.save(update_fields=["issued_at", "issued_by", "row_version"])
    audit.record("tochuc.briefing.issued", by=by, obj=briefing)
    return briefing
