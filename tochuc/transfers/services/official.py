"""Official transfers inside the system and out of it: the letter, the receipt.

The competent committee issues an introduction letter (`transfer_issue`); the member is
"in transfer" and still counted at the source; the receiving organization records the
arrival (`transfer_receive`) and the official affiliation moves on that date. Two officers
receiving the same member: the transfer row is locked (`select_for_update`) and carries a
`row_version`; the second gets a clear refusal and nothing changes.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tochuc.core import audit
from tochuc.core.errors import ProcedureError
from tochuc.lib.dates import vn_date
from tochuc.members.models import Member
from tochuc.members.store import member_lock, timeline_load, timeline_write
from tochuc.organizations.models import Organization
from tochuc.policy.acts import check_act_date
from tochuc.policy.calendar import add_working_days
from tochuc.policy.rules import policy_for

from ..models import Transfer
from .numbering import allocate_letter_number, letter_issuer, letter_number


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
    check_act_date(on, field="on")
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
        province=audit.shared_province(source, *([to] if to else [])),
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
    check_act_date(arrived_on, field="arrived_on")
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
        province=audit.shared_province(current.source, destination),
    )  # fmt: skip
    return current
