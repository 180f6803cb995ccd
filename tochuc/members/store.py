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

import json
from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext as _

from tochuc.lib.rows import Table, update_rows
from tochuc.lib.vntext import fold, person_sort_key
from tochuc.organizations.models import Organization
from tochuc.policy.rules import PolicyLookup, policy_for

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
PERIOD_FIELDS = ("organization_id", "kind", "valid_from", "valid_to", "started_by_id", "id")


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
        for values in member.affiliations.order_by("valid_from", "id").values_list(*PERIOD_FIELDS)
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
            Affiliation.objects.filter(pk=period.pk).update(
                organization_id=period.organization_id, valid_from=period.valid_from,
                valid_to=period.valid_to,
            )  # fmt: skip
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


# ---------------------------------------------------------------- many members at once
# For steps that move many members together (a restructuring moves a commune's thousands):
# the timelines read in a few queries per chunk of members, what the steps changed written in
# a few statements (`lib.rows`: COPY on PostgreSQL, executemany on SQLite), one history
# record per member.

CHUNK = 900  # members per query
PERIOD_COLUMNS = [("organization_id", "bigint"), ("valid_from", "date"), ("valid_to", "date")]
EVENT_COLUMNS = [("on", "date"), ("decision_no", "varchar(60)"), ("decision_date", "date")]
MEMBER_COLUMNS = [
    ("status", "varchar(12)"), ("is_exempted", "boolean"), ("organization_id", "bigint"),
    ("province_id", "bigint"), ("org_path", "varchar(255)"), ("party_age_anchor", "date"),
    ("row_version", "integer"),
]  # fmt: skip


def event_row(member_id: int, event: Event, encoder) -> dict:
    """A new event as a row of the bulk writers (`lib.rows.Table`), its key already given;
    `encoder`: the detail field's JSON encoder."""
    return {
        "id": event.pk, "member_id": member_id, "type": event.type, "on": event.on,
        "decision_no": event.decision_no, "decision_date": event.decision_date,
        "organization_id": event.organization_id,
        "other_organization_id": event.other_organization_id,
        "other_party": event.other_party, "note": event.note,
        "detail": json.dumps(event.detail, cls=encoder),
    }  # fmt: skip


def period_row(member_id: int, period: Period) -> dict:
    """A new period as a row of the bulk writers (its starting event already stored)."""
    started = period.started_by
    return {
        "member_id": member_id, "organization_id": period.organization_id,
        "kind": period.kind, "valid_from": period.valid_from, "valid_to": period.valid_to,
        "started_by_id": started.pk if isinstance(started, Event) else started,
    }  # fmt: skip


def timelines_load(member_ids: Iterable[int], *,
                   org: OrgLookup | None = None) -> dict[int, tuple[dict, Timeline]]:  # fmt: skip
    """Member id → (the member's row as values, its timeline as `timeline_load` builds it),
    the members locked (PostgreSQL; SQLite's write lock is held by the transaction)."""
    org = org or OrgLookup()
    policies = PolicyLookup()
    fields = [f.attname for f in Member._meta.concrete_fields]
    loaded: dict[int, tuple[dict, Timeline]] = {}
    ids = sorted(set(member_ids))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        rows = Member.objects.select_for_update().filter(pk__in=chunk).order_by("pk")
        for record in rows.values(*fields):
            loaded[record["id"]] = (record, Timeline(record["full_name"], org=org,
                                                     policies=policies))  # fmt: skip
        events = MemberEvent.objects.filter(member_id__in=chunk).order_by("member_id", "on", "id")
        for values in events.values_list("member_id", *EVENT_FIELDS):
            loaded[values[0]][1].events.append(Event(*values[1:]))
        periods = Affiliation.objects.filter(member_id__in=chunk).order_by(
            "member_id", "valid_from", "id"
        )
        for values in periods.values_list("member_id", *PERIOD_FIELDS):
            loaded[values[0]][1].periods.append(Period(*values[1:]))
    timelines = {pk: timeline for pk, (_record, timeline) in loaded.items()}
    for timeline in timelines.values():
        link_periods(timeline.events, timeline.periods)
        load_state(timeline)
    hooks.load_moves(timelines)
    return loaded


def timelines_write(loaded: dict[int, tuple[dict, Timeline]], *, reason: str,
                    by: AbstractBaseUser | AnonymousUser | None = None,
                    today: date | None = None) -> None:  # fmt: skip
    """Store what the steps played on `loaded` (from `timelines_load`) changed, as
    `timeline_write` would for each member: the new and corrected events (date, decision),
    the events and periods a step dropped, the new and changed periods, the transfers
    closed, the derived state with a new row version, and one history record per member
    (`reason`)."""
    user_id = by.pk if getattr(by, "is_authenticated", False) else None
    now, today = timezone.now(), today or timezone.localdate()
    event_table = Table(MemberEvent, with_pk=True, now=now,
                        constants={"recorded_by_id": user_id}, ready=("detail",))  # fmt: skip
    period_table = Table(Affiliation, with_pk=False, now=now)
    history = Member.history.model
    history_table = Table(history, with_pk=False, now=now, constants={
        "history_date": now, "history_change_reason": reason[:255], "history_type": "~",
        "history_user_id": user_id,
    })  # fmt: skip
    tracked = [f.attname for f in history.tracked_fields]
    encoder = MemberEvent._meta.get_field("detail").encoder
    fresh = sum(1 for _r, timeline in loaded.values() for e in timeline.events if e.new)
    keys = iter(event_table.reserve(fresh) if fresh else ())
    events, periods, changed, updates, records, redated = [], [], [], [], [], []
    dropped_events, dropped_periods, closed = [], [], []
    for member_id, (record, timeline) in loaded.items():
        for event in timeline.events:
            if event.new:
                event.pk, event.new = next(keys), False
                events.append(event_row(member_id, event, encoder))
            elif event.changed:
                redated.append((event.on, event.decision_no, event.decision_date, event.pk))
                event.changed = False
        for period in timeline.periods:
            if period.pk is None:
                periods.append(period_row(member_id, period))
            elif period.changed:
                changed.append((period.organization_id, period.valid_from, period.valid_to,
                                period.pk))  # fmt: skip
            period.changed = False
        dropped_periods += [p.pk for p in timeline.dropped_periods if p.pk is not None]
        dropped_events += [e.pk for e in timeline.dropped_events if e.pk is not None]
        timeline.dropped_periods, timeline.dropped_events = [], []
        closed += timeline.closed
        timeline.closed = []
        record.update(timeline.derived(today))
        record["row_version"] = (record["row_version"] or 0) + 1
        updates.append((*(record[name] for name, _kind in MEMBER_COLUMNS), member_id))
        records.append({name: record.get(name) for name in tracked})
    # Deletions, then updates, then inserts: one open official period per member throughout.
    for start in range(0, max(len(dropped_periods), len(dropped_events)), CHUNK):
        Affiliation.objects.filter(pk__in=dropped_periods[start : start + CHUNK]).delete()
        MemberEvent.objects.filter(pk__in=dropped_events[start : start + CHUNK]).delete()
    event_table.insert(events)
    update_rows(MemberEvent._meta.db_table, EVENT_COLUMNS, redated)
    for rows in _shrinking_first(changed):
        update_rows(Affiliation._meta.db_table, PERIOD_COLUMNS, rows)
    period_table.insert(periods)
    hooks.close_moves(closed)
    update_rows(Member._meta.db_table, MEMBER_COLUMNS, updates)
    if getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        history_table.insert(records)


def _shrinking_first(changed: list[tuple]) -> tuple[list[tuple], list[tuple]]:
    """The changed periods (organization, from, to, pk) in two batches: those that only
    shrink or keep their days, then those that grow — PostgreSQL checks that a member's
    official periods never overlap row by row, so a boundary moved between two periods is
    given up by one before the other takes it."""
    stored: dict[int, tuple] = {}
    pks = [row[-1] for row in changed]
    for start in range(0, len(pks), CHUNK):
        rows = Affiliation.objects.filter(pk__in=pks[start : start + CHUNK]).order_by()
        stored.update((pk, (since, until)) for pk, since, until in
                      rows.values_list("pk", "valid_from", "valid_to"))  # fmt: skip
    shrinking, growing = [], []
    for row in changed:
        since, until = stored[row[-1]]
        inside = row[1] >= since and (until is None or (row[2] is not None and row[2] <= until))
        (shrinking if inside else growing).append(row)
    return shrinking, growing
