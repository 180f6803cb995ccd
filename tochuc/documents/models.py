"""The Party document registry (sổ văn bản).

A `Document` is one numbered document (35-CT/TW, 04-CTr/TU …) registered by an organization
of the tree: received from above, or issued by the organization itself (then numbered by
`organizations.numbering`, per issuer, kind and year). Its number is parsed
(`numbers.parse`) into the sequence, the kind and the issuing body. `DocumentLink`s between
documents (replaces, amends, implements, guides) give each its validity
(`selectors.validity`). `Attachment`s keep the files in the database, as the imports keep
their uploads; a secret document has number and title only, no file and no summary.
`Distribution` sends a document to a subtree; each recipient organization has a `Receipt`,
marked read by its secretary. Only `services.py` writes.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from tochuc.core.models import Recorded
from tochuc.organizations.models import Organization


class Classification(models.TextChoices):
    NORMAL = "normal", _("Thường")
    SECRET = "secret", _("Mật")


class Relation(models.TextChoices):
    REPLACES = "replaces", _("Thay thế")
    AMENDS = "amends", _("Sửa đổi, bổ sung")
    IMPLEMENTS = "implements", _("Thực hiện")
    GUIDES = "guides", _("Hướng dẫn thực hiện")


class Validity(models.TextChoices):
    IN_FORCE = "in_force", _("Còn hiệu lực")
    AMENDED = "amended", _("Còn hiệu lực, đã được sửa đổi, bổ sung")
    REPLACED = "replaced", _("Hết hiệu lực (đã được thay thế)")


class Document(Recorded):
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name=_("tổ chức đăng ký"),
    )
    # Set when the organization issued it (văn bản đi): numbered in its series.
    issued_by = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tổ chức ban hành"),
    )
    number = models.CharField(_("số, ký hiệu"), max_length=60)
    seq = models.PositiveIntegerField(_("số thứ tự"))
    kind = models.CharField(_("loại văn bản"), max_length=8)
    issuer = models.CharField(_("cơ quan ban hành"), max_length=30)
    year = models.PositiveSmallIntegerField(_("năm"))
    issued_on = models.DateField(_("ngày ban hành"))
    title = models.CharField(_("trích yếu"), max_length=500)
    summary = models.TextField(_("tóm tắt nội dung"), blank=True)
    classification = models.CharField(
        _("độ mật"), max_length=8, choices=Classification.choices, default=Classification.NORMAL
    )
    # Folded (lib.vntext.fold) number, kind, issuer, title and summary: the search column.
    search_text = models.TextField(editable=False, default="")
    row_version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("văn bản")
        verbose_name_plural = _("văn bản")
        ordering = ["-issued_on", "-id"]
        indexes = [
            models.Index(fields=["organization", "issued_on"], name="document_org_date_idx"),
            models.Index(fields=["kind", "issuer", "year"], name="document_kind_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "number", "year"], name="document_number_unique"
            ),
            models.UniqueConstraint(
                fields=["issued_by", "kind", "year", "seq"],
                condition=Q(issued_by__isnull=False),
                name="document_outgoing_number_unique",
            ),
            models.CheckConstraint(condition=Q(seq__gte=1), name="document_seq_positive"),
            models.CheckConstraint(
                condition=~Q(classification="secret") | Q(summary=""),
                name="document_secret_has_no_summary",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} — {self.title}"

    @property
    def is_secret(self) -> bool:
        return self.classification == Classification.SECRET


class Attachment(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(_("tên tệp"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    content = models.BinaryField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.filename


class DocumentLink(Recorded):
    """`source` replaces / amends / implements / guides `target`."""

    source = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="links_out")
    target = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="links_in")
    relation = models.CharField(_("quan hệ"), max_length=12, choices=Relation.choices)

    class Meta:
        verbose_name = _("liên kết văn bản")
        verbose_name_plural = _("liên kết văn bản")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target", "relation"], name="document_link_unique"
            ),
            models.CheckConstraint(
                condition=~Q(source=F("target")), name="document_link_not_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source.number} {self.get_relation_display().lower()} {self.target.number}"


class Distribution(models.Model):
    """A document sent to `organization`'s subtree on `sent_on`."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="distributions")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("gửi đến")
    )
    sent_on = models.DateField(_("ngày gửi"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("phát hành văn bản")
        verbose_name_plural = _("phát hành văn bản")
        constraints = [
            models.UniqueConstraint(
                fields=["document", "organization"], name="distribution_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document.number} → {self.organization.name}"


class Receipt(models.Model):
    """A recipient organization of a distribution; read when its secretary says so."""

    distribution = models.ForeignKey(
        Distribution, on_delete=models.CASCADE, related_name="receipts"
    )
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="receipts")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("nơi nhận")
        verbose_name_plural = _("nơi nhận")
        indexes = [models.Index(fields=["organization", "read_at"], name="receipt_org_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "organization"], name="receipt_one_per_recipient"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document.number} — {self.organization.name}"
