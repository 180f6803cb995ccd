"""Cadre work (công tác cán bộ): the cadres a committee manages, the positions they hold,
their appointments, the planning lists per term and position, and the staffing quotas of
the agencies.

A `Cadre` is filed under the committee that manages them (diện quản lý: an organization of
the tree); every read goes through the caller's scope by that committee's path. An `Agency`
(cơ quan, đơn vị) belongs to an organization likewise; its quotas are per year. Only
`services.py` writes.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tochuc.core.models import VersionedRecord
from tochuc.lib.reference import ETHNICITIES, Gender, PoliticalTheory
from tochuc.members.models import Member
from tochuc.organizations.models import Organization

# Political theory levels in order, for "at least" criteria.
THEORY_RANK = {
    PoliticalTheory.NONE: 0,
    PoliticalTheory.ELEMENTARY: 1,
    PoliticalTheory.INTERMEDIATE: 2,
    PoliticalTheory.ADVANCED: 3,
    PoliticalTheory.BACHELOR: 3,
}


class Agency(models.Model):
    """An agency or unit (cơ quan, đơn vị) with staff and a staffing quota, belonging to an
    organization of the tree (a provincial agency to the province, a commune's to it)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="agencies",
        verbose_name=_("thuộc tổ chức"),
    )  # fmt: skip
    code = models.CharField(_("mã cơ quan, đơn vị"), max_length=40, unique=True)
    name = models.CharField(_("tên cơ quan, đơn vị"), max_length=255)
    name_sort = models.CharField(max_length=600, editable=False)
    # Bumped by every write on the agency, its quotas and reductions (staffing_corrections).
    row_version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("cơ quan, đơn vị")
        verbose_name_plural = _("cơ quan, đơn vị")
        ordering = ["name_sort", "id"]

    def __str__(self) -> str:
        return self.name


class Cadre(VersionedRecord):
    """A person managed by a committee (diện quản lý), usually a member (linked) but not
    always."""

    committee = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="managed_cadres",
        verbose_name=_("diện quản lý của"),
    )  # fmt: skip
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, null=True, blank=True, related_name="cadre_records",
        verbose_name=_("hồ sơ đảng viên"),
    )  # fmt: skip
    full_name = models.CharField(_("họ và tên"), max_length=120)
    name_sort = models.CharField(max_length=600, editable=False)
    name_folded = models.CharField(max_length=120, editable=False)
    gender = models.CharField(_("giới tính"), max_length=6, choices=Gender.choices)
    birth_date = models.DateField(_("ngày sinh"))
    ethnicity = models.CharField(_("dân tộc"), max_length=2, choices=ETHNICITIES, default="01")
    political_theory = models.CharField(
        _("lý luận chính trị"), max_length=10, choices=PoliticalTheory.choices, blank=True
    )
    qualification = models.CharField(_("trình độ chuyên môn"), max_length=120, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("cán bộ")
        verbose_name_plural = _("cán bộ")
        ordering = ["name_sort", "id"]
        indexes = [models.Index(fields=["committee", "name_sort"], name="cadre_committee_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "member"], condition=Q(member__isnull=False),
                name="cadre_one_record_per_member_and_committee",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.full_name


class Position(models.Model):
    """A position held (chức vụ) in an agency or in the Party, from–to, by decision."""

    class Kind(models.TextChoices):
        PARTY = "party", _("Đảng")
        STATE = "state", _("Chính quyền")
        FRONT = "front", _("Mặt trận, đoàn thể")

    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="positions")
    title = models.CharField(_("chức vụ"), max_length=160)
    kind = models.CharField(_("khối"), max_length=8, choices=Kind.choices, default=Kind.STATE)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="positions",
        verbose_name=_("cơ quan, đơn vị"),
    )  # fmt: skip
    unit = models.CharField(_("cơ quan, đơn vị (ngoài danh mục)"), max_length=255, blank=True)
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"), null=True, blank=True)
    # The end of the current appointment's term (None: a post not held by appointment).
    term_ends_on = models.DateField(_("hết thời hạn bổ nhiệm"), null=True, blank=True)
    decision_no = models.CharField(_("số quyết định"), max_length=60, blank=True)
    decided_on = models.DateField(_("ngày quyết định"), null=True, blank=True)

    class Meta:
        verbose_name = _("chức vụ đã, đang giữ")
        verbose_name_plural = _("chức vụ đã, đang giữ")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="cadre_position_period_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} — {self.place}"

    @property
    def place(self) -> str:
        return self.agency.name if self.agency_id else self.unit


class Appointment(models.Model):
    """An appointment (bổ nhiệm) or re-appointment (bổ nhiệm lại) to a position, for a term."""

    class Kind(models.TextChoices):
        FIRST = "first", _("Bổ nhiệm")
        AGAIN = "again", _("Bổ nhiệm lại")

    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="appointments")
    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="appointments")
    kind = models.CharField(_("loại"), max_length=6, choices=Kind.choices)
    decision_no = models.CharField(_("số quyết định"), max_length=60)
    decided_on = models.DateField(_("ngày quyết định"))
    starts_on = models.DateField(_("ngày có hiệu lực"))
    term_ends_on = models.DateField(_("hết thời hạn"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("quyết định bổ nhiệm")
        verbose_name_plural = _("quyết định bổ nhiệm")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["position", "decision_no"], name="cadre_appointment_unique_decision"
            ),
            models.CheckConstraint(
                condition=Q(term_ends_on__gt=models.F("starts_on")),
                name="cadre_appointment_term_not_empty",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.position.title} ({self.decision_no})"


class PlannedPosition(models.Model):
    """A position a committee plans cadres for (chức danh quy hoạch)."""

    committee = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="planned_positions",
        verbose_name=_("cấp ủy quy hoạch"),
    )  # fmt: skip
    title = models.CharField(_("chức danh"), max_length=160)
    min_theory = models.CharField(
        _("lý luận chính trị tối thiểu"), max_length=10, choices=PoliticalTheory.choices,
        blank=True,
    )  # fmt: skip
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=100)

    class Meta:
        verbose_name = _("chức danh quy hoạch")
        verbose_name_plural = _("chức danh quy hoạch")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "title"], name="cadre_planned_position_unique_title"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class PlanningEntry(models.Model):
    """A cadre planned for a position for a term (nhiệm kỳ `term_start`–`term_start + 5`),
    added on a date (by decision), removed on a date at an annual review."""

    position = models.ForeignKey(PlannedPosition, on_delete=models.PROTECT, related_name="entries")
    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="planning")
    term_start = models.PositiveSmallIntegerField(_("nhiệm kỳ (năm đầu)"))
    added_on = models.DateField(_("ngày đưa vào quy hoạch"))
    decision_no = models.CharField(_("số quyết định"), max_length=60, blank=True)
    removed_on = models.DateField(_("ngày đưa ra khỏi quy hoạch"), null=True, blank=True)
    removal_reason = models.CharField(_("lý do đưa ra"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("cán bộ trong quy hoạch")
        verbose_name_plural = _("cán bộ trong quy hoạch")
        ordering = ["term_start", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["position", "cadre", "term_start"], condition=Q(removed_on__isnull=True),
                name="cadre_planning_once_per_position_and_term",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.cadre} — {self.position} ({self.term_label})"

    @property
    def term_label(self) -> str:
        return f"{self.term_start}–{self.term_start + 5}"


class StaffingQuota(models.Model):
    """An agency's staffing for a year: the quota assigned (biên chế được giao), the staff
    actually there at the year's end (thực có), and the reduction planned (tinh giản)."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="quotas")
    year = models.PositiveSmallIntegerField(_("năm"))
    assigned = models.PositiveIntegerField(_("biên chế được giao"))
    actual = models.PositiveIntegerField(_("thực có"))
    planned_reduction = models.PositiveIntegerField(_("kế hoạch tinh giản"), default=0)
    decision_no = models.CharField(_("số quyết định giao biên chế"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("biên chế")
        verbose_name_plural = _("biên chế")
        ordering = ["year", "agency__name_sort"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="cadre_quota_once_a_year"),
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.year}"


class Reduction(models.Model):
    """People who left an agency's staff under the reduction policy (tinh giản biên chế)."""

    class Reason(models.TextChoices):
        EARLY_RETIREMENT = "early_retirement", _("Nghỉ hưu trước tuổi")
        RESIGNATION = "resignation", _("Thôi việc")
        RESTRUCTURING = "restructuring", _("Sắp xếp tổ chức bộ máy")
        OTHER = "other", _("Khác")

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="reductions")
    on = models.DateField(_("ngày"))
    count = models.PositiveIntegerField(_("số người"))
    reason = models.CharField(_("lý do"), max_length=20, choices=Reason.choices)
    decision_no = models.CharField(_("số quyết định"), max_length=60)

    class Meta:
        verbose_name = _("tinh giản biên chế")
        verbose_name_plural = _("tinh giản biên chế")
        ordering = ["-on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(count__gt=0), name="cadre_reduction_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.on:%d/%m/%Y}: {self.count}"


class Rotation(models.Model):
    """A rotation (luân chuyển) to another position and unit for a planned length, and the
    return."""

    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="rotations")
    from_position = models.CharField(_("từ chức vụ, đơn vị"), max_length=255)
    to_position = models.CharField(_("đến chức vụ"), max_length=160)
    to_unit = models.CharField(_("đến cơ quan, đơn vị"), max_length=255)
    starts_on = models.DateField(_("từ ngày"))
    planned_months = models.PositiveSmallIntegerField(_("thời gian dự kiến (tháng)"))
    due_back_on = models.DateField(_("dự kiến trở về"))
    returned_on = models.DateField(_("ngày trở về"), null=True, blank=True)
    decision_no = models.CharField(_("số quyết định"), max_length=60)

    class Meta:
        verbose_name = _("luân chuyển")
        verbose_name_plural = _("luân chuyển")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(returned_on__isnull=True) | Q(returned_on__gte=models.F("starts_on")),
                name="cadre_rotation_return_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.to_position} — {self.to_unit}"


class Training(models.Model):
    """Training and further training (đào tạo, bồi dưỡng): political theory, state
    management, professional degrees, courses; with dates and results."""

    class Kind(models.TextChoices):
        POLITICAL_THEORY = "political_theory", _("Lý luận chính trị")
        STATE_MANAGEMENT = "state_management", _("Quản lý nhà nước")
        PROFESSIONAL = "professional", _("Chuyên môn, nghiệp vụ")
        COURSE = "course", _("Bồi dưỡng ngắn hạn")

    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="trainings")
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    theory_level = models.CharField(
        _("trình độ lý luận chính trị"), max_length=10, choices=PoliticalTheory.choices,
        blank=True,
    )  # fmt: skip
    name = models.CharField(_("tên khóa học, văn bằng"), max_length=255)
    institution = models.CharField(_("cơ sở đào tạo"), max_length=255, blank=True)
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"), null=True, blank=True)
    completed = models.BooleanField(_("đã hoàn thành"), default=False)
    result = models.CharField(_("kết quả"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("đào tạo, bồi dưỡng")
        verbose_name_plural = _("đào tạo, bồi dưỡng")
        ordering = ["-starts_on", "-id"]

    def __str__(self) -> str:
        return self.name
