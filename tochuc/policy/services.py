"""The only writers of the administrators' rule changes and calendar exceptions (the Django
admin calls them). Each write is audited for every province: a rule or a working day can
change any organization's figures and due dates, so every home page is computed again
(`core.dashboard`, keyed by `audit.last_write_id`)."""

from django.db import models, transaction

from tochuc.core import audit

from .models import PolicyVersion, WorkingDayOverride

SUBJECTS = ("version", "working_day")  # the audit's actions: tochuc.policy.<subject>_<verb>


def _recorded(obj: models.Model) -> tuple[str, dict]:
    """The action's subject and what the audit entry keeps of the record."""
    if isinstance(obj, PolicyVersion):
        kept = {"effective_from": obj.effective_from, "source": obj.source, "params": obj.params}
        return "version", kept
    kept = {"day": obj.day, "is_working_day": obj.is_working_day, "reason": obj.reason}
    return "working_day", kept


@transaction.atomic
def save(obj: PolicyVersion | WorkingDayOverride, *, by=None):
    """Record a rule change (its parameters checked by the admin's form) or a compensatory
    day off / a Saturday made a working day."""
    created = obj.pk is None
    if created:
        obj.created_by = by if getattr(by, "is_authenticated", False) else None
    obj.save()
    subject, kept = _recorded(obj)
    audit.record(
        f"tochuc.policy.{subject}_{'created' if created else 'changed'}",  # SUBJECTS × 3
        by=by,
        obj=obj,
        province=audit.EVERY_PROVINCE,
        **kept,
    )
    return obj


@transaction.atomic
def delete(obj: PolicyVersion | WorkingDayOverride, *, by=None) -> None:
    subject, kept = _recorded(obj)
    audit.record(
        f"tochuc.policy.{subject}_deleted", by=by, obj=obj, province=audit.EVERY_PROVINCE, **kept
    )
    obj.delete()
