"""Reads: programmes and tasks of an organization's subtree; tasks done, overdue, due."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from tochuc.lib.paths import under
from tochuc.organizations.models import Organization

from .models import Briefing, Programme, Status, Task


def programme_list(*, organization: Organization) -> QuerySet[Programme]:
    return Programme.objects.filter(under("organization__path", organization.path)).select_related(
        "organization", "document"
    )


def _tasks(organization: Organization) -> QuerySet[Task]:
    """Tasks of programmes of the subtree, or assigned to an organization of it."""
    return (
        Task.objects.filter(under("group__programme__organization__path", organization.path))
        .select_related("group", "group__programme")
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
