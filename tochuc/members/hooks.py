"""How other apps keep their record of a timeline act in step with its corrections.

A discipline decision (inspections) or a confirmation decision (admissions) is a record of
its own beside the member's timeline event. When the event is corrected or cancelled on the
timeline (the page, the correction file, or the owning app's own page), the owning app's
follower, registered in its AppConfig.ready(), updates its record in the same transaction;
raising (a ValidationError, a ProcedureError) refuses the whole correction.
"""

from collections.abc import Callable

# (member, changes, grounds=, by=): changes maps each touched event's pk to (before, after),
# `Event`s of the timeline engine; after is None when the event is cancelled. Called before
# the events are written (a cancelled event still exists); grounds: the reason and correcting
# decision (core.corrections.Grounds), for the follower's own history (core.corrections.record).
acts_corrected: list[Callable] = []


def notify_acts_corrected(member, changes: dict, *, grounds, by=None) -> None:
    for follower in acts_corrected:
        follower(member, changes, grounds=grounds, by=by)


# (member, events, by=): the new events a service step recorded on the member's timeline
# (engine `Event`s with their stored pk), called after they are written, in the same
# transaction. Apps that keep something tied to membership follow here: a committee post
# ends when its holder transfers out, exits or dies. Raising refuses the whole step.
acts_recorded: list[Callable] = []


def notify_acts_recorded(member, events: list, *, by=None) -> None:
    if not events:
        return
    for follower in acts_recorded:
        follower(member, events, by=by)


# (timelines): a mapping of member id → `Timeline` just loaded from the database (events and
# periods). The app that keeps the transfers attaches each member's open moves
# (`Timeline.official_move`, `temporary_move`: engine `Moving`s whose `ref` is the app's own
# handle on its record); members knows nothing of how transfers are stored.
moves_loaded: list[Callable] = []


def load_moves(timelines) -> None:
    for follower in moves_loaded:
        follower(timelines)


# (moves): the open moves (engine `Moving`s, as `moves_loaded` attached them) that a step
# closed — an exit ends a transfer still open; the owning app closes its records.
moves_closed: list[Callable] = []


def close_moves(moves: list) -> None:
    if not moves:
        return
    for follower in moves_closed:
        follower(moves)


# (member, replayed, cancelled): a correction replayed the member's timeline (`replayed`, a
# `Timeline`; `cancelled`, the pks of the events it cancels, still stored): the app that
# keeps the transfers brings each of the member's rows in line, in the same transaction.
moves_replayed: list[Callable] = []


def replay_moves(member, replayed, cancelled: set[int]) -> None:
    for follower in moves_replayed:
        follower(member, replayed, cancelled)


# (member_ids) -> the ids among them with a move still open in its app (a letter issued and
# not yet received or returned): the events import refuses new steps for those members.
open_moves_among: list[Callable] = []


def with_open_moves(member_ids) -> set[int]:
    found: set[int] = set()
    for follower in open_moves_among:
        found |= set(follower(member_ids))
    return found


# (rows, now=, user_id=): the new moves the events import replayed, as dicts of the
# transfer's values (`member_id`, `kind`, `state` (a `models.MoveState`), `out_event_id`,
# `in_event_id` …): the owning app stores them, in the same transaction.
moves_written: list[Callable] = []


def write_moves(rows: list[dict], *, now, user_id) -> None:
    if not rows:
        return
    for follower in moves_written:
        follower(rows, now=now, user_id=user_id)


# (member) -> a dict for the member's page: what the app keeping the moves shows there
# (the open letter, the transfers, working away).
member_page: list[Callable] = []


def member_page_context(member) -> dict:
    found: dict = {}
    for follower in member_page:
        found |= follower(member)
    return found


# (records, scope=, names=) -> for each record being entered, the warnings about it (a likely
# duplicate of a member or candidate in the caller's scope, or of another record entered
# with it): one matcher for every entry point — `members.forms.MemberAddForm`, the
# candidate form of `admissions`, and each row of a members file (`members.importing`).
# The forms show the warnings before saving, and saving anyway needs a reason; an import
# file's flagged rows need a reason to be written. Each warning: {"text": …, "url": … ("" for
# another row of the file), "index": the other record's position or None}; `names[i]` is
# how record i is named in another's warning ("dòng 12").
entry_checks: list[Callable] = []


def entry_warnings_many(
    records: list[dict], *, scope, names: list[str] | None = None
) -> list[list[dict]]:
    found: list[list[dict]] = [[] for _ in records]
    for check in entry_checks:
        for mine, more in zip(found, check(records, scope=scope, names=names), strict=True):
            mine.extend(more)
    return found


def entry_warnings(organization, record: dict, *, scope) -> list[dict]:
    """The warnings about one record entered into `organization` (its cell)."""
    record = {"organization_id": getattr(organization, "pk", None), **record}
    return entry_warnings_many([record], scope=scope)[0] if entry_checks else []


# (request, member) -> dict | None: a box that another app shows on the member's page (its
# badges, its ratings, the problems a data-quality scan found …): {"template":
# "<app>/_member_panel.html", **context}, with "place": "top" for a notice above the record
# (the default: a box below it); None shows nothing. Called by members.views.detail after
# the gate let the request through.
member_panels: list[Callable] = []


def member_panels_for(request, member) -> list[dict]:
    return [panel for panel in (follower(request, member) for follower in member_panels) if panel]
