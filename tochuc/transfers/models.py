"""Transfers of party activity (chuyển sinh hoạt đảng) with their letters, requests to
receive a member from outside the system, and members working away (đi làm ăn xa).

The tables keep the names they had when these models lived in `tochuc.members`
(`members_transfer` …): the move changed the models' app, not the data. The rules of the
timeline that these procedures write are the members' engine (`members.timeline`,
`members.store`).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from tochuc.members.models import Affiliation, Member, MemberEvent, MoveState, TemporaryPurpose
from tochuc.organizations.models import Organization


class Transfer(models.Model):
    """A transfer of party activity (chuyển sinh hoạt đảng) with its introduction letter.

    Official inside the system: issued (the member is "in transfer", still counted at the
    source) → received by the destination on the arrival date, when the official
    affiliation moves. Official out of the system: done when issued. In from outside: the
    receiver enters the other party's letter. Temporary: the member stays counted at home
    and is listed at the host for the period, then returns (by record or on expiry).
    """

    # The members' vocabulary (the timeline engine writes these values).
    Kind = Affiliation.Kind
    State = MoveState
    Purpose = TemporaryPurpose

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="transfers")
    kind = models.CharField("loại", max_length=10, choices=Kind.choices)
    state = models.CharField("tình trạng", max_length=10, choices=State.choices)
    source = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    destination = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    other_party = models.CharField("nơi đi/đến ngoài hệ thống", max_length=255, blank=True)
    # The letter: numbered per issuing organization and year (None: another party's letter).
    issuer = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    letter_year = models.PositiveSmallIntegerField(null=True, blank=True)
    letter_seq = models.PositiveIntegerField(null=True, blank=True)
    letter_no = models.CharField("số giấy giới thiệu", max_length=60)
    letter_on = models.DateField("ngày cấp giấy giới thiệu")
    reason = models.CharField("lý do chuyển", max_length=255, blank=True)
    move_decided_on = models.DateField(
        "ngày quyết định chuyển công tác, nơi cư trú", null=True, blank=True
    )
    start_due = models.DateField(null=True, blank=True)
    present_due = models.DateField(null=True, blank=True)
    arrived_on = models.DateField("ngày đến sinh hoạt", null=True, blank=True)
    purpose = models.CharField("mục đích", max_length=10, choices=Purpose.choices, blank=True)
    ends_on = models.DateField("sinh hoạt tạm thời đến ngày", null=True, blank=True)
    returned_on = models.DateField("ngày trở về", null=True, blank=True)
    out_event = models.ForeignKey(
        MemberEvent, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    in_event = models.ForeignKey(
        MemberEvent, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    row_version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "members_transfer"
        verbose_name = "chuyển sinh hoạt đảng"
        verbose_name_plural = "chuyển sinh hoạt đảng"
        ordering = ["-letter_on", "-id"]
        indexes = [
            models.Index(fields=["source", "letter_on"], name="transfer_source_idx"),
            models.Index(fields=["destination", "letter_on"], name="transfer_destination_idx"),
            models.Index(fields=["state", "present_due"], name="transfer_due_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "letter_year", "letter_seq"],
                condition=Q(issuer__isnull=False),
                name="transfer_letter_number_unique",
            ),
            models.UniqueConstraint(
                fields=["member", "kind"],
                condition=Q(state="issued"),
                name="transfer_one_open_per_kind",
            ),
            models.CheckConstraint(
                condition=Q(source__isnull=False) | Q(destination__isnull=False),
                name="transfer_has_a_side_here",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.letter_no} — {self.member}"

    @property
    def is_open(self) -> bool:
        return self.state == self.State.ISSUED


class WorkingAway(models.Model):
    """A member working away from home (đảng viên đi làm ăn xa): where, when, how to reach."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="working_away")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    place = models.CharField("nơi làm ăn", max_length=255)
    starts_on = models.DateField("từ ngày")
    ends_on = models.DateField("đến ngày (dự kiến)", null=True, blank=True)
    contact = models.CharField("liên hệ", max_length=255)
    note = models.TextField("ghi chú", blank=True)
    ended_on = models.DateField("ngày trở về", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "members_workingaway"
        verbose_name = "đảng viên đi làm ăn xa"
        verbose_name_plural = "đảng viên đi làm ăn xa"
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(ended_on__isnull=True),
                name="working_away_one_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} — {self.place}"


class WorkingAwayCheck(models.Model):
    """The cell's periodic check on a member working away."""

    record = models.ForeignKey(WorkingAway, on_delete=models.CASCADE, related_name="checks")
    checked_on = models.DateField("ngày kiểm tra")
    result = models.CharField("kết quả", max_length=255)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip

    class Meta:
        db_table = "members_workingawaycheck"
        ordering = ["-checked_on", "-id"]

    def __str__(self) -> str:
        return f"{self.record} @ {self.checked_on:%d/%m/%Y}"


class ReceiveRequest(models.Model):
    """A request to receive, from outside the system, a member whose record is already in
    it (found by citizen ID, name and birth date) but outside the receiving officer's
    scope: the record moves only when the side that keeps it (an officer whose scope
    covers the record) confirms (`transfers.receive_request_confirm`) or refuses it. The
    receiving side may withdraw it while it waits (`receive_request_withdraw`; `decided_by`
    and `decided_at` then name who withdrew it, `note` why); it sees what it typed and the
    request's state, never the record."""

    class State(models.TextChoices):
        PENDING = "pending", "Chờ xác nhận"
        CONFIRMED = "confirmed", "Đã xác nhận, đã tiếp nhận"
        REFUSED = "refused", "Bị từ chối"
        WITHDRAWN = "withdrawn", "Đã rút yêu cầu"

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name="chi bộ tiếp nhận"
    )
    # What the receiving officer typed (shown to them instead of the record).
    full_name = models.CharField("họ và tên", max_length=120)
    birth_date = models.DateField("ngày sinh")
    letter_no = models.CharField("số giấy giới thiệu", max_length=60)
    letter_on = models.DateField("ngày cấp giấy giới thiệu")
    issued_by = models.CharField("nơi cấp", max_length=255)
    arrived_on = models.DateField("ngày đến sinh hoạt")
    state = models.CharField(
        "tình trạng", max_length=10, choices=State.choices, default=State.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField("lý do (từ chối, rút yêu cầu)", max_length=255, blank=True)
    transfer = models.OneToOneField(
        Transfer, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        db_table = "members_receiverequest"
        verbose_name = "yêu cầu tiếp nhận"
        verbose_name_plural = "yêu cầu tiếp nhận"
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(state="pending"),
                name="receive_request_one_pending_per_member",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} → {self.organization}"
