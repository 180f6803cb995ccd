"""The rules every event of a timeline obeys (`Rules.record`): the order of events, what
may follow death or an exit, re-admission, one open transfer at a time, the organization
holding members on the date, and each event's effect on the periods and the status."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.utils.translation import gettext as _

from tochuc.lib.dates import full_months, vn_date

from .. import party_age
from ..models import ACTIVE_STATUSES, Status, TemporaryPurpose
from .events import (
    EXIT_STATUS,
    OFFICIAL,
    PROBATIONARY_FORMS,
    TEMPORARY,
    Event,
    Moving,
    Org,
    Period,
    Refused,
    T,
    as_date,
    check_holds,
    check_temporary_period,
    next_status,
)


class Rules:
    """One member's timeline and the rules every event obeys; the steps are `Timeline`'s
    (steps.py)."""

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
        # What an undone restructuring takes away (stored events and periods to delete).
        self.dropped_events: list[Event] = []
        self.dropped_periods: list[Period] = []

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
                _(
                    "Ngày %(on)s trước sự kiện đã ghi gần nhất (%(label)s ngày %(on2)s). Hãy "
                    "ghi các sự kiện theo đúng trình tự thời gian."
                )
                % {"on": vn_date(on), "label": last.label, "on2": vn_date(last.on)}
            )

    def refuse_if_inactive(self, *, exit_: bool = False) -> None:
        if not self.active:
            label = Status(self.status).label if self.status else ""
            if exit_:
                raise Refused(
                    _("%(name)s đã không còn sinh hoạt đảng (%(label)s).")
                    % {"name": self.name, "label": label}
                )
            raise Refused(
                _("%(name)s không còn sinh hoạt đảng (%(label)s).")
                % {"name": self.name, "label": label}
            )

    def refuse_if_moving(self) -> None:
        if self.official_move is not None:
            move = self.official_move
            raise Refused(
                _(
                    "%(name)s đang chuyển sinh hoạt đảng (giấy giới thiệu %(value)s ngày "
                    "%(letter_on)s); chưa thể lập thủ tục chuyển khác."
                )
                % {
                    "name": self.name,
                    "value": move.letter_no or "—",
                    "letter_on": vn_date(move.letter_on),
                }
            )
        if self.temporary_move is not None:
            move = self.temporary_move
            raise Refused(
                _(
                    "%(name)s đang sinh hoạt đảng tạm thời (giấy giới thiệu %(value)s, đến "
                    "ngày %(ends_on)s); hãy ghi trở về trước khi lập thủ tục chuyển khác."
                )
                % {
                    "name": self.name,
                    "value": move.letter_no or "—",
                    "ends_on": vn_date(move.ends_on),
                }
            )

    def check_temporary_period(self, *, purpose: str, starts_on: date, ends_on: date) -> None:
        check_temporary_period(self.policies(starts_on), purpose=purpose, starts_on=starts_on,
                               ends_on=ends_on)  # fmt: skip

    def refuse_unless_probationary(self) -> None:
        if self.status != Status.PROBATIONARY:
            raise Refused(_("%(name)s không phải đảng viên dự bị.") % {"name": self.name})

    def refuse_exemption(self, *, end: bool) -> None:
        """An exemption for one not exempted; its end for one exempted."""
        self.refuse_if_inactive()
        if end != self.exempted:
            raise Refused(
                _("%(name)s %(value)s được miễn công tác và sinh hoạt đảng.")
                % {"name": self.name, "value": _("chưa") if end else _("đã")}
            )

    def last_exit(self) -> Event:
        """The latest exit of a member out of the Party (refused for anyone else)."""
        if self.status != Status.LEFT:
            raise Refused(_("%(name)s không ở diện đã ra khỏi Đảng.") % {"name": self.name})
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
                _(
                    "Chỉ xem xét kết nạp lại sau ít nhất %(readmission_min_months_out)s "
                    "tháng kể từ khi ra khỏi Đảng (%(on)s) — %(source)s."
                )
                % {
                    "readmission_min_months_out": policy.readmission_min_months_out,
                    "on": vn_date(last_exit.on),
                    "source": policy.source,
                }
            )
        if last_exit.type == T.EXPELLED:
            raise Refused(_("Người bị khai trừ không được xem xét kết nạp lại theo thủ tục này."))
        if sum(e.type == T.READMITTED for e in self.events) >= policy.readmission_times_allowed:
            raise Refused(
                _("Chỉ được kết nạp lại %(readmission_times_allowed)s lần.")
                % {"readmission_times_allowed": policy.readmission_times_allowed}
            )

    # ------------------------------------------------------------ periods

    def close_official(self, on: date) -> None:
        current = self.open_official()
        if current is None:
            raise Refused(
                _("%(name)s không có nơi sinh hoạt chính thức đang mở.") % {"name": self.name}
            )
        if on <= current.valid_from:
            raise Refused(
                _("Ngày %(on)s không sau ngày bắt đầu sinh hoạt tại %(name)s (%(valid_from)s).")
                % {
                    "on": vn_date(on),
                    "name": self.org(current.organization_id).name,
                    "valid_from": vn_date(current.valid_from),
                }
            )
        current.end(on)

    def open(self, organization_id: int, on: date, event: Event, kind: str = OFFICIAL,
             until: date | None = None) -> Period:  # fmt: skip
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
            raise Refused(_("Loại sự kiện không hợp lệ: %(type)s.") % {"type": event.type}, "type")
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
            raise Refused(
                _("%(name)s đã được kết nạp; hãy dùng kết nạp lại.") % {"name": self.name}
            )
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
                raise Refused(_("Nơi đến trùng với nơi đang sinh hoạt."), "to")
            letter = (event.detail or {}).get("letter") or event.decision_no
            self.official_move = Moving(OFFICIAL, event, letter, event.on)
        else:
            self.close_official(event.on)

    def _transferred_in(self, event: Event) -> None:
        into = event.into or event.organization_id
        if self.official_move is not None:
            if event.on < self.official_move.letter_on:
                raise Refused(
                    _(
                        "Ngày đến sinh hoạt (%(on)s) không được trước ngày cấp giấy giới thiệu "
                        "(%(letter_on)s)."
                    )
                    % {"on": vn_date(event.on), "letter_on": vn_date(self.official_move.letter_on)},
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
            raise Refused(
                _("%(name)s không ở diện đã chuyển sinh hoạt ra ngoài hệ thống.")
                % {"name": self.name}
            )
        self.open(into, event.on, event)

    def _temporary_out(self, event: Event) -> None:
        self.refuse_if_inactive()
        self.refuse_if_moving()
        detail = event.detail or {}
        ends_on = as_date(detail.get("ends_on"))
        if ends_on is None:
            raise Refused(_("Chuyển sinh hoạt tạm thời: hãy ghi “Đến ngày”."), "ends_on")
        host = event.other_organization_id
        if host is not None:
            if host == self.organization_now():
                raise Refused(_("Nơi đến trùng với nơi đang sinh hoạt."), "to")
            self.holds(self.org(host), event.on, "to")
        purpose = detail.get("purpose") or TemporaryPurpose.WORK
        self.check_temporary_period(purpose=purpose, starts_on=event.on, ends_on=ends_on)
        period = self.open(host, event.on, event, TEMPORARY, ends_on) if host else None
        letter = detail.get("letter") or event.decision_no
        self.temporary_move = Moving(TEMPORARY, event, letter, event.on, ends_on,
                                     period)  # fmt: skip

    def _temporary_returned(self, event: Event) -> None:
        move = self.temporary_move
        if move is None:
            raise Refused(
                _("%(name)s không có sinh hoạt đảng tạm thời đang mở.") % {"name": self.name}
            )
        if event.on <= move.letter_on:
            raise Refused(
                _("Ngày trở về phải sau ngày cấp giấy giới thiệu (%(letter_on)s).")
                % {"letter_on": vn_date(move.letter_on)},
                "on",
            )
        if event.on > move.ends_on:
            raise Refused(
                _("Ngày trở về không được sau ngày hết hạn sinh hoạt tạm thời (%(ends_on)s).")
                % {"ends_on": vn_date(move.ends_on)},
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
            raise Refused(_("Đảng viên dự bị chỉ bị kỷ luật khiển trách hoặc cảnh cáo."))

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
        """Restructuring carries the member's activity in `other_organization` over to
        `organization` on `on` (organizations' merger or split; not checked: it follows the
        tree): a period running on that day ends and goes on in the successor; an open one
        starting on or after it is filed with the successor (the member was never in the
        ended organization then)."""
        into = event.into or event.organization_id
        for period in list(self.periods):
            if period.organization_id != event.other_organization_id:
                continue
            if period.valid_from >= event.on:
                if period.valid_to is None:
                    period.refile(into)
                continue
            if period.valid_to is None or period.valid_to > event.on:
                until = period.valid_to
                period.end(event.on)
                opened = self.open(into, event.on, event, period.kind, until)
                for move in (self.official_move, self.temporary_move):
                    if move is not None and move.period is period:
                        move.period = opened


EFFECTS: dict[str, Callable[[Rules, Event], None]] = {
    T.ADMITTED: Rules._admitted,
    T.CONFIRMED: Rules._confirmed,
    T.TRANSFERRED_OUT: Rules._transferred_out,
    T.TRANSFERRED_IN: Rules._transferred_in,
    T.TEMPORARY_OUT: Rules._temporary_out,
    T.TEMPORARY_RETURNED: Rules._temporary_returned,
    T.EXEMPTED: Rules._exemption,
    T.EXEMPTION_ENDED: Rules._exemption,
    T.DISCIPLINED: Rules._disciplined,
    T.REMOVED: Rules._exit,
    T.EXPELLED: Rules._exit,
    T.RESIGNED: Rules._exit,
    T.DIED: Rules._exit,
    T.READMITTED: Rules._readmitted,
    T.REORGANIZED: Rules._reorganized,
}
