"""Reads of self-service. A member's pages read only through their own record (the account
links the user to it); the officers' queue reads through their scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from tochuc.documents.selectors import sent_to
from tochuc.lib.paths import under
from tochuc.meetings.selectors import planned_for
from tochuc.members.models import Member
from tochuc.organizations.models import Organization

from .models import DocumentRead, MemberAccount, RequestState, SelfRequest


def account_of(user) -> MemberAccount | None:
    """The usable member account of a signed-in user, or None (staff, locked, not activated)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        MemberAccount.objects.filter(
            user=user, activated_at__isnull=False, deactivated_at__isnull=True
        )
        .select_related("member__organization")
        .first()
    )


def account_for_member(*, member: Member) -> MemberAccount | None:
    return MemberAccount.objects.filter(member=member).select_related("user").first()


def requests_of(*, member: Member) -> QuerySet[SelfRequest]:
    return member.self_requests.order_by("-created_at", "-id")


def request_of_member(*, member: Member, pk: int) -> SelfRequest:
    """One of the member's own requests (another's: 404)."""
    return get_object_or_404(requests_of(member=member), pk=pk)


def queue(*, scope, state: str = RequestState.PENDING) -> QuerySet[SelfRequest]:
    """Requests of the members of the caller's scope (by the cell they were filed in)."""
    qs = SelfRequest.objects.filter(state=state) if state else SelfRequest.objects.all()
    return scope.filter_by_path(
        qs.select_related("member", "organization"), "organization__path"
    ).order_by("due_on", "id")


def request_in(*, organization: Organization, scope, pk: int) -> SelfRequest:
    """One request filed in `organization`'s subtree (already in the caller's scope)."""
    qs = queue(scope=scope, state="").filter(under("organization__path", organization.path))
    return get_object_or_404(qs, pk=pk)


@dataclass
class CellDocument:
    receipt: object
    read_at: object  # the member's own reading, or None


def documents_for(*, member: Member) -> list[CellDocument]:
    """The documents sent to the member's cell, with the member's own read receipt."""
    receipts = list(sent_to(organization=member.organization)[:200])
    read = dict(
        DocumentRead.objects.filter(
            member=member, document__in=[r.document_id for r in receipts]
        ).values_list("document_id", "read_at")
    )
    return [CellDocument(r, read.get(r.document_id)) for r in receipts]


def document_for(*, member: Member, pk: int):
    """A document sent to the member's cell (any other: 404)."""
    receipt = get_object_or_404(sent_to(organization=member.organization), document_id=pk)
    return receipt.document


def unread_documents(*, member: Member) -> int:
    return sum(1 for d in documents_for(member=member) if d.read_at is None)


def planned_since(*, member: Member, since: date):
    return list(planned_for(organization=member.organization, since=since))
