"""The steps of a timeline (`Timeline`): each checks its own fields, then records its
events through the rules (`Rules.record`); and `replay`, a whole history checked again."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from django.utils.translation import gettext as _

from tochuc.lib.dates import vn_date
from tochuc.policy.rules import Policy

from ..models import Status
from .events import OFFICIAL, Event, Org, Period, Refused, T, check_exit_type
from .rules import Rules

BIG = 10**18  # the place of an event not stored yet, after every stored one


class Timeline(Rules):
    """One member's timeline: the rules (`Rules`) and the steps that play them."""

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

    def confirm(self, *, on: date, decision_no: str = "",
                decision_date: date | None = None) -> Event:  # fmt: skip
        self.refuse_unless_probationary()
        return self.record(Event(T.CONFIRMED, on, self.organization_now(),
                                 decision_no=decision_no, decision_date=decision_date))  # fmt: skip

    def check_destination(self, to: int | None, other_party: str) -> None:
        """One destination: a cell of the system or a party outside it, not the same cell."""
        if (to is None) == (not other_party.strip()):
            raise Refused(_("Hãy chọn chi bộ nơi đến hoặc ghi nơi đến ngoài hệ thống."), "to")
        if to is not None and to == self.organization_now():
            raise Refused(_("Nơi đến trùng với nơi đang sinh hoạt."), "to")

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
                raise Refused(_("Ngày đến không được trước ngày chuyển đi."), "arrived_on")
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
            raise Refused(_("Giấy giới thiệu này không chờ tiếp nhận trong hệ thống."))
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
                _(
                    "Ngày đến sinh hoạt (%(on)s) không được trước ngày cấp giấy giới thiệu "
                    "(%(letter_on)s)."
                )
                % {"on": vn_date(on), "letter_on": vn_date(letter_on)},
                "arrived_on",
            )
        if self.status != Status.TRANSFERRED_AWAY and not (
            self.active and self.open_official() is None
        ):
            raise Refused(
                _("%(name)s không ở diện đã chuyển sinh hoạt ra ngoài hệ thống.")
                % {"name": self.name}
            )
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
            raise Refused(
                _("%(name)s không có sinh hoạt đảng tạm thời đang mở.") % {"name": self.name}
            )
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
                   decision_date: date | None = None) -> Event:  # fmt: skip
        self.refuse_if_inactive()
        return self.record(Event(T.DISCIPLINED, on, self.organization_now(),
                                 decision_no=decision_no, decision_date=decision_date,
                                 detail={"form": form}, note=note))  # fmt: skip

    def exit(self, *, type: str, on: date, decision_no: str = "",
             decision_date: date | None = None,
             grounds: str = "") -> Event:  # fmt: skip
        check_exit_type(type)
        self.refuse_if_inactive(exit_=True)
        return self.record(Event(type, on, self.organization_now(), decision_no=decision_no,
                                 decision_date=decision_date, note=grounds.strip()))  # fmt: skip

    def readmit(self, *, on: date, organization_id: int, ceremony_on: date | None = None,
                decision_no: str = "", consent: str = "") -> Event:  # fmt: skip
        self.check_readmission(on)
        if not consent.strip():
            raise Refused(_("Cần ghi văn bản đồng ý của cấp ủy có thẩm quyền."), "consent")
        return self.record(Event(
            T.READMITTED, on, organization_id, decision_no=decision_no,
            detail={"consent": consent.strip(), "ceremony_on": ceremony_on},
        ))  # fmt: skip

    # ------------------------------------------------------------ restructuring

    def reorganize(self, *, source: int, into: int, on: date, decision_no: str = "",
                   decision_date: date | None = None,
                   detail: dict | None = None) -> Event | None:  # fmt: skip
        """The member in activity in `source`, which a merger or a split ends on `on`, goes
        on in `into`: a "reorganized" event (its effect moves the periods), or, when the
        activity there starts on or after `on`, only the period filed with `into` (None)."""
        current = [p for p in self.periods if p.organization_id == source and p.valid_to is None]
        if not current:
            raise Refused(
                _("%(name)s không sinh hoạt tại tổ chức được sắp xếp.") % {"name": self.name},
                "members",
            )
        if all(period.valid_from >= on for period in current):
            for period in current:
                period.refile(into)
            return None
        return self.record(Event(
            T.REORGANIZED, on, into, other_organization_id=source, decision_no=decision_no,
            decision_date=decision_date, detail=dict(detail or {}),
        ), ordered=False)  # fmt: skip

    def reorganize_undo(self, *, source: int, on: date, moved: int | None = None) -> None:
        """A restructuring recorded by mistake, undone for this member: the "reorganized"
        event `moved` (a stored pk) and the period it opened go, the period it ended runs
        again; official periods filed with a successor because they started in `source` on
        or after `on` go back to it. Refused when the member has acted since the move."""
        if moved is not None:
            self._unmove(moved)
        starts = {event.pk: event.organization_id for event in self.events}
        for period in self.periods:
            started = period.started_by
            started = started.pk if isinstance(started, Event) else started
            if (period.kind == OFFICIAL and period.valid_from >= on
                    and period.organization_id != source
                    and starts.get(started) == source):  # fmt: skip
                period.refile(source)

    def reorganize_redate(self, *, moved: int, on: date, decision_no: str = "",
                          decision_date: date | None = None) -> None:  # fmt: skip
        """A restructuring's date or decision corrected, for this member: the "reorganized"
        event `moved` (a stored pk) takes the new decision and moves to `on`, and so does the
        boundary between the period it ended and the one it opened. Refused when the member's
        own timeline leaves no room (an act of theirs between the old and the new day, or
        activity in the ended organization that starts only on or after `on`)."""
        event = next((e for e in self.events if e.pk == moved), None)
        if event is None:
            return
        if on != event.on:
            opened, ended = self._moved_periods(event)
            place = (event.on, event.pk)
            later = [e for e in self.events if (e.on, e.pk or BIG) > place]
            first = min(later, key=lambda e: (e.on, e.pk or BIG), default=None)
            if first is not None and first.on <= on:
                raise self._acted_since(first)
            earlier = [e for e in self.events if (e.on, e.pk or BIG) < place]
            last = max(earlier, key=lambda e: (e.on, e.pk or BIG), default=None)
            if (last is not None and last.on >= on) or (ended and ended.valid_from >= on):
                raise Refused(
                    _(
                        "%(name)s bắt đầu sinh hoạt tại %(organization)s từ ngày %(since)s, "
                        "không trước ngày %(on)s; không thể dời sự kiện."
                    )
                    % {
                        "name": self.name,
                        "organization": self.org(event.other_organization_id).name,
                        "since": vn_date(ended.valid_from if ended else last.on),
                        "on": vn_date(on),
                    }
                )
            if ended is not None:
                ended.end(on)
            opened.valid_from, opened.changed = on, True
            event.on = on
        event.decision_no, event.decision_date = (decision_no or "").strip(), decision_date
        event.changed = True

    def _acted_since(self, first: Event) -> Refused:
        return Refused(
            _(
                "%(name)s đã có %(act)s ngày %(on)s sau khi chuyển theo sắp xếp tổ chức; "
                "hãy sửa, hủy việc đó trước."
            )
            % {"name": self.name, "act": first.label.lower(), "on": vn_date(first.on)}
        )

    def _moved_periods(self, event: Event) -> tuple[Period, Period | None]:
        """(the period the move opened, still open; the one it ended, if any)."""
        opened = next((p for p in self.periods if p.started_by is event
                       or p.started_by == event.pk), None)  # fmt: skip
        if opened is None or opened.valid_to is not None:
            raise Refused(
                _(
                    "%(name)s đã chuyển sinh hoạt sau khi chuyển theo sắp xếp tổ chức; hãy sửa, "
                    "hủy việc đó trước."
                )
                % {"name": self.name}
            )
        ended = [p for p in self.periods if p.organization_id == event.other_organization_id
                 and p.kind == opened.kind and p.valid_to == event.on]  # fmt: skip
        return opened, max(ended, key=lambda p: p.valid_from) if ended else None

    def _unmove(self, moved: int) -> None:
        event = next((e for e in self.events if e.pk == moved), None)
        if event is None:
            return
        place = (event.on, event.pk)
        later = [e for e in self.events if (e.on, e.pk or BIG) > place]
        if later:
            raise self._acted_since(min(later, key=lambda e: (e.on, e.pk or BIG)))
        opened, ended = self._moved_periods(event)
        self.periods.remove(opened)
        self.events.remove(event)
        self.dropped_periods.append(opened)
        self.dropped_events.append(event)
        if ended is not None:
            ended.end(opened.valid_to)


def replay(name: str, events: Iterable[Event], *, org: Callable[[int], Org],
           policies: Callable[[date], Policy]) -> Timeline:  # fmt: skip
    """A new timeline from `events` (a whole, possibly corrected, history) in date order
    (then recording order): every event checked again, every period derived again."""
    timeline = Timeline(name, org=org, policies=policies)
    ordered = sorted(events, key=lambda e: (e.on, e.pk if e.pk is not None else 10**18))
    for event in ordered:
        try:
            timeline.record(event, ordered=False)
        except Refused as refusal:
            raise Refused(
                _("%(label)s ngày %(on)s: %(reason)s")
                % {"label": event.label, "on": vn_date(event.on), "reason": refusal.reason},
                refusal.field,
            ) from refusal
    return timeline
