"""Writing what the events import replayed (`bulk_events.replay_events`), inside the
caller's transaction: the new events with reserved keys, the ended and new activity
periods, the transfers, one UPDATE per member and one history record per member — plain
multi-row inserts (executemany on SQLite, COPY on PostgreSQL: `lib.rows.Table`), so 300,000
events take seconds instead of the hour the services would need."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.translation import gettext as _

from tochuc.core.errors import ProcedureError
from tochuc.lib.rows import Table, update_rows

from . import hooks
from .bulk_events import CHUNK, Replayed
from .models import Affiliation, Member, MemberEvent
from .store import event_row, period_row


class MembersChanged(ProcedureError):
    """Someone changed a member between the check and the write: nothing is written."""


def write_replayed(replayed: Replayed, *, by: AbstractBaseUser | AnonymousUser | None = None,
                   reason: str = "",
                   progress: Callable[[int, int], None] | None = None) -> int:  # fmt: skip
    """Write what `replay_events` played (inside the caller's transaction); returns the
    number of new events."""
    user = by if getattr(by, "is_authenticated", False) else None
    user_id = user.pk if user else None
    now = timezone.now()
    changed = [m for m in replayed.members.values() if m.played]
    total = len(changed)
    event_table = Table(MemberEvent, with_pk=True, now=now,
                         constants={"recorded_by_id": user_id}, ready=("detail",))  # fmt: skip
    affiliation_table = Table(Affiliation, with_pk=False, now=now)
    history = Member.history.model
    history_table = Table(history, with_pk=False, now=now, constants={
        "history_date": now, "history_change_reason": (reason or _("Nhập lịch sử sự kiện"))[:255],
        "history_type": "~", "history_user_id": user_id,
    })  # fmt: skip
    tracked = [f.attname for f in history.tracked_fields]
    encoder = MemberEvent._meta.get_field("detail").encoder
    written = 0
    for start in range(0, total, 2000):
        batch = changed[start : start + 2000]
        _lock_unchanged(batch)
        new_events = [e for m in batch for e in m.events if e.new]
        ids = iter(event_table.reserve(len(new_events)) if new_events else [])
        events, affiliations, closed, transfers, updates, records = [], [], [], [], [], []
        for member in batch:
            member_id = member.record["id"]
            for event in member.events:
                if not event.new:
                    continue
                event.pk = next(ids)
                events.append(event_row(member_id, event, encoder))
            for period in member.periods:
                if period.pk is None:
                    affiliations.append(period_row(member_id, period))
                elif period.changed:
                    closed.append((period.valid_to, period.pk))
            for transfer in member.transfers:
                values = dict(transfer.values)
                out, back = values.pop("out_event", None), values.pop("in_event", None)
                values.update(member_id=member_id, out_event_id=out.pk if out else None,
                              in_event_id=back.pk if back else None)  # fmt: skip
                transfers.append(values)
            record = member.record
            updates.append((
                record["status"], record["is_exempted"], record["organization_id"],
                record["province_id"], record["org_path"], record["party_age_anchor"],
                record["confirmed_on"], record["row_version"], member_id,
            ))  # fmt: skip
            records.append({name: record.get(name) for name in tracked})
        event_table.insert(events)
        _close_periods(closed)
        affiliation_table.insert(affiliations)
        hooks.write_moves(transfers, now=now, user_id=user_id)
        _update_members(updates)
        if getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
            history_table.insert(records)
        written += len(events)
        if progress is not None:
            progress(min(start + len(batch), total), total)
    return written


def _lock_unchanged(batch: list) -> None:
    """Lock the members (PostgreSQL; SQLite's write lock is already held) and refuse if any
    was changed since it was read for the check."""
    loaded = {m.record["id"]: m for m in batch}
    ids = sorted(loaded)
    for start in range(0, len(ids), CHUNK):
        rows = (
            Member.objects.select_for_update()
            .filter(pk__in=ids[start : start + CHUNK])
            .order_by()
            .values_list("pk", "row_version")
        )
        for pk, version in rows:
            if version != loaded[pk].loaded_version:
                raise MembersChanged(
                    _(
                        "Hồ sơ của %(name)s vừa được thay đổi trong lúc nhập; chưa ghi gì. "
                        "Hãy nhập lại tệp."
                    )
                    % {"name": loaded[pk].name}
                )


def _close_periods(closed: list[tuple[date, int]]) -> None:
    update_rows(Affiliation._meta.db_table, [("valid_to", "date")], closed)


MEMBER_COLUMNS = [
    ("status", "varchar(12)"), ("is_exempted", "boolean"), ("organization_id", "bigint"),
    ("province_id", "bigint"), ("org_path", "varchar(255)"), ("party_age_anchor", "date"),
    ("confirmed_on", "date"), ("row_version", "integer"),
]  # fmt: skip


def _update_members(updates: list[tuple]) -> None:
    update_rows(Member._meta.db_table, MEMBER_COLUMNS, updates)
