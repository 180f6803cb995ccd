"""Personal API tokens: a user's key for other systems, with exactly the user's scope.

The secret is shown once when the token is made; only its SHA-256 digest is stored, with
its first characters (the prefix) so that the owner can tell their tokens apart.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("người dùng"),
    )
    name = models.CharField(_("tên gợi nhớ"), max_length=80)
    prefix = models.CharField(_("đầu mã"), max_length=12)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    expires_on = models.DateField(_("hết hạn ngày"))
    revoked_at = models.DateTimeField(_("ngày thu hồi"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("lần dùng cuối"), null=True, blank=True)

    class Meta:
        verbose_name = _("mã truy cập API")
        verbose_name_plural = _("mã truy cập API")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"
