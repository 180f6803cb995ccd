"""Quality rating (đánh giá, xếp loại chất lượng) and votes of confidence (lấy phiếu tín
nhiệm).

A `RatingSession` is opened for an organization's subtree for a year, a quarter or a term;
it lists one `RatingSubject` per member (not exempted on the session's date) and per
grassroots organization, sub-committee and cell in the subtree. Each subject goes through
self-assessment (score on the criteria sheet), the cell's proposal and the committee's
decision. A `ConfidenceVote` records one vote of confidence on a committee member or leader.
Only `services.py` writes.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tochuc.members.models import Member
from tochuc.organizations.models import Organization


class Level(models.TextChoices):
    EXCELLENT = "excellent", _("Hoàn thành xuất sắc nhiệm vụ")
    GOOD = "good", _("Hoàn thành tốt nhiệm vụ")
    DONE = "done", _("Hoàn thành nhiệm vụ")
    NOT_DONE = "not_done", _("Không hoàn thành nhiệm vụ")


LEVEL_ORDER = list(Level.values)
SHORT_LABELS = {
    Level.EXCELLENT: _("Xuất sắc"),
    Level.GOOD: _("Tốt"),
    Level.DONE: _("Hoàn thành"),
    Level.NOT_DONE: _("Không hoàn thành"),
}


class PeriodKind(models.TextChoices):
    YEAR = "year", _("Năm")
    QUARTER = "quarter", _("Quý")
    TERM = "term", _("Nhiệm kỳ")


class RatingSession(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="rating_sessions",
        verbose_name=_("tổ chức"),
    )  # fmt: skip
    kind = models.CharField(_("kỳ"), max_length=10, choices=PeriodKind.choices)
    year = models.PositiveSmallIntegerField(_("năm"))
    quarter = models.PositiveSmallIntegerField(_("quý"), null=True, blank=True)
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"))
    # The date the list is drawn on: members active and not exempted that day are rated.
    listed_on = models.DateField(_("ngày lập danh sách"))
    title = models.CharField(_("tên kỳ đánh giá"), max_length=255)
    policy_source = models.CharField(_("căn cứ"), max_length=255)
    note = models.TextField(_("ghi chú"), blank=True)
    org_path = models.CharField(max_length=255, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("kỳ đánh giá, xếp loại")
        verbose_name_plural = _("kỳ đánh giá, xếp loại")
        ordering = ["-ends_on", "-id"]
        indexes = [
            models.Index(
                fields=["org_path", "ends_on"],
                name="rating_session_path_idx",
                opclasses=["varchar_pattern_ops", "date_ops"],
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="rating_session_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} — {self.organization}"


class Step(models.TextChoices):
    PENDING = "pending", _("Chưa tự đánh giá")
    SELF_ASSESSED = "self_assessed", _("Đã tự đánh giá")
    PROPOSED = "proposed", _("Chi bộ đã đề xuất")
    DECIDED = "decided", _("Cấp ủy đã quyết định")


class SubjectKind(models.TextChoices):
    MEMBER = "member", _("Đảng viên")
    ORGANIZATION = "organization", _("Tổ chức đảng")


class RatingSubject(models.Model):
    """One member or organization rated in a session."""

    session = models.ForeignKey(RatingSession, on_delete=models.CASCADE, related_name="subjects")
    kind = models.CharField(max_length=12, choices=SubjectKind.choices)
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, null=True, blank=True, related_name="ratings"
    )
    rated_organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="ratings"
    )
    # Where the subject stands (the member's cell; the organization itself): the access gate.
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    # The cap on "xuất sắc" is counted within this group: the grassroots organization of a
    # member or a cell; for a grassroots organization itself, the committee above it.
    cap_group = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=255)
    name_sort = models.CharField(max_length=600, editable=False)
    org_path = models.CharField(max_length=255, editable=False)
    step = models.CharField(_("bước"), max_length=16, choices=Step.choices, default=Step.PENDING)
    # 1. self-assessment on the criteria sheet
    criteria_scores = models.JSONField(_("điểm từng tiêu chí"), default=list, blank=True)
    self_score = models.DecimalField(
        _("điểm tự chấm"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    self_level = models.CharField(
        _("tự xếp loại"), max_length=10, choices=Level.choices, blank=True
    )
    self_comment = models.TextField(_("tự nhận xét"), blank=True)
    self_on = models.DateField(_("ngày tự đánh giá"), null=True, blank=True)
    # 2. the cell's proposal
    proposed_level = models.CharField(
        _("mức đề xuất"), max_length=10, choices=Level.choices, blank=True
    )
    proposal_note = models.TextField(_("ý kiến của chi bộ"), blank=True)
    proposed_on = models.DateField(_("ngày đề xuất"), null=True, blank=True)
    # 3. the committee's decision
    final_level = models.CharField(
        _("mức xếp loại"), max_length=10, choices=Level.choices, blank=True
    )
    decision_no = models.CharField(_("số quyết định"), max_length=60, blank=True)
    decided_on = models.DateField(_("ngày quyết định"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("đối tượng đánh giá")
        verbose_name_plural = _("đối tượng đánh giá")
        ordering = ["kind", "name_sort", "id"]
        indexes = [
            models.Index(fields=["session", "cap_group", "final_level"], name="rating_cap_idx"),
            models.Index(fields=["member", "final_level"], name="rating_member_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="member") & Q(member__isnull=False, rated_organization=None))
                | (Q(kind="organization") & Q(member=None, rated_organization__isnull=False)),
                name="rating_subject_one_kind",
            ),
            models.UniqueConstraint(
                fields=["session", "member"], condition=Q(member__isnull=False),
                name="rating_subject_member_once",
            ),
            models.UniqueConstraint(
                fields=["session", "rated_organization"],
                condition=Q(rated_organization__isnull=False),
                name="rating_subject_org_once",
            ),
            models.CheckConstraint(
                condition=Q(self_score__isnull=True)
                | Q(self_score__gte=0, self_score__lte=100),
                name="rating_subject_score_range",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.name


class ConfidenceVote(models.Model):
    """A vote of confidence on a committee member or leader (Quy định 96-QĐ/TW)."""

    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="confidence_votes",
        verbose_name=_("người được lấy phiếu"),
    )  # fmt: skip
    position = models.CharField(_("chức vụ"), max_length=255)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="confidence_votes",
        verbose_name=_("tổ chức lấy phiếu"),
    )  # fmt: skip
    held_on = models.DateField(_("ngày lấy phiếu"))
    ballots_issued = models.PositiveIntegerField(_("số phiếu phát ra"))
    ballots_valid = models.PositiveIntegerField(_("số phiếu hợp lệ"))
    high = models.PositiveIntegerField(_("tín nhiệm cao"))
    medium = models.PositiveIntegerField(_("tín nhiệm"))
    low = models.PositiveIntegerField(_("tín nhiệm thấp"))
    note = models.TextField(_("ghi chú"), blank=True)
    org_path = models.CharField(max_length=255, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("phiếu tín nhiệm")
        verbose_name_plural = _("phiếu tín nhiệm")
        ordering = ["-held_on", "-id"]
        indexes = [
            models.Index(
                fields=["org_path", "held_on"],
                name="confidence_path_idx",
                opclasses=["varchar_pattern_ops", "date_ops"],
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ballots_valid__lte=models.F("ballots_issued")),
                name="confidence_valid_le_issued",
            ),
            models.CheckConstraint(
                condition=Q(
                    ballots_valid__gte=models.F("high") + models.F("medium") + models.F("low")
                ),
                name="confidence_counts_le_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} — {self.position} ({self.held_on:%d/%m/%Y})"

    def share(self, count: int) -> Decimal | None:
        """count / valid ballots × 100, half up to 2 decimals."""
        if not self.ballots_valid:
            return None
        return (Decimal(count) * 100 / Decimal(self.ballots_valid)).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )

    @property
    def high_share(self) -> Decimal | None:
        return self.share(self.high)

    @property
    def medium_share(self) -> Decimal | None:
        return self.share(self.medium)

    @property
    def low_share(self) -> Decimal | None:
        return self.share(self.low)
