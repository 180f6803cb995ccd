"""Reads of the document registry, for an organization in the caller's scope.

What an organization sees: the documents registered in its subtree; those registered by its
ancestors (the province's copy of 35-CT/TW), unless secret; and those distributed to it or
below it. Search is accent-insensitive over the folded number, kind, issuer, title and
summary (`Document.search_text`): on PostgreSQL a full-text query on it (a GIN index,
migration 0002), on SQLite a LIKE per word; each typed word must start a word of the text,
a number must be a whole word ("35" finds 35-CT/TW, not 350-QĐ/TW).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet

from tochuc.lib import search
from tochuc.lib.paths import under
from tochuc.organizations.models import Organization

from .models import (
    Classification,
    Distribution,
    Document,
    DocumentLink,
    Receipt,
    Relation,
    Validity,
)

_WORD = re.compile(r"\w+")


@dataclass
class DocumentFilters:
    text: str = ""
    kind: str = ""
    issuer: str = ""
    year: int | None = None
    validity: str = ""


def _ancestor_ids(organization: Organization) -> list[int]:
    return [int(part) for part in organization.path.strip("/").split("/")[:-1] if part]


def visible_to(organization: Organization) -> Q:
    """The documents `organization` (already checked in the caller's scope) may read."""
    received = Receipt.objects.filter(
        under("organization__path", organization.path), document=OuterRef("pk")
    )
    return (
        under("organization__path", organization.path)
        | Q(organization_id__in=_ancestor_ids(organization), classification=Classification.NORMAL)
        | Q(Exists(received))
    )


def with_validity(qs: QuerySet[Document]) -> QuerySet[Document]:
    replaced = DocumentLink.objects.filter(target=OuterRef("pk"), relation=Relation.REPLACES)
    amended = DocumentLink.objects.filter(target=OuterRef("pk"), relation=Relation.AMENDS)
    return qs.annotate(is_replaced=Exists(replaced), is_amended=Exists(amended))


def validity(document: Document) -> str:
    """In force, in force but amended, or replaced: derived from the links to it."""
    if getattr(document, "is_replaced", None) is None:
        document.is_replaced = document.links_in.filter(relation=Relation.REPLACES).exists()
        document.is_amended = document.links_in.filter(relation=Relation.AMENDS).exists()
    if document.is_replaced:
        return Validity.REPLACED
    if document.is_amended:
        return Validity.AMENDED
    return Validity.IN_FORCE


def text_condition(text: str) -> Q:
    """Every typed word (folded) starts a word of the search text; numbers match whole.
    QueryTooLong over the search caps (lib.search)."""
    words = [w for word in search.words(text) for w in _WORD.findall(word)]
    if not words:
        return Q()
    if connection.vendor == "postgresql":
        terms = " & ".join(w if w.isdigit() else f"{w}:*" for w in words)
        return Q(search_vector=SearchQuery(terms, search_type="raw", config="simple"))
    condition = Q()
    for word in words:
        pattern = f" {word} " if word.isdigit() else f" {word}"
        condition &= Q(search_text__contains=pattern)
    return condition


def document_list(*, organization: Organization, filters: DocumentFilters) -> QuerySet[Document]:
    qs = Document.objects.filter(visible_to(organization))
    if filters.text:
        if connection.vendor == "postgresql":
            qs = qs.annotate(search_vector=SearchVector("search_text", config="simple"))
        qs = qs.filter(text_condition(filters.text))
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.issuer:
        qs = qs.filter(issuer=filters.issuer)
    if filters.year:
        qs = qs.filter(year=filters.year)
    qs = with_validity(qs)
    if filters.validity == Validity.REPLACED:
        qs = qs.filter(is_replaced=True)
    elif filters.validity == Validity.AMENDED:
        qs = qs.filter(is_replaced=False, is_amended=True)
    elif filters.validity == Validity.IN_FORCE:
        qs = qs.filter(is_replaced=False, is_amended=False)
    return qs.select_related("organization").order_by("-issued_on", "-id").distinct()


def document_get(*, organization: Organization, pk: int) -> Document:
    """One document `organization` may read (Document.DoesNotExist otherwise)."""
    return with_validity(Document.objects.filter(visible_to(organization))).get(pk=pk)


def document_by_number(*, organization: Organization, number: str) -> Document | None:
    """The latest document of that number `organization` may read."""
    return (
        Document.objects.filter(visible_to(organization), number=number)
        .order_by("-issued_on")
        .first()
    )


def links_of(document: Document) -> tuple[list[DocumentLink], list[DocumentLink]]:
    out = list(document.links_out.select_related("target").order_by("target__issued_on"))
    into = list(document.links_in.select_related("source").order_by("source__issued_on"))
    return out, into


def receipts_of(*, document: Document, organization: Organization) -> QuerySet[Receipt]:
    """The recipients of `document` in `organization`'s subtree, read or not."""
    return (
        Receipt.objects.filter(document=document)
        .filter(under("organization__path", organization.path))
        .select_related("organization", "read_by")
        .order_by("organization__path")
    )


def unread_for(*, organization: Organization) -> QuerySet[Receipt]:
    """Documents sent to `organization`'s subtree that a recipient has not read yet."""
    return (
        Receipt.objects.filter(under("organization__path", organization.path), read_at__isnull=True)
        .select_related("document", "organization")
        .order_by("-document__issued_on", "organization__path")
    )


def issued_count(*, organization: Organization, start, end) -> int:
    """Documents issued by organizations of `organization`'s subtree in [start, end]."""
    return Document.objects.filter(
        under("issued_by__path", organization.path), issued_on__gte=start, issued_on__lte=end
    ).count()


def sent_to(*, organization: Organization) -> QuerySet[Receipt]:
    """The documents sent to `organization` itself (a cell), read or not, latest first."""
    return (
        Receipt.objects.filter(organization=organization)
        .select_related("document", "distribution")
        .order_by("-distribution__sent_on", "-id")
    )


def sent_to_each(*, organization_ids) -> dict[int, list[int]]:
    """`sent_to` for many cells in one query: cell id → the document ids of its receipts,
    latest first (cells that received nothing are absent)."""
    found: dict[int, list[int]] = {}
    for organization_id, document_id in (
        Receipt.objects.filter(organization_id__in=list(organization_ids))
        .order_by("organization_id", "-distribution__sent_on", "-id")
        .values_list("organization_id", "document_id")
    ):
        found.setdefault(organization_id, []).append(document_id)
    return found


def distributions_of(*, document: Document, organization: Organization) -> QuerySet:
    """The times `document` was sent to a subtree inside `organization`'s, oldest first."""
    return (
        Distribution.objects.filter(document=document)
        .filter(under("organization__path", organization.path))
        .select_related("organization")
        .order_by("sent_on", "organization__path")
    )
