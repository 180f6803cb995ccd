"""Reads: programmes and tasks of an organization's subtree; tasks done, overdue, due."""

from __future__ import annotations

from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet

from tochuc.lib.paths import under
from tochuc.organizations.models import Organization

from .models import Briefing, Programme, ProgressFile, ProgressReport, Status, Task


def programme_list(*, organization: Organization) -> QuerySet[Programme]:
    """Programmes set in the subtree, or with a task assigned to an organization of it."""
    assigned = Task.objects.filter(
        under("assignees__path", organization.path), group__programme=OuterRef("pk")
    )
    return (
        Programme.objects.filter(under("organization__path", organization.path) | Exists(assigned))
        .select_related("organization", "document")
        .distinct()
    )


def _tasks(organization: Organization) -> QuerySet[Task]:
    """Tasks of programmes of the subtree, or assigned to an organization of it."""
    assigned = Organization.objects.filter(
        under("path", organization.path), pk=OuterRef("assignees")
    )
    return (
        Task.objects.filter(
            Q(under("group__programme__organization__path", organization.path))
            | Q(pk__in=Task.objects.filter(Exists(assigned)).values("pk"))
        )
        .select_related("group", "group__programme")
        .distinct()
        .order_by("deadline", "id")
    )


def tasks_completed(*, organization: Organization, start: date, end: date) -> list[Task]:
    return list(
        _tasks(organization).filter(
            status=Status.DONE, completed_on__gte=start, completed_on__lte=end
        )
    )


def tasks_overdue(*, organization: Organization, on: date) -> list[Task]:
    return list(_tasks(organization).filter(deadline__lt=on).exclude(status=Status.DONE))


def tasks_due(*, organization: Organization, start: date, end: date) -> list[Task]:
    return list(
        _tasks(organization)
        .filter(deadline__gte=start, deadline__lte=end)
        .exclude(status=Status.DONE)
    )


def briefing_list(*, organization: Organization) -> QuerySet[Briefing]:
    return Briefing.objects.filter(organization=organization).order_by("-month")


def tasks_assigned(*, organization: Organization) -> QuerySet[Task]:
    """Tasks assigned to `organization` itself (what its secretary reports on)."""
    return (
        Task.objects.filter(assignees=organization)
        .select_related("group", "group__programme")
        .order_by("deadline", "id")
    )


def tasks_of(*, organization: Organization) -> QuerySet[Task]:
    """Every task the organization's subtree sets or is assigned, by deadline."""
    return _tasks(organization)


def tasks_set_by(*, organization: Organization) -> QuerySet[Task]:
    """Tasks of programmes set in the subtree (what its officers may correct)."""
    return _tasks(organization).filter(
        under("group__programme__organization__path", organization.path)
    )


def reports_of(*, task: Task) -> QuerySet[ProgressReport]:
    return (
        task.reports.select_related("organization")
        .prefetch_related("files")
        .order_by("-reported_on", "-id")
    )


def reports_by(*, organization: Organization) -> QuerySet[ProgressReport]:
    """Progress reports filed by the organizations of the subtree."""
    return ProgressReport.objects.filter(
        under("organization__path", organization.path)
    ).select_related("task", "organization")


def progress_file(*, organization: Organization, pk: int) -> ProgressFile | None:
    """A file of a progress report on a task the subtree sets or is assigned."""
    return (
        ProgressFile.objects.filter(pk=pk, report__task__in=_tasks(organization).values("pk"))
        .select_related("report__task__group__programme")
        .first()
    )
