from django.conf import settings
from django.db import models


class PolicyVersion(models.Model):
    """An administrator's dated change to the rules: the parameters it sets, from a date."""

    effective_from = models.DateField("áp dụng từ ngày")
    source = models.CharField("căn cứ", max_length=255)
    params = models.JSONField("tham số", default=dict)
    note = models.TextField("ghi chú", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "thay đổi quy định"
        verbose_name_plural = "thay đổi quy định"
        ordering = ["effective_from", "id"]

    def __str__(self) -> str:
        return f"{self.source} (từ {self.effective_from:%d/%m/%Y})"
