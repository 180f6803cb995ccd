"""Cell meetings (sinh hoạt chi bộ) and who attended them.

A `Meeting` is one meeting of a cell (chi bộ, or a grassroots cell): regular (monthly),
thematic (chuyên đề) or extraordinary, with its place, topic, agenda, chair, secretary,
minutes, resolution and the cell's own assessment of its quality. Its attendance figures
(expected, present, excused, absent) are kept on the row, for the reports; a meeting
recorded through the page also keeps one `Attendance` row per member expected, the roll
being derived from the timeline on the meeting's date (`members.selectors.roll_on`), never
typed. A meeting imported from a history file may carry the figures alone. Only
`services.py` writes.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from tochuc.core.models import VersionedRecord
from tochuc.core.uploads import StoredFile
from tochuc.members.models import Member
from tochuc.organizations.models import Organization

CELL_KINDS = ("cell", "base_cell")


class Kind(models.TextChoices):
    REGULAR = "regular", _("Sinh hoạt thường kỳ")
    THEMATIC = "thematic", _("Sinh hoạt chuyên đề")
    EXTRAORDINARY = "extraordinary", _("Sinh hoạt bất thường")


class Body(models.TextChoices):
    """Who meets: the cell (all its members), or its committee (chi ủy, đảng ủy: the holders
    of committee posts), or the standing committee (Ban Thường vụ)."""

    CELL = "cell", _("Chi bộ")
    COMMITTEE = "committee", _("Hội nghị cấp ủy")
    STANDING = "standing", _("Hội nghị Ban Thường vụ")


class Quality(models.TextChoices):
    """The cell's own assessment of the meeting (Hướng dẫn 12-HD/BTCTW, 2018)."""

    GOOD = "good", _("Tốt")
    FAIR = "fair", _("Khá")
    AVERAGE = "average", _("Trung bình")
    POOR = "poor", _("Kém")


class Presence(models.TextChoices):
    PRESENT = "present", _("Có mặt")
    EXCUSED = "excused", _("Vắng có lý do")
    ABSENT = "absent", _("Vắng không có lý do")


class Meeting(VersionedRecord):
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="meetings", db_index=False,
        verbose_name=_("chi bộ"),
    )  # fmt: skip
    held_on = models.DateField(_("ngày sinh hoạt"))
    body = models.CharField(
        _("hội nghị của"), max_length=10, choices=Body.choices, default=Body.CELL
    )
    kind = models.CharField(_("loại buổi sinh hoạt"), max_length=14, choices=Kind.choices)
    place = models.CharField(_("địa điểm"), max_length=255, blank=True)
    topic = models.CharField(_("chủ đề"), max_length=255, blank=True)
    agenda = models.TextField(_("nội dung, chương trình"), blank=True)
    chair = models.ForeignKey(
        Member, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("chủ trì"),
    )  # fmt: skip
    secretary = models.ForeignKey(
        Member, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("thư ký"),
    )  # fmt: skip
    minutes = models.TextField(_("biên bản"), blank=True)
    resolution = models.TextField(_("nghị quyết, kết luận"), blank=True)
    quality = models.CharField(
        _("chi bộ tự đánh giá chất lượng"), max_length=8, choices=Quality.choices, blank=True
    )
    expected = models.PositiveIntegerField(_("số đảng viên phải dự"), default=0)
    present = models.PositiveIntegerField(_("có mặt"), default=0)
    excused = models.PositiveIntegerField(_("vắng có lý do"), default=0)
    absent = models.PositiveIntegerField(_("vắng không có lý do"), default=0)
    # Whether each member's attendance is kept (`Attendance` rows), or only the figures.
    detailed = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("buổi sinh hoạt chi bộ")
        verbose_name_plural = _("buổi sinh hoạt chi bộ")
        ordering = ["-held_on", "-id"]
        indexes = [
            models.Index(fields=["organization", "held_on"], name="meeting_org_held_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "body", "held_on", "kind"],
                name="meeting_one_kind_a_day_per_body",
            ),
            models.CheckConstraint(
                condition=Q(expected=F("present") + F("excused") + F("absent")),
                name="meeting_attendance_adds_up",
            ),
        ]

    def __str__(self) -> str:
        if self.body != Body.CELL:
            kind = self.get_kind_display().lower()
            return f"{self.get_body_display()} ({kind}) {self.held_on:%d/%m/%Y}"
        return f"{self.get_kind_display()} {self.held_on:%d/%m/%Y}"

    @property
    def is_committee(self) -> bool:
        return self.body != Body.CELL

    @property
    def attendance_rate(self):
        from fractions import Fraction

        return Fraction(self.present, self.expected) if self.expected else None


class Attendance(models.Model):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendance", db_index=False
    )
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="meeting_attendance", db_index=False,
        verbose_name=_("đảng viên"),
    )  # fmt: skip
    presence = models.CharField(_("điểm danh"), max_length=8, choices=Presence.choices)
    reason = models.CharField(_("lý do vắng"), max_length=255, blank=True)
    # In temporary activity in the cell that day (their official activity is elsewhere).
    temporary = models.BooleanField(_("sinh hoạt tạm thời"), default=False)

    class Meta:
        verbose_name = _("điểm danh")
        verbose_name_plural = _("điểm danh")
        indexes = [models.Index(fields=["member", "presence"], name="attendance_member_idx")]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="attendance_one_per_member"),
            models.CheckConstraint(
                condition=~Q(presence="excused") | ~Q(reason=""),
                name="attendance_excused_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} — {self.get_presence_display()}"


class PlannedMeeting(models.Model):
    """A meeting the cell has called for a coming day (lịch sinh hoạt): the calendar its
    members see and the invitation they receive. Recording the meeting held is `Meeting`."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="planned_meetings",
        verbose_name=_("chi bộ"),
    )  # fmt: skip
    on = models.DateField(_("ngày sinh hoạt"))
    kind = models.CharField(_("loại buổi sinh hoạt"), max_length=14, choices=Kind.choices)
    place = models.CharField(_("địa điểm"), max_length=255, blank=True)
    topic = models.CharField(_("chủ đề"), max_length=255, blank=True)
    cancelled_reason = models.CharField(_("lý do hủy"), max_length=255, blank=True)
    cancelled_at = models.DateTimeField(_("hủy lúc"), null=True, blank=True)
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    planned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lịch sinh hoạt chi bộ")
        verbose_name_plural = _("lịch sinh hoạt chi bộ")
        ordering = ["on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "on", "kind"],
                condition=Q(cancelled_at__isnull=True),
                name="planned_meeting_one_kind_a_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on:%d/%m/%Y}"


class MeetingFile(StoredFile):
    """A file of a meeting: the signed minutes, the documents discussed (core/uploads.py)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="files")

    class Meta(StoredFile.Meta):
        verbose_name = _("tệp của buổi sinh hoạt")
        verbose_name_plural = _("tệp của buổi sinh hoạt")
