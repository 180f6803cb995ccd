"""Sửa / Hủy in the document registry (core/corrections.py: the reason, the correcting
decision, before → after kept and audited).

- `document_correct`: the number as written (a received document: parsed again), the date,
  the title, the summary, the classification. An outgoing document's number is the
  issuer's series: it is not typed, and its year may not change (cancel it and issue
  again). The links and the distribution must still hold on the new date; a document
  made secret may keep neither a summary nor files.
- `document_cancel`: a document registered by mistake. Its distribution is **withdrawn**
  (the recipients' receipts, read or not, are removed; the correction says how many), its
  own links go with it; a document that others cite (a link to it, a programme) is not
  cancelled until those are corrected — the refusal names them.
- `link_cancel`: a link recorded by mistake (validity follows at once).
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.core import corrections
from tochuc.core.errors import ProcedureError
from tochuc.lib.dates import vn_date
from tochuc.policy.acts import check_act_date

from . import numbers
from .models import Distribution, Document, DocumentLink, Receipt
from .services import check_text, search_text

FIELDS = ["number", "issued_on", "title", "summary", "classification"]
LINK_FIELDS = ["source", "relation", "target"]


STALE = gettext_lazy(
    "Văn bản đã được người khác sửa sau khi đồng chí mở trang này. Thay đổi của "
    "đồng chí chưa được lưu; hãy tải lại trang để xem bản mới rồi sửa lại."
)


def _lock(document: Document, expected_version: int | None) -> Document:
    return corrections.lock(document, expected_version, stale=STALE, related=("organization",))


def _renumber(document: Document, number: str | None) -> None:
    if number is None or number.strip() == document.number:
        return
    if document.issued_by_id is not None:
        raise ValidationError(
            {
                "number": _(
                    "Số văn bản đi do hệ thống cấp theo sổ của %(name)s, không sửa được; "
                    "nếu ghi nhầm, hãy hủy văn bản rồi ban hành lại."
                )
                % {"name": document.organization.name}
            }
        )
    parsed = numbers.parse(number)
    document.number, document.seq = str(parsed), parsed.seq
    document.kind, document.issuer = parsed.kind, parsed.issuer


def _check_dates(document: Document, issued_on: date, old_year: int) -> None:
    check_act_date(issued_on, field="issued_on")
    if document.issued_by_id is not None and issued_on.year != old_year:
        raise ValidationError(
            {"issued_on": _("Văn bản đi mang số của năm %(year)s: không chuyển sang năm khác.")
             % {"year": old_year}}
        )  # fmt: skip
    for link in document.links_out.select_related("target"):
        if link.target.issued_on > issued_on:
            raise ValidationError(
                {"issued_on": _("Văn bản %(relation)s %(target)s (ban hành %(day)s): ngày ban "
                                "hành không được trước ngày đó.")
                 % {"relation": link.get_relation_display().lower(), "target": link.target.number,
                    "day": vn_date(link.target.issued_on)}}
            )  # fmt: skip
    for link in document.links_in.select_related("source"):
        if link.source.issued_on < issued_on:
            raise ValidationError(
                {"issued_on": _("%(source)s (ban hành %(day)s) %(relation)s văn bản này: ngày "
                                "ban hành không được sau ngày đó.")
                 % {"source": link.source.number, "day": vn_date(link.source.issued_on),
                    "relation": link.get_relation_display().lower()}}
            )  # fmt: skip
    first_sent = document.distributions.order_by("sent_on").values_list("sent_on", flat=True)
    if first_sent and first_sent[0] < issued_on:
        raise ValidationError(
            {"issued_on": _("Văn bản đã gửi đi ngày %(day)s: ngày ban hành không được sau đó.")
             % {"day": vn_date(first_sent[0])}}
        )  # fmt: skip


@transaction.atomic
def document_correct(
    *,
    document: Document,
    grounds: corrections.Grounds,
    expected_version: int | None = None,
    number: str | None = None,
    issued_on: date | None = None,
    title: str | None = None,
    summary: str | None = None,
    classification: str | None = None,
    by=None,
) -> Document:
    grounds.check()
    document = _lock(document, expected_version)
    before = corrections.snapshot(document, FIELDS)
    old_year = document.year
    _renumber(document, number)
    if issued_on is not None:
        _check_dates(document, issued_on, old_year)
        document.issued_on, document.year = issued_on, issued_on.year
    if title is not None:
        document.title = title.strip()
    if summary is not None:
        document.summary = summary.strip()
    if classification is not None:
        document.classification = classification
    check_text(document.title, document.classification, document.summary)
    if document.is_secret and document.attachments.exists():
        raise ValidationError(
            {"classification": _("Văn bản có tệp đính kèm: văn bản mật không lưu tệp trên hệ "
                                 "thống. Hãy gỡ tệp (hủy và đăng ký lại) trước khi đổi độ mật.")}
        )  # fmt: skip
    clash = Document.objects.filter(
        organization=document.organization, number=document.number, year=document.year
    ).exclude(pk=document.pk)
    if clash.exists():
        raise ValidationError(
            {"number": _("%(name)s đã đăng ký văn bản số %(number)s năm %(year)s.")
             % {"name": document.organization.name, "number": document.number,
                "year": document.year}}
        )  # fmt: skip
    document.search_text = search_text(
        number=document.number, kind=document.kind, issuer=document.issuer,
        title=document.title, summary=document.summary,
    )  # fmt: skip
    document.row_version += 1
    document.full_clean(exclude=["organization", "issued_by", "recorded_by"])
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError as error:  # the outgoing series, taken meanwhile
        raise ValidationError({"issued_on": _("Số văn bản đã được dùng.")}) from error
    corrections.record(
        obj=document, entity="document", action=corrections.CORRECTED, grounds=grounds,
        before=before, after=corrections.snapshot(document, FIELDS), by=by,
    )  # fmt: skip
    return document


def _cited_by(document: Document) -> list[str]:
    cited = [
        _("%(source)s %(relation)s văn bản này")
        % {"source": link.source.number, "relation": link.get_relation_display().lower()}
        for link in document.links_in.select_related("source")
    ]
    cited += [_("chương trình “%(title)s”") % {"title": p.title} for p in document.programmes.all()]
    return cited


@transaction.atomic
def document_cancel(
    *,
    document: Document,
    grounds: corrections.Grounds,
    expected_version: int | None = None,
    by=None,
) -> None:
    grounds.check()
    document = _lock(document, expected_version)
    cited = _cited_by(document)
    if cited:
        raise ProcedureError(
            _("Chưa hủy được: %(cited)s. Hãy hủy hoặc sửa các liên kết đó trước.")
            % {"cited": "; ".join(cited)}
        )
    receipts = Receipt.objects.filter(document=document)
    sent = list(Distribution.objects.filter(document=document).select_related("organization"))
    read = receipts.filter(read_at__isnull=False).count()
    effects = []
    if sent:
        effects.append(
            _("Thu hồi văn bản đã gửi đến %(to)s: %(n)s nơi nhận (%(read)s nơi đã đọc).")
            % {"to": ", ".join(d.organization.name for d in sent), "n": receipts.count(),
               "read": read}
        )  # fmt: skip
    links = list(document.links_out.select_related("target"))
    if links:
        effects.append(
            _("Bỏ liên kết: %(links)s.") % {"links": "; ".join(str(link) for link in links)}
        )
    files = document.attachments.count()
    if files:
        effects.append(_("Xóa %(n)s tệp đính kèm.") % {"n": files})
    corrections.record(
        obj=document, entity="document", action=corrections.CANCELLED, grounds=grounds,
        before={"organization": document.organization.code,
                **corrections.snapshot(document, FIELDS)},
        by=by, effects=effects,
    )  # fmt: skip
    document.delete()


@transaction.atomic
def link_cancel(*, link: DocumentLink, grounds: corrections.Grounds, by=None) -> None:
    grounds.check()
    link = (
        DocumentLink.objects.select_for_update().select_related("source", "target").get(pk=link.pk)
    )
    corrections.record(
        obj=link.source, entity="document_link", action=corrections.CANCELLED, grounds=grounds,
        before={"relation": link.get_relation_display(), "target": link.target.number},
        by=by, labels={"relation": _("Quan hệ"), "target": _("Văn bản")},
    )  # fmt: skip
    link.delete()


def _still_covering(distribution: Distribution) -> list[Distribution]:
    """The document's other distributions, widest subtree first."""
    others = Distribution.objects.filter(document_id=distribution.document_id).exclude(
        pk=distribution.pk
    )
    return sorted(others.select_related("organization"), key=lambda d: len(d.organization.path))


@transaction.atomic
def distribution_withdraw(
    *, distribution: Distribution, grounds: corrections.Grounds, by=None
) -> None:
    """Withdraw one distribution sent to the wrong subtree: its receipts (read or not) are
    removed; a recipient that another distribution of the document also reaches keeps its
    receipt (moved to that distribution, read or not). The correction says how many."""
    grounds.check()
    distribution = (
        Distribution.objects.select_for_update()
        .select_related("document", "organization")
        .get(pk=distribution.pk)
    )
    others = _still_covering(distribution)
    removed = read = kept = 0
    for receipt in distribution.receipts.select_related("organization"):
        cover = next(
            (d for d in others if receipt.organization.path.startswith(d.organization.path)),
            None,
        )
        if cover is not None:
            receipt.distribution = cover
            receipt.save(update_fields=["distribution"])
            kept += 1
            continue
        removed += 1
        read += receipt.read_at is not None
        receipt.delete()
    effects = [
        _("Thu hồi %(number)s đã gửi đến %(to)s: xóa %(n)s nơi nhận (%(read)s nơi đã đọc).")
        % {"number": distribution.document.number, "to": distribution.organization.name,
           "n": removed, "read": read}
    ]  # fmt: skip
    if kept:
        effects.append(_("%(n)s nơi nhận vẫn giữ văn bản theo lần gửi khác.") % {"n": kept})
    corrections.record(
        obj=distribution, entity="document_distribution", action=corrections.CANCELLED,
        grounds=grounds, by=by, effects=effects, audit_on=[distribution.document],
        before={"document": distribution.document.number,
                "organization": distribution.organization.name,
                "sent_on": distribution.sent_on},
        labels={"document": _("Văn bản"), "organization": _("Gửi đến"),
                "sent_on": _("Ngày gửi")},
    )  # fmt: skip
    distribution.delete()
