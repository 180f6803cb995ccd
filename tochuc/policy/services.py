"""The only writers of the administrators' rule changes and calendar exceptions (the Django
admin calls them). Each write is audited for every province: a rule or a working day can
change any organization's figures and due dates, so every home page is computed again
(`core.dashboard`, keyed by `audit.last_write_id`)."""

from django.db import transaction

from tochuc.core import audit

from .models import PolicyVersion, WorkingDayOverride


@transaction.atomic
def version_save(version: PolicyVersion, *, by=None) -> PolicyVersion:
    """Record a rule change (its parameters are checked by the model's `clean`)."""
    created = version.pk is None
    if created:
        version.created_by = by if getattr(by, "is_authenticated", False) else None
    version.save()
    audit.record(
        "tochuc.policy.version_created" if created else "tochuc.policy.version_changed",
        by=by,
        obj=version,
        province=audit.EVERY_PROVINCE,
        effective_from=version.effective_from,
        source=version.source,
        params=version.params,
    )
    return version


@transaction.atomic
def version_delete(version: PolicyVersion, *, by=None) -> None:
    audit.record(
        "tochuc.policy.version_deleted",
        by=by,
        obj=version,
        province=audit.EVERY_PROVINCE,
        effective_from=version.effective_from,
        source=version.source,
        params=version.params,
    )
    version.delete()


@transaction.atomic
def override_save(override: WorkingDayOverride, *, by=None) -> WorkingDayOverride:
    """Record a compensatory day off or a Saturday made a working day."""
    created = override.pk is None
    if created:
        override.created_by = by if getattr(by, "is_authenticated", False) else None
    override.save()
    audit.record(
        "tochuc.policy.working_day_created" if created else "tochuc.policy.working_day_changed",
        by=by,
        obj=override,
        province=audit.EVERY_PROVINCE,
        day=override.day,
        is_working_day=override.is_working_day,
        reason=override.reason,
    )
    return override


@transaction.atomic
def override_delete(override: WorkingDayOverride, *, by=None) -> None:
    audit.record(
        "tochuc.policy.working_day_deleted",
        by=by,
        obj=override,
        province=audit.EVERY_PROVINCE,
        day=override.day,
        is_working_day=override.is_working_day,
        reason=override.reason,
    )
    override.delete()
