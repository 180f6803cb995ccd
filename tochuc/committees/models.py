"""Terms, committees, posts and congresses: who leads each organization, since when, elected how.

A `Term` (nhiệm kỳ) of an organization has a start and a planned end (its length is the
dated policy's). A `Committee` (cấp ủy) is formed for a term — elected at the congress or
designated by the level above — with the sizes it was elected with (committee, standing
committee, deputies, inspection commission). A `Post` is one member holding one role in a
committee over [began_on, ended_on), each end tied to a decision; a post that begins after
its committee was formed is a consolidation (kiện toàn). A `Congress` (đại hội) opens a
term: its ordinal, kind, delegates and ballots, and the votes of its candidates.
Only `services.py` writes.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tochuc.core.models import VersionedRecord
from tochuc.members.models import Member, MemberEvent
from tochuc.organizations.models import Organization


class Formed(models.TextChoices):
    ELECTED = "elected", _("Bầu tại đại hội")
    DESIGNATED = "designated", _("Chỉ định")


class Role(models.TextChoices):
    SECRETARY = "secretary", _("Bí thư")
    DEPUTY = "deputy", _("Phó Bí thư")
    STANDING = "standing", _("Ủy viên Ban Thường vụ")
    MEMBER = "member", _("Cấp ủy viên")
    INSPECTION_CHAIR = "inspection_chair", _("Chủ nhiệm Ủy ban kiểm tra")
    INSPECTION_MEMBER = "inspection_member", _("Ủy viên Ủy ban kiểm tra")


# Roles that seat their holder in the committee (cấp ủy), in the standing committee, and in
# the inspection commission.
COMMITTEE_ROLES = (Role.SECRETARY, Role.DEPUTY, Role.STANDING, Role.MEMBER)
STANDING_ROLES = (Role.SECRETARY, Role.DEPUTY, Role.STANDING)
INSPECTION_ROLES = (Role.INSPECTION_CHAIR, Role.INSPECTION_MEMBER)
ROLE_ORDER = {role: index for index, role in enumerate(Role.values)}


class Began(models.TextChoices):
    CONGRESS = "congress", _("Bầu tại đại hội")
    MEETING = "meeting", _("Bầu tại hội nghị cấp ủy")
    DESIGNATED = "designated", _("Chỉ định")
    ADDED = "added", _("Bổ sung")


class Ended(models.TextChoices):
    TERM_END = "term_end", _("Hết nhiệm kỳ")
    TRANSFER = "transfer", _("Chuyển công tác, chuyển sinh hoạt đảng")
    RETIREMENT = "retirement", _("Nghỉ hưu")
    DISCIPLINE = "discipline", _("Kỷ luật")
    RESIGNATION = "resignation", _("Xin thôi")
    DEATH = "death", _("Từ trần")
    LEFT_PARTY = "left_party", _("Ra khỏi Đảng")
    REASSIGNED = "reassigned", _("Phân công công tác khác")
    ORGANIZATION_ENDED = "org_ended", _("Tổ chức kết thúc (sáp nhập, giải thể)")


class Term(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="terms",
        verbose_name=_("tổ chức đảng"),
    )  # fmt: skip
    starts_on = models.DateField(_("bắt đầu"))
    ends_on = models.DateField(_("kết thúc (dự kiến)"))
    source = models.CharField(_("căn cứ thời hạn"), max_length=255, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("nhiệm kỳ")
        verbose_name_plural = _("nhiệm kỳ")
        ordering = ["organization", "starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "starts_on"], name="term_unique_start"),
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")), name="term_period_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts_on:%Y}–{self.ends_on:%Y}"

    @property
    def label(self) -> str:
        return str(self)


class Committee(VersionedRecord):
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="committees",
        verbose_name=_("tổ chức đảng"),
    )  # fmt: skip
    term = models.OneToOneField(
        Term, on_delete=models.PROTECT, related_name="committee", verbose_name=_("nhiệm kỳ")
    )
    formed_on = models.DateField(_("ngày bầu, chỉ định"))
    formed_how = models.CharField(_("hình thức"), max_length=12, choices=Formed.choices)
    decision_no = models.CharField(_("số quyết định"), max_length=60)
    decision_date = models.DateField(_("ngày quyết định"))
    size = models.PositiveSmallIntegerField(_("số cấp ủy viên"))
    standing_size = models.PositiveSmallIntegerField(_("số ủy viên Ban Thường vụ"), default=0)
    deputies = models.PositiveSmallIntegerField(_("số Phó Bí thư"), default=0)
    inspection_size = models.PositiveSmallIntegerField(_("số ủy viên Ủy ban kiểm tra"), default=0)

    class Meta:
        verbose_name = _("cấp ủy")
        verbose_name_plural = _("cấp ủy")
        ordering = ["organization", "formed_on"]
        indexes = [models.Index(fields=["organization", "formed_on"], name="committee_org_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "formed_on"], name="committee_unique_formed"
            ),
            models.CheckConstraint(condition=Q(size__gte=1), name="committee_size_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.organization} ({self.term})"


class Post(VersionedRecord):
    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="posts", verbose_name=_("cấp ủy")
    )
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="committee_posts",
        verbose_name=_("đảng viên"),
    )  # fmt: skip
    role = models.CharField(_("chức vụ"), max_length=20, choices=Role.choices)
    began_on = models.DateField(_("từ ngày"))
    began_how = models.CharField(_("hình thức"), max_length=12, choices=Began.choices)
    began_decision_no = models.CharField(_("số quyết định"), max_length=60)
    began_decision_date = models.DateField(_("ngày quyết định"))
    # Filled after its committee was formed: a consolidation (kiện toàn).
    is_consolidation = models.BooleanField(_("kiện toàn"), default=False)
    ended_on = models.DateField(_("đến ngày"), null=True, blank=True)
    ended_how = models.CharField(
        _("lý do thôi giữ"), max_length=12, choices=Ended.choices, blank=True
    )
    ended_decision_no = models.CharField(_("số quyết định thôi giữ"), max_length=60, blank=True)
    ended_decision_date = models.DateField(_("ngày quyết định thôi giữ"), null=True, blank=True)
    # The timeline act that ended it (a transfer out, a death …), when it did.
    ended_by_event = models.ForeignKey(
        MemberEvent, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The post this one took the seat of (ended the same day by the same act): cancelling
    # this one by mistake restores it.
    replaced = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replaced_by",
        verbose_name=_("thay người giữ"),
    )  # fmt: skip
    # The congress whose confirmed results began it (elected at the congress or at the first
    # meeting of the committee it elected).
    from_congress = models.ForeignKey(
        "Congress", on_delete=models.SET_NULL, null=True, blank=True, related_name="posts",
        verbose_name=_("từ kết quả đại hội"),
    )  # fmt: skip

    class Meta:
        verbose_name = _("chức vụ trong cấp ủy")
        verbose_name_plural = _("chức vụ trong cấp ủy")
        ordering = ["committee", "began_on", "id"]
        indexes = [
            models.Index(fields=["committee", "began_on"], name="post_committee_idx"),
            models.Index(fields=["member", "ended_on"], name="post_member_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["committee"],
                condition=Q(role="secretary", ended_on__isnull=True),
                name="post_one_open_secretary",
            ),
            models.UniqueConstraint(
                fields=["committee"],
                condition=Q(role="inspection_chair", ended_on__isnull=True),
                name="post_one_open_inspection_chair",
            ),
            models.UniqueConstraint(
                fields=["committee", "member", "role"],
                condition=Q(ended_on__isnull=True),
                name="post_one_open_per_role",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("began_on")),
                name="post_period_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.member} ({self.committee.organization})"


class CongressKind(models.TextChoices):
    MEMBERS = "members", _("Đại hội đảng viên")
    DELEGATES = "delegates", _("Đại hội đại biểu")


class Congress(VersionedRecord):
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="congresses",
        verbose_name=_("tổ chức đảng"),
    )  # fmt: skip
    term = models.OneToOneField(
        Term, on_delete=models.PROTECT, related_name="congress", verbose_name=_("nhiệm kỳ")
    )
    ordinal = models.PositiveSmallIntegerField(_("lần thứ"))
    kind = models.CharField(_("hình thức"), max_length=10, choices=CongressKind.choices)
    starts_on = models.DateField(_("ngày khai mạc"))
    ends_on = models.DateField(_("ngày bế mạc"))
    directive = models.CharField(_("thực hiện văn bản"), max_length=60, blank=True)
    delegates = models.PositiveIntegerField(_("số đại biểu (đảng viên) được triệu tập"))
    delegates_present = models.PositiveIntegerField(_("số có mặt"))
    ballots_issued = models.PositiveIntegerField(_("số phiếu phát ra"))
    ballots_valid = models.PositiveIntegerField(_("số phiếu hợp lệ"))
    # The day the elected took their posts ("xác nhận kết quả"): set once.
    confirmed_on = models.DateField(_("ngày xác nhận kết quả"), null=True, blank=True)

    class Meta:
        verbose_name = _("đại hội")
        verbose_name_plural = _("đại hội")
        ordering = ["organization", "starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "ordinal"], name="congress_unique_ordinal"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="congress_period_order"
            ),
            models.CheckConstraint(
                condition=Q(ballots_valid__lte=models.F("ballots_issued")),
                name="congress_valid_within_issued",
            ),
            models.CheckConstraint(
                condition=Q(delegates_present__lte=models.F("delegates")),
                name="congress_present_within_called",
            ),
        ]

    def __str__(self) -> str:
        return f"Đại hội lần thứ {self.ordinal_roman} {self.organization}"

    @property
    def ordinal_roman(self) -> str:
        number, out = self.ordinal, ""
        for value, letters in ROMAN:
            while number >= value:
                out += letters
                number -= value
        return out


ROMAN = (
    (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
    (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
)  # fmt: skip


class Candidate(models.Model):
    """One name on the congress's ballot for the committee, with the votes it received."""

    congress = models.ForeignKey(Congress, on_delete=models.CASCADE, related_name="candidates")
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    full_name = models.CharField(_("họ và tên"), max_length=120)
    votes = models.PositiveIntegerField(_("số phiếu bầu"))
    elected = models.BooleanField(_("trúng cử"), default=False)

    class Meta:
        verbose_name = _("người ứng cử")
        verbose_name_plural = _("người ứng cử")
        ordering = ["congress", "-votes", "id"]
        constraints = [
            models.UniqueConstraint(fields=["congress", "full_name"], name="candidate_unique_name"),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.votes})"


class DelegateKind(models.TextChoices):
    OFFICIAL = "official", _("Đại biểu chính thức")
    ALTERNATE = "alternate", _("Đại biểu dự khuyết")


class Delegate(models.Model):
    """A delegate elected by `congress` to the congress of the level above (`above`: the
    organization above on the day of the congress). The congress above lists the delegates
    elected for it by the congresses below held since its previous congress."""

    congress = models.ForeignKey(
        Congress, on_delete=models.CASCADE, related_name="delegates_elected",
        verbose_name=_("đại hội bầu"),
    )  # fmt: skip
    above = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("đại hội cấp trên của"),
    )  # fmt: skip
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    full_name = models.CharField(_("họ và tên"), max_length=120)
    kind = models.CharField(_("loại đại biểu"), max_length=10, choices=DelegateKind.choices)
    votes = models.PositiveIntegerField(_("số phiếu bầu"), null=True, blank=True)

    class Meta:
        verbose_name = _("đại biểu dự đại hội cấp trên")
        verbose_name_plural = _("đại biểu dự đại hội cấp trên")
        ordering = ["congress", "kind", "-votes", "id"]
        constraints = [
            models.UniqueConstraint(fields=["congress", "full_name"], name="delegate_unique_name"),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.get_kind_display()})"
