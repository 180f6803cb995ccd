"""A member's timeline from the database, and what a step changed written back.

The public interface between the services (members, transfers, corrections) and the
timeline engine (`timeline/`): `member_lock` reloads a member under a row lock,
`timeline_load` builds its `Timeline` from the stored events and periods, with the open
transfers that the transfers app attaches (`hooks.load_moves`), and `timeline_write` stores
what the steps played on it changed — the new events, the new and ended periods — has the
transfers an exit closed closed by their app (`hooks.close_moves`), and writes the derived
state. The store imports nothing from the transfers app.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext as _

from tochuc.lib.vntext import fold, person_sort_key
from tochuc.organizations.models import Organization
from tochuc.policy.rules import policy_for

from . import hooks
from .models import Affiliation, Member, MemberEvent
from .timeline import ORG_FIELDS, Event, Org, Period, Timeline, fold_status


class OrgLookup:
    """Organizations as the engine reads them, each fetched once."""

    def __init__(self, orgs: Iterable[Org] = ()):
        self.found: dict[int, Org] = {org.pk: org for org in orgs}

    def __call__(self, pk: int) -> Org:
        org = self.found.get(pk)
        if org is None:
            values = Organization.objects.filter(pk=pk).values_list(*ORG_FIELDS).first()
            if values is None:
                raise ValidationError(
                    {"organization": _("Không có tổ chức mã số %(pk)s.") % {"pk": pk}}
                )
            org = self.found[pk] = Org(*values)
        return org

    def add(self, organization: Organization) -> int:
        self.found[organization.pk] = Org(*(getattr(organization, f) for f in ORG_FIELDS))
        return organization.pk


def member_lock(member: Member) -> Member:
    """Reload the member under a row lock: two officers at once are serialized."""
    return Member.objects.select_for_update().get(pk=member.pk)


EVENT_FIELDS = ("type", "on", "organization_id", "other_organization_id", "other_party",
                "decision_no", "decision_date", "detail", "note", "id")  # fmt: skip


def stored_events(member: Member) -> list[Event]:
    return [Event(*values) for values in
            member.events.order_by("on", "id").values_list(*EVENT_FIELDS)]  # fmt: skip


def link_periods(events: list[Event], periods: list[Period]) -> None:
    """Which organization and date each stored event's official period started at (a
    merger may have moved a period that had not started yet to the successor)."""
    by_pk = {e.pk: e for e in events}
    for period in periods:
        event = by_pk.get(period.started_by)
        if event is not None and period.kind == Affiliation.Kind.OFFICIAL:
            event.into, event.since = period.organization_id, period.valid_from


def load_state(timeline: Timeline) -> None:
    """Status, confirmation and exemption as the stored events give them (in date order,
    then recording order) — what `member_recompute` derives."""
    ordered = sorted(timeline.events, key=lambda e: (e.on, e.pk or 0))
    timeline.status, timeline.confirmed, timeline.exempted = fold_status(ordered)
    confirmed = [e.on for e in ordered if e.type == MemberEvent.Type.CONFIRMED]
    timeline.confirmed_on = confirmed[-1] if confirmed else None


def timeline_load(member: Member, *, org: OrgLookup | None = None) -> Timeline:
    """The member's timeline as stored: events, periods, open transfers, derived state."""
    timeline = Timeline(member.full_name, org=org or OrgLookup(), policies=policy_for)
    timeline.events = stored_events(member)
    timeline.periods = [
        Period(*values)
        for values in member.affiliations.order_by("valid_from", "id").values_list(
            "organization_id", "kind", "valid_from", "valid_to", "started_by_id", "id"
        )
    ]
    link_periods(timeline.events, timeline.periods)
    load_state(timeline)
    hooks.load_moves({member.pk: timeline})
    return timeline


def write_events(member: Member, events: Iterable[Event], *,
                 by: AbstractBaseUser | AnonymousUser | None = None) -> None:  # fmt: skip
    user = by if getattr(by, "is_authenticated", False) else None
    for event in events:
        if not event.new:
            continue
        stored = MemberEvent.objects.create(
            member=member, type=event.type, on=event.on, organization_id=event.organization_id,
            other_organization_id=event.other_organization_id, other_party=event.other_party,
            decision_no=event.decision_no, decision_date=event.decision_date,
            detail=event.detail, note=event.note, recorded_by=user,
        )  # fmt: skip
        event.pk, event.new = stored.pk, False


def write_periods(member: Member, periods: Iterable[Period]) -> None:
    for period in periods:
        started = period.started_by
        started_id = started.pk if isinstance(started, Event) else started
        if period.pk is None:
            period.pk = Affiliation.objects.create(
                member=member, organization_id=period.organization_id, kind=period.kind,
                valid_from=period.valid_from, valid_to=period.valid_to, started_by_id=started_id,
            ).pk  # fmt: skip
        elif period.changed:
            Affiliation.objects.filter(pk=period.pk).update(valid_to=period.valid_to)
        period.changed = False


def apply_derived(member: Member, timeline: Timeline, *, today: date | None = None) -> Member:
    for name, value in timeline.derived(today or timezone.localdate()).items():
        setattr(member, name, value)
    member.name_folded = fold(member.full_name)
    member.name_sort = person_sort_key(member.full_name)
    return member


def member_save(member: Member, reason: str, *, bump: bool = True) -> Member:
    """Save the member with a history reason (and a new row version)."""
    if bump:
        member.row_version = (member.row_version or 0) + 1
    member._change_reason = reason[:255] if reason else None
    try:
        member.save()
    except IntegrityError as error:
        raise ValidationError(_("Số thẻ hoặc số CCCD trùng với hồ sơ khác.")) from error
    return member


def timeline_write(member: Member, timeline: Timeline, *, reason: str,
                   by: AbstractBaseUser | AnonymousUser | None = None,
                   bump: bool = True) -> Member:  # fmt: skip
    """Store what the steps played on `timeline` changed, then the derived state; the
    apps that follow the timeline (`hooks.acts_recorded`) hear of the new events."""
    recorded = [event for event in timeline.events if event.new]
    write_events(member, timeline.events, by=by)
    write_periods(member, timeline.periods)
    hooks.close_moves(timeline.closed)
    timeline.closed = []
    apply_derived(member, timeline)
    member_save(member, reason, bump=bump)
    hooks.notify_acts_recorded(member, recorded, by=by)
    return member
