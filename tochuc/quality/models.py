"""Data quality: scans and what they found, suspected duplicates, screening proposals.

A `Scan` of an organization's subtree (a background job) stores the problems it found
(`Problem`, one row per member and kind, replacing the previous scan's of that subtree) and
a score per organization of the subtree (`OrgScore`, kept per scan: the trend). Suspected
duplicate pairs (`DuplicatePair`) outlive scans: a pair resolved "not the same person" is
never suggested again; a merged one keeps who merged what. A `ScreeningProposal` carries a
member's grounds for removal to the decision, which goes through the exit service.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from tochuc.members.models import Member
from tochuc.organizations.models import Organization


class Scan(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", "Chờ chạy"
        RUNNING = "running", "Đang quét"
        DONE = "done", "Đã xong"
        FAILED = "failed", "Lỗi"

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255)
    state = models.CharField("tình trạng", max_length=10, choices=State.choices)
    on = models.DateField("ngày quét")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    seconds = models.FloatField(null=True, blank=True)
    records = models.PositiveIntegerField(default=0)
    problems = models.PositiveIntegerField(default=0)
    pairs = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = "lần quét chất lượng dữ liệu"
        ordering = ["-id"]
        indexes = [models.Index(fields=["organization", "state", "id"], name="quality_scan_idx")]

    def __str__(self) -> str:
        return f"{self.organization} {self.on:%d/%m/%Y}"


class Problem(models.Model):
    """A problem of one record found by a scan; it disappears with the next scan once fixed
    (or at once when the fix goes through this app: a merge)."""

    scan = models.ForeignKey(Scan, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    # Who must fix it: the member's organization at the scan.
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    org_path = models.CharField(max_length=255)
    kind = models.CharField("loại", max_length=30)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = "vấn đề dữ liệu"
        indexes = [
            models.Index(fields=["scan", "org_path"], name="quality_problem_path_idx"),
            models.Index(fields=["member"], name="quality_problem_member_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.kind}"


class OrgScore(models.Model):
    """The score of one organization at one scan: its active records and how many have no
    problem, by kind of problem."""

    scan = models.ForeignKey(Scan, on_delete=models.CASCADE, related_name="scores")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    parent = models.ForeignKey(
        Organization, on_delete=models.CASCADE, null=True, related_name="+", db_index=False
    )
    records = models.PositiveIntegerField(default=0)
    clean = models.PositiveIntegerField(default=0)
    by_kind = models.JSONField(default=dict, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["scan", "parent"], name="quality_score_parent_idx"),
            models.Index(fields=["organization", "scan"], name="quality_score_org_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["scan", "organization"], name="quality_score_unique"),
            models.CheckConstraint(condition=Q(clean__lte=F("records")), name="quality_clean_le"),
        ]

    def __str__(self) -> str:
        return f"{self.organization_id}: {self.clean}/{self.records}"

    @property
    def share(self) -> float:
        return self.clean / self.records if self.records else 1.0


class DuplicatePair(models.Model):
    class State(models.TextChoices):
        OPEN = "open", "Nghi trùng"
        NOT_SAME = "not_same", "Không phải cùng một người"
        MERGED = "merged", "Đã gộp"
        WITHDRAWN = "withdrawn", "Đã dừng xem xét hồ sơ quần chúng"

    # Two members: first.pk < second.pk; after a merge `second` is gone (kept in its
    # history) and `merged_name` tells who it was. A member and a candidate (a person
    # entered as a candidate who is likely a member already): `first` is the member,
    # `candidate` the candidate (its pk in `second_pk`), `second` empty.
    first = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    second_pk = models.PositiveIntegerField()
    candidate = models.ForeignKey(
        "admissions.Candidate", on_delete=models.CASCADE, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    org_path = models.CharField(max_length=255)
    other_path = models.CharField(max_length=255)
    score = models.PositiveSmallIntegerField("độ giống")
    evidence = models.JSONField(default=list)
    state = models.CharField("tình trạng", max_length=10, choices=State.choices)
    found_at = models.DateTimeField(auto_now_add=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    resolved_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField("lý do", max_length=255, blank=True)
    merged_name = models.CharField(max_length=120, blank=True)

    class Meta:
        verbose_name = "cặp hồ sơ nghi trùng"
        ordering = ["-score", "id"]
        indexes = [
            models.Index(fields=["state", "org_path"], name="quality_pair_path_idx"),
            models.Index(fields=["state", "other_path"], name="quality_pair_other_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["first", "second_pk"],
                condition=Q(candidate__isnull=True),
                name="quality_pair_unique",
            ),  # fmt: skip
            models.UniqueConstraint(
                fields=["first", "candidate"],
                condition=Q(candidate__isnull=False),
                name="quality_candidate_pair_unique",
            ),  # fmt: skip
        ]

    def __str__(self) -> str:
        return f"{self.first_id} ~ {'QC ' if self.candidate_id else ''}{self.second_pk}"

    @property
    def with_candidate(self) -> bool:
        return self.candidate_id is not None


class ScreeningProposal(models.Model):
    """A cell's proposal to remove a member on the screening grounds, and its outcome."""

    class State(models.TextChoices):
        PROPOSED = "proposed", "Đã đề nghị"
        DECIDED = "decided", "Đã quyết định xóa tên"
        DISMISSED = "dismissed", "Không xóa tên"

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255)
    grounds = models.JSONField(default=list)
    state = models.CharField("tình trạng", max_length=10, choices=State.choices)
    proposed_on = models.DateField("ngày đề nghị")
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    decided_on = models.DateField("ngày quyết định", null=True, blank=True)
    decision_no = models.CharField("số quyết định", max_length=60, blank=True)
    note = models.CharField("ghi chú", max_length=255, blank=True)

    class Meta:
        verbose_name = "đề nghị xóa tên"
        ordering = ["-proposed_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"], condition=Q(state="proposed"), name="quality_one_open_proposal"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.get_state_display()}"


class Campaign(models.Model):
    """A named clean-up campaign of an organization's subtree (as the 2025 "đúng – đủ –
    sạch – sống" campaigns were run): dates and targets; its progress per organization per
    day is read from the scores of the scans made during it."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255)
    name = models.CharField("tên chiến dịch", max_length=200)
    starts_on = models.DateField("từ ngày")
    ends_on = models.DateField("đến ngày")
    target_citizen_id = models.PositiveSmallIntegerField(
        "chỉ tiêu hồ sơ có số CCCD (%)", default=100
    )
    target_pairs = models.PositiveIntegerField("chỉ tiêu số cặp nghi trùng còn lại", default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "chiến dịch làm sạch dữ liệu"
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="quality_campaign_dates"
            ),
            models.CheckConstraint(
                condition=Q(target_citizen_id__lte=100), name="quality_campaign_share"
            ),
        ]

    def __str__(self) -> str:
        return self.name
