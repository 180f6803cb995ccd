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

The module is pure: no database. Organizations come through a lookup (`org(pk) -> Org`),
the rules in force through `policies(day) -> Policy`. The services (members/services.py,
transfers), the bulk path (members/bulk.py), the events import (members/bulk_events.py)
and corrections (members/corrections.py) load a timeline, play steps (or `replay` a whole
corrected list of events) and write what changed: new events (`Event.new`), new periods
(`Period.pk is None`) and changed ones (`Period.changed`), the transfers closed by an exit
(`Timeline.closed`), and the derived state (`Timeline.derived`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from tochuc.core.errors import ProcedureError
from tochuc.lib.dates import add_months, full_months, vn_date
from tochuc.organizations.models import Kind

from . import party_age
from .models import ACTIVE_STATUSES, Affiliation, MemberEvent, Status, Transfer

T = MemberEvent.Type
OFFICIAL, TEMPORARY = Affiliation.Kind.OFFICIAL, Affiliation.Kind.TEMPORARY
CELL_KINDS = (Kind.CELL, Kind.BASE_CELL)
EXIT_STATUS = {
    T.REMOVED: Status.LEFT,
    T.EXPELLED: Status.LEFT,
    T.RESIGNED: Status.LEFT,
    T.DIED: Status.DECEASED,
}
# Discipline of members (Quy định 69-QĐ/TW): a probationary member only these forms.
PROBATIONARY_FORMS = ("reprimand", "warning")


Folded = tuple[str | None, bool, bool]  # (status, confirmed, exempted)


def next_status(state: Folded, event) -> Folded:
    """The status after `event`: the one derivation of status, confirmation and exemption
    (the timeline's steps and `fold_status` both use it)."""
    status, confirmed, exempted = state
    kind = event.type
    if kind in (T.ADMITTED, T.READMITTED):
        return Status.PROBATIONARY, False, False
    if kind == T.CONFIRMED:
        full = status in (Status.PROBATIONARY, Status.FULL)
        return (Status.FULL if full else status), True, exempted
    if kind in EXIT_STATUS:
        return EXIT_STATUS[kind], confirmed, False
    if kind == T.TRANSFERRED_OUT and not event.other_organization_id:
        return Status.TRANSFERRED_AWAY, confirmed, exempted
    if kind == T.TRANSFERRED_IN and status == Status.TRANSFERRED_AWAY:
        return (Status.FULL if confirmed else Status.PROBATIONARY), confirmed, exempted
    if kind == T.EXEMPTED:
        return status, confirmed, True
    if kind == T.EXEMPTION_ENDED:
        return status, confirmed, False
    return state


def fold_status(events, state: Folded = (None, False, False)) -> Folded:
    """The status the timeline gives, folding `events` (in date order) into `state`."""
    for event in events:
        state = next_status(state, event)
    return state


class Refused(ProcedureError):
    """A step (or a corrected history) the timeline's rules refuse; `reason` is the
    Vietnamese message, `field` the form field it belongs beside (if any)."""

    def __init__(self, reason: str, field: str | None = None):
        super().__init__({field: reason} if field else reason)
        self.reason = reason
        self.field = field


@dataclass
class Org:
    pk: int
    code: str
    kind: str
    name: str
    founded_on: date
    ended_on: date | None
    path: str
    province_id: int | None


ORG_FIELDS = ("pk", "code", "kind", "name", "founded_on", "ended_on", "path", "province_id")


def check_exit_type(type_: str) -> None:
    if type_ not in EXIT_STATUS:
        raise Refused("Hình thức ra khỏi Đảng không hợp lệ.", "type")


def _day(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


def check_holds(org, on: date, field: str = "organization") -> None:
    """Members are active in a cell, while it exists (`org`: an `Org` or an Organization)."""
    if org.kind not in CELL_KINDS:
        raise Refused(f"Đảng viên sinh hoạt tại chi bộ; {org.name} không phải chi bộ.", field)
    if on < org.founded_on or (org.ended_on and on >= org.ended_on):
        raise Refused(f"{org.name} không hoạt động vào ngày {vn_date(on)}.", field)


def check_temporary_period(policy, *, purpose: str, starts_on: date, ends_on: date) -> None:
    """3 months to under a year for work or residence; 3 months to 2 years for study."""
    if ends_on <= starts_on or full_months(starts_on, ends_on) < policy.temporary_min_months:
        raise Refused(
            f"Thời gian sinh hoạt tạm thời ít nhất {policy.temporary_min_months} tháng.",
            "ends_on",
        )
    if purpose == Transfer.Purpose.STUDY:
        limit = add_months(starts_on, policy.temporary_study_max_months)
        if ends_on > limit:
            raise Refused(
                f"Đi học: sinh hoạt tạm thời không quá {policy.temporary_study_max_months} "
                f"tháng (đến {vn_date(limit)}).",
                "ends_on",
            )
    else:
        limit = add_months(starts_on, policy.temporary_work_max_months)
        if ends_on >= limit:
            raise Refused(
                f"Công tác, cư trú: sinh hoạt tạm thời dưới {policy.temporary_work_max_months} "
                f"tháng (trước ngày {vn_date(limit)}).",
                "ends_on",
            )


class Event:
    """A `MemberEvent`, stored (`pk`) or new. `into` and `since`: the organization and the
    start of the official period the event opens (admission, re-admission, arrival),
    where they differ from `organization_id` and `on`."""

    __slots__ = ("type", "on", "organization_id", "other_organization_id", "other_party",
                 "decision_no", "decision_date", "detail", "note", "pk", "new", "into",
                 "since", "changed")  # fmt: skip

    def __init__(self, type_, on, organization_id=None, other_organization_id=None,
                 other_party="", decision_no="", decision_date=None, detail=None, note="",
                 pk=None, into=None, since=None):  # fmt: skip
        self.type = type_
        self.on = on
        self.organization_id = organization_id
        self.other_organization_id = other_organization_id
        self.other_party = other_party or ""
        self.decision_no = (decision_no or "").strip()
        self.decision_date = decision_date
        self.detail = detail if detail is not None else {}
        self.note = note or ""
        self.pk = pk
        self.new = pk is None
        self.into = into
        self.since = since
        self.changed = False

    def copy(self) -> Event:
        twin = Event(self.type, self.on, self.organization_id, self.other_organization_id,
                     self.other_party, self.decision_no, self.decision_date, dict(self.detail),
                     self.note, self.pk, self.into, self.since)  # fmt: skip
        twin.new = self.new
        return twin

    @property
    def label(self) -> str:
        return T(self.type).label


class Period:
    """An `Affiliation`, stored (`pk`) or new; `started_by` is an `Event` or a stored pk."""

    __slots__ = ("pk", "organization_id", "kind", "valid_from", "valid_to", "started_by",
                 "changed")  # fmt: skip

    def __init__(self, organization_id, kind, valid_from, valid_to=None, started_by=None, pk=None):
        self.pk = pk
        self.organization_id = organization_id
        self.kind = kind
        self.valid_from = valid_from
        self.valid_to = valid_to
        self.started_by = started_by
        self.changed = False

    def end(self, on: date) -> None:
        self.valid_to = on
        self.changed = True

    def key(self) -> tuple:
        return (self.organization_id, self.kind, self.valid_from, self.valid_to)


class Moving:
    """An open transfer: official inside the system (issued, not yet received) or
    temporary. `ref` is the caller's handle on its transfer row."""

    __slots__ = ("kind", "out", "letter_no", "letter_on", "ends_on", "period", "ref")

    def __init__(self, kind, out, letter_no, letter_on, ends_on=None, period=None, ref=None):
        self.kind = kind
        self.out = out
        self.letter_no = letter_no
        self.letter_on = letter_on
        self.ends_on = ends_on
        self.period = period
        self.ref = ref


class Timeline:
    """One member's timeline and the rules that play it (see the module's docstring)."""

    def __init__(self, name: str, *, org: Callable[[int], Org], policies: Callable):
        self.name = name
        self.org = org
        self.policies = policies
        self.events: list[Event] = []
        self.periods: list[Period] = []
        self.status: str | None = None
        self.confirmed = False
        self.exempted = False
        self.official_move: Moving | None = None
        self.temporary_move: Moving | None = None
        self.closed: list[Moving] = []  # transfers an exit closed
        # How each transfer ended: (the open transfer, "received" | "returned" | "closed",
        # the event that ended it).
        self.ended: list[tuple[Moving, str, Event]] = []
        self.confirmed_on: date | None = None

    # ------------------------------------------------------------ reading

    @property
    def active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def moving(self) -> Moving | None:
        return self.official_move or self.temporary_move

    def organization_now(self) -> int | None:
        """The organization of the latest official period, open or closed (the first of
        those starting on the latest day)."""
        latest = None
        for period in self.periods:
            if period.kind != OFFICIAL:
                continue
            if latest is None or period.valid_from > latest.valid_from:
                latest = period
        return None if latest is None else latest.organization_id

    def open_official(self) -> Period | None:
        for period in self.periods:
            if period.kind == OFFICIAL and period.valid_to is None:
                return period
        return None

    def last(self) -> Event | None:
        """The latest event (the first recorded of those on the latest day)."""
        latest = None
        for event in self.events:
            if latest is None or event.on > latest.on:
                latest = event
        return latest

    def derived(self, today: date) -> dict:
        """The stored state the timeline gives (what `member_recompute` writes)."""
        organization = self.org(self.organization_now())
        return {
            "status": self.status or Status.PROBATIONARY,
            "is_exempted": self.exempted,
            "organization_id": organization.pk,
            "province_id": organization.province_id,
            "org_path": organization.path,
            "party_age_anchor": party_age.anchor(self.events, today, self.policies),
        }

    # ------------------------------------------------------------ checks

    def holds(self, org: Org, on: date, field: str = "organization") -> None:
        check_holds(org, on, field)

    def after_timeline(self, on: date) -> None:
        last = self.last()
        if last is not None and on < last.on:
            raise Refused(
                f"Ngày {vn_date(on)} trước sự kiện đã ghi gần nhất ({last.label} "
                f"ngày {vn_date(last.on)}). Hãy ghi các sự kiện theo đúng trình tự thời gian."
            )

    def refuse_if_inactive(self, *, exit_: bool = False) -> None:
        if not self.active:
            label = Status(self.status).label if self.status else ""
            if exit_:
                raise Refused(f"{self.name} đã không còn sinh hoạt đảng ({label}).")
            raise Refused(f"{self.name} không còn sinh hoạt đảng ({label}).")

    def refuse_if_moving(self) -> None:
        if self.official_move is not None:
            move = self.official_move
            raise Refused(
                f"{self.name} đang chuyển sinh hoạt đảng (giấy giới thiệu {move.letter_no or '—'} "
                f"ngày {vn_date(move.letter_on)}); chưa thể lập thủ tục chuyển khác."
            )
        if self.temporary_move is not None:
            move = self.temporary_move
            raise Refused(
                f"{self.name} đang sinh hoạt đảng tạm thời (giấy giới thiệu "
                f"{move.letter_no or '—'}, đến ngày {vn_date(move.ends_on)}); hãy ghi trở về "
                "trước khi lập thủ tục chuyển khác."
            )

    def check_temporary_period(self, *, purpose: str, starts_on: date, ends_on: date) -> None:
        check_temporary_period(self.policies(starts_on), purpose=purpose, starts_on=starts_on,
                               ends_on=ends_on)  # fmt: skip

    def refuse_unless_probationary(self) -> None:
        if self.status != Status.PROBATIONARY:
            raise Refused(f"{self.name} không phải đảng viên dự bị.")

    def refuse_exemption(self, *, end: bool) -> None:
        """An exemption for one not exempted; its end for one exempted."""
        self.refuse_if_inactive()
        if end != self.exempted:
            raise Refused(
                f"{self.name} {'chưa' if end else 'đã'} được miễn công tác và sinh hoạt đảng."
            )

    def last_exit(self) -> Event:
        """The latest exit of a member out of the Party (refused for anyone else)."""
        if self.status != Status.LEFT:
            raise Refused(f"{self.name} không ở diện đã ra khỏi Đảng.")
        latest = None
        for event in self.events:
            if event.type in EXIT_STATUS and (latest is None or event.on > latest.on):
                latest = event
        return latest

    def check_readmission(self, on: date) -> None:
        last_exit = self.last_exit()
        policy = self.policies(on)
        if full_months(last_exit.on, on) < policy.readmission_min_months_out:
            raise Refused(
                f"Chỉ xem xét kết nạp lại sau ít nhất {policy.readmission_min_months_out} tháng "
                f"kể từ khi ra khỏi Đảng ({vn_date(last_exit.on)}) — {policy.source}."
            )
        if last_exit.type == T.EXPELLED:
            raise Refused("Người bị khai trừ không được xem xét kết nạp lại theo thủ tục này.")
        if sum(e.type == T.READMITTED for e in self.events) >= policy.readmission_times_allowed:
            raise Refused(f"Chỉ được kết nạp lại {policy.readmission_times_allowed} lần.")

    # ------------------------------------------------------------ periods

    def close_official(self, on: date) -> None:
        current = self.open_official()
        if current is None:
            raise Refused(f"{self.name} không có nơi sinh hoạt chính thức đang mở.")
        if on <= current.valid_from:
            raise Refused(
                f"Ngày {vn_date(on)} không sau ngày bắt đầu sinh hoạt tại "
                f"{self.org(current.organization_id).name} ({vn_date(current.valid_from)})."
            )
        current.end(on)

    def open(self, organization_id: int, on: date, event: Event, kind=OFFICIAL, until=None):
        period = Period(organization_id, kind, on, until, started_by=event)
        self.periods.append(period)
        return period

    # ------------------------------------------------------------ one event

    def record(self, event: Event, *, ordered: bool = True) -> Event:
        """Check `event` against the timeline so far, apply its effect, append it."""
        if ordered:
            self.after_timeline(event.on)
        handler = EFFECTS.get(event.type)
        if handler is None:
            raise Refused(f"Loại sự kiện không hợp lệ: {event.type}.", "type")
        handler(self, event)
        self.status, self.confirmed, self.exempted = next_status(
            (self.status, self.confirmed, self.exempted), event
        )
        if event.type == T.CONFIRMED:
            self.confirmed_on = event.on
        self.events.append(event)
        return event

    def _admitted(self, event: Event) -> None:
        if self.status is not None:
            raise Refused(f"{self.name} đã được kết nạp; hãy dùng kết nạp lại.")
        into = event.into
        if into is not None:
            since = event.since or event.on
            self.holds(self.org(into), since)
            self.open(into, since, event)

    def _confirmed(self, event: Event) -> None:
        self.refuse_unless_probationary()

    def _transferred_out(self, event: Event) -> None:
        self.refuse_if_inactive()
        self.refuse_if_moving()
        if event.other_organization_id is not None:
            if event.other_organization_id == self.organization_now():
                raise Refused("Nơi đến trùng với nơi đang sinh hoạt.", "to")
            letter = (event.detail or {}).get("letter") or event.decision_no
            self.official_move = Moving(Transfer.Kind.OFFICIAL, event, letter, event.on)
        else:
            self.close_official(event.on)

    def _transferred_in(self, event: Event) -> None:
        into = event.into or event.organization_id
        if self.official_move is not None:
            if event.on < self.official_move.letter_on:
                raise Refused(
                    f"Ngày đến sinh hoạt ({vn_date(event.on)}) không được trước ngày cấp giấy "
                    f"giới thiệu ({vn_date(self.official_move.letter_on)}).",
                    "arrived_on",
                )
            self.holds(self.org(into), event.on, "arrived_on")
            self.refuse_if_inactive()
            self.close_official(event.on)
            self.ended.append((self.official_move, "received", event))
            self.official_move = None
        elif self.status == Status.TRANSFERRED_AWAY:
            self.holds(self.org(into), event.on, "arrived_on")
        elif self.active and self.open_official() is None:
            self.holds(self.org(into), event.on, "arrived_on")  # admitted elsewhere, arriving
        else:
            raise Refused(f"{self.name} không ở diện đã chuyển sinh hoạt ra ngoài hệ thống.")
        self.open(into, event.on, event)

    def _temporary_out(self, event: Event) -> None:
        self.refuse_if_inactive()
        self.refuse_if_moving()
        detail = event.detail or {}
        ends_on = _day(detail.get("ends_on"))
        if ends_on is None:
            raise Refused("Chuyển sinh hoạt tạm thời: hãy ghi “Đến ngày”.", "ends_on")
        host = event.other_organization_id
        if host is not None:
            if host == self.organization_now():
                raise Refused("Nơi đến trùng với nơi đang sinh hoạt.", "to")
            self.holds(self.org(host), event.on, "to")
        purpose = detail.get("purpose") or Transfer.Purpose.WORK
        self.check_temporary_period(purpose=purpose, starts_on=event.on, ends_on=ends_on)
        period = self.open(host, event.on, event, TEMPORARY, ends_on) if host else None
        letter = detail.get("letter") or event.decision_no
        self.temporary_move = Moving(Transfer.Kind.TEMPORARY, event, letter, event.on, ends_on,
                                     period)  # fmt: skip

    def _temporary_returned(self, event: Event) -> None:
        move = self.temporary_move
        if move is None:
            raise Refused(f"{self.name} không có sinh hoạt đảng tạm thời đang mở.")
        if event.on <= move.letter_on:
            raise Refused(
                f"Ngày trở về phải sau ngày cấp giấy giới thiệu ({vn_date(move.letter_on)}).", "on"
            )
        if event.on > move.ends_on:
            raise Refused(
                "Ngày trở về không được sau ngày hết hạn sinh hoạt tạm thời "
                f"({vn_date(move.ends_on)}).",
                "on",
            )
        if move.period is not None:
            move.period.end(event.on)
        self.ended.append((move, "returned", event))
        self.temporary_move = None

    def _exemption(self, event: Event) -> None:
        self.refuse_exemption(end=event.type == T.EXEMPTION_ENDED)

    def _disciplined(self, event: Event) -> None:
        self.refuse_if_inactive()
        form = (event.detail or {}).get("form")
        if self.status == Status.PROBATIONARY and form and form not in PROBATIONARY_FORMS:
            raise Refused("Đảng viên dự bị chỉ bị kỷ luật khiển trách hoặc cảnh cáo.")

    def _exit(self, event: Event) -> None:
        self.refuse_if_inactive(exit_=True)
        self.close_official(event.on)
        for move in (self.official_move, self.temporary_move):
            if move is None:
                continue
            period = move.period
            if (period is not None and period.valid_from < event.on
                    and (period.valid_to is None or period.valid_to > event.on)):  # fmt: skip
                period.end(event.on)
            self.closed.append(move)
            self.ended.append((move, "closed", event))
        self.official_move = self.temporary_move = None

    def _readmitted(self, event: Event) -> None:
        self.check_readmission(event.on)
        into = event.into or event.organization_id
        since = event.since or event.on  # membership starts with the decision
        self.holds(self.org(into), since)
        self.open(into, since, event)

    def _reorganized(self, event: Event) -> None:
        """Restructuring moved the member's activity from `other_organization` to
        `organization` on `on` (organizations' merger; not checked: it follows the tree)."""
        into = event.into or event.organization_id
        for period in list(self.periods):
            if period.organization_id != event.other_organization_id:
                continue
            if period.valid_from < event.on and (period.valid_to is None
                                                 or period.valid_to > event.on):  # fmt: skip
                until = period.valid_to
                period.end(event.on)
                self.open(into, event.on, event, period.kind, until)

    # ------------------------------------------------------------ the steps

    def register(self, *, organization_id: int, admitted_on: date, decision_no: str = "",
                 ceremony_on: date | None = None, confirmed_on: date | None = None,
                 since: date | None = None, arrived_from: str = "") -> Event:  # fmt: skip
        """Membership from the decision (as party age) in the cell from `since`; admitted
        elsewhere (`arrived_from`): the admission is no event of the cell, the activity here
        starts with the arrival on `since`."""
        since = since or admitted_on
        elsewhere = arrived_from.strip()
        here = None if elsewhere else organization_id
        admitted = self.record(Event(
            T.ADMITTED, admitted_on, here, decision_no=decision_no, other_party=elsewhere,
            detail={"ceremony_on": ceremony_on}, into=here, since=since,
        ))  # fmt: skip
        if confirmed_on:
            self.record(Event(T.CONFIRMED, confirmed_on, here, other_party=elsewhere),
                        ordered=False)  # fmt: skip
        if elsewhere:
            self.record(Event(T.TRANSFERRED_IN, since, organization_id, other_party=elsewhere),
                        ordered=False)  # fmt: skip
        return admitted

    def confirm(self, *, on: date, decision_no: str = "", decision_date=None) -> Event:
        self.refuse_unless_probationary()
        return self.record(Event(T.CONFIRMED, on, self.organization_now(),
                                 decision_no=decision_no, decision_date=decision_date))  # fmt: skip

    def check_destination(self, to: int | None, other_party: str) -> None:
        """One destination: a cell of the system or a party outside it, not the same cell."""
        if (to is None) == (not other_party.strip()):
            raise Refused("Hãy chọn chi bộ nơi đến hoặc ghi nơi đến ngoài hệ thống.", "to")
        if to is not None and to == self.organization_now():
            raise Refused("Nơi đến trùng với nơi đang sinh hoạt.", "to")

    def transfer(self, *, on: date, to: int | None = None, other_party: str = "",
                 arrived_on: date | None = None, decision_no: str = "") -> list[Event]:  # fmt: skip
        """A completed official transfer recorded at once: to a cell inside the system,
        arriving on `arrived_on` (default `on`), or out of it (`other_party`)."""
        self.refuse_if_inactive()
        self.refuse_if_moving()
        other_party = "" if to is not None else other_party.strip()
        self.check_destination(to, other_party)
        source = self.organization_now()
        if to is not None:
            arrived_on = arrived_on or on
            if arrived_on < on:
                raise Refused("Ngày đến không được trước ngày chuyển đi.", "arrived_on")
            self.holds(self.org(to), arrived_on, "to")
        out = self.record(Event(T.TRANSFERRED_OUT, on, source, other_organization_id=to,
                                other_party=other_party, decision_no=decision_no))  # fmt: skip
        if to is None:
            return [out]
        arrived = self.record(
            Event(T.TRANSFERRED_IN, arrived_on, to, other_organization_id=source), ordered=False
        )
        return [out, arrived]

    def transfer_issue(self, *, on: date, to: int | None = None, other_party: str = "",
                       letter_no: str = "", present_due: date | None = None) -> Event:  # fmt: skip
        """The official letter dated `on`: in transfer until received (inside), or gone."""
        self.refuse_if_inactive()
        self.refuse_if_moving()
        other_party = other_party.strip()
        self.check_destination(to, other_party)
        if to is not None:
            self.holds(self.org(to), on, "to")
        return self.record(Event(
            T.TRANSFERRED_OUT, on, self.organization_now(), other_organization_id=to,
            other_party=other_party, decision_no=letter_no, decision_date=on,
            detail={"present_due": present_due, "letter": letter_no},
        ))  # fmt: skip

    def transfer_receive(self, *, arrived_on: date) -> Event:
        move = self.official_move
        if move is None:
            raise Refused("Giấy giới thiệu này không chờ tiếp nhận trong hệ thống.")
        out = move.out
        return self.record(Event(
            T.TRANSFERRED_IN, arrived_on, out.other_organization_id,
            other_organization_id=out.organization_id, decision_no=move.letter_no,
            decision_date=move.letter_on,
        ))  # fmt: skip

    def transfer_in_from_outside(
        self, *, on: date, organization_id: int, other_party: str, decision_no: str = "",
        letter_on: date | None = None,
    ) -> Event:  # fmt: skip
        letter_on = letter_on or on
        if on < letter_on:
            raise Refused(
                f"Ngày đến sinh hoạt ({vn_date(on)}) không được trước ngày cấp giấy giới "
                f"thiệu ({vn_date(letter_on)}).",
                "arrived_on",
            )
        if self.status != Status.TRANSFERRED_AWAY and not (
            self.active and self.open_official() is None
        ):
            raise Refused(f"{self.name} không ở diện đã chuyển sinh hoạt ra ngoài hệ thống.")
        return self.record(Event(
            T.TRANSFERRED_IN, on, organization_id, other_party=other_party.strip(),
            decision_no=decision_no, decision_date=letter_on,
        ))  # fmt: skip

    def temporary_out(self, *, on: date, ends_on: date | None, purpose: str,
                      host: int | None = None, other_party: str = "",
                      letter_no: str = "") -> Event:  # fmt: skip
        self.refuse_if_inactive()
        self.refuse_if_moving()
        other_party = other_party.strip()
        self.check_destination(host, other_party)
        return self.record(Event(
            T.TEMPORARY_OUT, on, self.organization_now(), other_organization_id=host,
            other_party=other_party, decision_no=letter_no, decision_date=on,
            detail={"ends_on": ends_on, "purpose": purpose, "letter": letter_no},
        ))  # fmt: skip

    def temporary_return(self, *, on: date, automatic: bool = False) -> Event:
        move = self.temporary_move
        if move is None:
            raise Refused(f"{self.name} không có sinh hoạt đảng tạm thời đang mở.")
        out = move.out
        return self.record(Event(
            T.TEMPORARY_RETURNED, on, out.organization_id,
            other_organization_id=out.other_organization_id, other_party=out.other_party,
            decision_no=move.letter_no, detail={"automatic": automatic},
        ), ordered=not automatic)  # fmt: skip

    def expire(self, day: date) -> Event | None:
        """The daily job's return of a temporary activity whose period ended by `day`."""
        move = self.temporary_move
        if move is not None and move.ends_on <= day:
            return self.temporary_return(on=move.ends_on, automatic=True)
        return None

    def exempt(self, *, on: date, end: bool = False, decision_no: str = "",
               grounds: str = "") -> Event:  # fmt: skip
        self.refuse_exemption(end=end)
        return self.record(Event(T.EXEMPTION_ENDED if end else T.EXEMPTED, on,
                                 self.organization_now(), decision_no=decision_no,
                                 note=grounds.strip()))  # fmt: skip

    def discipline(self, *, on: date, form: str, note: str, decision_no: str = "",
                   decision_date=None) -> Event:  # fmt: skip
        self.refuse_if_inactive()
        return self.record(Event(T.DISCIPLINED, on, self.organization_now(),
                                 decision_no=decision_no, decision_date=decision_date,
                                 detail={"form": form}, note=note))  # fmt: skip

    def exit(self, *, type: str, on: date, decision_no: str = "", decision_date=None,
             grounds: str = "") -> Event:  # fmt: skip
        check_exit_type(type)
        self.refuse_if_inactive(exit_=True)
        return self.record(Event(type, on, self.organization_now(), decision_no=decision_no,
                                 decision_date=decision_date, note=grounds.strip()))  # fmt: skip

    def readmit(self, *, on: date, organization_id: int, ceremony_on: date | None = None,
                decision_no: str = "", consent: str = "") -> Event:  # fmt: skip
        self.check_readmission(on)
        if not consent.strip():
            raise Refused("Cần ghi văn bản đồng ý của cấp ủy có thẩm quyền.", "consent")
        return self.record(Event(
            T.READMITTED, on, organization_id, decision_no=decision_no,
            detail={"consent": consent.strip(), "ceremony_on": ceremony_on},
        ))  # fmt: skip


EFFECTS: dict[str, Callable[[Timeline, Event], None]] = {
    T.ADMITTED: Timeline._admitted,
    T.CONFIRMED: Timeline._confirmed,
    T.TRANSFERRED_OUT: Timeline._transferred_out,
    T.TRANSFERRED_IN: Timeline._transferred_in,
    T.TEMPORARY_OUT: Timeline._temporary_out,
    T.TEMPORARY_RETURNED: Timeline._temporary_returned,
    T.EXEMPTED: Timeline._exemption,
    T.EXEMPTION_ENDED: Timeline._exemption,
    T.DISCIPLINED: Timeline._disciplined,
    T.REMOVED: Timeline._exit,
    T.EXPELLED: Timeline._exit,
    T.RESIGNED: Timeline._exit,
    T.DIED: Timeline._exit,
    T.READMITTED: Timeline._readmitted,
    T.REORGANIZED: Timeline._reorganized,
}


def replay(name: str, events: Iterable[Event], *, org, policies) -> Timeline:
    """A new timeline from `events` (a whole, possibly corrected, history) in date order
    (then recording order): every event checked again, every period derived again."""
    timeline = Timeline(name, org=org, policies=policies)
    ordered = sorted(events, key=lambda e: (e.on, e.pk if e.pk is not None else 10**18))
    for event in ordered:
        try:
            timeline.record(event, ordered=False)
        except Refused as refusal:
            raise Refused(
                f"{event.label} ngày {vn_date(event.on)}: {refusal.reason}", refusal.field
            ) from refusal
    return timeline
