"""Party members: the record (form 2-HSĐV), the dated timeline, and affiliations.

A member's current state (status, organization, exemption, party-age anchor) is derived
from the timeline by `services.member_recompute` and stored for speed; only the services
write it. `Affiliation` rows are the effective-dated activity in organizations: at most
one official affiliation at any moment (a database exclusion constraint on PostgreSQL,
the service on SQLite); temporary activity elsewhere does not count in the host's total.
"""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from tochuc.lib.reference import (
    ETHNICITIES,
    RELIGIONS,
    AcademicTitle,
    Gender,
    PoliticalTheory,
    Qualification,
    StateManagement,
)
from tochuc.organizations.models import Organization

# Fields of the record that a user edits (the rest is derived or recorded by procedures).
PERSONAL_FIELDS = [
    "full_name", "other_names", "gender", "birth_date", "birthplace", "hometown",
    "residence", "ethnicity", "religion", "citizen_id", "phone", "email",
    "general_education", "qualification", "academic_title", "political_theory",
    "state_management", "occupation", "workplace", "party_card_no",
]  # fmt: skip


class Status(models.TextChoices):
    PROBATIONARY = "probationary", "Dự bị"
    FULL = "full", "Chính thức"
    TRANSFERRED_AWAY = "away", "Đã chuyển sinh hoạt ra ngoài hệ thống"
    LEFT = "left", "Đã ra khỏi Đảng"
    DECEASED = "deceased", "Đã từ trần"


ACTIVE_STATUSES = (Status.PROBATIONARY, Status.FULL)


class MoveState(models.TextChoices):
    """Where a move of party activity stands (the timeline engine replays it);
    `transfers.Transfer.State`, so that members needs nothing of the transfers app."""

    ISSUED = "issued", "Đang chuyển"
    RECEIVED = "received", "Đã tiếp nhận"
    LEFT_SYSTEM = "out", "Đã chuyển ra ngoài hệ thống"
    RETURNED = "returned", "Đã trở về"
    CLOSED = "closed", "Đã đóng (đảng viên ra khỏi Đảng)"
    CANCELLED = "cancelled", "Đã hủy (ghi nhầm)"


class TemporaryPurpose(models.TextChoices):
    """Why a member is in temporary activity elsewhere (the timeline's period rules depend
    on it: study may last longer); `transfers.Transfer.Purpose`."""

    WORK = "work", "Đi công tác, làm việc"
    RESIDENCE = "residence", "Cư trú"
    STUDY = "study", "Đi học"


class Member(models.Model):
    full_name = models.CharField("họ và tên", max_length=120)
    other_names = models.CharField("tên gọi khác", max_length=120, blank=True)
    gender = models.CharField("giới tính", max_length=6, choices=Gender.choices)
    birth_date = models.DateField("ngày sinh")
    birthplace = models.CharField("nơi sinh", max_length=255, blank=True)
    hometown = models.CharField("quê quán", max_length=255, blank=True)
    residence = models.CharField("nơi ở hiện nay", max_length=255, blank=True)
    ethnicity = models.CharField("dân tộc", max_length=2, choices=ETHNICITIES, default="01")
    religion = models.CharField("tôn giáo", max_length=20, choices=RELIGIONS, blank=True)
    citizen_id = models.CharField("số CCCD", max_length=12, blank=True)
    phone = models.CharField("điện thoại", max_length=20, blank=True)
    email = models.EmailField("thư điện tử", blank=True)
    general_education = models.CharField("giáo dục phổ thông", max_length=5, blank=True)
    qualification = models.CharField(
        "chuyên môn, nghiệp vụ", max_length=10, choices=Qualification.choices, blank=True
    )
    academic_title = models.CharField(
        "học hàm", max_length=3, choices=AcademicTitle.choices, blank=True
    )
    political_theory = models.CharField(
        "lý luận chính trị", max_length=10, choices=PoliticalTheory.choices, blank=True
    )
    state_management = models.CharField(
        "quản lý nhà nước", max_length=20, choices=StateManagement.choices, blank=True
    )
    occupation = models.CharField("nghề nghiệp", max_length=120, blank=True)
    workplace = models.CharField("nơi làm việc", max_length=255, blank=True)
    party_card_no = models.CharField("số thẻ đảng viên", max_length=20, blank=True)
    admission_decision_no = models.CharField("số quyết định kết nạp", max_length=60, blank=True)
    admitted_on = models.DateField("ngày quyết định kết nạp")
    ceremony_on = models.DateField("ngày vào Đảng (lễ kết nạp)", null=True, blank=True)
    confirmed_on = models.DateField("ngày chính thức", null=True, blank=True)
    photo = models.ImageField("ảnh", upload_to="members/photos/", blank=True)

    # Derived from the timeline; written only by services.member_recompute.
    status = models.CharField(max_length=12, choices=Status.choices, editable=False)
    is_exempted = models.BooleanField(default=False, editable=False)
    # No index of their own: member_org_status_idx and member_province_sort_idx lead with them.
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="members", editable=False,
        db_index=False,
    )  # fmt: skip
    province = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, related_name="+", editable=False,
        db_index=False,
    )  # fmt: skip
    org_path = models.CharField(max_length=255, editable=False)
    party_age_anchor = models.DateField(null=True, editable=False)
    name_folded = models.CharField(max_length=120, editable=False)
    name_sort = models.CharField(max_length=600, editable=False)
    # Optimistic concurrency: an edit names the version it was made from.
    row_version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(
        excluded_fields=["name_folded", "name_sort", "org_path", "created_at", "photo"],
        history_change_reason_field=models.CharField(max_length=255, null=True),
    )

    class Meta:
        verbose_name = "đảng viên"
        verbose_name_plural = "đảng viên"
        ordering = ["name_sort", "id"]
        indexes = [
            models.Index(fields=["name_sort", "id"], name="member_sort_idx"),
            models.Index(fields=["province", "name_sort", "id"], name="member_province_sort_idx"),
            models.Index(
                fields=["org_path", "name_sort"],
                name="member_orgpath_idx",
                opclasses=["varchar_pattern_ops", "varchar_ops"],
            ),
            models.Index(fields=["organization", "status"], name="member_org_status_idx"),
            # Covers the scope's count (active members under a path), a name search's count
            # and the probationary members of a subtree (due lists) without reading the rows.
            models.Index(
                fields=["province", "status", "org_path", "name_folded"], name="member_scope_idx"
            ),
            models.Index(fields=["citizen_id"], name="member_citizen_idx"),
            # The members whose stored party-age anchor lies in a range: who reaches a badge
            # milestone in a period (awards: a province's badge report, bench/badges.py); with
            # the status and the key, the active ones (the home page's badge line) without
            # reading a row.
            models.Index(
                fields=["province", "party_age_anchor", "status", "id"],
                name="member_anchor_status_idx",
            ),
            # A likely duplicate at entry (quality.duplicates): the records of the entered
            # cell's province born that day, and those with the same phone.
            models.Index(fields=["province", "birth_date"], name="member_province_birth_idx"),
            models.Index(fields=["phone"], name="member_phone_idx", condition=~Q(phone="")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["party_card_no"],
                condition=~Q(party_card_no=""),
                name="member_card_unique",
            ),
            models.UniqueConstraint(
                fields=["citizen_id"],
                condition=~Q(citizen_id="") & ~Q(status=Status.DECEASED),
                name="member_citizen_id_unique_living",
            ),
            models.CheckConstraint(
                condition=Q(ceremony_on__isnull=True) | Q(ceremony_on__gte=models.F("admitted_on")),
                name="member_ceremony_after_decision",
            ),
            models.CheckConstraint(
                condition=Q(admitted_on__gt=models.F("birth_date")),
                name="member_admitted_after_birth",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES


class MemberEvent(models.Model):
    class Type(models.TextChoices):
        ADMITTED = "admitted", "Kết nạp"
        CONFIRMED = "confirmed", "Công nhận đảng viên chính thức"
        TRANSFERRED_OUT = "transferred_out", "Chuyển sinh hoạt đảng chính thức đi"
        TRANSFERRED_IN = "transferred_in", "Chuyển sinh hoạt đảng chính thức đến"
        TEMPORARY_OUT = "temporary_out", "Chuyển sinh hoạt đảng tạm thời"
        TEMPORARY_RETURNED = "temporary_returned", "Kết thúc sinh hoạt đảng tạm thời"
        EXEMPTED = "exempted", "Miễn công tác và sinh hoạt đảng"
        EXEMPTION_ENDED = "exemption_ended", "Thôi miễn công tác và sinh hoạt đảng"
        DISCIPLINED = "disciplined", "Kỷ luật"
        REMOVED = "removed", "Xóa tên"
        EXPELLED = "expelled", "Khai trừ"
        RESIGNED = "resigned", "Xin ra khỏi Đảng"
        DIED = "died", "Từ trần"
        READMITTED = "readmitted", "Kết nạp lại"
        REORGANIZED = "reorganized", "Chuyển theo sắp xếp tổ chức"

    member = models.ForeignKey(  # indexed by member_event_timeline_idx (member, on, …)
        Member, on_delete=models.CASCADE, related_name="events", db_index=False
    )
    type = models.CharField("loại", max_length=20, choices=Type.choices)
    on = models.DateField("ngày")
    decision_no = models.CharField("số quyết định", max_length=60, blank=True)
    decision_date = models.DateField("ngày quyết định", null=True, blank=True)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    other_organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    other_party = models.CharField("nơi đi/đến ngoài hệ thống", max_length=255, blank=True)
    detail = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    note = models.TextField("ghi chú", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "sự kiện đảng viên"
        verbose_name_plural = "sự kiện đảng viên"
        ordering = ["member", "on", "id"]
        indexes = [
            # A member's timeline in order; with the columns the party-age rule reads but the
            # detail, a province's candidates for a badge counted from this index alone
            # (awards.selectors.due_count).
            models.Index(
                fields=["member", "on", "type", "other_organization", "id"],
                name="member_event_timeline_idx",
            ),
            models.Index(fields=["type", "on"], name="member_event_type_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.on:%d/%m/%Y}"


class Affiliation(models.Model):
    """Party activity of a member in an organization over [valid_from, valid_to)."""

    class Kind(models.TextChoices):
        OFFICIAL = "official", "Chính thức"
        TEMPORARY = "temporary", "Tạm thời"

    # Indexed by affiliation_member_idx (member, valid_from) and affiliation_org_kind_idx
    # (organization, kind, valid_from): a subtree's official or temporary members on a date.
    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="affiliations", db_index=False
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="affiliations", db_index=False
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.OFFICIAL)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    started_by = models.ForeignKey(
        MemberEvent, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["member", "valid_from"]
        indexes = [
            models.Index(
                fields=["organization", "kind", "valid_from"], name="affiliation_org_kind_idx"
            ),
            models.Index(fields=["member", "valid_from"], name="affiliation_member_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="affiliation_period_not_empty",
            ),
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(kind="official", valid_to__isnull=True),
                name="affiliation_one_open_official",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} @ {self.organization} [{self.valid_from} – {self.valid_to or '…'})"
