"""Registering many members at once: the write path for demo data and large imports.

`members_bulk_register` leaves, for every row, exactly what `services.member_register`
followed by the services of the row's timeline (`member_transfer`, `member_exit`,
`member_exempt`, `member_readmit`, `member_confirm`) would leave — the member with its
derived state (status, exemption, organization, province, path, party-age anchor, folded
and sortable name, row version), its dated events and its affiliation periods — with the
same checks, but with a handful of queries per batch instead of dozens per member.

What differs, on purpose: one simple-history record per member (its final state, type
"+") instead of one per service call, and one audit entry for the whole batch instead of
one per member and event.

How it is quick (70,000 members in seconds): each row's timeline is played in memory
through the timeline engine (`members/timeline/`, the rules the services play too; the
rules in force asked once per period of the policy), and the rows are
written with plain multi-row inserts — `executemany` on SQLite, `COPY` on PostgreSQL —
with primary keys reserved beforehand (SQLite: after the highest, under the write lock;
PostgreSQL: from the sequence), since Django's `bulk_create` spends more time composing
SQL than the databases spend storing the rows. Clashes with stored citizen IDs and card
numbers are left to the unique indexes, then named by row. On PostgreSQL a batch is written
by a thread while the next one is built (`_Writer`): the server's time storing the rows and
Python's time playing the timelines overlap instead of adding up.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from itertools import islice

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tochuc.core import audit
from tochuc.core.errors import ProcedureError
from tochuc.lib.rows import Table
from tochuc.lib.vntext import fold, sort_key
from tochuc.organizations.models import Organization
from tochuc.policy.rules import PolicyLookup

from .identity import not_usable
from .models import ACTIVE_STATUSES, PERSONAL_FIELDS, Affiliation, Member, MemberEvent, Status
from .services import check_dates, citizen_id_taken, party_card_taken, record_errors
from .timeline import EXIT_STATUS, ORG_FIELDS, Event, Org, Period, Timeline

T = MemberEvent.Type
OFFICIAL = Affiliation.Kind.OFFICIAL
ACTIVE = ACTIVE_STATUSES
PERSONAL = frozenset(PERSONAL_FIELDS)
TRANSFERRED = "transferred"  # inside the system: a transfer out and the arrival


@dataclass
class TimelineEvent:
    """One later event of a member's timeline.

    `type` is a `MemberEvent.Type` value, or "transferred" for a transfer inside the
    system (to `to_organization_id`, arriving on `arrived_on`, default `on`);
    "transferred_out" leaves the system (`other_party`); "removed", "expelled",
    "resigned", "died" end the activity; "exempted", "exemption_ended"; "readmitted" takes
    the place in `to_organization_id` (or `organization_id`) from `on`, the decision date;
    "confirmed" ends a probation that the row's `confirmed_on` leaves open (a member moved
    while probationary, or re-admitted).
    """

    type: str
    on: date
    to_organization_id: int | None = None
    arrived_on: date | None = None
    other_party: str = ""
    decision_no: str = ""
    organization_id: int | None = None  # alias of to_organization_id for "readmitted"
    consent: str = ""  # "readmitted": the competent committee's consent, kept in the detail


@dataclass
class MemberRow:
    organization_id: int
    record: dict
    admitted_on: date
    admission_decision_no: str = ""
    ceremony_on: date | None = None
    confirmed_on: date | None = None
    since: date | None = None
    timeline: list[TimelineEvent] = field(default_factory=list)
    # Admitted elsewhere and received from this other party on `since` (as
    # transfers.transfer_receive_from_outside): the admission is no event of the cell.
    arrived_from: str = ""
    # The record's own reason in its history, instead of the call's (a likely duplicate
    # imported anyway, and why).
    reason: str = ""
    # The caller has checked the record (`services.record_errors`) and its dates
    # (`services.check_dates`) already, today, as the import's plan does for every row it
    # keeps: not checked a second time here.
    checked: bool = False


class BulkRowError(ValidationError):
    """A refused row: `row` is its 0-based position in the input, `error` the reason."""

    def __init__(self, row: int, name: str, error: Exception):
        self.row = row
        self.error = error
        messages = getattr(error, "messages", None) or [str(error)]
        super().__init__(
            _("Dòng %(row)s (%(name)s): %(messages)s")
            % {"row": row + 1, "name": name, "messages": " ".join(messages)}
        )


class Names:
    """`fold` and `person_sort_key`, remembered: names are made of few distinct words."""

    def __init__(self):
        self.folded: dict[str, str] = {}
        self.words: dict[str, str] = {}

    def fold(self, name: str) -> str:
        value = self.folded.get(name)
        if value is None:
            value = self.folded[name] = fold(name)
        return value

    def sort(self, name: str) -> str:
        words = name.split()
        if not words:
            return ""
        keys = []
        for word in [words[-1], *words[:-1]]:  # as person_sort_key: given name first
            key = self.words.get(word)
            if key is None:
                key = self.words[word] = sort_key(word)
            keys.append(key)
        return "0".join(keys)


class _Details:
    """An event's detail as JSON text (what JSONField stores), remembered for the admission's
    usual {"ceremony_on": date}."""

    def __init__(self):
        self.ceremonies: dict[date | None, str] = {}
        # json.dumps(detail, cls=encoder) without making an encoder for every event.
        self.encode = MemberEvent._meta.get_field("detail").encoder().encode

    def dumps(self, detail: dict) -> str:
        if not detail:
            return "{}"
        if len(detail) == 1 and "ceremony_on" in detail:
            on = detail["ceremony_on"]
            text = self.ceremonies.get(on)
            if text is None:
                text = self.ceremonies[on] = self.encode(detail)
            return text
        return self.encode(detail)


class _Built:
    """One row played through the timeline engine: the member's fields, events, periods."""

    __slots__ = ("member", "timeline")

    def __init__(self, member: dict, timeline: Timeline):
        self.member = member
        self.timeline = timeline

    @property
    def name(self) -> str:
        return self.member["full_name"]

    @property
    def events(self) -> list[Event]:
        return self.timeline.events

    @property
    def periods(self) -> list[Period]:
        return self.timeline.periods


def play(timeline: Timeline, step: TimelineEvent, member: dict) -> None:
    """One later event of a row's timeline, as the member services would play it."""
    if step.type in (TRANSFERRED, T.TRANSFERRED_OUT):
        inside = step.type == TRANSFERRED
        timeline.transfer(
            on=step.on, to=step.to_organization_id if inside else None,
            other_party="" if inside else step.other_party, arrived_on=step.arrived_on,
            decision_no=step.decision_no,
        )  # fmt: skip
    elif step.type in EXIT_STATUS:
        timeline.exit(type=step.type, on=step.on, decision_no=step.decision_no)
    elif step.type in (T.EXEMPTED, T.EXEMPTION_ENDED):
        timeline.exempt(on=step.on, end=step.type == T.EXEMPTION_ENDED,
                        decision_no=step.decision_no)  # fmt: skip
    elif step.type == T.READMITTED:
        timeline.readmit(
            on=step.on, organization_id=step.to_organization_id or step.organization_id,
            decision_no=step.decision_no, consent=step.consent,
        )  # fmt: skip
    elif step.type == T.CONFIRMED:
        timeline.confirm(on=step.on, decision_no=step.decision_no)
        member["confirmed_on"] = step.on
    else:
        raise ValidationError(
            {"type": _("Loại sự kiện không hợp lệ: %(type)s.") % {"type": step.type}}
        )


def _lookup(orgs: dict[int, Org]) -> Callable[[int | None], Org]:
    def org(pk: int | None) -> Org:
        found = orgs.get(pk)
        if found is None:
            raise ValidationError(
                {"organization": _("Không có tổ chức mã số %(pk)s.") % {"pk": pk}}
            )
        return found

    return org


def build(
    row: MemberRow, orgs: dict[int, Org], today: date, names: Names, policies: PolicyLookup
) -> _Built:
    """The member, events and periods the services would leave for `row` (not written)."""
    unknown = set(row.record) - PERSONAL
    if unknown:
        raise ValidationError(
            _("Trường không hợp lệ: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}
        )
    member = dict(row.record)
    member["admitted_on"] = row.admitted_on
    member["admission_decision_no"] = row.admission_decision_no
    member["ceremony_on"] = row.ceremony_on
    member["confirmed_on"] = row.confirmed_on
    if not row.checked:
        errors = record_errors(member, today=today)
        if errors:
            raise ValidationError(errors)
        check_dates(
            birth_date=member["birth_date"], admitted_on=member["admitted_on"],
            ceremony_on=member["ceremony_on"], confirmed_on=member["confirmed_on"], today=today,
            policies=policies,
        )  # fmt: skip
    timeline = Timeline(member["full_name"], org=_lookup(orgs), policies=policies)
    timeline.register(
        organization_id=timeline.org(row.organization_id).pk, admitted_on=row.admitted_on,
        decision_no=row.admission_decision_no, ceremony_on=row.ceremony_on,
        confirmed_on=row.confirmed_on, since=row.since, arrived_from=row.arrived_from,
    )  # fmt: skip
    for step in row.timeline:
        play(timeline, step, member)
    member.update(timeline.derived(today))
    member["name_folded"] = names.fold(member["full_name"])
    member["name_sort"] = names.sort(member["full_name"])
    member["row_version"] = 1 + len(row.timeline)
    return _Built(member, timeline)


# ---------------------------------------------------------------- writing


def _chunks(rows: Iterable[MemberRow], size: int) -> Iterator[list[MemberRow]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _load_orgs(rows: list[MemberRow], orgs: dict[int, Org]) -> None:
    wanted = set()
    for row in rows:
        wanted.add(row.organization_id)
        for step in row.timeline:
            wanted.update((step.to_organization_id, step.organization_id))
    missing = sorted(pk for pk in wanted - set(orgs) if isinstance(pk, int))
    for start in range(0, len(missing), 900):
        for values in Organization.objects.filter(pk__in=missing[start : start + 900]).values_list(
            *ORG_FIELDS
        ):
            orgs[values[0]] = Org(*values)


class _Uniques:
    """Citizen IDs (among the living) and party card numbers: in the database and the input."""

    def __init__(self):
        self.citizen_ids: dict[str, bool] = {}  # ID -> held by a living member of the input
        self.cards: set[str] = set()

    def check_input(self, built: list[tuple[int, _Built]]) -> None:
        """Clashes inside the input (the database's are found by its unique indexes)."""
        for index, replay in built:
            member = replay.member
            citizen_id, card = member.get("citizen_id"), member.get("party_card_no")
            if citizen_id:
                living = member["status"] != Status.DECEASED
                if living and self.citizen_ids.get(citizen_id):
                    raise _citizen_id_taken(index, replay)
                self.citizen_ids[citizen_id] = self.citizen_ids.get(citizen_id, False) or living
            if card:
                if card in self.cards:
                    raise _card_taken(index, replay)
                self.cards.add(card)

    @staticmethod
    def check_database(built: list[tuple[int, _Built]]) -> None:
        """Which row clashes with a member already stored (after the insert was refused)."""
        ids = [r.member["citizen_id"] for _, r in built if r.member.get("citizen_id")]
        cards = [r.member["party_card_no"] for _, r in built if r.member.get("party_card_no")]
        taken_ids, taken_cards = set(), set()
        for start in range(0, len(ids), 900):
            taken_ids.update(
                Member.objects.filter(citizen_id__in=ids[start : start + 900])
                .exclude(status=Status.DECEASED)
                .order_by()  # (no ORDER BY: SQLite would walk the sort index instead)
                .values_list("citizen_id", flat=True)
            )
        for start in range(0, len(cards), 900):
            taken_cards.update(
                Member.objects.filter(party_card_no__in=cards[start : start + 900])
                .exclude(party_card_no="")  # the partial unique index's own condition
                .order_by()
                .values_list("party_card_no", flat=True)
            )
        for index, replay in built:
            member = replay.member
            if member["status"] != Status.DECEASED and member.get("citizen_id") in taken_ids:
                raise _citizen_id_taken(index, replay, stored=True)
            if member.get("party_card_no") in taken_cards:
                raise _card_taken(index, replay, stored=True)


def _citizen_id_taken(index: int, replay: _Built, *, stored: bool = False) -> BulkRowError:
    # `stored`: found by the database's unique index, perhaps on a record outside the
    # caller's scope: the neutral message (members.identity), never whose record it is.
    citizen_id = replay.member["citizen_id"]
    message = not_usable("citizen_id") if stored else citizen_id_taken(citizen_id)
    return BulkRowError(index, replay.name, ValidationError({"citizen_id": message}))


def _card_taken(index: int, replay: _Built, *, stored: bool = False) -> BulkRowError:
    card = replay.member["party_card_no"]
    message = not_usable("party_card_no") if stored else party_card_taken(card)
    return BulkRowError(index, replay.name, ValidationError({"party_card_no": message}))


@contextmanager
def _roomy_cache() -> Iterator[None]:
    """On SQLite, a 128 MiB page cache while the indexes grow (restored afterwards)."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        cursor.execute("PRAGMA cache_size = -131072")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


@transaction.atomic
def members_bulk_register(
    rows: Iterable[MemberRow],
    *,
    by: AbstractBaseUser | AnonymousUser | None = None,
    reason: str = "",
    batch_size: int = 2000,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Register every row (with its timeline) as the services would; returns how many.

    All or nothing: a refused row raises `BulkRowError` (a `ValidationError` naming the
    row, 0-based, in `.row`) and nothing is written.
    """
    user = by if getattr(by, "is_authenticated", False) else None
    user_id = user.pk if user else None
    change_reason = (reason or _("Nhập hồ sơ"))[:255]
    today = timezone.localdate()
    now = timezone.now()
    history = Member.history.model
    tables = {
        "member": Table(Member, with_pk=True, now=now),
        "event": Table(MemberEvent, with_pk=True, now=now, constants={"recorded_by_id": user_id},
                        ready=("detail",)),
        "affiliation": Table(Affiliation, with_pk=False, now=now, constants={"kind": OFFICIAL}),
        # Read from the member's own dict (its tracked fields, plus the history reason).
        "history": Table(history, with_pk=False, now=now, constants={
            "history_date": now, "history_type": "+", "history_user_id": user_id,
        }),
    }  # fmt: skip
    orgs: dict[int, Org] = {}  # every organization the rows name, with its province
    with _roomy_cache():
        created = _register(rows, batch_size, tables, progress, orgs, today=today,
                            change_reason=change_reason)  # fmt: skip
    audit.record(
        "tochuc.member.bulk_registered", by=by, reason=reason, count=created,
        province=audit.shared_province(*(org.province_id for org in orgs.values())),
    )  # fmt: skip
    return created


def _register(rows: Iterable[MemberRow], batch_size: int, tables: dict[str, Table],
              progress: Callable[[int], None] | None, orgs: dict[int, Org], *,
              today: date, change_reason: str) -> int:  # fmt: skip
    names = Names()
    policies = PolicyLookup()
    writer = _Writer(tables, _Details(), change_reason)
    uniques = _Uniques()
    created = 0
    try:
        for chunk in _chunks(rows, batch_size):
            _load_orgs(chunk, orgs)
            built: list[tuple[int, _Built]] = []
            for offset, row in enumerate(chunk):
                index = created + offset
                try:
                    built.append((index, build(row, orgs, today, names, policies)))
                except (ValidationError, ProcedureError) as error:
                    name = (row.record or {}).get("full_name", "")
                    raise BulkRowError(index, name, error) from error
            uniques.check_input(built)
            _written(writer.write(chunk, built, created), progress)
            created += len(built)
        _written(writer.finish(), progress)
    finally:
        writer.close()
    return created


def _written(batch: list[tuple[int, _Built]], progress: Callable[[int], None] | None) -> None:
    if batch and progress:
        progress(len(batch))


class _Writer:
    """Writes each batch (keys, rows, COPY or executemany). On PostgreSQL a batch is written
    by a thread of its own while the caller builds the next one: the server stores batch k
    while Python plays the timelines of batch k+1 (psycopg lets go of the GIL while it waits
    for the server). The thread uses the caller's connection through psycopg itself, which
    lets one thread at a time use it (the caller's queries wait for the batch's COPY), so
    everything stays in the caller's transaction; of Django it uses only the error
    translation (`lib.rows.insert_rows`: `wrap_database_errors` of the thread's own, never
    opened, connection object, so a clash is Django's IntegrityError), and the caller waits
    for it before going on after an error or before committing. Elsewhere (SQLite) each
    batch is written at once."""

    def __init__(self, tables: dict[str, Table], details: _Details, change_reason: str):
        self.tables = tables
        self.details = details
        self.change_reason = change_reason
        self.threaded = connection.vendor == "postgresql"
        self.executor = ThreadPoolExecutor(1, "tochuc-bulk") if self.threaded else None
        self.pending: tuple[Future, list[tuple[int, _Built]]] | None = None

    def write(self, chunk: list[MemberRow], built: list[tuple[int, _Built]], created: int):
        """Hand `built` over; the batch written before it (what it wrote), or []."""
        done = self.finish()
        if self.executor is None:
            self._checked(lambda: self._write(chunk, built, created, None), built)
            return built
        raw = connection.connection.cursor()  # psycopg's own, on the caller's connection

        def job() -> None:
            try:
                self._write(chunk, built, created, raw)
            finally:
                raw.close()

        self.pending = (self.executor.submit(job), built)
        return done

    def finish(self) -> list[tuple[int, _Built]]:
        """Wait for the batch being written; what it wrote ([] if none), or its error."""
        if self.pending is None:
            return []
        future, built = self.pending
        self.pending = None
        self._checked(future.result, built)
        return built

    def close(self) -> None:
        """After an error too: the thread is done with the connection before the caller's
        transaction ends."""
        if self.executor is not None:
            if self.pending is not None:
                wait([self.pending[0]])
                self.pending = None
            self.executor.shutdown()

    @staticmethod
    def _checked(write: Callable, built: list[tuple[int, _Built]]) -> None:
        try:
            write()
        except _Clash as clash:
            _Uniques.check_database(built)  # names the row (the batch's savepoint undone)
            raise ValidationError(_("Số thẻ hoặc số CCCD trùng với hồ sơ khác.")) from clash.error

    def _write(self, chunk: list[MemberRow], built: list[tuple[int, _Built]], created: int,
               raw) -> None:  # fmt: skip
        tables, details = self.tables, self.details
        member_ids = tables["member"].reserve(len(built), raw=raw)
        events_count = sum(len(r.events) for _, r in built)
        event_ids = iter(tables["event"].reserve(events_count, raw=raw))
        members, events, affiliations = [], [], []
        for pk, (index, replay) in zip(member_ids, built, strict=True):
            member = replay.member
            member["id"] = pk
            # The history row's reason: the row's own (`MemberRow.reason`) or the call's.
            member["history_change_reason"] = (
                chunk[index - created].reason[:255] or self.change_reason
            )
            members.append(member)
            for event in replay.events:
                event.pk = next(event_ids)
                events.append({
                    "id": event.pk, "member_id": pk, "type": event.type, "on": event.on,
                    "decision_no": event.decision_no, "organization_id": event.organization_id,
                    "other_organization_id": event.other_organization_id,
                    "other_party": event.other_party, "detail": details.dumps(event.detail),
                })  # fmt: skip
            for period in replay.periods:
                affiliations.append({
                    "member_id": pk, "organization_id": period.organization_id,
                    "valid_from": period.valid_from,
                    "valid_to": period.valid_to,
                    "started_by_id": period.started_by.pk,
                })  # fmt: skip
        self._insert_members(members, raw)
        tables["event"].insert(events, raw=raw)
        tables["affiliation"].insert(affiliations, raw=raw)
        if getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
            tables["history"].insert(members, raw=raw)  # the member's dict: tracked fields

    def _insert_members(self, members: list[dict], raw) -> None:
        """In a savepoint: a clash with a stored number is then named by row (`_Clash`)."""
        if raw is None:
            try:
                with transaction.atomic():
                    self.tables["member"].insert(members)
            except IntegrityError as error:
                raise _Clash(error) from error
            return
        raw.execute("SAVEPOINT tochuc_bulk_members")
        try:
            self.tables["member"].insert(members, raw=raw)
        except IntegrityError as error:
            raw.execute("ROLLBACK TO SAVEPOINT tochuc_bulk_members")
            raise _Clash(error) from error
        raw.execute("RELEASE SAVEPOINT tochuc_bulk_members")


class _Clash(Exception):
    """The members' insert met a stored citizen ID or card number (its savepoint undone)."""

    def __init__(self, error: IntegrityError):
        super().__init__(str(error))
        self.error = error
