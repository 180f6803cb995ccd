"""How other apps follow a restructuring, without this app knowing them.

Apps register plain functions in their AppConfig.ready(); the organization services call
them inside the same transaction, so a refusal (an exception) undoes the whole event.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

# (old path prefix, new path prefix): a subtree now sits elsewhere.
paths_moved: list[Callable[[str, str], None]] = []
# (source, result, effective date, event, placement=): `source` ends and `result` carries it
# on; `placement` (a split) names another destination for some of the source's members.
merged: list[Callable] = []
# (organization, effective date): it is about to end; raise to refuse.
ending: list[Callable] = []


# (versions of organizations above the grassroots, date) → {organization id: (grassroots,
# under the grassroots, all) organizations under it on that date, itself excluded — the kind
# groups of models.GRASSROOTS_KINDS and UNDER_GRASSROOTS_KINDS}, for those a summary can
# answer exactly (statistics: a fresh summary table); the rest are counted live.
subtree_organizations: list[Callable] = []


def notify_paths_moved(old_prefix: str, new_prefix: str) -> None:
    for follower in paths_moved:
        follower(old_prefix, new_prefix)


def notify_merged(
    source, result, on: date, event, placement: Mapping[int, object] | None = None
) -> None:
    """`placement`: member id → the organization that member goes to (default `result`)."""
    for follower in merged:
        follower(source, result, on, event, placement=placement)


def notify_ending(organization, on: date) -> None:
    for follower in ending:
        follower(organization, on)


# (event, old effective date): an event's date or decision was corrected; raise to refuse.
event_corrected: list[Callable] = []
# (event): a restructuring recorded by mistake is being undone (the tree is already
# restored; the event still exists); raise to refuse.
event_cancelled: list[Callable] = []


def notify_event_corrected(event, old_on: date) -> None:
    for follower in event_corrected:
        follower(event, old_on)


def notify_event_cancelled(event) -> None:
    for follower in event_cancelled:
        follower(event)


@dataclass(frozen=True)
class RosterEntry:
    """Someone in activity in an organization, as a restructuring form lists them."""

    pk: int
    name: str
    born: date | None
    identifiers: tuple[str, ...]  # what a file may name them by (party card, citizen ID)


# (organization) → the people in activity in it today, for a split that divides them.
rosters: list[Callable] = []
# (event) → lines in Vietnamese saying what the event did to what the app keeps.
describers: list[Callable] = []


def roster(organization) -> list[RosterEntry]:
    return [entry for source in rosters for entry in source(organization)]


def describe(event) -> list[str]:
    return [line for describer in describers for line in describer(event)]


@dataclass(frozen=True)
class Signer:
    """Who signs an organization's letters and decisions on a date: "T/M ĐẢNG ỦY", "BÍ THƯ"
    and the name."""

    on_behalf: str
    position: str
    name: str


# (organization, date) → the Signer on that date, or None (the committees app knows).
signers: list[Callable] = []


def signer(organization, on: date) -> Signer | None:
    for source in signers:
        found = source(organization, on)
        if found is not None:
            return found
    return None


@dataclass(frozen=True)
class Section:
    """An optional part of a merge or split form that another app fills and writes in the
    same transaction, after the event (the committees app: designate the committee of the
    resulting organization).

    `form(data, *, organization, scope)`: a Django form (with its own prefix), or None when
    the app has nothing to offer for this organization. `apply(form, *, results, on,
    decision, by)`: write what the form asks for `results` (the organizations the event
    created or kept); raise ValidationError (keyed by the form's fields) to refuse the
    whole event."""

    key: str
    title: str
    form: Callable
    apply: Callable


# The sections of the merge and split forms, in the order shown.
restructuring_sections: list[Section] = []
