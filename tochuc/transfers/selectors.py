"""Reads of transfers, requests to receive and members working away, always inside the
caller's scope: a transfer is seen by the side that sent it and the side that receives it,
a request to receive by the side that asked and the side that keeps the record."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Max, Q, QuerySet

from tochuc.lib import paths
from tochuc.lib.dates import add_months
from tochuc.members.models import Member
from tochuc.organizations.models import Organization
from tochuc.policy.rules import policy_for

from .models import ReceiveRequest, Transfer, WorkingAway

# ---------------------------------------------------------------- transfers


def open_transfer(*, member: Member) -> Transfer | None:
    return (
        member.transfers.filter(state=Transfer.State.ISSUED)
        .select_related("source", "destination")
        .order_by("-id")
        .first()
    )


def _transfers() -> QuerySet[Transfer]:
    return Transfer.objects.select_related("member", "source", "destination", "issuer")


def transfers_visible(*, scope) -> QuerySet[Transfer]:
    """Transfers whose source or destination is in the caller's scope (the sender and the
    receiver both see a transfer; nobody else does)."""
    if scope.is_admin:
        return _transfers()
    source = scope.filter_by_path(Transfer.objects.all(), "source__path").values("pk")
    destination = scope.filter_by_path(Transfer.objects.all(), "destination__path").values("pk")
    return _transfers().filter(Q(pk__in=source) | Q(pk__in=destination))


def transfers_out(*, organization: Organization) -> QuerySet[Transfer]:
    """Transfers from `organization`'s subtree, newest letter first."""
    return _transfers().filter(paths.under("source__path", organization.path))


def transfers_in(*, organization: Organization) -> QuerySet[Transfer]:
    """Transfers to `organization`'s subtree (official and temporary), newest letter first."""
    return _transfers().filter(paths.under("destination__path", organization.path))


def overdue(qs: QuerySet[Transfer], *, today: date) -> QuerySet[Transfer]:
    """Official transfers still waiting for the arrival after the presentation deadline."""
    return qs.filter(
        kind=Transfer.Kind.OFFICIAL, state=Transfer.State.ISSUED, present_due__lt=today
    )


# ---------------------------------------------------------------- members working away


@dataclass
class AwayRow:
    record: WorkingAway
    last_check: date | None
    next_check: date
    is_due: bool


def working_away_list(*, organization: Organization, today: date) -> list[AwayRow]:
    """Members of the subtree working away now, with the last check and when the next one
    is due (every `working_away_check_months` of the policy, from the last check or the
    start), the due ones first."""
    records = (
        WorkingAway.objects.filter(ended_on__isnull=True)
        .filter(paths.under("member__org_path", organization.path))
        .select_related("member", "member__organization")
        .annotate(last_check=Max("checks__checked_on"))
    )
    every = policy_for(today).working_away_check_months
    rows = []
    for record in records:
        next_check = add_months(record.last_check or record.starts_on, every)
        rows.append(AwayRow(record, record.last_check, next_check, next_check <= today))
    return sorted(rows, key=lambda r: (not r.is_due, r.record.member.name_sort, r.record.pk))


# ---------------------------------------------------------------- requests to receive


def _receive_requests() -> QuerySet[ReceiveRequest]:
    return ReceiveRequest.objects.select_related(
        "organization", "requested_by", "decided_by", "transfer"
    ).order_by("-requested_at", "-id")


def receive_requests_to_confirm(*, scope) -> QuerySet[ReceiveRequest]:
    """Requests on records in the caller's scope: theirs to confirm or refuse."""
    if scope.is_admin:
        return _receive_requests()
    return _receive_requests().filter(member__in=scope.members().values("pk"))


def receive_requests_sent(*, scope) -> QuerySet[ReceiveRequest]:
    """Requests of receiving cells in the caller's scope: theirs to follow."""
    return scope.filter_by_path(_receive_requests(), "organization__path")


def receive_requests_visible(*, scope) -> QuerySet[ReceiveRequest]:
    """Both of the above; nobody else sees a request (404)."""
    if scope.is_admin:
        return _receive_requests()
    confirm = receive_requests_to_confirm(scope=scope).values("pk")
    sent = receive_requests_sent(scope=scope).values("pk")
    return _receive_requests().filter(Q(pk__in=confirm) | Q(pk__in=sent))


def member_movements(member: Member) -> dict:
    """What the member page shows of transfers and working away
    (`members.hooks.member_page`)."""
    return {
        "open_transfer": open_transfer(member=member),
        "member_transfers": list(
            member.transfers.select_related("source", "destination").order_by("-letter_on", "-id")
        ),
        "away": member.working_away.filter(ended_on__isnull=True).first(),
    }
