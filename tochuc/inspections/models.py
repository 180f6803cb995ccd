"""Supervision and inspection (giám sát, kiểm tra) and discipline (kỷ luật).

An `Inspection` is one subject (an organization or a member, exactly one) supervised or
inspected by the committee (cấp ủy) or the inspection commission (ủy ban kiểm tra) of an
organization, over a period, with its findings and conclusion. A `Discipline` is one
decision on one subject; its effect lands where the subject lives: a member's timeline
(`MemberEvent`), or the end of an organization (dissolution). Only `services.py` writes.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tochuc.core.models import Recorded
from tochuc.members.models import Member, MemberEvent
from tochuc.organizations.models import Organization, OrganizationEvent


class Body(models.TextChoices):
    """Who acts for the organization: its committee or its inspection commission."""

    COMMITTEE = "committee", _("Cấp ủy")
    COMMISSION = "commission", _("Ủy ban kiểm tra")


class Activity(models.TextChoices):
    SUPERVISION = "supervision", _("Giám sát")
    INSPECTION = "inspection", _("Kiểm tra")


class InspectionKind(models.TextChoices):
    REGULAR = "regular", _("Thường xuyên")
    THEMATIC = "thematic", _("Chuyên đề")
    ON_SIGNS = "on_signs", _("Khi có dấu hiệu vi phạm")


class Conclusion(models.TextChoices):
    PENDING = "pending", _("Chưa kết luận")
    NO_VIOLATION = "no_violation", _("Không vi phạm")
    SHORTCOMINGS = "shortcomings", _("Có khuyết điểm, vi phạm nhưng chưa đến mức xem xét kỷ luật")
    DISCIPLINE = "discipline", _("Có vi phạm đến mức phải xem xét kỷ luật")


class DisciplineForm(models.TextChoices):
    """The forms of Quy định 69-QĐ/TW; which apply to whom is the dated policy's."""

    REPRIMAND = "reprimand", _("Khiển trách")
    WARNING = "warning", _("Cảnh cáo")
    DISMISSAL = "dismissal", _("Cách chức")
    EXPULSION = "expulsion", _("Khai trừ")
    DISSOLUTION = "dissolution", _("Giải tán")


def _one_subject(prefix: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(subject_organization__isnull=True, subject_member__isnull=False)
        | Q(subject_organization__isnull=False, subject_member__isnull=True),
        name=f"{prefix}_exactly_one_subject",
    )


class Subject(Recorded):
    """An organization or a member, exactly one (a database check constraint)."""

    subject_organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("tổ chức đảng"),
    )  # fmt: skip
    subject_member = models.ForeignKey(
        Member, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("đảng viên"),
    )  # fmt: skip

    class Meta:
        abstract = True

    @property
    def subject(self):
        return self.subject_member or self.subject_organization

    @property
    def subject_is_member(self) -> bool:
        return self.subject_member_id is not None

    @property
    def subject_name(self) -> str:
        return self.subject.full_name if self.subject_is_member else self.subject.name


class Inspection(Subject):
    conductor = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="inspections",
        verbose_name=_("tổ chức tiến hành"),
    )  # fmt: skip
    body = models.CharField(_("chủ thể"), max_length=12, choices=Body.choices)
    activity = models.CharField(_("hoạt động"), max_length=12, choices=Activity.choices)
    kind = models.CharField(_("loại"), max_length=12, choices=InspectionKind.choices)
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"))
    decision_no = models.CharField(_("số quyết định, kế hoạch"), max_length=60)
    content = models.TextField(_("nội dung"), blank=True)
    findings = models.TextField(_("kết quả, nhận xét"), blank=True)
    conclusion = models.CharField(
        _("kết luận"), max_length=14, choices=Conclusion.choices, default=Conclusion.PENDING
    )
    conclusion_text = models.TextField(_("nội dung kết luận"), blank=True)

    class Meta:
        verbose_name = _("cuộc kiểm tra, giám sát")
        verbose_name_plural = _("cuộc kiểm tra, giám sát")
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["conductor", "starts_on"], name="inspection_conductor_idx")]
        constraints = [
            _one_subject("inspection"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="inspection_period_order"
            ),
            models.UniqueConstraint(
                fields=["conductor", "body", "activity", "decision_no", "subject_member"],
                condition=Q(subject_member__isnull=False),
                name="inspection_unique_member_subject",
            ),
            models.UniqueConstraint(
                fields=["conductor", "body", "activity", "decision_no", "subject_organization"],
                condition=Q(subject_organization__isnull=False),
                name="inspection_unique_org_subject",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_activity_display()} {self.subject_name} ({self.decision_no})"


class Discipline(Subject):
    form = models.CharField(_("hình thức"), max_length=12, choices=DisciplineForm.choices)
    # The subject's standing on the decision date: "organization", "full", "probationary".
    subject_status = models.CharField(max_length=12, editable=False)
    authority = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="disciplines_decided",
        verbose_name=_("tổ chức quyết định"),
    )  # fmt: skip
    body = models.CharField(_("cơ quan quyết định"), max_length=12, choices=Body.choices)
    authority_level = models.CharField(_("cấp có thẩm quyền"), max_length=255, blank=True)
    decision_no = models.CharField(_("số quyết định"), max_length=60)
    decided_on = models.DateField(_("ngày quyết định"))
    effective_on = models.DateField(_("ngày có hiệu lực"))
    reasons = models.TextField(_("nội dung vi phạm"))
    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, null=True, blank=True, related_name="disciplines",
        verbose_name=_("theo cuộc kiểm tra, giám sát"),
    )  # fmt: skip
    member_event = models.ForeignKey(
        MemberEvent, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    organization_event = models.ForeignKey(
        OrganizationEvent, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("quyết định kỷ luật")
        verbose_name_plural = _("quyết định kỷ luật")
        ordering = ["-decided_on", "-id"]
        indexes = [
            models.Index(fields=["authority", "decided_on"], name="discipline_authority_idx")
        ]
        constraints = [
            _one_subject("discipline"),
            models.CheckConstraint(
                condition=Q(effective_on__gte=models.F("decided_on")),
                name="discipline_effective_after_decision",
            ),
            models.UniqueConstraint(
                fields=["subject_member", "decision_no"],
                condition=Q(subject_member__isnull=False),
                name="discipline_unique_member_decision",
            ),
            models.UniqueConstraint(
                fields=["subject_organization", "decision_no"],
                condition=Q(subject_organization__isnull=False),
                name="discipline_unique_org_decision",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_form_display()} {self.subject_name} ({self.decision_no})"
