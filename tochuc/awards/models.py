"""Party badges (Huy hiệu Đảng) and commendations (khen thưởng).

A `BadgeCase` is one member's badge for one milestone of party age (30, 40, 45 … 90 years),
awarded on one occasion (3/2, 19/5, 2/9, 7/11): proposed (with the grounds of an early or
posthumous award), decided (number, date, issuer, the cash gift), awarded (badge number,
ceremony), and perhaps re-issued (`BadgeReissue`) or returned on removal or expulsion. A
`Commendation` is one form of commendation (Bằng khen, Giấy khen, a commemorative medal …)
given by a party organization to an organization, a member or another person, for a year or
a period, under one decision. Only `services.py` writes.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tochuc.core.models import Recorded, VersionedRecord
from tochuc.members.models import Member
from tochuc.organizations.models import Organization


class Stage(models.TextChoices):
    PROPOSED = "proposed", _("Đã đề nghị")
    DECIDED = "decided", _("Đã có quyết định")
    AWARDED = "awarded", _("Đã trao")
    RETURNED = "returned", _("Đã thu hồi")
    WITHDRAWN = "withdrawn", _("Đã rút đề nghị")


HELD_STAGES = (Stage.PROPOSED, Stage.DECIDED, Stage.AWARDED)


class Early(models.TextChoices):
    ON_TIME = "", _("Đúng hạn")
    ILLNESS = "illness", _("Tặng sớm (bệnh nặng)")
    POSTHUMOUS = "posthumous", _("Truy tặng")


class BadgeCase(VersionedRecord):
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="badge_cases", verbose_name=_("đảng viên")
    )
    milestone = models.PositiveSmallIntegerField(_("huy hiệu (năm tuổi đảng)"))
    occasion = models.DateField(_("đợt trao"))
    reached_on = models.DateField(_("ngày đủ tuổi đảng"))
    early = models.CharField(_("diện"), max_length=12, choices=Early.choices, blank=True)
    grounds = models.TextField(_("căn cứ tặng sớm, truy tặng"), blank=True)
    proposer = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="badge_proposals",
        verbose_name=_("tổ chức đề nghị"),
    )
    stage = models.CharField(_("bước"), max_length=10, choices=Stage.choices)
    proposal_no = models.CharField(_("số tờ trình"), max_length=60)
    proposed_on = models.DateField(_("ngày đề nghị"))
    decision_no = models.CharField(_("số quyết định"), max_length=60, blank=True)
    decided_on = models.DateField(_("ngày quyết định"), null=True, blank=True)
    issuer = models.CharField(_("cơ quan quyết định"), max_length=255, blank=True)
    gift_multiple = models.DecimalField(
        _("hệ số tiền thưởng"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    base_salary = models.PositiveIntegerField(_("lương cơ sở"), null=True, blank=True)
    gift_amount = models.PositiveBigIntegerField(_("tiền thưởng (đồng)"), null=True, blank=True)
    badge_no = models.CharField(_("số huy hiệu"), max_length=30, blank=True)
    ceremony_on = models.DateField(_("ngày trao"), null=True, blank=True)
    returned_on = models.DateField(_("ngày thu hồi"), null=True, blank=True)
    return_reason = models.CharField(_("lý do thu hồi"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("hồ sơ Huy hiệu Đảng")
        verbose_name_plural = _("hồ sơ Huy hiệu Đảng")
        ordering = ["-occasion", "member__name_sort", "id"]
        indexes = [
            models.Index(fields=["occasion", "stage"], name="badge_occasion_idx"),
            models.Index(fields=["member", "milestone"], name="badge_member_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "milestone"],
                condition=~Q(stage="withdrawn"),
                name="badge_one_per_milestone",
            ),
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True) | Q(decided_on__gte=models.F("proposed_on")),
                name="badge_decided_after_proposal",
            ),
            models.CheckConstraint(
                condition=Q(ceremony_on__isnull=True) | Q(ceremony_on__gte=models.F("decided_on")),
                name="badge_ceremony_after_decision",
            ),
        ]

    def __str__(self) -> str:
        return _("Huy hiệu %(years)s năm tuổi Đảng — %(name)s") % {
            "years": self.milestone,
            "name": self.member.full_name,
        }


class BadgeReissue(Recorded):
    """A lost or damaged badge issued again (cấp lại), with its new number."""

    case = models.ForeignKey(BadgeCase, on_delete=models.CASCADE, related_name="reissues")
    reissued_on = models.DateField(_("ngày cấp lại"))
    badge_no = models.CharField(_("số huy hiệu cấp lại"), max_length=30)
    reason = models.CharField(_("lý do"), max_length=255)
    decision_no = models.CharField(_("số quyết định"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("cấp lại Huy hiệu Đảng")
        verbose_name_plural = _("cấp lại Huy hiệu Đảng")
        ordering = ["reissued_on", "id"]

    def __str__(self) -> str:
        return f"{self.badge_no} ({self.reissued_on:%d/%m/%Y})"


class CommendationForm(models.TextChoices):
    FLAG = "flag", _("Cờ thi đua")
    CERTIFICATE = "certificate", _("Bằng khen")
    MERIT = "merit", _("Giấy khen")
    MEDAL_ORGANIZATION = "medal_tcxdd", _("Kỷ niệm chương “Vì sự nghiệp Tổ chức xây dựng Đảng”")
    MEDAL_OTHER = "medal_other", _("Kỷ niệm chương khác")


class RecipientKind(models.TextChoices):
    ORGANIZATION = "organization", _("Tổ chức đảng")
    MEMBER = "member", _("Đảng viên")
    PERSON = "person", _("Cá nhân khác")


class ReasonKind(models.TextChoices):
    YEAR = "year", _("Hoàn thành xuất sắc nhiệm vụ trong năm")
    PERIOD = "period", _("Hoàn thành xuất sắc nhiệm vụ nhiều năm liền")
    CONTRIBUTION = "contribution", _("Có nhiều đóng góp cho sự nghiệp tổ chức xây dựng Đảng")
    ACHIEVEMENT = "achievement", _("Thành tích khác")


class Commendation(VersionedRecord):
    authority = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="commendations_given",
        verbose_name=_("tổ chức khen thưởng"),
    )
    issuer = models.CharField(_("cơ quan quyết định"), max_length=255)
    form = models.CharField(_("hình thức"), max_length=12, choices=CommendationForm.choices)
    recipient_kind = models.CharField(_("đối tượng"), max_length=12, choices=RecipientKind.choices)
    recipient_organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tổ chức đảng được khen"),
    )
    recipient_member = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commendations",
        verbose_name=_("đảng viên được khen"),
    )
    recipient_name = models.CharField(_("tên người, tổ chức được khen"), max_length=255)
    recipient_detail = models.CharField(_("chức vụ, đơn vị"), max_length=255, blank=True)
    reason_kind = models.CharField(_("thành tích"), max_length=14, choices=ReasonKind.choices)
    year_from = models.PositiveSmallIntegerField(_("từ năm"))
    year_to = models.PositiveSmallIntegerField(_("đến năm"))
    reason = models.TextField(_("nội dung thành tích"), blank=True)
    decision_no = models.CharField(_("số quyết định"), max_length=60)
    decided_on = models.DateField(_("ngày quyết định"))

    class Meta:
        verbose_name = _("khen thưởng")
        verbose_name_plural = _("khen thưởng")
        ordering = ["-decided_on", "id"]
        indexes = [
            models.Index(fields=["authority", "decided_on"], name="commendation_authority_idx")
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        recipient_kind="organization",
                        recipient_organization__isnull=False,
                        recipient_member__isnull=True,
                    )
                    | Q(
                        recipient_kind="member",
                        recipient_member__isnull=False,
                        recipient_organization__isnull=True,
                    )
                    | Q(
                        recipient_kind="person",
                        recipient_member__isnull=True,
                        recipient_organization__isnull=True,
                    )
                ),
                name="commendation_one_recipient",
            ),
            models.CheckConstraint(
                condition=Q(year_to__gte=models.F("year_from")), name="commendation_years_order"
            ),
            models.UniqueConstraint(
                fields=[
                    "authority",
                    "decision_no",
                    "form",
                    "recipient_kind",
                    "recipient_name",
                    "year_from",
                    "year_to",
                ],
                name="commendation_once_per_decision",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_form_display()} — {self.recipient_name} ({self.decision_no})"

    @property
    def years_label(self) -> str:
        if self.year_from == self.year_to:
            return str(self.year_from)
        return f"{self.year_from}–{self.year_to}"
