"""Reads of self-service. A member's pages read only through their own record (the account
links the user to it); the officers' queue reads through their scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from tochuc.documents.selectors import sent_to, sent_to_each
from tochuc.dues.selectors import member_dues, owed_of
from tochuc.lib.paths import under
from tochuc.meetings.selectors import planned_for
from tochuc.members.models import Member
from tochuc.organizations.models import Organization
from tochuc.ratings.models import Step
from tochuc.ratings.selectors import open_subject_of, open_subjects_of
from tochuc.ratings.services import criteria_for, session_policy

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


# How many documents sent to the cell one page of the member's list shows (latest first).
DOCUMENTS_PAGE = 50


@dataclass
class CellDocument:
    receipt: object
    read_at: object  # the member's own reading, or None


def documents_for(*, member: Member, page=None) -> Page:
    """One page (`page`: its number as asked, "" or None: the first) of the documents sent
    to the member's cell, latest first, each with the member's own read receipt."""
    found = Paginator(sent_to(organization=member.organization), DOCUMENTS_PAGE).get_page(page)
    receipts = list(found.object_list)
    read = dict(
        DocumentRead.objects.filter(
            member=member, document__in=[r.document_id for r in receipts]
        ).values_list("document_id", "read_at")
    )
    found.object_list = [CellDocument(r, read.get(r.document_id)) for r in receipts]
    return found


def document_for(*, member: Member, pk: int):
    """A document sent to the member's cell (any other: 404)."""
    receipt = get_object_or_404(sent_to(organization=member.organization), document_id=pk)
    return receipt.document


def attachments_of(*, document) -> list:
    """The files of a document sent to the member's cell (a secret document: none)."""
    if document.is_secret:
        return []
    return list(document.attachments.defer("content"))


def attachment_for(*, document, pk: int):
    """A file of `document` the member may download: none of a secret document (404)."""
    if document.is_secret:
        raise Http404
    return get_object_or_404(document.attachments.all(), pk=pk)


def unread_documents(*, member: Member) -> int:
    return _unread_of([member])[member.pk]


def planned_since(*, member: Member, since: date):
    return list(planned_for(organization=member.organization, since=since))


def assessment_sheet(member: Member):
    """The member's open rating and the criteria of its sheet, or (None, ())."""
    subject = open_subject_of(member=member)
    if subject is None:
        return None, ()
    return subject, criteria_for(subject.kind, session_policy(subject.session))


def dues_owed(member: Member, on: date):
    """The member's dues of `on`'s year, and the months owed and unpaid."""
    dues = member_dues(member=member, year=on.year, today=on)
    return dues, [d for d in dues.months if not d.paid and d.amount]


def due_items(member: Member, on: date) -> list[dict]:
    """What is due from the member: unpaid dues months, the self-assessment of an open
    rating, documents sent to the cell not read yet. Each: {"text", "url"} (a URL name)."""
    return due_items_of(members=[member], on=on)[member.pk]


def due_items_of(*, members: list[Member], on: date) -> dict[int, list[dict]]:
    """`due_items` of many members in a few queries whatever their number: member id → items."""
    owed = owed_of(members=members, on=on)
    subjects = open_subjects_of(members=members)
    unread = _unread_of(members)
    found = {}
    for member in members:
        items = found[member.pk] = []
        if member.pk in owed:
            months = owed[member.pk]
            amount = f"{sum(d.amount for d in months):,}".replace(",", ".")
            items.append({
                "text": _("Đảng phí chưa nộp %(n)s tháng (%(months)s): %(amount)s đồng.") % {
                    "n": len(months), "months": ", ".join(f"{d.month:%m/%Y}" for d in months),
                    "amount": amount,
                },
                "url": "selfservice:record",
            })  # fmt: skip
        subject = subjects.get(member.pk)
        if subject is not None and subject.step == Step.PENDING:
            items.append({
                "text": _("Tự đánh giá, xếp loại: %(title)s.") % {"title": subject.session.title},
                "url": "selfservice:requests",
            })  # fmt: skip
        if unread.get(member.pk):
            items.append({
                "text": _("%(n)s văn bản gửi chi bộ đồng chí chưa đọc.") % {"n": unread[member.pk]},
                "url": "selfservice:documents",
            })  # fmt: skip
    return found


def _unread_of(members: list[Member]) -> dict[int, int]:
    """`unread_documents` of many members in two queries: member id → how many of all the
    documents sent to their cell they have not opened."""
    shown = sent_to_each(organization_ids={m.organization_id for m in members})
    read: dict[int, set[int]] = {}
    for member_id, document_id in DocumentRead.objects.filter(
        member_id__in=[m.pk for m in members if m.organization_id in shown],
        document_id__in={d for ids in shown.values() for d in ids},
    ).values_list("member_id", "document_id"):
        read.setdefault(member_id, set()).add(document_id)
    return {
        m.pk: sum(1 for d in shown.get(m.organization_id, ()) if d not in read.get(m.pk, ()))
        for m in members
    }


def usable_accounts() -> QuerySet[MemberAccount]:
    return MemberAccount.objects.filter(
        activated_at__isnull=False,
        deactivated_at__isnull=True,
        member__status__in=("probationary", "full"),
    ).select_related("user", "member__organization")


def overdue_requests(*, on: date) -> QuerySet[SelfRequest]:
    return SelfRequest.objects.filter(state=RequestState.PENDING, due_on__lt=on).select_related(
        "member", "organization"
    )
