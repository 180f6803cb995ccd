"""Replaying imported timeline events over stored members: the write path of `events`.

`replay_events` plays every member's new events in memory, in date order, through the
timeline engine (`members/timeline/`): the same checks and the same effects as the
member services, which play the same engine (`member_confirm`,
`member_transfer`, `transfers.temporary_transfer_issue` and `temporary_transfer_return`,
`transfers.transfer_receive_from_outside`, `member_exempt`, `member_exit`,
`member_readmit`), on top of what each member already has stored (events, official and
temporary activity periods). It writes nothing: it returns the rows to write, or the
refused steps with their reasons. `events_write.write_replayed` then writes them with
plain multi-row inserts (executemany on SQLite, COPY on PostgreSQL: `lib.rows.Table`) and
one UPDATE per member, so 300,000 events take seconds instead of the hour the services
would need (dozens of queries per event).

What the services would leave and the bulk path leaves too: the events (type, date,
organization, the other organization or party, decision number and date, detail, note),
the activity periods (an official one closed and the next opened; a temporary one at the
host for its period), the transfers (temporary: issued → returned or closed; in from
outside: received) and the derived state (status, exemption, organization, province,
path, confirmation date, party-age anchor, row version). What differs, on purpose: one
simple-history record per member (its final state, type "~") instead of one per event,
one audit entry for the import instead of one per event, and a transfer's letter keeps
the number in the file (a migrated letter was numbered when it was issued) instead of a
new number from the issuing committee's series.

Temporary periods end as the daily job ends them (`temporary_transfers_expire`): before
an event dated after the end of a temporary activity not recorded as returned, and at
the end for periods over by today, the return is recorded on the end date (automatic).
A member with a transfer still open in the database (a letter being processed on the
transfer pages) is refused: that procedure is finished there first.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from operator import attrgetter

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.lib.memory import collector_paused
from tochuc.organizations.models import Organization
from tochuc.policy.acts import act_date_refusal
from tochuc.policy.rules import PolicyLookup

from . import hooks
from .bulk import Names
from .models import Affiliation, Member, MemberEvent, MoveState, Status, TemporaryPurpose
from .store import link_periods, load_state
from .timeline import (
    ORG_FIELDS,
    Event,
    Moving,
    Org,
    Period,
    Refused,
    Timeline,
    fold_status,
)

T = MemberEvent.Type
OFFICIAL, TEMPORARY = Affiliation.Kind.OFFICIAL, Affiliation.Kind.TEMPORARY
CHUNK = 900
PROVISIONAL = 10**15
# Discipline of members (Quy định 69-QĐ/TW) as `services.member_discipline` records it:
# folded label or code → (code, label); expulsion is its own event type.
DISCIPLINE_FORMS = {
    "khien trach": ("reprimand", "Khiển trách"),
    "canh cao": ("warning", "Cảnh cáo"),
    "cach chuc": ("dismissal", "Cách chức"),
    "reprimand": ("reprimand", "Khiển trách"),
    "warning": ("warning", "Cảnh cáo"),
    "dismissal": ("dismissal", "Cách chức"),
}
LEFT_ON = gettext_lazy("ngày chuyển đi")  # the arrival's earliest day, named in its refusal
PURPOSES = {"work": TemporaryPurpose.WORK, "residence": TemporaryPurpose.RESIDENCE,
            "study": TemporaryPurpose.STUDY}  # fmt: skip


class StepRefused(Exception):
    """A step the rules refuse; the message is Vietnamese, for the row."""


@dataclass
class Step:
    """One new event of a member's timeline, as an import row gives it.

    `organization_id`: the destination cell (official transfer inside the system), the host
    (temporary), the receiving cell (in from outside) or the cell of re-admission.
    `detail`: the discipline form, the grounds (removal, exemption …), the consent
    (re-admission) or the purpose (temporary: work, residence, study).
    """

    row: int
    member_id: int
    type: str
    on: date
    decision_no: str = ""
    decision_date: date | None = None
    organization_id: int | None = None
    other_party: str = ""
    arrived_on: date | None = None
    ends_on: date | None = None
    detail: str = ""


def load_organizations(*, codes: Iterable[str] = (), pks: Iterable[int] = ()) -> list[Org]:
    found = []
    for field_name, values in (("code__in", sorted(set(codes))), ("pk__in", sorted(set(pks)))):
        for start in range(0, len(values), CHUNK):
            rows = Organization.objects.filter(**{field_name: values[start : start + CHUNK]})
            found += [Org(*v) for v in rows.order_by().values_list(*ORG_FIELDS)]
    return found


class _Transfer:
    """A new transfer row (temporary letters; receipts from outside)."""

    def __init__(self, **values):
        self.values = values


class _Member:
    """One member's stored timeline (`timeline.Timeline`), then the new steps played on it
    through the engine; the step's import columns are read here."""

    def __init__(self, record: dict, orgs: dict[int, Org], policies: PolicyLookup):
        self.record = record
        self.orgs = orgs
        self.timeline = Timeline(record["full_name"], org=orgs.__getitem__, policies=policies)
        self.transfers: list[_Transfer] = []
        self.stored_open_transfer = False
        self.stored_keys: set[tuple] = set()
        self.played = 0
        self.loaded_version = record["row_version"]

    @property
    def name(self) -> str:
        return self.record["full_name"]

    @property
    def events(self) -> list[Event]:
        return self.timeline.events

    @property
    def periods(self) -> list[Period]:
        return self.timeline.periods

    def loaded(self) -> None:
        """The stored state the engine starts from."""
        timeline = self.timeline
        link_periods(timeline.events, timeline.periods)
        load_state(timeline)

    # -- playing one step
    def play(self, step: Step) -> None:
        self.expire(step.on)
        handler = PLAYERS.get(step.type)
        if handler is None:
            raise StepRefused(_("Loại sự kiện không hợp lệ: %(type)s.") % {"type": step.type})
        try:
            handler(self, step)
        except Refused as refusal:
            raise StepRefused(refusal.reason) from refusal
        self.played += 1

    def derive(self) -> None:
        timeline = self.timeline
        self.record["status"] = timeline.status or Status.PROBATIONARY
        self.record["is_exempted"] = timeline.exempted
        self.record["organization_id"] = timeline.organization_now()
        self._closed()

    def _closed(self) -> None:
        for move in self.timeline.closed:
            move.ref.values["state"] = MoveState.CLOSED
            move.ref.values["row_version"] = 2
        self.timeline.closed = []

    def refuse_stored_transfer(self) -> None:
        """A letter being processed on the transfer pages is finished there first."""
        if self.stored_open_transfer:
            raise StepRefused(
                _(
                    "%(name)s đang có thủ tục chuyển sinh hoạt đảng chưa kết thúc trong hệ "
                    "thống; hãy hoàn tất thủ tục đó trước khi nhập thêm sự kiện."
                )
                % {"name": self.name}
            )

    def expire(self, day: date) -> None:
        """The daily job's return of a temporary activity whose period ended by `day`."""
        move = self.timeline.temporary_move
        back = self.timeline.expire(day)
        if back is not None:
            self._returned(move, back)
            self.played += 1  # the daily job saves the member too

    def _returned(self, move: Moving, back: Event) -> None:
        values = move.ref.values
        values["in_event"] = back
        values["state"] = MoveState.RETURNED
        values["returned_on"] = back.on
        values["row_version"] = 2

    def confirm(self, step: Step) -> None:
        self.timeline.confirm(on=step.on, decision_no=step.decision_no,
                              decision_date=step.decision_date)  # fmt: skip
        self.record["confirmed_on"] = step.on

    def transfer_out(self, step: Step) -> None:
        self.refuse_stored_transfer()
        self.timeline.transfer(
            on=step.on, to=step.organization_id, other_party=step.other_party,
            arrived_on=step.arrived_on, decision_no=step.decision_no,
        )  # fmt: skip

    def transfer_in(self, step: Step) -> None:
        """In from outside the system: one who left the system earlier comes back."""
        other_party = step.other_party.strip()
        if step.organization_id is None or not other_party:
            raise StepRefused(
                _(
                    "Chuyển đến từ ngoài hệ thống: hãy ghi mã chi bộ tiếp nhận và nơi chuyển đến "
                    "(đảng bộ ngoài hệ thống). Chuyển giữa hai chi bộ trong hệ thống ghi bằng "
                    "một dòng “Chuyển đi chính thức” với mã chi bộ nơi đến."
                )
            )
        letter_on = step.decision_date or step.on
        arrived = self.timeline.transfer_in_from_outside(
            on=step.on, organization_id=step.organization_id, other_party=other_party,
            decision_no=step.decision_no, letter_on=letter_on,
        )  # fmt: skip
        self.transfers.append(_Transfer(
            kind=OFFICIAL, state=MoveState.RECEIVED,
            destination_id=step.organization_id, other_party=other_party,
            letter_no=step.decision_no, letter_on=letter_on, arrived_on=step.on,
            in_event=arrived,
        ))  # fmt: skip

    def temporary_out(self, step: Step) -> None:
        self.refuse_stored_transfer()
        host, other_party = step.organization_id, step.other_party.strip()
        purpose = PURPOSES.get(step.detail, TemporaryPurpose.WORK)
        home = self.timeline.organization_now()
        out = self.timeline.temporary_out(on=step.on, ends_on=step.ends_on, purpose=purpose,
                                          host=host, other_party=other_party,
                                          letter_no=step.decision_no)  # fmt: skip
        transfer = _Transfer(
            kind=TEMPORARY, state=MoveState.ISSUED, source_id=home,
            destination_id=host, other_party=other_party, letter_no=step.decision_no,
            letter_on=step.on, purpose=purpose, ends_on=step.ends_on, out_event=out,
        )  # fmt: skip
        self.timeline.temporary_move.ref = transfer
        self.transfers.append(transfer)

    def temporary_returned(self, step: Step) -> None:
        move = self.timeline.temporary_move
        back = self.timeline.temporary_return(on=step.on)
        self._returned(move, back)

    def exempt(self, step: Step) -> None:
        self.timeline.exempt(on=step.on, end=step.type == T.EXEMPTION_ENDED,
                             decision_no=step.decision_no, grounds=step.detail)  # fmt: skip

    def discipline(self, step: Step) -> None:
        self.timeline.refuse_if_inactive()
        form = DISCIPLINE_FORMS.get(step.detail)
        if form is None:
            raise StepRefused(_("Kỷ luật: hãy ghi hình thức (khiển trách, cảnh cáo, cách chức)."))
        code, label = form
        self.timeline.discipline(on=step.on, form=code, note=label, decision_no=step.decision_no,
                                 decision_date=step.decision_date)  # fmt: skip

    def exit(self, step: Step) -> None:
        self.timeline.exit(type=step.type, on=step.on, decision_no=step.decision_no,
                           decision_date=step.decision_date, grounds=step.detail)  # fmt: skip

    def readmit(self, step: Step) -> None:
        if not step.detail.strip():
            raise StepRefused(
                _("Kết nạp lại: hãy ghi văn bản đồng ý của cấp ủy có thẩm quyền ở cột “Chi tiết”.")
            )
        if step.organization_id is None:
            raise StepRefused(_("Kết nạp lại: hãy ghi mã chi bộ kết nạp lại."))
        self.timeline.readmit(on=step.on, organization_id=step.organization_id,
                              decision_no=step.decision_no, consent=step.detail)  # fmt: skip

    def finish(self, today: date, names: Names) -> None:
        self.expire(today)
        timeline = self.timeline
        events = timeline.events
        if any(events[i].on < events[i - 1].on for i in range(1, len(events))):
            # An arrival recorded before a step dated earlier: the state is folded again in
            # date order (stable: stored by date and id, then as recorded).
            events.sort(key=attrgetter("on"))
            status, _confirmed, exempted = fold_status(events)
            timeline.status, timeline.exempted = status, exempted
        self.derive()
        # Provisional keys after the stored ones, so that party age orders same-day events
        # as the database will (by date, then id); the real ones are reserved when written.
        for offset, event in enumerate(e for e in timeline.events if e.new):
            event.pk = PROVISIONAL + offset
        self.record.update(timeline.derived(today))
        self.record["name_folded"] = names.fold(self.record["full_name"])
        self.record["name_sort"] = names.sort(self.record["full_name"])
        self.record["row_version"] += self.played


PLAYERS: dict[str, Callable[[_Member, Step], None]] = {
    T.CONFIRMED: _Member.confirm,
    T.TRANSFERRED_OUT: _Member.transfer_out,
    T.TRANSFERRED_IN: _Member.transfer_in,
    T.TEMPORARY_OUT: _Member.temporary_out,
    T.TEMPORARY_RETURNED: _Member.temporary_returned,
    T.EXEMPTED: _Member.exempt,
    T.EXEMPTION_ENDED: _Member.exempt,
    T.DISCIPLINED: _Member.discipline,
    T.REMOVED: _Member.exit,
    T.EXPELLED: _Member.exit,
    T.RESIGNED: _Member.exit,
    T.DIED: _Member.exit,
    T.READMITTED: _Member.readmit,
}
IMPORTABLE_TYPES = tuple(PLAYERS)


def event_key(type_: str, on: date, decision_no: str) -> tuple:
    """How an event already stored is recognised: same member, type, date, decision number."""
    return (type_, on, (decision_no or "").strip())


# ---------------------------------------------------------------- loading


def member_batches(member_ids: list[int]) -> Iterator[tuple[Callable[[str], dict], set[int]]]:
    """The sorted `member_ids` in batches, each as (the filter on a field, the ids): a range
    where the ids are dense (a province's members: no list of 900 parameters for the ORM to
    resolve one by one), the list otherwise. A range may read other members' rows: skip
    those whose member is not in the batch."""
    for start in range(0, len(member_ids), CHUNK):
        chunk = member_ids[start : start + CHUNK]
        if chunk[-1] - chunk[0] < 2 * len(chunk):
            low, high = chunk[0], chunk[-1]
            yield (lambda f, low=low, high=high: {f"{f}__gte": low, f"{f}__lte": high}), set(chunk)
        else:
            yield (lambda f, chunk=chunk: {f"{f}__in": chunk}), set(chunk)


def _load_members(
    member_ids: list[int], orgs: dict[int, Org], policies: PolicyLookup
) -> dict[int, _Member]:
    members: dict[int, _Member] = {}
    fields = [f.attname for f in Member._meta.concrete_fields]
    for among, wanted in member_batches(member_ids):
        batch = among("member_id")
        for record in Member.objects.filter(**among("pk")).order_by().values(*fields):
            if record["id"] in wanted:
                members[record["id"]] = _Member(record, orgs, policies)
        for values in (
            MemberEvent.objects.filter(**batch)
            .order_by("member_id", "on", "id")
            .values_list("member_id", "type", "on", "organization_id", "other_organization_id",
                         "other_party", "decision_no", "decision_date", "detail", "note", "id")
        ):  # fmt: skip
            member = members.get(values[0])
            if member is not None:
                event = Event(*values[1:])
                member.events.append(event)
                member.stored_keys.add(event_key(event.type, event.on, event.decision_no))
        for values in (
            Affiliation.objects.filter(**batch)
            .order_by("member_id", "valid_from", "id")
            .values_list("member_id", "organization_id", "kind", "valid_from", "valid_to",
                         "started_by_id", "id")
        ):  # fmt: skip
            member = members.get(values[0])
            if member is not None:
                member.periods.append(Period(*values[1:]))
        for member_id in hooks.with_open_moves(wanted):
            if member_id in members:
                members[member_id].stored_open_transfer = True
    for member in members.values():
        member.loaded()
    return members


@dataclass
class Replayed:
    """What `replay_events` found: rows to write, steps already stored, steps refused."""

    members: dict[int, _Member] = field(default_factory=dict)
    unchanged: list[Step] = field(default_factory=list)
    played: list[Step] = field(default_factory=list)
    refused: list[tuple[Step, str]] = field(default_factory=list)

    @property
    def new_events(self) -> int:
        return sum(1 for m in self.members.values() for e in m.events if e.new)


def step_date_refusal(step: Step, today: date) -> str | None:
    """The step's dates by the rule of every act (policy/acts.py): its day and the arrival
    not after today, the end of a temporary transfer no further than the horizon."""
    return (
        act_date_refusal(step.on, today=today)
        or act_date_refusal(step.arrived_on, earliest=[(step.on, LEFT_ON)], today=today)
        or act_date_refusal(step.decision_date, today=today)
        or act_date_refusal(step.ends_on, scheduled=True, today=today)
    )


def replay_events(steps: list[Step], orgs: dict[int, Org], *, today: date | None = None,
                  progress: Callable[[int], None] | None = None) -> Replayed:  # fmt: skip
    """Play `steps` (any order: each member's are taken by date, then row) on the stored
    members. Every member's steps are checked; a refused step stops that member's replay
    (its later steps would be judged on a wrong state) and is reported."""
    with collector_paused():  # the whole history stays in memory until the write
        return _replay_events(steps, orgs, today=today or timezone.localdate(),
                              progress=progress)  # fmt: skip


def _replay_events(steps: list[Step], orgs: dict[int, Org], *, today: date,
                   progress: Callable[[int], None] | None) -> Replayed:  # fmt: skip
    policies = PolicyLookup()
    by_member: dict[int, list[Step]] = defaultdict(list)
    for step in steps:
        by_member[step.member_id].append(step)
    members = _load_members(sorted(by_member), orgs, policies)
    missing = {a.organization_id for m in members.values() for a in m.periods} - set(orgs)
    for org in load_organizations(pks=missing):
        orgs[org.pk] = org
    result = Replayed(members=members)
    names = Names()
    done = 0
    for member_id, member_steps in by_member.items():
        member = members[member_id]
        member_steps.sort(key=lambda s: (s.on, s.row))
        for step in member_steps:
            key = event_key(step.type, step.on, step.decision_no)
            if key in member.stored_keys:
                result.unchanged.append(step)
                continue
            refusal = step_date_refusal(step, today)
            if refusal:
                result.refused.append((step, refusal))
                break
            try:
                member.play(step)
            except StepRefused as refusal:
                result.refused.append((step, str(refusal)))
                break
            result.played.append(step)
        if member.played:
            member.finish(today, names)
        done += len(member_steps)
        if progress is not None:
            progress(done)
    return result
