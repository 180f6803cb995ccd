"""The timeline's vocabulary: events, activity periods, open transfers, organizations as
the engine reads them, the status derivation and the checks that need no timeline."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from tochuc.core.errors import ProcedureError
from tochuc.lib.dates import add_months, full_months, vn_date
from tochuc.organizations.models import Kind, Organization
from tochuc.policy.rules import Policy

from ..models import Affiliation, MemberEvent, Status, TemporaryPurpose

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


def next_status(state: Folded, event: Event | MemberEvent) -> Folded:
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


def fold_status(
    events: Iterable[Event | MemberEvent], state: Folded = (None, False, False)
) -> Folded:
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
        raise Refused(_("Hình thức ra khỏi Đảng không hợp lệ."), "type")


def as_date(value: date | str | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


def check_holds(org: Org | Organization, on: date, field: str = "organization") -> None:
    """Members are active in a cell, while it exists (`org`: an `Org` or an Organization)."""
    if org.kind not in CELL_KINDS:
        raise Refused(
            _("Đảng viên sinh hoạt tại chi bộ; %(name)s không phải chi bộ.") % {"name": org.name},
            field,
        )
    if on < org.founded_on or (org.ended_on and on >= org.ended_on):
        raise Refused(
            _("%(name)s không hoạt động vào ngày %(on)s.") % {"name": org.name, "on": vn_date(on)},
            field,
        )


def check_temporary_period(policy: Policy, *, purpose: str, starts_on: date, ends_on: date) -> None:
    """3 months to under a year for work or residence; 3 months to 2 years for study."""
    if ends_on <= starts_on or full_months(starts_on, ends_on) < policy.temporary_min_months:
        raise Refused(
            _("Thời gian sinh hoạt tạm thời ít nhất %(temporary_min_months)s tháng.")
            % {"temporary_min_months": policy.temporary_min_months},
            "ends_on",
        )
    if purpose == TemporaryPurpose.STUDY:
        limit = add_months(starts_on, policy.temporary_study_max_months)
        if ends_on > limit:
            raise Refused(
                _(
                    "Đi học: sinh hoạt tạm thời không quá %(temporary_study_max_months)s "
                    "tháng (đến %(limit)s)."
                )
                % {
                    "temporary_study_max_months": policy.temporary_study_max_months,
                    "limit": vn_date(limit),
                },
                "ends_on",
            )
    else:
        limit = add_months(starts_on, policy.temporary_work_max_months)
        if ends_on >= limit:
            raise Refused(
                _(
                    "Công tác, cư trú: sinh hoạt tạm thời dưới %(temporary_work_max_months)s "
                    "tháng (trước ngày %(limit)s)."
                )
                % {
                    "temporary_work_max_months": policy.temporary_work_max_months,
                    "limit": vn_date(limit),
                },
                "ends_on",
            )


class Event:
    """A `MemberEvent`, stored (`pk`) or new. `into` and `since`: the organization and the
    start of the official period the event opens (admission, re-admission, arrival),
    where they differ from `organization_id` and `on`."""

    __slots__ = ("type", "on", "organization_id", "other_organization_id", "other_party",
                 "decision_no", "decision_date", "detail", "note", "pk", "new", "into",
                 "since", "changed")  # fmt: skip

    def __init__(self, type_: str, on: date, organization_id: int | None = None,
                 other_organization_id: int | None = None, other_party: str | None = "",
                 decision_no: str | None = "", decision_date: date | None = None,
                 detail: dict | None = None, note: str | None = "", pk: int | None = None,
                 into: int | None = None, since: date | None = None):  # fmt: skip
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

    def __init__(self, organization_id: int | None, kind: str, valid_from: date,
                 valid_to: date | None = None, started_by: Event | int | None = None,
                 pk: int | None = None):  # fmt: skip
        self.pk = pk
        self.organization_id = organization_id
        self.kind = kind
        self.valid_from = valid_from
        self.valid_to = valid_to
        self.started_by = started_by
        self.changed = False

    def end(self, on: date | None) -> None:
        """Ends on `on` (None: open again)."""
        self.valid_to = on
        self.changed = True

    def refile(self, organization_id: int) -> None:
        """The same period, at another organization (a restructuring's successor)."""
        self.organization_id = organization_id
        self.changed = True

    def key(self) -> tuple:
        return (self.organization_id, self.kind, self.valid_from, self.valid_to)


class Moving:
    """An open transfer: official inside the system (issued, not yet received) or
    temporary. `ref` is the caller's handle on its transfer row."""

    __slots__ = ("kind", "out", "letter_no", "letter_on", "ends_on", "period", "ref")

    def __init__(self, kind: str, out: Event, letter_no: str, letter_on: date,
                 ends_on: date | None = None, period: Period | None = None,
                 ref: object = None):  # fmt: skip
        self.kind = kind
        self.out = out
        self.letter_no = letter_no
        self.letter_on = letter_on
        self.ends_on = ends_on
        self.period = period
        self.ref = ref
