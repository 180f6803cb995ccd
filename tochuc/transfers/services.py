"""Writes for transfers of party activity, their letters, and members working away.

The procedures (Quy định 294-QĐ/TW; Hướng dẫn 12-HD/BTCTW, 2022):

- Official transfer inside the system: the competent committee issues an introduction
  letter (`transfer_issue`); the member is "in transfer" and still counted at the source;
  the receiving organization records the arrival (`transfer_receive`) and the official
  affiliation moves on that date. The member presents the letter within the policy's
  `transfer_present_working_days` of its date; the letter is issued within
  `transfer_start_working_days` of the job or move decision. Both deadlines are counted
  in working days (`tochuc.policy.calendar`).
- Official transfer out of the system (another province, abroad): done when issued; the
  member's status becomes "transferred away". In from outside (`transfer_receive_from_outside`):
  the receiver enters the other party's letter.
- Temporary transfer (`temporary_transfer_issue`): the member stays counted at home and is
  listed at the host for the period; returns by record (`temporary_transfer_return`) or on
  expiry (`temporary_transfers_expire`, run daily by `tochuc expire_temporary_transfers`).
- Members working away (`working_away_record`, `working_away_check`, `working_away_end`).

Letters are numbered per issuing organization and year: `allocate_letter_number` locks the
issuer's row and takes the next number; a unique constraint backs it. Two officers receiving
the same member: the transfer row is locked (`select_for_update`) and carries a
`row_version`; the second gets a clear refusal and nothing changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from tochuc.core import audit
from tochuc.core.errors import ProcedureError
from tochuc.lib.dates import vn_date
from tochuc.lib.vntext import fold
from tochuc.members import identity, timeline
from tochuc.members.models import Member, MemberEvent, Status
from tochuc.members.services import check_holds_members, member_register
from tochuc.members.store import member_lock, timeline_load, timeline_write
from tochuc.organizations.models import Kind, Organization
from tochuc.policy.acts import after_admission, check_act_date
from tochuc.policy.calendar import add_working_days
from tochuc.policy.rules import policy_for

from .models import ReceiveRequest, Transfer, WorkingAway, WorkingAwayCheck

T = MemberEvent.Type
# The level whose committee issues official letters: the commune-level committee above the
# cell (Đảng ủy xã, phường; a bloc; a district before 7/2025), else the province.
OFFICIAL_ISSUER_KINDS = (Kind.COMMUNE, Kind.BLOC, Kind.DISTRICT, Kind.PROVINCE)
# Temporary letters: the grassroots organization (đảng ủy cơ sở, chi bộ cơ sở) or above.
TEMPORARY_ISSUER_KINDS = (Kind.BASE_COMMITTEE, Kind.BASE_CELL, *OFFICIAL_ISSUER_KINDS)
LETTER_SUFFIX = {
    Kind.PROVINCE: "TU",
    Kind.BASE_CELL: "CB",
}


# ---------------------------------------------------------------- letters


def letter_issuer(organization: Organization, kind: str) -> Organization:
    """The organization that issues the letter for a member of `organization` (a cell)."""
    kinds = OFFICIAL_ISSUER_KINDS if kind == Transfer.Kind.OFFICIAL else TEMPORARY_ISSUER_KINDS
    ids = [int(part) for part in organization.path.strip("/").split("/") if part]
    ancestors = {o.pk: o for o in Organization.objects.filter(pk__in=ids)}
    for pk in reversed(ids):
        found = ancestors.get(pk)
        if found is not None and found.kind in kinds:
            return found
    return ancestors[ids[0]]


def letter_number(issuer: Organization, seq: int, kind: str) -> str:
    """'Số 12-GGT/ĐU' (official) or 'Số 12-GGTTT/ĐU' (temporary)."""
    suffix = LETTER_SUFFIX.get(issuer.kind, "ĐU")
    letters = "GGT" if kind == Transfer.Kind.OFFICIAL else "GGTTT"
    return f"{seq}-{letters}/{suffix}"


def allocate_letter_number(*, issuer: Organization, on: date) -> int:
    """The next letter number of `issuer` in the year of `on`, under a lock on the issuer's
    row: two officers issuing at once get different numbers (the unique constraint
    `transfer_letter_number_unique` refuses a duplicate if anything bypassed this)."""
    Organization.objects.select_for_update().filter(pk=issuer.pk).first()
    last = Transfer.objects.filter(issuer=issuer, letter_year=on.year).aggregate(
        last=Max("letter_seq")
    )["last"]
    return (last or 0) + 1


def _refuse_if_inactive(member: Member) -> None:
    if not member.is_active:
        raise ProcedureError(
            _("%(name)s không còn sinh hoạt đảng (%(status)s).")
            % {"name": member.full_name, "status": member.get_status_display()}
        )


def _refuse_future(name: str, on: date) -> None:
    check_act_date(on, field=name)


# ---------------------------------------------------------------- official transfers


@transaction.atomic
def transfer_issue(
    *,
    member: Member,
    on: date,
    to: Organization | None = None,
    other_party: str = "",
    move_decided_on: date | None = None,
    reason: str = "",
    by=None,
) -> Transfer:
    """Issue the official introduction letter dated `on`: to a cell inside the system (the
    member is then in transfer until received) or out of it (`other_party`: done now)."""
    _refuse_future("on", on)
    member = member_lock(member)
    timeline = timeline_load(member)
    timeline.refuse_if_inactive()
    timeline.refuse_if_moving()
    other_party = other_party.strip()
    source = member.organization
    check_act_date(move_decided_on, field="move_decided_on")
    if move_decided_on and move_decided_on > on:
        raise ValidationError(
            {"move_decided_on": _("Ngày quyết định chuyển công tác không được sau ngày cấp giấy.")}
        )
    policy = policy_for(on)
    present_due = add_working_days(on, policy.transfer_present_working_days)
    start_due = (
        add_working_days(move_decided_on, policy.transfer_start_working_days)
        if move_decided_on
        else None
    )
    issuer = letter_issuer(source, Transfer.Kind.OFFICIAL)
    seq = allocate_letter_number(issuer=issuer, on=on)
    letter_no = letter_number(issuer, seq, Transfer.Kind.OFFICIAL)
    out = timeline.transfer_issue(
        on=on, to=timeline.org.add(to) if to is not None else None, other_party=other_party,
        letter_no=letter_no, present_due=present_due if to is not None else None,
    )  # fmt: skip
    reason_text = _("Chuyển sinh hoạt %(number)s") % {"number": letter_no}
    timeline_write(member, timeline, reason=reason_text, by=by)
    transfer = Transfer.objects.create(
        member=member, kind=Transfer.Kind.OFFICIAL, issuer=issuer, letter_year=on.year,
        letter_seq=seq, letter_no=letter_no, letter_on=on, source=source, destination=to,
        other_party=other_party, reason=reason.strip(), move_decided_on=move_decided_on,
        start_due=start_due, present_due=present_due if to is not None else None,
        state=Transfer.State.ISSUED if to is not None else Transfer.State.LEFT_SYSTEM,
        created_by=by if getattr(by, "is_authenticated", False) else None, out_event_id=out.pk,
    )  # fmt: skip
    audit.record(
        "tochuc.member.transfer_issued", by=by, obj=member, reason=transfer.letter_no,
        source=source.code, to=to.code if to else other_party, on=on, present_due=present_due,
    )  # fmt: skip
    return transfer


def refuse_stale(transfer: Transfer, current: Transfer, expected_version: int | None) -> None:
    """The refusal of a receipt that someone else recorded first (or that is no longer open)."""
    if current.state == Transfer.State.RECEIVED:
        who = current.received_by
        raise ProcedureError(
            _(
                "%(name)s đã được tiếp nhận ngày %(day)s%(by)s. Không ghi lại lần nữa; hãy tải "
                "lại trang để xem tình trạng mới."
            )
            % {
                "name": current.member.full_name,
                "day": vn_date(current.arrived_on),
                "by": (
                    _(" (người ghi: %(who)s)") % {"who": who.get_full_name() or who.username}
                    if who
                    else ""
                ),
            }
        )
    if current.state != Transfer.State.ISSUED:
        raise ProcedureError(
            _("Giấy giới thiệu %(number)s không còn chờ tiếp nhận (%(state)s).")
            % {"number": current.letter_no, "state": current.get_state_display()}
        )
    if expected_version is not None and current.row_version != expected_version:
        raise ProcedureError(
            _(
                "Giấy giới thiệu %(number)s vừa được người khác cập nhật. Thay đổi của đồng chí "
                "chưa được lưu; hãy tải lại trang."
            )
            % {"number": current.letter_no}
        )


@transaction.atomic
def transfer_receive(
    *, transfer: Transfer, arrived_on: date, expected_version: int | None = None, by=None
) -> Transfer:
    """The receiving organization records the arrival: the official affiliation moves to
    the destination on `arrived_on`. One of two simultaneous receipts wins; the other is
    refused and changes nothing. Locks the member, then the transfer (the order every
    service that touches both follows)."""
    member_id = Transfer.objects.values_list("member_id", flat=True).get(pk=transfer.pk)
    member = Member.objects.select_for_update().get(pk=member_id)
    current = (
        Transfer.objects.select_for_update(of=("self",))
        .select_related("received_by", "source", "destination")
        .get(pk=transfer.pk)
    )
    current.member = member
    refuse_stale(transfer, current, expected_version)
    _refuse_future("arrived_on", arrived_on)
    if current.kind != Transfer.Kind.OFFICIAL or current.destination is None:
        raise ProcedureError(_("Giấy giới thiệu này không chờ tiếp nhận trong hệ thống."))
    if arrived_on < current.letter_on:
        raise ValidationError(
            {
                "arrived_on": _(
                    "Ngày đến sinh hoạt (%(arrived)s) không được trước ngày cấp giấy giới "
                    "thiệu (%(letter)s)."
                )
                % {"arrived": vn_date(arrived_on), "letter": vn_date(current.letter_on)}
            }
        )
    destination = current.destination
    timeline = timeline_load(member)
    timeline.refuse_if_inactive()
    timeline.org.add(destination)
    arrived = timeline.transfer_receive(arrived_on=arrived_on)
    reason_text = _("Tiếp nhận sinh hoạt %(number)s") % {"number": current.letter_no}
    timeline_write(member, timeline, reason=reason_text, by=by)
    current.state = Transfer.State.RECEIVED
    current.arrived_on = arrived_on
    current.in_event_id = arrived.pk
    current.received_by = by if getattr(by, "is_authenticated", False) else None
    current.row_version += 1
    current.save()
    audit.record(
        "tochuc.member.transfer_received", by=by, obj=member, reason=current.letter_no,
        destination=destination.code, arrived_on=arrived_on,
        overdue=bool(current.present_due and arrived_on > current.present_due),
    )  # fmt: skip
    return current


@dataclass
class OutsideLetter:
    """The other party's letter, as the receiver reads it."""

    number: str
    on: date
    issued_by: str  # "Đảng ủy phường Bến Nghé, Đảng bộ TP Hồ Chí Minh"


@identity.refusals_audited
@transaction.atomic
def transfer_receive_from_outside(
    *,
    organization: Organization,
    letter: OutsideLetter,
    arrived_on: date,
    member: Member | None = None,
    record: dict | None = None,
    admitted_on: date | None = None,
    admission_decision_no: str = "",
    ceremony_on: date | None = None,
    confirmed_on: date | None = None,
    by=None,
) -> Transfer | ReceiveRequest:
    """Receive a member transferred in from outside the system: either one who left the
    system earlier (`member`, status "transferred away", or found by the citizen ID of
    `record`: their record continues), or a new record with their admission dates
    (`record`, `admitted_on` …).

    A record found by citizen ID continues only for the same person (name and birth date)
    and, when it is outside `by`'s scope, only once the side that keeps it confirms: the
    result is then a pending `ReceiveRequest` (`receive_request_confirm`). Any other
    record outside the scope is refused with the neutral message of `identity`, which
    says nothing of it (issue 17). A member still in the system is received through the
    transfer they are on (`transfer_receive`)."""
    _refuse_future("arrived_on", arrived_on)
    if not letter.number.strip() or not letter.issued_by.strip():
        raise ValidationError({"letter_no": _("Hãy ghi số và nơi cấp giấy giới thiệu.")})
    if arrived_on < letter.on:
        raise ValidationError(
            {
                "arrived_on": _(
                    "Ngày đến sinh hoạt (%(arrived)s) không được trước ngày cấp giấy giới "
                    "thiệu (%(letter)s)."
                )
                % {"arrived": vn_date(arrived_on), "letter": vn_date(letter.on)}
            }
        )
    check_holds_members(organization, arrived_on)
    checker = identity.Checker.for_user(by)
    citizen_id = (record or {}).get("citizen_id")
    if member is not None:
        if not checker.sees(Member.objects.filter(pk=member.pk), _visible_members):
            _refuse_hidden(checker, "citizen_id")
    elif citizen_id:
        checker.spend_checks(1, "citizen_id")
        found = (
            Member.objects.filter(citizen_id=citizen_id)
            .exclude(status=Status.DECEASED)
            .order_by("pk")
            .first()
        )
        if found is not None:
            member = _found_by_citizen_id(found, record=record, checker=checker)
            if not checker.sees(Member.objects.filter(pk=found.pk), _visible_members):
                return _request_confirmation(
                    found, record=record, organization=organization, letter=letter,
                    arrived_on=arrived_on, by=by,
                )  # fmt: skip
    if member is None:
        if record is None or admitted_on is None:
            raise ValidationError({"record": _("Hãy nhập hồ sơ đảng viên chuyển đến.")})
        member = member_register(
            organization=organization, record=record, admitted_on=admitted_on,
            admission_decision_no=admission_decision_no, ceremony_on=ceremony_on,
            confirmed_on=confirmed_on, since=arrived_on, by=by,
            reason=_("Tiếp nhận từ ngoài hệ thống"),
        )  # fmt: skip
        # Admitted elsewhere: the admission is no event of this cell, and the activity here
        # starts with the arrival.
        member.events.filter(type__in=[T.ADMITTED, T.CONFIRMED]).update(
            organization=None, other_party=letter.issued_by.strip()
        )
        # The activity here starts with the arrival.
        member.affiliations.all().delete()
        return _record_arrival(member, organization, letter, arrived_on, by=by)
    member = member_lock(member)
    if member.status != Status.TRANSFERRED_AWAY:
        raise ProcedureError(
            _("%(name)s không ở diện đã chuyển sinh hoạt ra ngoài hệ thống.")
            % {"name": member.full_name}
        )
    return _record_arrival(member, organization, letter, arrived_on, by=by)


def _visible_members(scope, found):
    return found.filter(pk__in=scope.members().values("pk"))


def _hidden_refusal(user, field: str = "citizen_id") -> identity.IdentityRefusal:
    """The neutral refusal: nothing of the record outside the caller's scope (audited)."""
    return identity.IdentityRefusal(
        {field: [identity.not_usable(field)]}, action="tochuc.access.identity_hidden_clash",
        user=user, fields=[field], procedure="receive_from_outside",
    )  # fmt: skip


def _refuse_hidden(checker: identity.Checker, field: str):
    checker.spend_hidden(1, field)
    raise _hidden_refusal(checker.user, field)


def same_identity(member: Member, record: dict) -> bool:
    """The record typed names the same person as `member`: name (case, accents and spaces
    aside) and birth date."""
    return (
        fold(" ".join((record.get("full_name") or "").split())) == fold(member.full_name)
        and record.get("birth_date") == member.birth_date
    )


def _found_by_citizen_id(found: Member, *, record: dict, checker: identity.Checker) -> Member:
    """The record found by the citizen ID typed, if it may continue here; else the refusal
    (plain in the caller's scope, neutral outside it)."""
    seen = checker.sees(Member.objects.filter(pk=found.pk), _visible_members)
    in_transfer = found.transfers.filter(
        state=Transfer.State.ISSUED, kind=Transfer.Kind.OFFICIAL, destination__isnull=False
    ).first()
    # The transfer is visible to the caller when its destination is in their scope.
    addressed_here = (
        in_transfer is not None
        and same_identity(found, record)
        and checker.scope is not None
        and checker.scope.contains(in_transfer.destination)
    )
    if in_transfer is not None and (seen or addressed_here):
        raise ValidationError(
            {"citizen_id": _(
                "Đảng viên này đang chuyển sinh hoạt trong hệ thống (giấy giới thiệu "
                "%(number)s); hãy tiếp nhận theo giấy giới thiệu đó (Chuyển sinh hoạt → "
                "Chuyển đến)."
            ) % {"number": in_transfer.letter_no}}
        )  # fmt: skip
    if not seen:
        if not same_identity(found, record) or found.status != Status.TRANSFERRED_AWAY:
            _refuse_hidden(checker, "citizen_id")
        checker.spend_hidden(1, "citizen_id")  # a pending request tells that it matched
        return found
    if not same_identity(found, record):
        raise ValidationError(
            {"full_name": _(
                "Số CCCD này thuộc hồ sơ %(name)s, sinh ngày %(born)s; họ tên, ngày sinh nhập "
                "không khớp."
            ) % {"name": found.full_name, "born": vn_date(found.birth_date)}}
        )  # fmt: skip
    if found.status != Status.TRANSFERRED_AWAY:
        raise ValidationError(
            {"citizen_id": _(
                "%(name)s đang có hồ sơ trong hệ thống (%(status)s); không tiếp nhận từ ngoài "
                "hệ thống."
            ) % {"name": found.full_name, "status": found.get_status_display()}}
        )  # fmt: skip
    return found


def _request_confirmation(
    found: Member, *, record, organization, letter: OutsideLetter, arrived_on, by
) -> ReceiveRequest:
    pending = ReceiveRequest.objects.filter(member=found, state=ReceiveRequest.State.PENDING)
    if pending.filter(organization=organization).exists():
        return pending.get()
    if pending.exists():  # another receiver asked first: say nothing of it
        raise _hidden_refusal(by)
    try:
        with transaction.atomic():  # a savepoint: a request made meanwhile is refused below
            request = ReceiveRequest.objects.create(
                member=found, organization=organization,
                full_name=" ".join(record["full_name"].split()), birth_date=record["birth_date"],
                letter_no=letter.number.strip(), letter_on=letter.on,
                issued_by=letter.issued_by.strip(), arrived_on=arrived_on,
                requested_by=by if getattr(by, "is_authenticated", False) else None,
            )  # fmt: skip
    except IntegrityError:
        raise _hidden_refusal(by) from None
    audit.record(
        "tochuc.member.receive_requested", by=by, obj=found, reason=request.letter_no,
        request=request.pk, destination=organization.code, arrived_on=arrived_on,
    )  # fmt: skip
    return request


def _record_arrival(member, organization, letter: OutsideLetter, arrived_on, *, by,
                    received_by=None) -> Transfer:  # fmt: skip
    """The member (new, or their record continuing) starts activity in `organization`."""
    received_by = received_by or by
    timeline = timeline_load(member)
    arrived = timeline.transfer_in_from_outside(
        on=arrived_on, organization_id=timeline.org.add(organization),
        other_party=letter.issued_by, decision_no=letter.number, letter_on=letter.on,
    )  # fmt: skip
    timeline_write(
        member, timeline,
        reason=_("Tiếp nhận từ ngoài hệ thống %(number)s") % {"number": letter.number}, by=by,
    )  # fmt: skip
    transfer = Transfer.objects.create(
        member=member, kind=Transfer.Kind.OFFICIAL, state=Transfer.State.RECEIVED,
        destination=organization, other_party=letter.issued_by.strip(),
        letter_no=letter.number.strip(), letter_on=letter.on, arrived_on=arrived_on,
        in_event_id=arrived.pk,
        created_by=received_by if getattr(received_by, "is_authenticated", False) else None,
        received_by=received_by if getattr(received_by, "is_authenticated", False) else None,
    )  # fmt: skip
    audit.record(
        "tochuc.member.transfer_received_from_outside", by=by, obj=member,
        reason=letter.number, destination=organization.code, source=letter.issued_by,
        arrived_on=arrived_on,
    )  # fmt: skip
    return transfer


def _lock_request(request: ReceiveRequest, by) -> ReceiveRequest:
    current = (
        ReceiveRequest.objects.select_for_update(of=("self",))
        .select_related("member", "organization")
        .get(pk=request.pk)
    )
    if current.state != ReceiveRequest.State.PENDING:
        raise ProcedureError(
            _("Yêu cầu tiếp nhận này đã được xử lý (%(state)s).")
            % {"state": current.get_state_display()}
        )
    checker = identity.Checker.for_user(by)
    if not checker.sees(Member.objects.filter(pk=current.member_id), _visible_members):
        raise ProcedureError(_("Chỉ cấp ủy đang quản lý hồ sơ mới xác nhận được yêu cầu này."))
    return current


@transaction.atomic
def receive_request_confirm(*, request: ReceiveRequest, by=None) -> Transfer:
    """The side that keeps the record (an officer whose scope covers it) confirms: the
    record continues in the receiving cell from the arrival date."""
    member = member_lock(request.member)
    current = _lock_request(request, by)
    if member.status != Status.TRANSFERRED_AWAY:
        raise ProcedureError(
            _("%(name)s không còn ở diện đã chuyển sinh hoạt ra ngoài hệ thống.")
            % {"name": member.full_name}
        )
    try:
        check_holds_members(current.organization, current.arrived_on)
    except ValidationError as error:
        raise ProcedureError(error.message_dict["organization"]) from error
    letter = OutsideLetter(current.letter_no, current.letter_on, current.issued_by)
    transfer = _record_arrival(
        member, current.organization, letter, current.arrived_on, by=by,
        received_by=current.requested_by,
    )  # fmt: skip
    current.state = ReceiveRequest.State.CONFIRMED
    current.decided_by = by if getattr(by, "is_authenticated", False) else None
    current.decided_at = timezone.now()
    current.transfer = transfer
    current.save()
    audit.record(
        "tochuc.member.receive_request_confirmed", by=by, obj=member, reason=current.letter_no,
        request=current.pk, destination=current.organization.code,
    )  # fmt: skip
    return transfer


@transaction.atomic
def receive_request_refuse(*, request: ReceiveRequest, reason: str, by=None) -> ReceiveRequest:
    """The side that keeps the record refuses (not the same person, no letter …)."""
    if not reason.strip():
        raise ValidationError({"note": _("Hãy ghi lý do từ chối.")})
    current = _lock_request(request, by)
    current.state = ReceiveRequest.State.REFUSED
    current.note = reason.strip()[:255]
    current.decided_by = by if getattr(by, "is_authenticated", False) else None
    current.decided_at = timezone.now()
    current.save()
    audit.record(
        "tochuc.member.receive_request_refused", by=by, obj=current.member,
        reason=current.note, request=current.pk, destination=current.organization.code,
    )  # fmt: skip
    return current


# ---------------------------------------------------------------- temporary transfers


def check_temporary_period(*, purpose: str, starts_on: date, ends_on: date) -> None:
    """3 months to under a year for work or residence; 3 months to 2 years for study."""
    timeline.check_temporary_period(
        policy_for(starts_on), purpose=purpose, starts_on=starts_on, ends_on=ends_on
    )


@transaction.atomic
def temporary_transfer_issue(
    *,
    member: Member,
    on: date,
    ends_on: date,
    purpose: str,
    host: Organization | None = None,
    other_party: str = "",
    reason: str = "",
    by=None,
) -> Transfer:
    """Issue the temporary letter: the member stays counted at home and is listed at the
    host (a cell inside the system) or with `other_party` from `on` until `ends_on`."""
    _refuse_future("on", on)
    member = member_lock(member)
    timeline = timeline_load(member)
    timeline.refuse_if_inactive()
    timeline.refuse_if_moving()
    other_party = other_party.strip()
    if purpose not in Transfer.Purpose.values:
        raise ValidationError({"purpose": _("Hãy chọn mục đích sinh hoạt tạm thời.")})
    home = member.organization
    check_act_date(ends_on, field="ends_on", scheduled=True, earliest=[(on, _("ngày cấp giấy"))])
    issuer = letter_issuer(home, Transfer.Kind.TEMPORARY)
    seq = allocate_letter_number(issuer=issuer, on=on)
    letter_no = letter_number(issuer, seq, Transfer.Kind.TEMPORARY)
    out = timeline.temporary_out(
        on=on, ends_on=ends_on, purpose=purpose,
        host=timeline.org.add(host) if host is not None else None, other_party=other_party,
        letter_no=letter_no,
    )  # fmt: skip
    reason_text = _("Sinh hoạt tạm thời %(number)s") % {"number": letter_no}
    timeline_write(member, timeline, reason=reason_text, by=by)
    transfer = Transfer.objects.create(
        member=member, kind=Transfer.Kind.TEMPORARY, issuer=issuer, letter_year=on.year,
        letter_seq=seq, letter_no=letter_no, letter_on=on, source=home, destination=host,
        other_party=other_party, reason=reason.strip(), purpose=purpose, ends_on=ends_on,
        state=Transfer.State.ISSUED, out_event_id=out.pk,
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )  # fmt: skip
    audit.record(
        "tochuc.member.temporary_transfer_issued", by=by, obj=member, reason=transfer.letter_no,
        home=home.code, host=host.code if host else other_party, on=on, ends_on=ends_on,
    )  # fmt: skip
    return transfer


@transaction.atomic
def temporary_transfer_return(
    *, transfer: Transfer, on: date, by=None, automatic: bool = False
) -> Transfer:
    """The member is back home on `on` (at the latest the end of the period)."""
    member_id = Transfer.objects.values_list("member_id", flat=True).get(pk=transfer.pk)
    member = Member.objects.select_for_update().get(pk=member_id)
    current = Transfer.objects.select_for_update().get(pk=transfer.pk)
    current.member = member
    if current.kind != Transfer.Kind.TEMPORARY or current.state != Transfer.State.ISSUED:
        raise ProcedureError(
            _("Giấy giới thiệu %(number)s không còn hiệu lực sinh hoạt tạm thời (%(state)s).")
            % {"number": current.letter_no, "state": current.get_state_display()}
        )
    if not automatic:
        _refuse_future("on", on)
    timeline = timeline_load(member)
    back = timeline.temporary_return(on=on, automatic=automatic)
    timeline_write(
        member, timeline,
        reason=_("Kết thúc sinh hoạt tạm thời %(number)s") % {"number": current.letter_no}, by=by,
    )  # fmt: skip
    current.in_event_id = back.pk
    current.state = Transfer.State.RETURNED
    current.returned_on = on
    current.row_version += 1
    current.save()
    audit.record(
        "tochuc.member.temporary_transfer_returned", by=by, obj=member,
        reason=current.letter_no, on=on, automatic=automatic,
    )  # fmt: skip
    return current


def temporary_transfers_expire(*, today: date) -> list[Transfer]:
    """Record the return of every temporary transfer whose period ended by `today` (on its
    end date). Each in its own transaction; run daily (`tochuc expire_temporary_transfers`)."""
    due = Transfer.objects.filter(
        kind=Transfer.Kind.TEMPORARY, state=Transfer.State.ISSUED, ends_on__lte=today
    ).order_by("ends_on", "id")
    return [temporary_transfer_return(transfer=t, on=t.ends_on, automatic=True) for t in due]


# ---------------------------------------------------------------- working away


@transaction.atomic
def working_away_record(
    *, member: Member, place: str, starts_on: date, contact: str,
    ends_on: date | None = None, note: str = "", by=None,
) -> WorkingAway:  # fmt: skip
    member = member_lock(member)
    _refuse_if_inactive(member)
    check_act_date(starts_on, field="starts_on", earliest=[after_admission(member)])
    check_act_date(ends_on, field="ends_on", scheduled=True)
    errors = {}
    if not place.strip():
        errors["place"] = _("Hãy ghi nơi làm ăn.")
    if not contact.strip():
        errors["contact"] = _("Hãy ghi cách liên hệ (điện thoại, địa chỉ).")
    if ends_on and ends_on <= starts_on:
        errors["ends_on"] = _("Ngày kết thúc phải sau ngày bắt đầu.")
    if errors:
        raise ValidationError(errors)
    if member.working_away.filter(ended_on__isnull=True).exists():
        raise ProcedureError(
            _("%(name)s đang có hồ sơ đi làm ăn xa chưa kết thúc.") % {"name": member.full_name}
        )
    record = WorkingAway.objects.create(
        member=member, organization=member.organization, place=place.strip(),
        starts_on=starts_on, ends_on=ends_on, contact=contact.strip(), note=note.strip(),
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )  # fmt: skip
    audit.record("tochuc.member.working_away", by=by, obj=member, place=place, on=starts_on)
    return record


@transaction.atomic
def working_away_check(
    *, record: WorkingAway, checked_on: date, result: str, by=None
) -> WorkingAwayCheck:
    record = WorkingAway.objects.select_for_update().get(pk=record.pk)
    if record.ended_on is not None:
        raise ProcedureError(_("Đảng viên đã trở về; không cần kiểm tra nữa."))
    check_act_date(checked_on, field="checked_on", earliest=[(record.starts_on, _("ngày đi"))])
    if not result.strip():
        raise ValidationError({"result": _("Hãy ghi kết quả kiểm tra, liên hệ.")})
    check = WorkingAwayCheck.objects.create(
        record=record, checked_on=checked_on, result=result.strip(),
        checked_by=by if getattr(by, "is_authenticated", False) else None,
    )  # fmt: skip
    audit.record("tochuc.member.working_away_checked", by=by, obj=record.member, on=checked_on)
    return check


@transaction.atomic
def working_away_end(*, record: WorkingAway, on: date, by=None) -> WorkingAway:
    record = WorkingAway.objects.select_for_update().get(pk=record.pk)
    if record.ended_on is not None:
        raise ProcedureError(_("Hồ sơ đi làm ăn xa này đã kết thúc."))
    check_act_date(on, earliest=[(record.starts_on, _("ngày đi"))])
    record.ended_on = on
    record.save(update_fields=["ended_on"])
    audit.record("tochuc.member.working_away_ended", by=by, obj=record.member, on=on)
    return record
