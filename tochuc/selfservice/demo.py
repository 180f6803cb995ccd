"""The demo step of self-service: a member of the demo cell with an account (password of the
demo accounts), the cell's next meeting called, a notice sent to the cell, and a request
from another member in the secretary's queue. `account_rows()` lists the member account
for the table `tochuc demo` prints."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from tochuc.documents.services import document_distribute, document_issue
from tochuc.meetings.models import PlannedMeeting
from tochuc.meetings.planning import meeting_plan
from tochuc.members.models import ACTIVE_STATUSES, Member

from . import services
from .accounts import account_activate, account_issue
from .models import MemberAccount

ROLE_LABEL = "Đảng viên (tự phục vụ)"


def _members_of(cell) -> list[Member]:
    return list(
        Member.objects.filter(organization=cell, status__in=ACTIVE_STATUSES)
        .exclude(citizen_id="")
        .order_by("name_sort", "id")[:2]
    )


def build(ctx) -> None:
    if "cell" not in ctx.registry:
        return
    cell = ctx.registry.get("cell")
    members = _members_of(cell)
    if not members:
        return
    today = timezone.localdate()
    with transaction.atomic():
        member = members[0]
        _account, code = account_issue(member=member)
        account_activate(
            identifier=member.citizen_id, code=code, password=ctx.password, request=None
        )
        on = today + timedelta(days=(7 - today.weekday()) % 7 or 7)  # next Monday
        meeting_plan(
            organization=cell, on=on, kind="regular", place="Nhà văn hóa thôn",
            topic="Sinh hoạt chi bộ thường kỳ; triển khai nghị quyết đại hội",
        )  # fmt: skip
        commune = ctx.registry.get("commune") if "commune" in ctx.registry else cell
        notice = document_issue(
            issuer=commune, kind="TB", issued_on=today,
            title=f"Thông báo lịch sinh hoạt chi bộ tháng {today:%m/%Y}",
            summary="Các chi bộ sinh hoạt thường kỳ trong tuần đầu tháng; đảng viên dự đủ.",
        )  # fmt: skip
        document_distribute(document=notice, organization=cell, sent_on=today)
        if len(members) > 1:
            services.request_transfer_letter(
                member=members[1], destination="Đảng bộ phường Đông Kinh, tỉnh Lạng Sơn",
                moving_on=today + timedelta(days=30), note="Chuyển công tác",
            )  # fmt: skip
    planned = PlannedMeeting.objects.filter(organization=cell).count()
    ctx.write(
        f"  tài khoản đảng viên {member.full_name} (CCCD {member.citizen_id}); {planned} buổi "
        f"sinh hoạt sắp tới; thông báo {notice.number} gửi chi bộ."
    )


def account_rows(password: str) -> list[tuple[str, str, str, str]]:
    """(CCCD, mật khẩu, vai trò, chi bộ) of the demo's member accounts."""
    accounts = MemberAccount.objects.filter(
        activated_at__isnull=False, deactivated_at__isnull=True, created_by__isnull=True
    ).select_related("member__organization")
    return [
        (a.member.citizen_id or a.member.party_card_no, password, ROLE_LABEL,
         f"{a.member.organization.name} ({a.member.organization.code}) — {a.member.full_name}")
        for a in accounts.order_by("id")[:3]
    ]  # fmt: skip
