"""Action programmes (chương trình hành động), their key tasks, and the monthly briefing.

A `Programme` of an organization (often a registered document: 04-CTr/TU) has numbered
`TaskGroup`s ("8 nhóm nhiệm vụ trọng tâm") of `Task`s, each assigned to organizations with a
deadline and an expected output. Assignees file `ProgressReport`s (status, percent, text);
a task's state is its latest report's. A `Briefing` is the monthly report (giao ban) of an
organization: figures generated from the registered reports, text edited by the staff,
then issued and kept as issued. Only `services.py` writes.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tochuc.core.uploads import StoredFile
from tochuc.documents.models import Document
from tochuc.organizations.models import Organization


class Programme(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="programmes"
    )
    document = models.ForeignKey(
        Document,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programmes",
        verbose_name=_("văn bản"),
    )
    title = models.CharField(_("tên chương trình"), max_length=300)
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("chương trình hành động")
        verbose_name_plural = _("chương trình hành động")
        ordering = ["-starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="programme_period_order"
            )
        ]

    def __str__(self) -> str:
        return self.title


class TaskGroup(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="groups")
    number = models.PositiveSmallIntegerField(_("số thứ tự"))
    title = models.CharField(_("nhóm nhiệm vụ"), max_length=300)

    class Meta:
        ordering = ["programme", "number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="task_group_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Status(models.TextChoices):
    NOT_STARTED = "not_started", _("Chưa triển khai")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    DONE = "done", _("Hoàn thành")


class Task(models.Model):
    group = models.ForeignKey(TaskGroup, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("nhiệm vụ"), max_length=500)
    assignees = models.ManyToManyField(Organization, related_name="+", verbose_name=_("giao cho"))
    deadline = models.DateField(_("thời hạn"))
    expected_output = models.CharField(_("sản phẩm"), max_length=300, blank=True)
    # The latest progress report's, kept by the services for the lists.
    status = models.CharField(
        _("tình trạng"), max_length=12, choices=Status.choices, default=Status.NOT_STARTED
    )
    percent = models.PositiveSmallIntegerField(_("tỷ lệ hoàn thành"), default=0)
    completed_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    row_version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")
        ordering = ["deadline", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(percent__lte=100), name="task_percent_at_most_100"),
        ]

    def __str__(self) -> str:
        return self.title


class ProgressReport(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reports")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    reported_on = models.DateField(_("ngày báo cáo"))
    status = models.CharField(_("tình trạng"), max_length=12, choices=Status.choices)
    percent = models.PositiveSmallIntegerField(_("tỷ lệ hoàn thành"))
    text = models.TextField(_("kết quả"), blank=True)
    row_version = models.PositiveIntegerField(default=1, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["reported_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(percent__lte=100), name="progress_percent_le_100"),
        ]

    def __str__(self) -> str:
        return f"{self.task} — {self.percent}%"


class ProgressFile(StoredFile):
    """Evidence attached to a progress report (core/uploads.py)."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="files")

    class Meta(StoredFile.Meta):
        verbose_name = _("tệp của báo cáo tiến độ")
        verbose_name_plural = _("tệp của báo cáo tiến độ")


class Briefing(models.Model):
    """The monthly briefing of `organization` for `month` (its first day)."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("tháng"))
    figures = models.JSONField(default=list)
    text = models.TextField(_("nội dung"), blank=True)
    issued_at = models.DateTimeField(_("ban hành lúc"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    row_version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("báo cáo giao ban")
        verbose_name_plural = _("báo cáo giao ban")
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "month"], name="briefing_one_a_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="briefing_month_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.month:%m/%Y}"

    @property
    def is_issued(self) -> bool:
        return self.issued_at is not None
