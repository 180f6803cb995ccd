"""The transfers as the member timeline engine sees them: the open moves a loaded
timeline carries, and the closing of those an exit ended (registered on `members.hooks`
in `TransfersConfig.ready()`, so that members imports nothing from this app)."""

from __future__ import annotations

from collections.abc import Mapping

from tochuc.lib.rows import Table
from tochuc.members.models import Member, MemberEvent
from tochuc.members.timeline import Event, Moving, Timeline

from .models import Transfer

CHUNK = 900  # member ids per query (parameters per statement stay well under the limits)


def load_open_moves(timelines: Mapping[int, Timeline]) -> None:
    """Each member's issued letters, official and temporary, as the timeline's open moves;
    `ref` is the transfer's pk."""
    ids = sorted(timelines)
    for start in range(0, len(ids), CHUNK):
        transfers = (
            Transfer.objects.filter(member_id__in=ids[start : start + CHUNK])
            .filter(state=Transfer.State.ISSUED)
            .order_by("member_id", "id")
            .values_list("member_id", "pk", "kind", "out_event_id", "letter_no", "letter_on",
                         "ends_on", "source_id", "destination_id")
        )  # fmt: skip
        for member_id, pk, kind, out_id, letter_no, letter_on, ends_on, src, dst in transfers:
            timeline = timelines[member_id]
            out = next((e for e in timeline.events if e.pk == out_id), None) or Event(
                MemberEvent.Type.TRANSFERRED_OUT, letter_on, src, dst
            )
            period = next(
                (p for p in timeline.periods if p.kind == Transfer.Kind.TEMPORARY
                 and p.started_by == out_id),
                None,
            )  # fmt: skip
            move = Moving(kind, out, letter_no, letter_on, ends_on, period, ref=pk)
            if kind == Transfer.Kind.OFFICIAL:
                timeline.official_move = move
            else:
                timeline.temporary_move = move


def close_moves(moves: list[Moving]) -> None:
    """The letters an exit ended are closed (a new row version each)."""
    pks = [move.ref for move in moves if isinstance(move.ref, int)]
    for transfer in Transfer.objects.select_for_update().filter(pk__in=pks).order_by("pk"):
        transfer.state = Transfer.State.CLOSED
        transfer.row_version += 1
        transfer.save(update_fields=["state", "row_version"])


def sync_moves(member: Member, replayed: Timeline, cancelled: set[int]) -> None:
    """Each of the member's transfer rows as the corrected timeline leaves it
    (`members.hooks.moves_replayed`)."""
    ended: dict[int, tuple[str, Event]] = {
        move.out.pk: (how, event) for move, how, event in replayed.ended
    }
    open_moves: dict[int, Moving] = {
        move.out.pk: move
        for move in (replayed.official_move, replayed.temporary_move)
        if move is not None
    }
    events = {e.pk: e for e in replayed.events}
    for transfer in member.transfers.select_for_update():
        out_id, in_id = transfer.out_event_id, transfer.in_event_id
        fields = {"row_version": transfer.row_version + 1}
        if (out_id or in_id) in cancelled:
            fields["state"] = Transfer.State.CANCELLED
        elif out_id is None:  # in from outside: the receipt only
            arrived = events.get(in_id)
            if arrived is not None:
                fields.update(arrived_on=arrived.on, letter_no=transfer.letter_no,
                              destination_id=arrived.organization_id)  # fmt: skip
        else:
            out = events[out_id]
            fields.update(letter_on=out.on, destination_id=out.other_organization_id)
            how, event = ended.get(out_id, (None, None))
            if how == "received":
                fields.update(state=Transfer.State.RECEIVED, arrived_on=event.on,
                              in_event_id=event.pk)  # fmt: skip
            elif how == "returned":
                fields.update(state=Transfer.State.RETURNED, returned_on=event.on,
                              in_event_id=event.pk)  # fmt: skip
            elif how == "closed":
                fields.update(state=Transfer.State.CLOSED)
            elif out_id in open_moves:
                fields.update(state=Transfer.State.ISSUED, arrived_on=None, returned_on=None,
                              in_event_id=None)  # fmt: skip
        if any(getattr(transfer, k) != v for k, v in fields.items() if k != "row_version"):
            Transfer.objects.filter(pk=transfer.pk).update(**fields)


def open_moves_among(member_ids) -> list[int]:
    """The ids among `member_ids` with a letter issued and not yet closed
    (`members.hooks.open_moves_among`)."""
    ids = sorted(set(member_ids))
    found = []
    for start in range(0, len(ids), CHUNK):
        found += Transfer.objects.filter(
            member_id__in=ids[start : start + CHUNK], state=Transfer.State.ISSUED
        ).values_list("member_id", flat=True)
    return found


def write_moves(rows: list[dict], *, now, user_id) -> None:
    """The moves the events import replayed, stored in one multi-row insert; a receipt is
    the importing user's (`members.hooks.moves_written`)."""
    for row in rows:
        if row["state"] == Transfer.State.RECEIVED:
            row["received_by_id"] = user_id
    Table(Transfer, with_pk=False, now=now, constants={"created_by_id": user_id}).insert(rows)
