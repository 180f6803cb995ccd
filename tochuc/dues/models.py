"""Party dues (đảng phí): what each member owes a month, and what each cell collects.

- `DuesBasis`: a member's category (salary, pension, student, other) and the amount the
  rate applies to, from a month on (dated; the latest one in force applies).
- `DuesRelief`: an exemption or a reduction (30/50/70%) over months, with its ground and
  decision. The exemption at 50 years of party age is not stored: it is computed from the
  timeline (members/party_age.py).
- `DuesSheet`: a cell's collection sheet of one month (sổ thu đảng phí): what was collected
  in that month, reported up or not yet. The roll of the month is never typed: it is who was
  in official activity in the cell at the month's end (members' affiliations).
- `DuesPayment`: one member's dues for one month, collected on a sheet (of the same month,
  of a later month for a late payment, of an earlier one in advance).

Amounts are integer đồng. Only `services.py` writes.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from tochuc.core.models import Recorded, VersionedRecord
from tochuc.members.models import Member
from tochuc.organizations.models import Organization


class Category(models.TextChoices):
    SALARY = "salary", _("Hưởng tiền lương (lương đóng bảo hiểm xã hội)")
    PENSION = "pension", _("Hưởng lương hưu, trợ cấp bảo hiểm xã hội")
    STUDENT = "student", _("Học sinh, sinh viên")
    OTHER = "other", _("Đảng viên khác (mức cố định)")


BASED_ON_INCOME = (Category.SALARY, Category.PENSION)


class DuesBasis(VersionedRecord):
    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="dues_bases", verbose_name=_("đảng viên")
    )
    valid_from = models.DateField(_("áp dụng từ tháng"))  # the first day of a month
    category = models.CharField(_("đối tượng"), max_length=10, choices=Category.choices)
    basis = models.PositiveBigIntegerField(_("tiền lương, lương hưu (đồng)"), default=0)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("mức đóng đảng phí")
        verbose_name_plural = _("mức đóng đảng phí")
        ordering = ["member", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["member", "valid_from"], name="dues_basis_one_a_month"),
            models.CheckConstraint(
                condition=~Q(category__in=BASED_ON_INCOME) | Q(basis__gt=0),
                name="dues_basis_income_given",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.get_category_display()} ({self.valid_from:%m/%Y})"


class ReliefKind(models.TextChoices):
    EXEMPTION = "exemption", _("Miễn đóng")
    REDUCTION = "reduction", _("Giảm mức đóng")


class Ground(models.TextChoices):
    """The listed hardships (hoàn cảnh khó khăn) a relief rests on."""

    ILLNESS = "illness", _("Ốm đau, bệnh nặng kéo dài")
    DISASTER = "disaster", _("Thiên tai, hỏa hoạn, tai nạn")
    NO_INCOME = "no_income", _("Không có thu nhập, đời sống đặc biệt khó khăn")
    ELDERLY = "elderly", _("Tuổi cao, sức yếu, không có thu nhập")
    OTHER = "other", _("Lý do khác được cấp ủy chấp thuận")


class DuesRelief(VersionedRecord):
    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="dues_reliefs", verbose_name=_("đảng viên")
    )
    kind = models.CharField(_("hình thức"), max_length=10, choices=ReliefKind.choices)
    percent = models.PositiveSmallIntegerField(_("tỷ lệ giảm (%)"))  # 100 for an exemption
    first_month = models.DateField(_("từ tháng"))
    last_month = models.DateField(_("đến tháng"), null=True, blank=True)
    ground = models.CharField(_("lý do"), max_length=10, choices=Ground.choices)
    ground_text = models.CharField(_("nêu rõ"), max_length=255, blank=True)
    decision_no = models.CharField(_("số quyết định, văn bản"), max_length=60)
    decided_on = models.DateField(_("ngày quyết định"))

    class Meta:
        verbose_name = _("miễn, giảm đảng phí")
        verbose_name_plural = _("miễn, giảm đảng phí")
        ordering = ["member", "first_month"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_month__isnull=True) | Q(last_month__gte=F("first_month")),
                name="dues_relief_period_order",
            ),
            models.CheckConstraint(
                condition=Q(percent__gt=0, percent__lte=100), name="dues_relief_percent_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.member} ({self.first_month:%m/%Y})"

    def covers(self, month) -> bool:
        return self.first_month <= month and (self.last_month is None or month <= self.last_month)


class SheetSource(models.TextChoices):
    ENTERED = "entered", _("Ghi trên hệ thống")
    IMPORTED = "imported", _("Nhập từ tệp Excel")
    SUMMARY = "summary", _("Số tổng hợp (không có danh sách từng người)")


class DuesSheet(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="dues_sheets",
        verbose_name=_("chi bộ"),
    )  # fmt: skip
    month = models.DateField(_("tháng"))  # the first day of the month
    collected = models.PositiveBigIntegerField(_("số đã thu (đồng)"), default=0)
    payments = models.PositiveIntegerField(_("số lượt nộp"), default=0)
    source = models.CharField(
        _("nguồn"), max_length=10, choices=SheetSource.choices, default=SheetSource.ENTERED
    )
    reported_on = models.DateField(_("ngày báo cáo"), null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    row_version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("sổ thu đảng phí tháng")
        verbose_name_plural = _("sổ thu đảng phí tháng")
        ordering = ["organization", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "month"], name="dues_sheet_one_a_month"
            ),
        ]
        indexes = [models.Index(fields=["month", "organization"], name="dues_sheet_month_idx")]

    def __str__(self) -> str:
        return f"{self.organization} {self.month:%m/%Y}"


class DuesPayment(Recorded):
    sheet = models.ForeignKey(
        DuesSheet, on_delete=models.PROTECT, related_name="lines", verbose_name=_("sổ thu")
    )
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="dues_payments",
        verbose_name=_("đảng viên"),
    )  # fmt: skip
    for_month = models.DateField(_("đảng phí tháng"))  # the first day of the month paid
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    paid_on = models.DateField(_("ngày nộp"))
    reference = models.CharField(_("mã giao dịch (Cổng dịch vụ công)"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("lượt nộp đảng phí")
        verbose_name_plural = _("lượt nộp đảng phí")
        ordering = ["for_month", "member"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "for_month"], name="dues_payment_one_a_month"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="dues_payment_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.for_month:%m/%Y}: {self.amount}"
