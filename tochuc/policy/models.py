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


class WorkingDayOverride(models.Model):
    """An administrator's dated exception to the public-holiday calendar: a compensatory day
    off on a weekday, or a Saturday made a working day (ngày làm bù)."""

    day = models.DateField("ngày", unique=True)
    is_working_day = models.BooleanField(
        "là ngày làm việc",
        help_text="Đánh dấu nếu là ngày làm bù; bỏ trống nếu là ngày nghỉ bù.",
    )
    reason = models.CharField("căn cứ", max_length=255)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "ngày nghỉ bù / làm bù"
        verbose_name_plural = "ngày nghỉ bù / làm bù"
        ordering = ["-day"]

    def __str__(self) -> str:
        kind = "làm bù" if self.is_working_day else "nghỉ bù"
        return f"{self.day:%d/%m/%Y} ({kind})"
