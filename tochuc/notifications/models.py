"""A notification: one line in one user's in-app inbox (and an e-mail where configured).

Any app tells users something through `services.notify`; only that service writes.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    MEETING_INVITATION = "meeting", _("Mời sinh hoạt")
    DOCUMENT = "document", _("Văn bản mới")
    REQUEST_RECEIVED = "request_in", _("Yêu cầu mới")
    REQUEST_ANSWERED = "request_out", _("Yêu cầu đã trả lời")
    DUE = "due", _("Việc đến hạn")
    ACCOUNT = "account", _("Tài khoản")


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("loại"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("tiêu đề"), max_length=255)
    body = models.TextField(_("nội dung"), blank=True)
    url = models.CharField(_("liên kết"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("lúc"), auto_now_add=True)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("đã gửi thư lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "read_at"], name="notification_user_unread_idx"),
        ]

    def __str__(self) -> str:
        return self.title
