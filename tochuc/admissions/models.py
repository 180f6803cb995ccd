"""Admissions: the candidate (quần chúng ưu tú) through the dated stages to the ceremony,
the introducers, the probation's confirmation case, and the annual admission targets.

A candidate carries the personal record a member does (the same field definitions,
`members.models.PERSONAL_FIELDS`); the ceremony hands it to `members.services.member_register`.
Each step is dated with its document and leaves a `CandidateStep`; only `services.py` writes.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tochuc.core.models import Recorded
from tochuc.members.models import PERSONAL_FIELDS, Member
from tochuc.organizations.models import Organization

# The member's record less what only a member has (the party card).
CANDIDATE_FIELDS = [name for name in PERSONAL_FIELDS if name != "party_card_no"]


class Stage(models.TextChoices):
    IDENTIFIED = "identified", _("Đã xác định đối tượng")
    TRAINED = "trained", _("Đã học lớp bồi dưỡng nhận thức về Đảng")
    APPLIED = "applied", _("Đã có đơn xin vào Đảng")
    INTRODUCED = "introduced", _("Đã có người giới thiệu")
    VERIFIED = "verified", _("Đã thẩm tra lý lịch")
    CELL_APPROVED = "cell_approved", _("Chi bộ đã biểu quyết đề nghị kết nạp")
    COMMITTEE_APPROVED = "committee_approved", _("Đảng ủy cơ sở đã đề nghị kết nạp")
    DECIDED = "decided", _("Đã có quyết định kết nạp")
    ADMITTED = "admitted", _("Đã tổ chức lễ kết nạp")
    WITHDRAWN = "withdrawn", _("Dừng xem xét")


IN_PROGRESS = [s for s in Stage.values if s not in (Stage.ADMITTED, Stage.WITHDRAWN)]
STAGE_ORDER = list(Stage.values)


class UnionKind(models.TextChoices):
    YOUTH = "youth", _("Ban Chấp hành Đoàn cơ sở")
    TRADE = "trade", _("Ban Chấp hành Công đoàn cơ sở")


# An abstract model holding clones of the member's personal fields (labels, choices, lengths).
PersonalRecord = type(
    "PersonalRecord",
    (models.Model,),
    {
        "__module__": __name__,
        "Meta": type("Meta", (), {"abstract": True}),
        **{name: Member._meta.get_field(name).clone() for name in CANDIDATE_FIELDS},
    },
)


class Candidate(PersonalRecord):
    cell = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="candidates", verbose_name=_("chi bộ")
    )
    stage = models.CharField(_("bước"), max_length=20, choices=Stage.choices)
    stage_on = models.DateField(_("ngày của bước hiện tại"))
    # 1. identified by the cell
    identified_on = models.DateField(_("ngày chi bộ xác định đối tượng"))
    # 2. orientation course
    course_certificate_no = models.CharField(_("số giấy chứng nhận"), max_length=60, blank=True)
    course_on = models.DateField(_("ngày cấp giấy chứng nhận"), null=True, blank=True)
    # 3. application
    applied_on = models.DateField(_("ngày làm đơn xin vào Đảng"), null=True, blank=True)
    # 5. background verification
    verified_on = models.DateField(_("ngày kết luận thẩm tra lý lịch"), null=True, blank=True)
    verification_note = models.TextField(_("kết luận thẩm tra"), blank=True)
    # 6. the cell's resolution and vote
    cell_resolution_no = models.CharField(_("số nghị quyết chi bộ"), max_length=60, blank=True)
    cell_resolved_on = models.DateField(_("ngày nghị quyết chi bộ"), null=True, blank=True)
    votes_for = models.PositiveIntegerField(_("số tán thành"), null=True, blank=True)
    votes_against = models.PositiveIntegerField(_("số không tán thành"), null=True, blank=True)
    cell_full_members = models.PositiveIntegerField(
        _("số đảng viên chính thức của chi bộ"), null=True, blank=True
    )
    age_consent = models.CharField(
        _("văn bản đồng ý của cấp ủy cấp trên (trên 60 tuổi)"), max_length=255, blank=True
    )
    # 7. the grassroots committee's resolution
    committee_resolution_no = models.CharField(
        _("số nghị quyết đảng ủy cơ sở"), max_length=60, blank=True
    )
    committee_resolved_on = models.DateField(
        _("ngày nghị quyết đảng ủy cơ sở"), null=True, blank=True
    )
    # 8. the decision
    decision_no = models.CharField(_("số quyết định kết nạp"), max_length=60, blank=True)
    decided_on = models.DateField(_("ngày quyết định kết nạp"), null=True, blank=True)
    decided_by = models.CharField(_("cấp ủy ra quyết định"), max_length=255, blank=True)
    decision_late_reason = models.TextField(_("lý do quyết định quá thời hạn"), blank=True)
    # 9. the ceremony
    ceremony_on = models.DateField(_("ngày lễ kết nạp"), null=True, blank=True)
    ceremony_late_reason = models.TextField(_("lý do lễ kết nạp quá thời hạn"), blank=True)
    member = models.OneToOneField(
        Member, on_delete=models.PROTECT, null=True, blank=True, related_name="candidacy"
    )
    withdrawn_reason = models.TextField(_("lý do dừng xem xét"), blank=True)

    # Filed under the cell's subtree, like members (written by the services).
    org_path = models.CharField(max_length=255, editable=False)
    province = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, related_name="+", editable=False
    )
    name_folded = models.CharField(max_length=120, editable=False)
    name_sort = models.CharField(max_length=600, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("quần chúng ưu tú")
        verbose_name_plural = _("quần chúng ưu tú")
        ordering = ["name_sort", "id"]
        indexes = [
            models.Index(
                fields=["org_path", "stage"],
                name="candidate_orgpath_idx",
                opclasses=["varchar_pattern_ops", "varchar_ops"],
            ),
            models.Index(fields=["stage", "stage_on"], name="candidate_stage_idx"),
            # A likely duplicate at entry (quality.duplicates): by citizen ID and phone (by
            # birth date within a province: the province's foreign-key index).
            models.Index(
                fields=["citizen_id"], name="candidate_citizen_idx", condition=~Q(citizen_id="")
            ),
            models.Index(fields=["phone"], name="candidate_phone_idx", condition=~Q(phone="")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(votes_for__isnull=True)
                | Q(cell_full_members__isnull=True)
                | Q(cell_full_members__gte=models.F("votes_for")),
                name="candidate_votes_within_members",
            ),
            models.CheckConstraint(
                condition=Q(ceremony_on__isnull=True) | Q(ceremony_on__gte=models.F("decided_on")),
                name="candidate_ceremony_after_decision",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def is_open(self) -> bool:
        return self.stage in IN_PROGRESS


class Introducer(models.Model):
    """A full member who worked with the candidate, or the grassroots union committee."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="introducers")
    member = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("đảng viên giới thiệu"),
    )
    union = models.CharField(
        _("đoàn thể giới thiệu"), max_length=10, choices=UnionKind.choices, blank=True
    )
    union_resolution_no = models.CharField(_("số nghị quyết giới thiệu"), max_length=60, blank=True)
    worked_with_from = models.DateField(_("cùng công tác từ ngày"), null=True, blank=True)
    introduced_on = models.DateField(_("ngày giới thiệu"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("người giới thiệu")
        verbose_name_plural = _("người giới thiệu")
        ordering = ["candidate", "introduced_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(member__isnull=False) & Q(union=""))
                | (Q(member__isnull=True) & ~Q(union="")),
                name="introducer_member_or_union",
            ),
            models.UniqueConstraint(
                fields=["candidate", "member"],
                condition=Q(member__isnull=False),
                name="introducer_once_per_candidate",
            ),
        ]

    def __str__(self) -> str:
        return self.member.full_name if self.member_id else self.get_union_display()


class CandidateStep(Recorded):
    """What was recorded at each step: the date, its document, who recorded it."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="steps")
    stage = models.CharField(_("bước"), max_length=20, choices=Stage.choices)
    on = models.DateField(_("ngày"))
    document_no = models.CharField(_("số văn bản"), max_length=60, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        ordering = ["candidate", "on", "id"]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} {self.on:%d/%m/%Y}"


class ConfirmationCase(models.Model):
    """The end of a probationary member's probation: the cell's votes, the escalation after
    too many votes short, and the committee's decision (confirmed or removed)."""

    class Outcome(models.TextChoices):
        PENDING = "", _("Chưa quyết định")
        CONFIRMED = "confirmed", _("Công nhận đảng viên chính thức")
        REMOVED = "removed", _("Xóa tên (không công nhận)")

    member = models.OneToOneField(Member, on_delete=models.CASCADE, related_name="confirmation")
    probation_ends_on = models.DateField(_("ngày hết thời gian dự bị"))
    proposed_on = models.DateField(_("ngày chi bộ đề nghị"), null=True, blank=True)
    escalated_on = models.DateField(_("ngày báo cáo cấp ủy cấp trên"), null=True, blank=True)
    outcome = models.CharField(_("kết quả"), max_length=10, choices=Outcome.choices, blank=True)
    decision_no = models.CharField(_("số quyết định"), max_length=60, blank=True)
    decided_on = models.DateField(_("ngày quyết định"), null=True, blank=True)

    class Meta:
        verbose_name = _("hồ sơ công nhận chính thức")
        verbose_name_plural = _("hồ sơ công nhận chính thức")

    def __str__(self) -> str:
        return str(self.member)


class ConfirmationVote(models.Model):
    case = models.ForeignKey(ConfirmationCase, on_delete=models.CASCADE, related_name="votes")
    on = models.DateField(_("ngày họp chi bộ"))
    resolution_no = models.CharField(_("số nghị quyết"), max_length=60, blank=True)
    votes_for = models.PositiveIntegerField(_("số tán thành"))
    votes_against = models.PositiveIntegerField(_("số không tán thành"))
    full_members = models.PositiveIntegerField(_("số đảng viên chính thức"))
    passed = models.BooleanField(_("đạt"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["case", "on", "id"]

    def __str__(self) -> str:
        return f"{self.votes_for}/{self.full_members} {self.on:%d/%m/%Y}"


class AdmissionTarget(models.Model):
    """The number of admissions an organization is to reach in a year, set by its parent."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="admission_targets"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    target = models.PositiveIntegerField(_("chỉ tiêu kết nạp"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    set_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("chỉ tiêu kết nạp")
        verbose_name_plural = _("chỉ tiêu kết nạp")
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="target_once_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.year}: {self.target}"
