"""Replaying imported timeline events over stored members: the write path of `events`.

`replay_events` plays every member's new events in memory, in date order, with the same
checks and the same effects as the member services would (`member_confirm`,
`member_transfer`, `transfers.temporary_transfer_issue` and `temporary_transfer_return`,
`transfers.transfer_receive_from_outside`, `member_exempt`, `member_exit`,
`member_readmit`), on top of what each member already has stored (events, official and
temporary activity periods). It writes nothing: it returns the rows to write, or the
refused steps with their reasons. `write_replayed` then writes them with plain multi-row
inserts (executemany on SQLite, COPY on PostgreSQL: `bulk._Table`) and one UPDATE per
member, so 300,000 events take seconds instead of the hour the services would need
(dozens of queries per event).

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

import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db import connection
from django.utils import timezone

from tochuc.core.errors import ProcedureError
from tochuc.lib.dates import add_months, full_months, vn_date
from tochuc.organizations.models import Organization
from tochuc.policy.acts import act_date_refusal
from tochuc.policy.rules import PolicyLookup

from . import party_age
from .bulk import _Names, _Table
from .models import ACTIVE_STATUSES, Affiliation, Member, MemberEvent, Status, Transfer
from .services import CELL_KINDS, EXIT_STATUS, fold_status

T = MemberEvent.Type
OFFICIAL, TEMPORARY = Affiliation.Kind.OFFICIAL, Affiliation.Kind.TEMPORARY
ACTIVE = ACTIVE_STATUSES
CHUNK = 900
PROVISIONAL = 10**15
# Discipline of members (Quy định 69-QĐ/TW): expulsion is its own event type.
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
PROBATIONARY_FORMS = ("reprimand", "warning")
PURPOSES = {"work": Transfer.Purpose.WORK, "residence": Transfer.Purpose.RESIDENCE,
            "study": Transfer.Purpose.STUDY}  # fmt: skip


class StepRefused(Exception):
    """A step the rules refuse; the message is Vietnamese, for the row."""


class MembersChanged(ProcedureError):
    """Someone changed a member between the check and the write: nothing is written."""


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


@dataclass
class _Org:
    pk: int
    code: str
    kind: str
    name: str
    founded_on: date
    ended_on: date | None
    path: str
    province_id: int | None


ORG_FIELDS = ("pk", "code", "kind", "name", "founded_on", "ended_on", "path", "province_id")


def load_organizations(*, codes: Iterable[str] = (), pks: Iterable[int] = ()) -> list[_Org]:
    found = []
    for field_name, values in (("code__in", sorted(set(codes))), ("pk__in", sorted(set(pks)))):
        for start in range(0, len(values), CHUNK):
            rows = Organization.objects.filter(**{field_name: values[start : start + CHUNK]})
            found += [_Org(*v) for v in rows.order_by().values_list(*ORG_FIELDS)]
    return found


class _Ev:
    __slots__ = ("type", "on", "organization_id", "other_organization_id", "other_party",
                 "decision_no", "decision_date", "detail", "note", "pk", "new")  # fmt: skip

    def __init__(self, type_, on, organization_id=None, other_organization_id=None,
                 other_party="", decision_no="", decision_date=None, detail=None, note="",
                 pk=None):  # fmt: skip
        self.type = type_
        self.on = on
        self.organization_id = organization_id
        self.other_organization_id = other_organization_id
        self.other_party = other_party
        self.decision_no = (decision_no or "").strip()
        self.decision_date = decision_date
        self.detail = detail if detail is not None else {}
        self.note = note
        self.pk = pk
        self.new = pk is None


class _Aff:
    __slots__ = ("pk", "organization_id", "kind", "valid_from", "valid_to", "started_by",
                 "changed")  # fmt: skip

    def __init__(self, organization_id, kind, valid_from, valid_to=None, started_by=None, pk=None):
        self.pk = pk
        self.organization_id = organization_id
        self.kind = kind
        self.valid_from = valid_from
        self.valid_to = valid_to
        self.started_by = started_by  # an _Ev, or a stored event's pk
        self.changed = False


class _Transfer:
    """A new transfer row (temporary letters; receipts from outside)."""

    def __init__(self, **values):
        self.values = values
        self.temporary_affiliation: _Aff | None = None


class _Member:
    """One member's stored state and timeline, then the new steps played on it."""

    def __init__(self, record: dict, orgs: dict[int, _Org], policies: PolicyLookup):
        self.record = record
        self.orgs = orgs
        self.policies = policies
        self.events: list[_Ev] = []
        self.periods: list[_Aff] = []
        self.transfers: list[_Transfer] = []
        self.open_temporary: _Transfer | None = None
        self.stored_open_transfer = False
        self.stored_keys: set[tuple] = set()
        self.played = 0
        self.loaded_version = record["row_version"]
        self.state: tuple | None = None  # (status, confirmed, exempted) after `derived` events
        self.derived = 0

    # -- reading the state
    @property
    def name(self) -> str:
        return self.record["full_name"]

    @property
    def status(self) -> str:
        return self.record["status"]

    @property
    def active(self) -> bool:
        return self.status in ACTIVE

    def org(self, pk: int) -> _Org:
        return self.orgs[pk]

    def organization_now(self) -> int:
        official = [p for p in self.periods if p.kind == OFFICIAL]
        return max(official, key=lambda p: p.valid_from).organization_id

    def last_on(self) -> date | None:
        return max((e.on for e in self.events), default=None)

    # -- the services' checks
    def after_timeline(self, on: date) -> None:
        last = max(self.events, key=lambda e: e.on, default=None)
        if last is not None and on < last.on:
            raise StepRefused(
                f"Ngày {vn_date(on)} trước sự kiện đã ghi gần nhất ({T(last.type).label} "
                f"ngày {vn_date(last.on)}). Hãy ghi các sự kiện theo đúng trình tự thời gian."
            )

    def holds(self, org: _Org, on: date) -> None:
        if org.kind not in CELL_KINDS:
            raise StepRefused(f"Đảng viên sinh hoạt tại chi bộ; {org.name} không phải chi bộ.")
        if on < org.founded_on or (org.ended_on and on >= org.ended_on):
            raise StepRefused(f"{org.name} không hoạt động vào ngày {vn_date(on)}.")

    def refuse_if_inactive(self) -> None:
        if not self.active:
            raise StepRefused(
                f"{self.name} không còn sinh hoạt đảng ({Status(self.status).label})."
            )

    def refuse_if_moving(self) -> None:
        if self.stored_open_transfer:
            raise StepRefused(
                f"{self.name} đang có thủ tục chuyển sinh hoạt đảng chưa kết thúc trong hệ "
                "thống; hãy hoàn tất thủ tục đó trước khi nhập thêm sự kiện."
            )
        if self.open_temporary is not None:
            values = self.open_temporary.values
            raise StepRefused(
                f"{self.name} đang sinh hoạt đảng tạm thời (giấy giới thiệu "
                f"{values['letter_no'] or '—'}, đến ngày {vn_date(values['ends_on'])}); hãy ghi "
                "trở về trước khi chuyển sinh hoạt khác."
            )

    def close_official(self, on: date) -> None:
        current = next((p for p in self.periods if p.kind == OFFICIAL and p.valid_to is None), None)
        if current is None:
            raise StepRefused(f"{self.name} không có nơi sinh hoạt chính thức đang mở.")
        if on <= current.valid_from:
            raise StepRefused(
                f"Ngày {vn_date(on)} không sau ngày bắt đầu sinh hoạt tại "
                f"{self.org(current.organization_id).name} ({vn_date(current.valid_from)})."
            )
        current.valid_to = on
        current.changed = True

    def event(self, type_, on, organization_id, **fields) -> _Ev:
        event = _Ev(type_, on, organization_id, **fields)
        self.events.append(event)
        return event

    def derive(self) -> None:
        """`services.member_recompute`'s status and exemption (events by date, then pk).

        New events are recorded in date order after the stored ones (the checks refuse
        anything earlier), so the events not yet derived are folded into the state in
        recording order; `finish` derives once more from the whole timeline."""
        if self.state is None:
            self.state, self.derived = (None, False, False), 0
        status, confirmed, exempted = fold_status(self.events[self.derived :], self.state)
        self.state, self.derived = (status, confirmed, exempted), len(self.events)
        self.record["status"] = status or Status.PROBATIONARY
        self.record["is_exempted"] = exempted
        self.record["organization_id"] = self.organization_now()

    # -- playing one step
    def play(self, step: Step) -> None:
        self.expire(step.on)
        handler = PLAYERS.get(step.type)
        if handler is None:
            raise StepRefused(f"Loại sự kiện không hợp lệ: {step.type}.")
        handler(self, step)
        self.played += 1
        self.derive()

    def expire(self, day: date) -> None:
        """The daily job's return of a temporary activity whose period ended by `day`."""
        current = self.open_temporary
        if current is not None and current.values["ends_on"] <= day:
            self.temporary_return(current, current.values["ends_on"], automatic=True)

    def confirm(self, step: Step) -> None:
        if self.status != Status.PROBATIONARY:
            raise StepRefused(f"{self.name} không phải đảng viên dự bị.")
        self.after_timeline(step.on)
        self.event(T.CONFIRMED, step.on, self.record["organization_id"],
                   decision_no=step.decision_no, decision_date=step.decision_date)  # fmt: skip
        self.record["confirmed_on"] = step.on

    def transfer_out(self, step: Step) -> None:
        self.refuse_if_inactive()
        self.refuse_if_moving()
        to, other_party = step.organization_id, step.other_party.strip()
        if (to is None) == (not other_party):
            raise StepRefused(
                "Hãy ghi mã chi bộ nơi đến hoặc nơi đến ngoài hệ thống (một trong hai)."
            )
        self.after_timeline(step.on)
        source = self.record["organization_id"]
        arrived_on = None
        if to is not None:
            if to == source:
                raise StepRefused("Nơi đến trùng với nơi đang sinh hoạt.")
            arrived_on = step.arrived_on or step.on
            if arrived_on < step.on:
                raise StepRefused("Ngày đến không được trước ngày chuyển đi.")
            self.holds(self.org(to), arrived_on)
        self.close_official(arrived_on if to is not None else step.on)
        self.event(T.TRANSFERRED_OUT, step.on, source, other_organization_id=to,
                   other_party=other_party, decision_no=step.decision_no)  # fmt: skip
        if to is not None:
            arrived = self.event(T.TRANSFERRED_IN, arrived_on, to, other_organization_id=source)
            self.periods.append(_Aff(to, OFFICIAL, arrived_on, started_by=arrived))

    def transfer_in(self, step: Step) -> None:
        """In from outside the system: one who left the system earlier comes back."""
        other_party = step.other_party.strip()
        if step.organization_id is None or not other_party:
            raise StepRefused(
                "Chuyển đến từ ngoài hệ thống: hãy ghi mã chi bộ tiếp nhận và nơi chuyển đến "
                "(đảng bộ ngoài hệ thống). Chuyển giữa hai chi bộ trong hệ thống ghi bằng một "
                "dòng “Chuyển đi chính thức” với mã chi bộ nơi đến."
            )
        if self.status != Status.TRANSFERRED_AWAY:
            raise StepRefused(f"{self.name} không ở diện đã chuyển sinh hoạt ra ngoài hệ thống.")
        letter_on = step.decision_date or step.on
        if step.on < letter_on:
            raise StepRefused(
                f"Ngày đến sinh hoạt ({vn_date(step.on)}) không được trước ngày cấp giấy giới "
                f"thiệu ({vn_date(letter_on)})."
            )
        organization = self.org(step.organization_id)
        self.holds(organization, step.on)
        self.after_timeline(step.on)
        arrived = self.event(T.TRANSFERRED_IN, step.on, organization.pk, other_party=other_party,
                             decision_no=step.decision_no, decision_date=letter_on)  # fmt: skip
        self.periods.append(_Aff(organization.pk, OFFICIAL, step.on, started_by=arrived))
        self.transfers.append(_Transfer(
            kind=Transfer.Kind.OFFICIAL, state=Transfer.State.RECEIVED,
            destination_id=organization.pk, other_party=other_party,
            letter_no=step.decision_no, letter_on=letter_on, arrived_on=step.on,
            in_event=arrived,
        ))  # fmt: skip

    def temporary_out(self, step: Step) -> None:
        self.refuse_if_inactive()
        self.refuse_if_moving()
        host, other_party = step.organization_id, step.other_party.strip()
        if (host is None) == (not other_party):
            raise StepRefused(
                "Hãy ghi mã chi bộ nơi đến hoặc nơi đến ngoài hệ thống (một trong hai)."
            )
        home = self.record["organization_id"]
        if host is not None:
            if host == home:
                raise StepRefused("Nơi đến trùng với nơi đang sinh hoạt.")
            self.holds(self.org(host), step.on)
        if step.ends_on is None:
            raise StepRefused("Chuyển sinh hoạt tạm thời: hãy ghi “Đến ngày”.")
        purpose = PURPOSES.get(step.detail, Transfer.Purpose.WORK)
        self.check_temporary_period(purpose, step.on, step.ends_on)
        self.after_timeline(step.on)
        out = self.event(
            T.TEMPORARY_OUT, step.on, home, other_organization_id=host, other_party=other_party,
            decision_no=step.decision_no, decision_date=step.on,
            detail={"ends_on": step.ends_on, "purpose": purpose, "letter": step.decision_no},
        )  # fmt: skip
        transfer = _Transfer(
            kind=Transfer.Kind.TEMPORARY, state=Transfer.State.ISSUED, source_id=home,
            destination_id=host, other_party=other_party, letter_no=step.decision_no,
            letter_on=step.on, purpose=purpose, ends_on=step.ends_on, out_event=out,
        )  # fmt: skip
        if host is not None:
            transfer.temporary_affiliation = _Aff(
                host, TEMPORARY, step.on, valid_to=step.ends_on, started_by=out
            )
            self.periods.append(transfer.temporary_affiliation)
        self.transfers.append(transfer)
        self.open_temporary = transfer

    def check_temporary_period(self, purpose: str, starts_on: date, ends_on: date) -> None:
        """`transfers.check_temporary_period`, with the policy lookup of bulk work."""
        policy = self.policies(starts_on)
        if ends_on <= starts_on or full_months(starts_on, ends_on) < policy.temporary_min_months:
            raise StepRefused(
                f"Thời gian sinh hoạt tạm thời ít nhất {policy.temporary_min_months} tháng."
            )
        if purpose == Transfer.Purpose.STUDY:
            limit = add_months(starts_on, policy.temporary_study_max_months)
            if ends_on > limit:
                raise StepRefused(
                    f"Đi học: sinh hoạt tạm thời không quá {policy.temporary_study_max_months} "
                    f"tháng (đến {vn_date(limit)})."
                )
        else:
            limit = add_months(starts_on, policy.temporary_work_max_months)
            if ends_on >= limit:
                raise StepRefused(
                    f"Công tác, cư trú: sinh hoạt tạm thời dưới "
                    f"{policy.temporary_work_max_months} tháng (trước ngày {vn_date(limit)})."
                )

    def temporary_returned(self, step: Step) -> None:
        current = self.open_temporary
        if current is None:
            raise StepRefused(f"{self.name} không có sinh hoạt đảng tạm thời đang mở.")
        self.after_timeline(step.on)
        if step.on <= current.values["letter_on"]:
            raise StepRefused(
                "Ngày trở về phải sau ngày cấp giấy giới thiệu "
                f"({vn_date(current.values['letter_on'])})."
            )
        self.temporary_return(current, step.on, automatic=False)

    def temporary_return(self, current: _Transfer, on: date, *, automatic: bool) -> None:
        if current.temporary_affiliation is not None:
            current.temporary_affiliation.valid_to = on
        values = current.values
        values["in_event"] = self.event(
            T.TEMPORARY_RETURNED, on, values["source_id"],
            other_organization_id=values["destination_id"], other_party=values["other_party"],
            decision_no=values["letter_no"], detail={"automatic": automatic},
        )  # fmt: skip
        values["state"] = Transfer.State.RETURNED
        values["returned_on"] = on
        values["row_version"] = 2
        self.open_temporary = None
        if automatic:  # the daily job saves the member too
            self.played += 1

    def exempt(self, step: Step) -> None:
        end = step.type == T.EXEMPTION_ENDED
        self.refuse_if_inactive()
        if end != self.record["is_exempted"]:
            raise StepRefused(
                f"{self.name} {'chưa' if end else 'đã'} được miễn công tác và sinh hoạt đảng."
            )
        self.after_timeline(step.on)
        self.event(step.type, step.on, self.record["organization_id"],
                   decision_no=step.decision_no, note=step.detail.strip())  # fmt: skip

    def discipline(self, step: Step) -> None:
        self.refuse_if_inactive()
        form = DISCIPLINE_FORMS.get(step.detail)
        if form is None:
            raise StepRefused("Kỷ luật: hãy ghi hình thức (khiển trách, cảnh cáo, cách chức).")
        code, label = form
        if self.status == Status.PROBATIONARY and code not in PROBATIONARY_FORMS:
            raise StepRefused(
                f"Đảng viên dự bị chỉ bị kỷ luật khiển trách hoặc cảnh cáo, không {label.lower()}."
            )
        self.after_timeline(step.on)
        self.event(T.DISCIPLINED, step.on, self.record["organization_id"],
                   decision_no=step.decision_no, decision_date=step.decision_date,
                   detail={"form": code}, note=label)  # fmt: skip

    def exit(self, step: Step) -> None:
        if not self.active:
            raise StepRefused(
                f"{self.name} đã không còn sinh hoạt đảng ({Status(self.status).label})."
            )
        self.after_timeline(step.on)
        self.close_official(step.on)
        if self.open_temporary is not None:  # transfers.close_open_transfers
            current = self.open_temporary
            aff = current.temporary_affiliation
            if aff is not None and aff.valid_from < step.on:
                aff.valid_to = step.on
            current.values["state"] = Transfer.State.CLOSED
            current.values["row_version"] = 2
            self.open_temporary = None
        self.event(step.type, step.on, self.record["organization_id"],
                   decision_no=step.decision_no, decision_date=step.decision_date,
                   note=step.detail.strip())  # fmt: skip

    def readmit(self, step: Step) -> None:
        if self.status != Status.LEFT:
            raise StepRefused(f"{self.name} không ở diện đã ra khỏi Đảng.")
        policy = self.policies(step.on)
        last_exit = max((e for e in self.events if e.type in EXIT_STATUS), key=lambda e: e.on)
        if full_months(last_exit.on, step.on) < policy.readmission_min_months_out:
            raise StepRefused(
                f"Chỉ xem xét kết nạp lại sau ít nhất {policy.readmission_min_months_out} tháng "
                f"kể từ khi ra khỏi Đảng ({vn_date(last_exit.on)}) — {policy.source}."
            )
        if last_exit.type == T.EXPELLED:
            raise StepRefused("Người bị khai trừ không được xem xét kết nạp lại theo thủ tục này.")
        if sum(e.type == T.READMITTED for e in self.events) >= policy.readmission_times_allowed:
            raise StepRefused(f"Chỉ được kết nạp lại {policy.readmission_times_allowed} lần.")
        if not step.detail.strip():
            raise StepRefused(
                "Kết nạp lại: hãy ghi văn bản đồng ý của cấp ủy có thẩm quyền ở cột “Chi tiết”."
            )
        if step.organization_id is None:
            raise StepRefused("Kết nạp lại: hãy ghi mã chi bộ kết nạp lại.")
        organization = self.org(step.organization_id)
        self.holds(organization, step.on)
        readmitted = self.event(
            T.READMITTED, step.on, organization.pk, decision_no=step.decision_no,
            detail={"consent": step.detail.strip(), "ceremony_on": None},
        )  # fmt: skip
        self.periods.append(_Aff(organization.pk, OFFICIAL, step.on, started_by=readmitted))

    def finish(self, today: date, names: _Names) -> None:
        self.expire(today)
        self.events.sort(key=lambda e: e.on)  # stable: stored (by date, id), then recorded
        self.state = None
        self.derive()
        # Provisional keys after the stored ones, so that party age orders same-day events
        # as the database will (by date, then id); the real ones are reserved when written.
        for offset, event in enumerate(e for e in self.events if e.new):
            event.pk = PROVISIONAL + offset
        organization = self.org(self.record["organization_id"])
        self.record["province_id"] = organization.province_id
        self.record["org_path"] = organization.path
        self.record["party_age_anchor"] = party_age.anchor(self.events, today, self.policies)
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


def _load_members(member_ids: list[int], orgs: dict[int, _Org], policies) -> dict[int, _Member]:
    members: dict[int, _Member] = {}
    fields = [f.attname for f in Member._meta.concrete_fields]
    for start in range(0, len(member_ids), CHUNK):
        chunk = member_ids[start : start + CHUNK]
        for record in Member.objects.filter(pk__in=chunk).order_by().values(*fields):
            members[record["id"]] = _Member(record, orgs, policies)
        for values in (
            MemberEvent.objects.filter(member_id__in=chunk)
            .order_by("member_id", "on", "id")
            .values_list("member_id", "type", "on", "organization_id", "other_organization_id",
                         "other_party", "decision_no", "decision_date", "detail", "note", "id")
        ):  # fmt: skip
            member = members[values[0]]
            event = _Ev(*values[1:])
            member.events.append(event)
            member.stored_keys.add(event_key(event.type, event.on, event.decision_no))
        for values in (
            Affiliation.objects.filter(member_id__in=chunk)
            .order_by("member_id", "valid_from", "id")
            .values_list("member_id", "organization_id", "kind", "valid_from", "valid_to",
                         "started_by_id", "id")
        ):  # fmt: skip
            members[values[0]].periods.append(_Aff(*values[1:]))
        for member_id in (
            Transfer.objects.filter(member_id__in=chunk, state=Transfer.State.ISSUED)
            .order_by()
            .values_list("member_id", flat=True)
        ):
            members[member_id].stored_open_transfer = True
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
        or act_date_refusal(step.arrived_on, earliest=[(step.on, "ngày chuyển đi")], today=today)
        or act_date_refusal(step.decision_date, today=today)
        or act_date_refusal(step.ends_on, scheduled=True, today=today)
    )


def replay_events(steps: list[Step], orgs: dict[int, _Org], *, today: date | None = None,
                  progress: Callable[[int], None] | None = None) -> Replayed:  # fmt: skip
    """Play `steps` (any order: each member's are taken by date, then row) on the stored
    members. Every member's steps are checked; a refused step stops that member's replay
    (its later steps would be judged on a wrong state) and is reported."""
    today = today or timezone.localdate()
    policies = PolicyLookup()
    by_member: dict[int, list[Step]] = defaultdict(list)
    for step in steps:
        by_member[step.member_id].append(step)
    members = _load_members(sorted(by_member), orgs, policies)
    missing = {a.organization_id for m in members.values() for a in m.periods} - set(orgs)
    for org in load_organizations(pks=missing):
        orgs[org.pk] = org
    result = Replayed(members=members)
    names = _Names()
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


# ---------------------------------------------------------------- writing


def write_replayed(replayed: Replayed, *, by=None, reason: str = "",
                   progress: Callable[[int, int], None] | None = None) -> int:  # fmt: skip
    """Write what `replay_events` played (inside the caller's transaction); returns the
    number of new events."""
    user = by if getattr(by, "is_authenticated", False) else None
    user_id = user.pk if user else None
    now = timezone.now()
    changed = [m for m in replayed.members.values() if m.played]
    total = len(changed)
    event_table = _Table(MemberEvent, with_pk=True, now=now,
                         constants={"recorded_by_id": user_id}, ready=("detail",))  # fmt: skip
    affiliation_table = _Table(Affiliation, with_pk=False, now=now)
    transfer_table = _Table(Transfer, with_pk=False, now=now, constants={"created_by_id": user_id})
    history = Member.history.model
    history_table = _Table(history, with_pk=False, now=now, constants={
        "history_date": now, "history_change_reason": (reason or "Nhập lịch sử sự kiện")[:255],
        "history_type": "~", "history_user_id": user_id,
    })  # fmt: skip
    tracked = [f.attname for f in history.tracked_fields]
    encoder = MemberEvent._meta.get_field("detail").encoder
    written = 0
    for start in range(0, total, 2000):
        batch = changed[start : start + 2000]
        _lock_unchanged(batch)
        new_events = [e for m in batch for e in m.events if e.new]
        ids = iter(event_table.reserve(len(new_events)) if new_events else [])
        events, affiliations, closed, transfers, updates, records = [], [], [], [], [], []
        for member in batch:
            member_id = member.record["id"]
            for event in member.events:
                if not event.new:
                    continue
                event.pk = next(ids)
                events.append({
                    "id": event.pk, "member_id": member_id, "type": event.type, "on": event.on,
                    "decision_no": event.decision_no, "decision_date": event.decision_date,
                    "organization_id": event.organization_id,
                    "other_organization_id": event.other_organization_id,
                    "other_party": event.other_party, "note": event.note,
                    "detail": json.dumps(event.detail, cls=encoder),
                })  # fmt: skip
            for period in member.periods:
                started = period.started_by
                started_id = started.pk if isinstance(started, _Ev) else started
                if period.pk is None:
                    affiliations.append({
                        "member_id": member_id, "organization_id": period.organization_id,
                        "kind": period.kind, "valid_from": period.valid_from,
                        "valid_to": period.valid_to, "started_by_id": started_id,
                    })  # fmt: skip
                elif period.changed:
                    closed.append((period.valid_to, period.pk))
            for transfer in member.transfers:
                values = dict(transfer.values)
                out, back = values.pop("out_event", None), values.pop("in_event", None)
                values.update(member_id=member_id, out_event_id=out.pk if out else None,
                              in_event_id=back.pk if back else None)  # fmt: skip
                if values["state"] == Transfer.State.RECEIVED:
                    values["received_by_id"] = user_id
                transfers.append(values)
            record = member.record
            updates.append((
                record["status"], record["is_exempted"], record["organization_id"],
                record["province_id"], record["org_path"], record["party_age_anchor"],
                record["confirmed_on"], record["row_version"], member_id,
            ))  # fmt: skip
            records.append({name: record.get(name) for name in tracked})
        event_table.insert(events)
        _close_periods(closed)
        affiliation_table.insert(affiliations)
        transfer_table.insert(transfers)
        _update_members(updates)
        if getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
            history_table.insert(records)
        written += len(events)
        if progress is not None:
            progress(min(start + len(batch), total), total)
    return written


def _lock_unchanged(batch: list[_Member]) -> None:
    """Lock the members (PostgreSQL; SQLite's write lock is already held) and refuse if any
    was changed since it was read for the check."""
    loaded = {m.record["id"]: m for m in batch}
    ids = sorted(loaded)
    for start in range(0, len(ids), CHUNK):
        rows = (
            Member.objects.select_for_update()
            .filter(pk__in=ids[start : start + CHUNK])
            .order_by()
            .values_list("pk", "row_version")
        )
        for pk, version in rows:
            if version != loaded[pk].loaded_version:
                raise MembersChanged(
                    f"Hồ sơ của {loaded[pk].name} vừa được thay đổi trong lúc nhập; chưa ghi gì. "
                    "Hãy nhập lại tệp."
                )


def _date(value):
    return connection.ops.adapt_datefield_value(value) if value is not None else None


def _close_periods(closed: list[tuple[date, int]]) -> None:
    _update(Affiliation._meta.db_table, [("valid_to", "date")], closed)


MEMBER_COLUMNS = [
    ("status", "varchar(12)"), ("is_exempted", "boolean"), ("organization_id", "bigint"),
    ("province_id", "bigint"), ("org_path", "varchar(255)"), ("party_age_anchor", "date"),
    ("confirmed_on", "date"), ("row_version", "integer"),
]  # fmt: skip


def _update_members(updates: list[tuple]) -> None:
    _update(Member._meta.db_table, MEMBER_COLUMNS, updates)


def _update(table: str, columns: list[tuple[str, str]], rows: list[tuple]) -> None:
    """UPDATE `table` SET columns … WHERE id = the last value of each row: through a
    temporary table filled by COPY on PostgreSQL (one statement), executemany on SQLite."""
    if not rows:
        return
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            dates = [i for i, (_c, kind) in enumerate(columns) if kind == "date"]
            converted = [
                tuple(_date(v) if i in dates else v for i, v in enumerate(row)) for row in rows
            ]
            assignments = ", ".join(f"{q(c)} = %s" for c, _kind in columns)
            cursor.executemany(f"UPDATE {q(table)} SET {assignments} WHERE id = %s", converted)
            return
        scratch = q(f"tochuc_update_{table}")
        definition = ", ".join(f"{q(c)} {kind}" for c, kind in columns)
        cursor.execute(f"CREATE TEMPORARY TABLE {scratch} ({definition}, id bigint PRIMARY KEY)")
        names = ", ".join([*(q(c) for c, _kind in columns), "id"])
        with (
            connection.wrap_database_errors,
            cursor.cursor.copy(f"COPY {scratch} ({names}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
        assignments = ", ".join(f"{q(c)} = s.{q(c)}" for c, _kind in columns)
        cursor.execute(
            f"UPDATE {q(table)} AS t SET {assignments} FROM {scratch} AS s WHERE t.id = s.id"
        )
        cursor.execute(f"DROP TABLE {scratch}")
