"""The transfers as the member timeline engine sees them: the open moves a loaded
timeline carries, and the closing of those an exit ended (registered on `members.hooks`
in `TransfersConfig.ready()`, so that members imports nothing from this app)."""

from __future__ import annotations

from collections.abc import Mapping

from tochuc.members.models import MemberEvent
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
