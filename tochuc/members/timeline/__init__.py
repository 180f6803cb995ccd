"""The member timeline engine: the rules of a member's timeline, written once.

A `Timeline` is one member's events (admission, confirmation, transfers official and
temporary, exemption, discipline, exits, re-admission, restructuring), the activity
periods they open and close (`Period`: official or temporary, at an organization, over
[valid_from, valid_to)), the open transfers (`Moving`) and the status they derive. A
step (`confirm`, `transfer`, `exit` …) checks the step's own fields, then records the
event through `record`, which applies the rules that every event obeys — the order of
events, what may follow death or an exit, re-admission, one open transfer at a time, the
organization holding members on the date — and its effect on the periods and the status.
A refused step raises `Refused` (a `ProcedureError`, Vietnamese, optionally beside a
field) and leaves the timeline as it was only up to the refused step: callers work on a
copy they throw away on refusal.

The package is pure: no database. Organizations come through a lookup (`org(pk) -> Org`),
the rules in force through `policies(day) -> Policy`. The services (members/services.py,
transfers), the bulk path (members/bulk.py), the events import (members/bulk_events.py)
and corrections (members/corrections.py) load a timeline, play steps (or `replay` a whole
corrected list of events) and write what changed: new events (`Event.new`), new periods
(`Period.pk is None`) and changed ones (`Period.changed`), the transfers closed by an exit
(`Timeline.closed`), and the derived state (`Timeline.derived`).

A restructuring is a step too: `reorganize` carries a member of a cell that a merger or a
split ends over to its successor, `reorganize_undo` takes it back when the restructuring is
cancelled (members/restructuring.py plays them on every member concerned and writes them
together through `store.timelines_write`).

The package: `events` (events, periods, open transfers, the status derivation), `rules`
(`Rules.record`: the rules every event obeys and its effects), `steps` (`Timeline`: the
steps, and `replay`).
"""

from .events import (
    CELL_KINDS,
    EXIT_STATUS,
    OFFICIAL,
    ORG_FIELDS,
    PROBATIONARY_FORMS,
    TEMPORARY,
    Event,
    Folded,
    Moving,
    Org,
    Period,
    Refused,
    T,
    as_date,
    check_exit_type,
    check_holds,
    check_temporary_period,
    fold_status,
    next_status,
)
from .rules import EFFECTS, Rules
from .steps import Timeline, replay

__all__ = [
    "CELL_KINDS", "EFFECTS", "EXIT_STATUS", "OFFICIAL", "ORG_FIELDS", "PROBATIONARY_FORMS",
    "TEMPORARY", "Event", "Folded", "Moving", "Org", "Period", "Refused", "Rules", "T",
    "Timeline", "as_date", "check_exit_type", "check_holds", "check_temporary_period",
    "fold_status", "next_status", "replay",
]  # fmt: skip
