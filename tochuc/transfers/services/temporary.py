"""Temporary transfers: the member stays counted at home and is listed at the host for the
period; returns by record (`temporary_transfer_return`) or on expiry
(`temporary_transfers_expire`, run daily by `tochuc expire_temporary_transfers`)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tochuc.core import audit
from tochuc.core.errors import ProcedureError
from tochuc.members import timeline
from tochuc.members.models import Member
from tochuc.members.store import member_lock, timeline_load, timeline_write
from tochuc.organizations.models import Organization
from tochuc.policy.acts import check_act_date
from tochuc.policy.rules import policy_for

from ..models import Transfer
from .numbering import allocate_letter_number, letter_issuer, letter_number


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
    check_act_date(on, field="on")
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
        province=audit.shared_province(home, *([host] if host else [])),
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
        check_act_date(on, field="on")
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
        **({} if current.destination_id is None else {"province": audit.EVERY_PROVINCE}),
    )  # fmt: skip
    return current


def temporary_transfers_expire(*, today: date) -> list[Transfer]:
    """Record the return of every temporary transfer whose period ended by `today` (on its
    end date). Each in its own transaction; run daily (`tochuc expire_temporary_transfers`)."""
    due = Transfer.objects.filter(
        kind=Transfer.Kind.TEMPORARY, state=Transfer.State.ISSUED, ends_on__lte=today
    ).order_by("ends_on", "id")
    return [temporary_transfer_return(transfer=t, on=t.ends_on, automatic=True) for t in due]
