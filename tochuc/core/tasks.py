"""Background work of the home page: its panels computed ahead for the provinces."""

from django.utils import timezone
from django_tasks import task

from tochuc.organizations.models import Organization

from . import dashboard


@task()
def warm_home_panels() -> int:
    """Compute the panels of every open root organization's home page (a province's, a
    central bloc's) that are not cached for today and the data as it is now; returns how
    many were computed. Queued after the nightly summary (`tochuc report_counts`) and run
    at the end of each summary refresh (after an import: only the province it wrote has
    new data, so only its panels are computed again). Safe to run twice or late."""
    roots = Organization.objects.filter(parent__isnull=True, ended_on__isnull=True).order_by("path")
    return dashboard.warm(roots, timezone.localdate())
