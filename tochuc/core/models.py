from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Recorded(models.Model):
    """Who recorded a row and when (the audit entry says the rest)."""

    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class VersionedRecord(Recorded):
    """A recorded row that is corrected under a version check: each write adds one to
    `row_version` (core.corrections.lock / touch), so a form read before another user's
    change is refused."""

    row_version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


class AuditEntry(models.Model):
    """Who did what, when, from where, and why. Written only through `audit.record`."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    username = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=80, db_index=True)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    object_repr = models.CharField(max_length=255, blank=True)
    reason = models.CharField(_("căn cứ"), max_length=255, blank=True)
    data = models.JSONField(default=dict, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    # The province whose data alone the entry's change touched (the id of its root
    # organization); empty: any province, or none (`audit.record`). Keys the home page's
    # panels of a province (`audit.last_write_id`).
    province_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("nhật ký")
        verbose_name_plural = _("nhật ký")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
            models.Index(fields=["province_id", "id"], name="audit_province_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.username} {self.action}"


class Correction(models.Model):
    """One correction or cancellation of a recorded act: the wrong version and the right
    one, who, when, why, and the correcting decision. Written only through
    `corrections.record`; never changed afterwards (history keeps both versions)."""

    class Action(models.TextChoices):
        CORRECTED = "corrected", _("Sửa")
        CANCELLED = "cancelled", _("Hủy")

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    username = models.CharField(max_length=150, blank=True)
    action = models.CharField(_("thao tác"), max_length=10, choices=Action.choices)
    entity = models.CharField(max_length=40)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=40)
    object_repr = models.CharField(max_length=255, blank=True)
    reason = models.TextField(_("lý do"))
    decision_no = models.CharField(_("số quyết định sửa, hủy"), max_length=60, blank=True)
    decision_date = models.DateField(_("ngày quyết định sửa, hủy"), null=True, blank=True)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    # [[field, label], …] in the order the act lists them (a JSON object's keys are not
    # kept in order on PostgreSQL).
    labels = models.JSONField(default=list, blank=True)
    effects = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("lần sửa, hủy")
        verbose_name_plural = _("các lần sửa, hủy")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="correction_object_idx")]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.username} {self.entity}.{self.action}"

    def rows(self) -> list[tuple[str, str, str]]:
        """(label, before, after) of what changed (a cancellation: every field, after "—")."""
        labels = dict(self.labels)
        names = list(dict.fromkeys([*labels, *sorted({*self.before, *self.after})]))
        out = []
        for name in names:
            old, new = self.before.get(name), self.after.get(name)
            if self.action == self.Action.CORRECTED and old == new:
                continue
            out.append((labels.get(name, name), _shown(old), _shown(new)))
        return out


def _shown(value) -> str:
    """A recorded value as a user reads it (ISO dates as dd/mm/yyyy)."""
    from datetime import date

    if value in (None, ""):
        return "—"
    if isinstance(value, bool):
        return str(_("Có") if value else _("Không"))
    if isinstance(value, str) and len(value) == 10 and value[4:5] == "-" and value[7:8] == "-":
        try:
            return date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:
            return value
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


class SubmittedForm(models.Model):
    """A form's one-time token, claimed by the first POST that carries it
    (tochuc.core.once): a repeat of that POST creates nothing."""

    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True)
    path = models.CharField(max_length=255)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    # Where the first POST sent the user (the created object's page), once it has answered.
    location = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("biểu mẫu đã gửi")
        verbose_name_plural = _("biểu mẫu đã gửi")

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.path}"
