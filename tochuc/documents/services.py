"""Writes of the document registry: register a received document, issue one (numbered in
the issuer's series), attach files, link documents, distribute to a subtree, mark read.

Each is keyword-only, atomic, validated and audited (`tochuc.document.*`). Dates go through
the act-date rule (`policy.acts`): no document dated after today or before the Party.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tochuc.core import audit
from tochuc.core.errors import ProcedureError
from tochuc.lib.paths import under
from tochuc.lib.vntext import fold
from tochuc.organizations.models import Kind, Organization
from tochuc.organizations.numbering import issuer_suffix, next_number
from tochuc.policy.acts import check_act_date
from tochuc.policy.rules import policy_for

from . import hooks, numbers
from .models import (
    Attachment,
    Classification,
    Distribution,
    Document,
    DocumentLink,
    Receipt,
    Relation,
)

RECIPIENT_KINDS = (Kind.BASE_CELL, Kind.CELL)
_PUNCTUATION = re.compile(r"[^\w]+")


def search_text(*, number: str, kind: str, issuer: str, title: str, summary: str) -> str:
    """The folded words a search matches: the number split at its punctuation ("35 ct tw"),
    the kind and issuer spelled out ("chi thi", "ban chap hanh trung uong"), the title and
    the summary. Padded with spaces so that a word can be matched whole."""
    parts = [
        number,
        str(numbers.KINDS.get(kind, "")),
        str(numbers.ISSUERS.get(issuer.split("/")[-1], "")),
        title,
        summary,
    ]
    words = _PUNCTUATION.sub(" ", fold(" ".join(parts)))
    return f" {' '.join(words.split())} "


def _by(user):
    return user if getattr(user, "is_authenticated", False) else None


def check_text(title: str, classification: str, summary: str) -> None:
    errors = {}
    if not (title or "").strip():
        errors["title"] = _("Hãy ghi trích yếu của văn bản.")
    if classification not in Classification.values:
        errors["classification"] = _("Độ mật không hợp lệ.")
    elif classification == Classification.SECRET and (summary or "").strip():
        errors["summary"] = _("Văn bản mật chỉ được đăng ký số và trích yếu, không ghi nội dung.")
    if errors:
        raise ValidationError(errors)


def _save(document: Document, *, by, action: str) -> Document:
    document.search_text = search_text(
        number=document.number,
        kind=document.kind,
        issuer=document.issuer,
        title=document.title,
        summary=document.summary,
    )
    document.full_clean(exclude=["organization", "issued_by", "recorded_by"])
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError as error:
        raise ProcedureError(
            _("%(name)s đã đăng ký văn bản số %(number)s năm %(year)s.")
            % {"name": document.organization.name, "number": document.number, "year": document.year}
        ) from error
    audit.record(action, by=by, obj=document, reason=document.number)
    return document


@transaction.atomic
def document_register(
    *,
    organization: Organization,
    number: str,
    issued_on: date,
    title: str,
    summary: str = "",
    classification: str = Classification.NORMAL,
    by=None,
) -> Document:
    """A document received (or kept) by `organization`, by its number as written on it."""
    parsed = numbers.parse(number)
    check_act_date(issued_on, field="issued_on")
    check_text(title, classification, summary)
    if Document.objects.filter(
        organization=organization, number=str(parsed), year=issued_on.year
    ).exists():
        raise ValidationError(
            {
                "number": _("%(name)s đã đăng ký văn bản số %(number)s năm %(year)s.")
                % {"name": organization.name, "number": parsed, "year": issued_on.year}
            }
        )
    document = Document(
        organization=organization,
        number=str(parsed),
        seq=parsed.seq,
        kind=parsed.kind,
        issuer=parsed.issuer,
        year=issued_on.year,
        issued_on=issued_on,
        title=title.strip(),
        summary=(summary or "").strip(),
        classification=classification,
        recorded_by=_by(by),
    )
    return _save(document, by=by, action="tochuc.document.registered")


@transaction.atomic
def document_issue(
    *,
    issuer: Organization,
    kind: str,
    issued_on: date,
    title: str,
    summary: str = "",
    classification: str = Classification.NORMAL,
    by=None,
) -> Document:
    """A document `issuer` issues: the next number of its series for `kind` and the year
    (organizations.numbering: two officers issuing at once get different numbers)."""
    if numbers.kind_of(kind or "") is None:
        raise ValidationError({"kind": _("Hãy chọn loại văn bản.")})
    kind = numbers.kind_of(kind)
    check_act_date(issued_on, field="issued_on")
    check_text(title, classification, summary)
    if not issuer.is_active:
        raise ProcedureError(_("%(name)s không còn hoạt động.") % {"name": issuer.name})
    seq = next_number(
        issuer=issuer,
        rows=Document.objects.filter(issued_by=issuer, kind=kind, year=issued_on.year),
        field="seq",
    )
    suffix = issuer_suffix(issuer)
    document = Document(
        organization=issuer,
        issued_by=issuer,
        number=str(numbers.DocumentNumber(seq, kind, suffix)),
        seq=seq,
        kind=kind,
        issuer=suffix,
        year=issued_on.year,
        issued_on=issued_on,
        title=title.strip(),
        summary=(summary or "").strip(),
        classification=classification,
        recorded_by=_by(by),
    )
    return _save(document, by=by, action="tochuc.document.issued")


@dataclass(frozen=True)
class Upload:
    filename: str
    content_type: str
    content: bytes


@transaction.atomic
def attachment_add(*, document: Document, upload: Upload, by=None) -> Attachment:
    if document.is_secret:
        raise ProcedureError(
            _("Văn bản mật chỉ được đăng ký số và trích yếu, không lưu tệp trên hệ thống.")
        )
    limit = policy_for(timezone.localdate()).document_attachment_max_mb
    if not upload.content:
        raise ValidationError({"file": _("Tệp rỗng.")})
    if len(upload.content) > limit * 1024 * 1024:
        raise ValidationError({"file": _("Tệp quá lớn (tối đa %(n)s MB).") % {"n": limit}})
    attachment = Attachment.objects.create(
        document=document,
        filename=upload.filename[:200],
        content_type=(upload.content_type or "application/octet-stream")[:100],
        size=len(upload.content),
        content=upload.content,
        uploaded_by=_by(by),
    )
    audit.record(
        "tochuc.document.attached",
        by=by,
        obj=document,
        reason=document.number,
        filename=attachment.filename,
        size=attachment.size,
    )
    return attachment


@transaction.atomic
def document_link(*, source: Document, target: Document, relation: str, by=None) -> DocumentLink:
    """`source` replaces / amends / implements / guides `target` (an earlier document)."""
    if relation not in Relation.values:
        raise ValidationError({"relation": _("Hãy chọn quan hệ giữa hai văn bản.")})
    if source.pk == target.pk:
        raise ValidationError({"target": _("Một văn bản không liên kết với chính nó.")})
    if target.issued_on > source.issued_on:
        raise ValidationError(
            {
                "target": _(
                    "%(target)s ban hành sau %(source)s, không thể là văn bản được %(relation)s."
                )
                % {
                    "target": target.number,
                    "source": source.number,
                    "relation": Relation(relation).label.lower(),
                }
            }
        )
    if DocumentLink.objects.filter(source=source, target=target, relation=relation).exists():
        raise ProcedureError(_("Đã ghi liên kết này."))
    if (
        relation == Relation.REPLACES
        and DocumentLink.objects.filter(source=target, target=source).exists()
    ):
        raise ValidationError({"target": _("Hai văn bản không thể thay thế lẫn nhau.")})
    link = DocumentLink.objects.create(
        source=source, target=target, relation=relation, recorded_by=_by(by)
    )
    audit.record(
        "tochuc.document.linked",
        by=by,
        obj=source,
        reason=source.number,
        target=target.number,
        relation=relation,
    )
    return link


def recipients_of(organization: Organization) -> list[Organization]:
    """Who receives what is sent to `organization`'s subtree: its active cells (chi bộ cơ
    sở, chi bộ trực thuộc); the organization itself when it has none."""
    cells = list(
        Organization.objects.filter(
            under("path", organization.path), kind__in=RECIPIENT_KINDS, ended_on__isnull=True
        ).order_by("path")
    )
    return cells or [organization]


@transaction.atomic
def document_distribute(
    *, document: Document, organization: Organization, sent_on: date, by=None
) -> Distribution:
    """Send `document` to `organization`'s subtree: a receipt for each recipient cell."""
    check_act_date(sent_on, field="sent_on", earliest=[(document.issued_on, _("ngày ban hành"))])
    if Distribution.objects.filter(document=document, organization=organization).exists():
        raise ProcedureError(
            _("Văn bản %(number)s đã gửi đến %(name)s.")
            % {"number": document.number, "name": organization.name}
        )
    distribution = Distribution.objects.create(
        document=document, organization=organization, sent_on=sent_on, sent_by=_by(by)
    )
    already = set(
        Receipt.objects.filter(document=document).values_list("organization_id", flat=True)
    )
    receipts = [
        Receipt(distribution=distribution, document=document, organization=recipient)
        for recipient in recipients_of(organization)
        if recipient.pk not in already
    ]
    Receipt.objects.bulk_create(receipts)
    audit.record(
        "tochuc.document.distributed",
        by=by,
        obj=document,
        reason=document.number,
        to=organization.code,
        recipients=len(receipts),
        province=audit.province_of(organization),  # the receipts are in its subtree
    )
    for follower in hooks.distributed:
        follower(distribution, recipients=[r.organization for r in receipts], by=by)
    return distribution


@transaction.atomic
def receipt_mark_read(*, receipt: Receipt, by=None) -> Receipt:
    receipt = Receipt.objects.select_for_update().get(pk=receipt.pk)
    if receipt.read_at is not None:
        return receipt
    receipt.read_at = timezone.now()
    receipt.read_by = _by(by)
    receipt.save(update_fields=["read_at", "read_by"])
    audit.record(
        "tochuc.document.read",
        by=by,
        obj=receipt.document,
        reason=receipt.document.number,
        organization=receipt.organization.code,
        province=audit.province_of(receipt.organization),  # the receipt is its reader's
    )
    return receipt
