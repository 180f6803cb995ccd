"""Correcting and cancelling organization events (the restructuring itself).

`organization_event_correct` moves an event to another date or changes its decision;
`organization_event_cancel` undoes an event recorded by mistake — the tree (versions,
paths, ends and successors) and, through `hooks`, the members' affiliations come back
exactly as they were before it. Both refuse, with the reason and changing nothing, what
would contradict another act: a date before an earlier change or after a later one of an
organization it touches; an event that is not the latest of every organization it touches.
Both keep the wrong and the right version through `tochuc.core.corrections`.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError, Q
from django.utils.translation import gettext as _

from tochuc.core import corrections
from tochuc.core.errors import ProcedureError
from tochuc.lib.dates import vn_date

from . import hooks
from .models import EventParticipant, Organization, OrganizationEvent, OrganizationVersion
from .services import describe_event
from .tree import rewrite_archived_paths, sync_current

FIELDS = ["type", "effective_on", "decision_no", "decision_date"]
ENTITY = "organization"


def _touched(event: OrganizationEvent) -> list[Organization]:
    """Every organization the event changed: its participants and whoever followed them."""
    ids = set(event.parts.values_list("organization_id", flat=True))
    ids |= set(
        OrganizationVersion.objects.filter(event=event).values_list("organization_id", flat=True)
    )
    return list(Organization.objects.select_for_update().filter(pk__in=ids).order_by("depth", "id"))


def _created(event: OrganizationEvent) -> set[int]:
    """Organizations the event founded (their first version is the event's)."""
    return {
        org_id
        for org_id in OrganizationVersion.objects.filter(event=event).values_list(
            "organization_id", flat=True
        )
        if OrganizationVersion.objects.filter(organization_id=org_id)
        .order_by("valid_from")
        .values_list("event_id", flat=True)
        .first()
        == event.pk
    }


def _ended(event: OrganizationEvent, orgs: list[Organization]) -> list[Organization]:
    role_ids = set(
        event.parts.filter(
            role__in=[EventParticipant.Role.SOURCE, EventParticipant.Role.SUBJECT]
        ).values_list("organization_id", flat=True)
    )
    return [o for o in orgs if o.pk in role_ids and o.ended_on == event.effective_on]


def _audit_targets(event: OrganizationEvent, created: set[int]) -> list[Organization]:
    """The organizations that stay: the audit entries are filed under them (their
    provinces' summaries go stale)."""
    ids = [
        p.organization_id for p in event.parts.order_by("id") if p.organization_id not in created
    ]
    return list(Organization.objects.filter(pk__in=dict.fromkeys(ids)).order_by("depth", "id"))


def _refuse(message: str, **values) -> None:
    raise ProcedureError(message % values)


# ---------------------------------------------------------------- correct


@transaction.atomic
def organization_event_correct(
    *,
    event: OrganizationEvent,
    grounds: corrections.Grounds,
    on: date | None = None,
    decision_no: str | None = None,
    decision_date: date | None = None,
    by=None,
) -> OrganizationEvent:
    """Correct an event's effective date and/or its decision (number, date)."""
    grounds.check()
    event = OrganizationEvent.objects.select_for_update().get(pk=event.pk)
    before = corrections.snapshot(event, FIELDS)
    old_on = event.effective_on
    new_on = on or old_on
    new_no = event.decision_no if decision_no is None else decision_no.strip()
    new_date = decision_date if decision_date is not None else event.decision_date
    if decision_date and decision_date > new_on and (decision_date - new_on).days > 366:
        raise ValidationError(
            {"decision_date": _("Ngày quyết định cách ngày hiệu lực quá xa; hãy kiểm tra lại.")}
        )
    if (new_on, new_no, new_date) == (old_on, event.decision_no, event.decision_date):
        raise ValidationError(_("Không có gì thay đổi."))
    created = _created(event)
    if new_on != old_on:
        _shift(event, old_on, new_on, created)
    event.effective_on, event.decision_no, event.decision_date = new_on, new_no, new_date
    event.save(update_fields=["effective_on", "decision_no", "decision_date"])
    hooks.notify_event_corrected(event, old_on)
    corrections.record(
        obj=event, entity=ENTITY, action=corrections.CORRECTED, grounds=grounds,
        before=before, after=corrections.snapshot(event, FIELDS), by=by,
        audit_on=_audit_targets(event, created),
    )  # fmt: skip
    return event


def _shift(event: OrganizationEvent, old_on: date, new_on: date, created: set[int]) -> None:
    """Move the event's boundaries from `old_on` to `new_on`, when no other change of the
    organizations it touches lies between (or on) the two dates."""
    orgs = _touched(event)
    ended = _ended(event, orgs)
    own = list(
        OrganizationVersion.objects.select_for_update().filter(event=event, valid_from=old_on)
    )
    own_ids = {v.pk for v in own}
    for org in orgs:
        earlier = org.versions.filter(valid_from__lt=old_on).order_by("-valid_from").first()
        if org.pk not in created and earlier and earlier.valid_from >= new_on:
            _refuse(
                _("Ngày %(on)s không sau thay đổi trước đó của %(name)s (ngày %(changed)s)."),
                on=vn_date(new_on), name=org.name, changed=vn_date(earlier.valid_from),
            )  # fmt: skip
        if org.pk not in created and new_on <= org.founded_on:
            _refuse(
                _("Ngày %(on)s không sau ngày thành lập của %(name)s (%(founded)s)."),
                on=vn_date(new_on), name=org.name, founded=vn_date(org.founded_on),
            )  # fmt: skip
        later = org.versions.filter(valid_from__gt=old_on).order_by("valid_from").first()
        if later and later.valid_from <= new_on:
            _refuse(
                _("Ngày %(on)s không trước thay đổi sau đó của %(name)s (ngày %(changed)s)."),
                on=vn_date(new_on), name=org.name, changed=vn_date(later.valid_from),
            )  # fmt: skip
        if org.ended_on and org not in ended and org.ended_on <= new_on:
            _refuse(
                _("%(name)s đã chấm dứt hoạt động từ %(ended)s."),
                name=org.name, ended=vn_date(org.ended_on),
            )  # fmt: skip
    # A parent the event did not change must stand as it was across the two dates.
    for parent_id in {v.parent_id for v in own if v.parent_id and v.parent_id not in created}:
        parent = Organization.objects.get(pk=parent_id)
        at_old = parent.versions.filter(valid_from__lte=old_on).order_by("-valid_from").first()
        at_new = parent.versions.filter(valid_from__lte=new_on).order_by("-valid_from").first()
        moves = at_old is not None and at_old.pk in own_ids
        same = at_new is not None and at_old is not None and at_new.pk == at_old.pk
        if not moves and not (same and (at_new.valid_to is None or at_new.valid_to > new_on)):
            _refuse(
                _("%(name)s có thay đổi giữa ngày %(old)s và ngày %(new)s; không thể dời sự kiện."),
                name=parent.name, old=vn_date(old_on), new=vn_date(new_on),
            )  # fmt: skip
    # Organizations placed under one the event founded, by a later event, must come after.
    under_new = OrganizationVersion.objects.filter(parent_id__in=created).exclude(event=event)
    first = under_new.order_by("valid_from").first()
    if first and first.valid_from <= new_on:
        _refuse(
            _("%(name)s đã trực thuộc tổ chức mới từ ngày %(changed)s, trước ngày %(on)s."),
            name=first.organization.name, changed=vn_date(first.valid_from), on=vn_date(new_on),
        )  # fmt: skip
    # Closing first, then opening: no period is ever empty or overlapping.
    closing = OrganizationVersion.objects.filter(organization__in=orgs, valid_to=old_on).exclude(
        pk__in=own_ids
    )
    ordered = list(closing) + own if new_on > old_on else own + list(closing)
    for version in ordered:
        if version.pk in own_ids:
            version.valid_from = new_on
            version.save(update_fields=["valid_from"])
        else:
            version.valid_to = new_on
            version.save(update_fields=["valid_to"])
    for org in orgs:
        if org.pk in created:
            org.founded_on = new_on
            org.save(update_fields=["founded_on"])
        if org in ended:
            org.ended_on = new_on
            org.save(update_fields=["ended_on"])


# ---------------------------------------------------------------- cancel


@transaction.atomic
def organization_event_cancel(
    *, event: OrganizationEvent, grounds: corrections.Grounds, by=None
) -> None:
    """Undo an event recorded by mistake: the latest of every organization it touches."""
    grounds.check()
    event = OrganizationEvent.objects.select_for_update().get(pk=event.pk)
    on = event.effective_on
    orgs = _touched(event)
    created = _created(event)
    ended = _ended(event, orgs)
    # What the event changed (not a parent or a merge's receiver, which only gained
    # children): nothing may have happened to it since.
    changed = set(
        OrganizationVersion.objects.filter(event=event).values_list("organization_id", flat=True)
    )
    changed |= {org.pk for org in ended} | created
    later = (
        OrganizationEvent.objects.filter(parts__organization__in=changed)
        .filter(Q(effective_on__gt=on) | Q(effective_on=on, id__gt=event.pk))
        .order_by("effective_on", "id")
        .first()
    )
    if later is None:
        version = (
            OrganizationVersion.objects.filter(organization__in=changed, valid_from__gt=on)
            .exclude(event=None)
            .select_related("event")
            .order_by("valid_from")
            .first()
        )
        later = version.event if version else None
    if later is not None:
        _refuse(
            _("Sau sự kiện này còn %(later)s (ngày %(on)s) liên quan đến các tổ chức này; "
              "hãy hủy sự kiện đó trước."),
            later=later.get_type_display(), on=vn_date(later.effective_on),
        )  # fmt: skip
    same_day = OrganizationVersion.objects.filter(organization__in=changed, valid_from=on).exclude(
        event=event
    )
    if same_day.exists():
        _refuse(
            _("%(name)s có sự kiện khác cùng ngày %(on)s; không thể hủy riêng sự kiện này."),
            name=same_day.first().organization.name, on=vn_date(on),
        )  # fmt: skip
    under_created = OrganizationVersion.objects.filter(parent_id__in=created).exclude(event=event)
    if under_created.exists():
        _refuse(
            _("%(name)s đã được ghi trực thuộc tổ chức do sự kiện này lập ra; hãy xử lý trước."),
            name=under_created.first().organization.name,
        )  # fmt: skip
    before = corrections.snapshot(event, FIELDS)
    effects = describe_event(event)
    audit_on = _audit_targets(event, created)
    # Undo the tree: drop the event's versions, reopen the ones it closed.
    old_paths = {org.pk: org.path for org in orgs}
    OrganizationVersion.objects.filter(event=event).delete()
    for org in orgs:
        if org.pk in created:
            continue
        reopened = org.versions.filter(valid_to=on).order_by("-valid_from").first()
        if reopened is not None and not org.versions.filter(valid_to__isnull=True).exists():
            reopened.valid_to = None
            reopened.save(update_fields=["valid_to"])
        if org in ended:
            org.ended_on = None
            org.successor = None
            org.save(update_fields=["ended_on", "successor"])
        sync_current(org, org.versions.get(valid_to__isnull=True))
    for org in orgs:
        if org.pk not in created and org.path != old_paths[org.pk]:
            rewrite_archived_paths(old_paths[org.pk], org.path)
    hooks.notify_event_cancelled(event)
    event.parts.all().delete()
    corrections.record(
        obj=event, entity=ENTITY, action=corrections.CANCELLED, grounds=grounds,
        before=before, by=by, effects=effects, audit_on=audit_on,
    )  # fmt: skip
    try:
        with transaction.atomic():
            Organization.objects.filter(pk__in=created).delete()
    except ProtectedError as error:
        names = ", ".join(sorted({str(o) for o in error.protected_objects})[:3])
        _refuse(
            _("Tổ chức do sự kiện này lập ra đã có dữ liệu khác (%(names)s); không thể hủy."),
            names=names,
        )  # fmt: skip
    event.delete()
