"""The organization tree and its dated life.

`Organization` is the identity (code, kind) with its *current* state denormalized for
speed; `OrganizationVersion` rows are the state over time, as half-open periods
[valid_from, valid_to): the tree as of any date is the versions in force on it.
`OrganizationEvent` is what happened (founded, renamed, moved, merged, split,
dissolved), dated and tied to a decision. Only `services.py` writes these tables.

Paths are materialized ("12/345/6789/", ids of the ancestors and the node) so that a
subtree is a prefix search; `province` is a denormalized ancestor column.
"""

import re
import unicodedata

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    PROVINCE = "province", _("Đảng bộ tỉnh, thành phố")
    DISTRICT = "district", _("Đảng bộ huyện, quận, thị xã, thành phố thuộc tỉnh")
    COMMUNE = "commune", _("Đảng bộ xã, phường, đặc khu")
    BLOC = "bloc", _("Đảng bộ trực thuộc tỉnh ủy")
    BASE_COMMITTEE = "base_committee", _("Đảng bộ cơ sở")
    BASE_CELL = "base_cell", _("Chi bộ cơ sở")
    SUB_COMMITTEE = "sub_committee", _("Đảng bộ bộ phận")
    CELL = "cell", _("Chi bộ trực thuộc")


GRASSROOTS_KINDS = (Kind.BASE_COMMITTEE, Kind.BASE_CELL)
UNDER_GRASSROOTS_KINDS = (Kind.SUB_COMMITTEE, Kind.CELL)
ABOVE_GRASSROOTS_KINDS = (Kind.PROVINCE, Kind.DISTRICT, Kind.COMMUNE, Kind.BLOC)

# Which kinds may stand directly under which (None: a root).
ALLOWED_PARENTS: dict[str, tuple[str | None, ...]] = {
    Kind.PROVINCE: (None,),
    Kind.DISTRICT: (Kind.PROVINCE,),
    Kind.COMMUNE: (Kind.PROVINCE,),
    Kind.BLOC: (Kind.PROVINCE,),
    Kind.BASE_COMMITTEE: (Kind.PROVINCE, Kind.DISTRICT, Kind.COMMUNE, Kind.BLOC),
    Kind.BASE_CELL: (Kind.PROVINCE, Kind.DISTRICT, Kind.COMMUNE, Kind.BLOC),
    Kind.SUB_COMMITTEE: (Kind.BASE_COMMITTEE,),
    Kind.CELL: (Kind.BASE_COMMITTEE, Kind.SUB_COMMITTEE),
}


class GrassrootsType(models.TextChoices):
    COMMUNE = "xa", _("Xã")
    WARD = "phuong", _("Phường")
    TOWNLET = "thi_tran", _("Thị trấn")
    SPECIAL_ZONE = "dac_khu", _("Đặc khu")
    # Cells of a village or a residential area, directly under a commune since 1/7/2025.
    VILLAGE = "thon_ban", _("Thôn, bản, làng, ấp")
    RESIDENTIAL = "to_dan_pho", _("Tổ dân phố, khu phố, khối")
    ADMINISTRATIVE = "hanh_chinh", _("Cơ quan hành chính")
    PUBLIC_SERVICE = "su_nghiep", _("Đơn vị sự nghiệp")
    STATE_ENTERPRISE = "dn_nha_nuoc", _("Doanh nghiệp nhà nước")
    PRIVATE_ENTERPRISE = "dn_ngoai_nha_nuoc", _("Doanh nghiệp ngoài nhà nước")
    ARMED_FORCES = "luc_luong_vu_trang", _("Lực lượng vũ trang")
    OTHER = "khac", _("Khác")


# How a cell's name goes on after "Chi bộ" when it is a village's or a residential area's
# (with the marks: "bản" is a village, "Ban Tổ chức" is not; "khối 3" is a residential
# area, "Khối cơ quan" is not).
SETTLEMENT_NAMES = {
    GrassrootsType.VILLAGE: re.compile(r"(thôn|bản|làng|ấp|buôn|xóm|phum|sóc|plei) \S"),
    GrassrootsType.RESIDENTIAL: re.compile(r"(tổ dân phố|khu phố|khối phố) \S|(khu|khối) \d"),
}


def settlement_type(name: str) -> str:
    """VILLAGE or RESIDENTIAL for a cell named after a village or a residential area
    ("Chi bộ thôn Nà Phái", "Chi bộ khối 3", "Chi bộ tổ dân phố 5"), else ""."""
    text = " ".join(unicodedata.normalize("NFC", name).lower().split())
    if not text.startswith("chi bộ "):
        return ""
    rest = text.removeprefix("chi bộ ")
    for gtype, pattern in SETTLEMENT_NAMES.items():
        if pattern.match(rest):
            return gtype
    return ""


class Organization(models.Model):
    code = models.CharField(_("mã tổ chức"), max_length=40, unique=True)
    kind = models.CharField(_("loại tổ chức"), max_length=20, choices=Kind.choices)
    grassroots_type = models.CharField(
        _("loại hình cơ sở"), max_length=20, choices=GrassrootsType.choices, blank=True
    )
    admin_unit_code = models.CharField(_("mã đơn vị hành chính"), max_length=10, blank=True)
    founded_on = models.DateField(_("ngày thành lập"))
    ended_on = models.DateField(_("ngày chấm dứt"), null=True, blank=True)
    # Current (latest) state, written by the services from the latest version.
    name = models.CharField(_("tên"), max_length=255)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    path = models.CharField(max_length=255, db_index=False)
    depth = models.PositiveSmallIntegerField(default=0)
    province = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    successor = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name=_("tổ chức kế thừa"),
    )
    name_folded = models.CharField(max_length=255, editable=False)
    name_sort = models.CharField(max_length=512, editable=False)

    class Meta:
        verbose_name = _("tổ chức đảng")
        verbose_name_plural = _("tổ chức đảng")
        ordering = ["name_sort", "id"]
        indexes = [
            models.Index(fields=["path"], name="org_path_idx", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["parent", "name_sort"], name="org_parent_sort_idx"),
            models.Index(fields=["province", "kind"], name="org_province_kind_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gt=models.F("founded_on")),
                name="org_ends_after_founding",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.ended_on is None

    @property
    def is_grassroots(self) -> bool:
        return self.kind in GRASSROOTS_KINDS


class OrganizationEvent(models.Model):
    class Type(models.TextChoices):
        FOUNDED = "founded", _("Thành lập")
        RENAMED = "renamed", _("Đổi tên")
        MOVED = "moved", _("Chuyển trực thuộc")
        MERGED = "merged", _("Hợp nhất, sáp nhập")
        SPLIT = "split", _("Chia tách")
        DISSOLVED = "dissolved", _("Giải thể")

    type = models.CharField(_("loại sự kiện"), max_length=20, choices=Type.choices)
    effective_on = models.DateField(_("ngày hiệu lực"))
    decision_no = models.CharField(_("số quyết định"), max_length=60, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    organizations = models.ManyToManyField(
        Organization, through="EventParticipant", related_name="events"
    )

    class Meta:
        verbose_name = _("sự kiện tổ chức")
        verbose_name_plural = _("sự kiện tổ chức")
        ordering = ["-effective_on", "-id"]
        indexes = [models.Index(fields=["effective_on"], name="org_event_date_idx")]

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.effective_on:%d/%m/%Y}"


class EventParticipant(models.Model):
    class Role(models.TextChoices):
        SUBJECT = "subject", _("Tổ chức")
        SOURCE = "source", _("Tổ chức trước")
        RESULT = "result", _("Tổ chức sau")
        PARENT = "parent", _("Cấp trên")

    event = models.ForeignKey(OrganizationEvent, on_delete=models.CASCADE, related_name="parts")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=10, choices=Role.choices)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["event", "organization", "role"], name="event_participant_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.organization}"


class OrganizationVersion(models.Model):
    """The state of one organization over [valid_from, valid_to)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="versions"
    )
    name = models.CharField(max_length=255)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    path = models.CharField(max_length=255)
    depth = models.PositiveSmallIntegerField(default=0)
    province = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    event = models.ForeignKey(
        OrganizationEvent, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["organization", "valid_from"]
        indexes = [
            models.Index(
                fields=["path", "valid_from"],
                name="orgver_path_idx",
                opclasses=["varchar_pattern_ops", "date_ops"],
            ),
            models.Index(fields=["parent", "valid_from"], name="orgver_parent_idx"),
            models.Index(fields=["organization", "valid_from"], name="orgver_org_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="orgver_period_not_empty",
            ),
            models.UniqueConstraint(
                fields=["organization"],
                condition=Q(valid_to__isnull=True),
                name="orgver_one_open_period",
            ),
            models.UniqueConstraint(
                fields=["organization", "valid_from"], name="orgver_unique_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} [{self.valid_from} – {self.valid_to or '…'})"
