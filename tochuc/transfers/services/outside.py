"""Members received from outside the system, and the requests to receive a record kept
outside the receiver's scope.

The receiver enters the other party's letter (`transfer_receive_from_outside`). A record
found by citizen ID outside the receiver's scope moves only when the side that keeps it
confirms (`receive_request_confirm`) or stays where it is (`receive_request_refuse`); the
receiver may withdraw a request still waiting (`receive_request_withdraw`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tochuc.accounts.access import Scope
from tochuc.accounts.permissions import CHANGE_MEMBERS
from tochuc.core import audit
from tochuc.core.errors import ProcedureError
from tochuc.lib.dates import vn_date
from tochuc.lib.vntext import fold
from tochuc.members import identity
from tochuc.members.models import Member, MemberEvent, Status
from tochuc.members.services import check_holds_members, member_register
from tochuc.members.store import member_lock, timeline_load, timeline_write
from tochuc.organizations.models import Organization
from tochuc.policy.acts import check_act_date

from ..models import ReceiveRequest, Transfer

T = MemberEvent.Type


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
    reason: str = "",
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
    transfer they are on (`transfer_receive`). `reason`: why a new record was saved
    although it looks like one already kept (the form's warning), for its history."""
    check_act_date(arrived_on, field="arrived_on")
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
            reason="; ".join(filter(None, [_("Tiếp nhận từ ngoài hệ thống"), reason])),
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
        province=audit.shared_province(found, organization),
    )  # fmt: skip
    return request


def _record_arrival(member, organization, letter: OutsideLetter, arrived_on, *, by,
                    received_by=None) -> Transfer:  # fmt: skip
    """The member (new, or their record continuing) starts activity in `organization`."""
    received_by = received_by or by
    before = member.province_id  # a record continuing: where it was left
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
        arrived_on=arrived_on, province=audit.shared_province(before, organization),
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
        province=audit.EVERY_PROVINCE,  # the member's home before, the destination now
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
        province=audit.shared_province(current.member, current.organization),
    )  # fmt: skip
    return current


@transaction.atomic
def receive_request_withdraw(*, request: ReceiveRequest, reason: str, by=None) -> ReceiveRequest:
    """The receiving side withdraws its request while it waits (a wrong letter, the member
    did not come …): nothing moves, the side that keeps the record sees it withdrawn, and a
    new request for the member may be made. Only an officer who may change members at the
    receiving cell withdraws it."""
    if not reason.strip():
        raise ValidationError({"note": _("Hãy ghi lý do rút yêu cầu.")})
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
    if getattr(by, "is_authenticated", False):
        scope = Scope.for_user(by)
        if not (
            scope.contains(current.organization)
            and CHANGE_MEMBERS in scope.permissions_for(current.organization)
        ):
            raise ProcedureError(
                _("Chỉ cấp ủy của chi bộ tiếp nhận mới rút được yêu cầu tiếp nhận này.")
            )
    current.state = ReceiveRequest.State.WITHDRAWN
    current.note = reason.strip()[:255]
    current.decided_by = by if getattr(by, "is_authenticated", False) else None
    current.decided_at = timezone.now()
    current.save()
    audit.record(
        "tochuc.member.receive_request_withdrawn", by=by, obj=current.member,
        reason=current.note, request=current.pk, destination=current.organization.code,
        province=audit.shared_province(current.member, current.organization),
    )  # fmt: skip
    return current
