"""Member self-service: a member's account, the requests they file, what they have read.

A `MemberAccount` links one sign-in account to exactly one member record; the member signs
in with their CCCD or party-card number (`backends.py`). A `SelfRequest` is what a member
asks of their cell or commune (a correction of their personal data, a transfer letter, the
yearly self-assessment sheet), with the day it is due (dated policy) and its outcome.
A `DocumentRead` is a member's read receipt of a document sent to their cell. Only
`services.py` writes.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tochuc.documents.models import Document
from tochuc.members.models import Member
from tochuc.organizations.models import Organization


class MemberAccount(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="member_account"
    )
    member = models.OneToOneField(Member, on_delete=models.PROTECT, related_name="account")
    # The one-time activation code, hashed (shown once, printed); cleared when used.
    code_hash = models.CharField(max_length=128, blank=True)
    code_expires_at = models.DateTimeField(_("mã hết hạn lúc"), null=True, blank=True)
    activated_at = models.DateTimeField(_("kích hoạt lúc"), null=True, blank=True)
    deactivated_at = models.DateTimeField(_("khóa lúc"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tài khoản đảng viên")
        verbose_name_plural = _("tài khoản đảng viên")

    def __str__(self) -> str:
        return str(self.member)

    @property
    def is_usable(self) -> bool:
        return self.activated_at is not None and self.deactivated_at is None


class RequestKind(models.TextChoices):
    CORRECTION = "correction", _("Sửa thông tin cá nhân")
    TRANSFER_LETTER = "transfer_letter", _("Giấy giới thiệu chuyển sinh hoạt đảng")
    SELF_ASSESSMENT = "self_assessment", _("Bản tự đánh giá, xếp loại hằng năm")


class RequestState(models.TextChoices):
    PENDING = "pending", _("Đang chờ trả lời")
    ACCEPTED = "accepted", _("Đã chấp nhận")
    REFUSED = "refused", _("Đã từ chối")
    WITHDRAWN = "withdrawn", _("Đảng viên đã rút")


class SelfRequest(models.Model):
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="self_requests")
    # The cell the member was in when asking: the queue of its secretary and of the officers
    # above it.
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("chi bộ")
    )
    kind = models.CharField(_("loại yêu cầu"), max_length=16, choices=RequestKind.choices)
    # A correction: the field, the value held when asked, the value asked for.
    field = models.CharField(_("trường"), max_length=40, blank=True)
    held_value = models.CharField(_("giá trị đang lưu"), max_length=255, blank=True)
    asked_value = models.CharField(_("giá trị đề nghị"), max_length=255, blank=True)
    # A transfer letter: destination and reason; a self-assessment: scores and comment.
    detail = models.JSONField(default=dict, blank=True)
    note = models.TextField(_("lý do, ghi chú của đảng viên"), blank=True)
    received_on = models.DateField(_("ngày nhận"))
    due_on = models.DateField(_("hạn trả lời"))
    state = models.CharField(
        _("trạng thái"), max_length=10, choices=RequestState.choices,
        default=RequestState.PENDING,
    )  # fmt: skip
    outcome = models.TextField(_("kết quả, lý do"), blank=True)
    outcome_url = models.CharField(_("liên kết kết quả"), max_length=255, blank=True)
    answered_at = models.DateTimeField(_("trả lời lúc"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    # An officer's wrong answer taken back: why, and when (the request is pending again).
    reopen_reason = models.TextField(_("lý do mở lại"), blank=True)
    reopened_at = models.DateTimeField(_("mở lại lúc"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("yêu cầu của đảng viên")
        verbose_name_plural = _("yêu cầu của đảng viên")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["state", "due_on"], name="selfrequest_state_due_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="correction") | ~Q(field=""),
                name="selfrequest_correction_names_field",
            ),
            models.CheckConstraint(
                condition=Q(state="pending") | Q(answered_at__isnull=False),
                name="selfrequest_answered_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.member}"

    @property
    def is_open(self) -> bool:
        return self.state == RequestState.PENDING


class DocumentRead(models.Model):
    """A member opened a document sent to their cell (the first time)."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="document_reads")
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="member_reads")
    read_at = models.DateTimeField(_("đã đọc lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("đảng viên đã đọc văn bản")
        verbose_name_plural = _("đảng viên đã đọc văn bản")
        constraints = [
            models.UniqueConstraint(fields=["member", "document"], name="document_read_once"),
        ]

    def __str__(self) -> str:
        return f"{self.member} — {self.document}"
