"""An import job: the uploaded file, the check (a dry run) or the write, run by a worker."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportJob(models.Model):
    """One uploaded file and its latest run (check, then write once confirmed).

    The file lives in the row (`content`), so that a worker on any machine can read it; it
    is dropped once written or refused. Only `tochuc.imports.jobs` writes these rows.
    """

    class Mode(models.TextChoices):
        CHECK = "check", _("Kiểm tra")
        WRITE = "write", _("Ghi")

    class Phase(models.TextChoices):
        QUEUED = "queued", _("Đang chờ")
        READING = "reading", _("Đang đọc tệp")
        CHECKING = "checking", _("Đang kiểm tra")
        WRITING = "writing", _("Đang ghi")
        DONE = "done", _("Xong")
        FAILED = "failed", _("Lỗi")

    token = models.CharField(max_length=64, unique=True)
    importer = models.CharField(max_length=40)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_jobs"
    )
    filename = models.CharField(max_length=200)
    content = models.BinaryField(null=True, editable=False)
    # The plan of a good check, signed, with the audit log's last write when it was made:
    # the write reuses it when no data changed since (`jobs.kept_plan`).
    plan = models.BinaryField(null=True, editable=False)
    uploaded_at = models.DateTimeField(default=timezone.now)
    mode = models.CharField(max_length=8, choices=Mode.choices, default=Mode.CHECK)
    phase = models.CharField(max_length=10, choices=Phase.choices, default=Phase.QUEUED)
    run = models.PositiveIntegerField(default=0)  # each start counts one; a task runs one run
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    outcome = models.JSONField(null=True, blank=True)
    crash = models.TextField(blank=True)
    language = models.CharField(max_length=10, default="vi")
    stop_requested = models.BooleanField(default=False)
    worker = models.CharField(max_length=200, blank=True)  # host and process of the run
    task_id = models.CharField(max_length=64, blank=True)
    client_ip = models.GenericIPAddressField(null=True, blank=True)  # for the audit log

    class Meta:
        ordering = ["-uploaded_at"]
        indexes = [models.Index(fields=["user", "-uploaded_at"], name="importjob_user_recent")]

    def __str__(self) -> str:
        return f"{self.importer}: {self.filename}"
