"""Requests a member files from their phone, and the officers' answers.

Each request is due on a day of the dated policy (working days from the day received) and
lands in the queue of the member's cell (its secretary, and the officers above it, who are
told). Accepting does the work through the owning app's service: a correction goes through
`members.services.member_update` with the version check of the record as the officer saw
it; a transfer letter sends the officer to the transfers app's issue procedure; a
self-assessment sheet is entered by `ratings.services.rating_self_assess`. Refusing needs a
reason. The member is told either way; every step is audited.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tochuc.accounts.models import Grant
from tochuc.accounts.permissions import ANSWER_REQUESTS, ROLE_PERMISSIONS
from tochuc.core import audit
from tochuc.core.errors import ProcedureError
from tochuc.documents.models import Attachment, Document
from tochuc.lib.dates import vn_date
from tochuc.members.models import Member
from tochuc.members.services import member_update
from tochuc.notifications.models import Kind as NoticeKind
from tochuc.notifications.selectors import told_since
from tochuc.notifications.services import notify, notify_each
from tochuc.organizations.models import Organization
from tochuc.policy.calendar import add_working_days
from tochuc.policy.rules import policy_for
from tochuc.ratings.services import rating_self_assess

from .models import DocumentRead, RequestKind, RequestState, SelfRequest
from .selectors import assessment_sheet, due_items_of, overdue_requests, usable_accounts

# The personal data a member may ask to have corrected from their phone (the rest of the
# record — name, birth date, CCCD, admission — is changed by the officers with its papers).
CORRECTABLE = (
    "phone", "email", "residence", "hometown", "birthplace", "occupation", "workplace",
    "other_names",
)  # fmt: skip


def field_label(name: str) -> str:
    return str(Member._meta.get_field(name).verbose_name).capitalize()


def due_on(kind: str, received: date) -> date:
    days = dict(policy_for(received).selfservice_request_working_days)[kind]
    return add_working_days(received, days)


def officers_of(organization: Organization) -> list:
    """Users whose active grant at `organization` or above it lets them answer requests."""
    prefixes = [p + "/" for p in _prefixes(organization.path)]
    roles = [role for role, perms in ROLE_PERMISSIONS.items() if ANSWER_REQUESTS in perms]
    grants = (
        Grant.objects.active_on(timezone.localdate())
        .filter(role__in=roles, organization__path__in=prefixes)
        .select_related("user")
    )
    return [g.user for g in grants]


def _prefixes(path: str) -> list[str]:
    parts = [p for p in path.split("/") if p]
    return ["/".join(parts[: i + 1]) for i in range(len(parts))]


def _queue_url() -> str:
    return reverse("selfservice:queue")


def _file(member: Member, kind: str, *, note: str, by, **values) -> SelfRequest:
    if not member.is_active:
        raise ProcedureError(_("Hồ sơ không còn sinh hoạt đảng: không gửi yêu cầu được."))
    if SelfRequest.objects.filter(
        member=member, kind=kind, state=RequestState.PENDING, field=values.get("field", "")
    ).exists():
        raise ProcedureError(
            _("Đồng chí đã có một yêu cầu “%(kind)s” đang chờ trả lời.")
            % {"kind": RequestKind(kind).label}
        )
    today = timezone.localdate()
    request = SelfRequest(
        member=member, organization=member.organization, kind=kind, note=note.strip(),
        received_on=today, due_on=due_on(kind, today), **values,
    )  # fmt: skip
    request.full_clean(exclude=["member", "organization", "answered_by"])
    request.save()
    audit.record(
        "tochuc.self_request.filed", by=by, obj=member, kind=kind, request=request.pk,
        due_on=request.due_on,
    )  # fmt: skip
    notify(
        users=officers_of(member.organization),
        kind=NoticeKind.REQUEST_RECEIVED,
        title=_("Yêu cầu mới: %(kind)s — %(name)s")
        % {"kind": request.get_kind_display(), "name": member.full_name},
        body=_("Hạn trả lời %(day)s.") % {"day": vn_date(request.due_on)},
        url=_queue_url(),
    )
    return request


@transaction.atomic
def request_correction(
    *, member: Member, field: str, asked_value: str, note: str = "", by=None
) -> SelfRequest:
    """Ask for a field of one's record to be corrected (the data subject's right)."""
    if field not in CORRECTABLE:
        raise ValidationError({"field": _("Chọn thông tin cần sửa.")})
    asked_value = " ".join((asked_value or "").split())
    held = getattr(member, field) or ""
    if not asked_value:
        raise ValidationError({"asked_value": _("Ghi giá trị đúng.")})
    if asked_value == held:
        raise ValidationError({"asked_value": _("Giá trị này trùng với giá trị đang lưu.")})
    return _file(
        member, RequestKind.CORRECTION, note=note, by=by,
        field=field, held_value=held, asked_value=asked_value,
    )  # fmt: skip


@transaction.atomic
def request_transfer_letter(
    *, member: Member, destination: str, moving_on: date | None, note: str = "", by=None
) -> SelfRequest:
    """Ask for a letter to transfer one's party activity (official) to `destination`."""
    destination = " ".join((destination or "").split())
    if not destination:
        raise ValidationError({"destination": _("Ghi nơi chuyển đến (cơ quan, địa phương).")})
    detail = {"destination": destination}
    if moving_on is not None:
        detail["moving_on"] = moving_on.isoformat()
    return _file(member, RequestKind.TRANSFER_LETTER, note=note, by=by, detail=detail)


@transaction.atomic
def request_self_assessment(
    *, member: Member, scores: list, comment: str = "", by=None
) -> SelfRequest:
    """Send the yearly self-assessment sheet: a score per criterion of the rating's sheet."""
    subject, criteria = assessment_sheet(member)
    if subject is None:
        raise ProcedureError(_("Chưa có kỳ đánh giá nào đang mở cho đồng chí."))
    errors, clean = {}, []
    for index, ((_label, top), raw) in enumerate(zip(criteria, scores, strict=True)):
        try:
            value = Decimal(str(raw).replace(",", "."))
        except (InvalidOperation, ValueError):
            value = None
        if value is None or value < 0 or value > top:
            errors[f"c{index}"] = _("Điểm từ 0 đến %(top)s.") % {"top": top}
        clean.append(str(value))
    if errors:
        raise ValidationError(errors)
    detail = {"subject": subject.pk, "session": subject.session.title, "scores": clean,
              "comment": comment.strip()}  # fmt: skip
    return _file(member, RequestKind.SELF_ASSESSMENT, note=comment, by=by, detail=detail)


def _lock_open(request: SelfRequest) -> SelfRequest:
    request = SelfRequest.objects.select_for_update().select_related("member").get(pk=request.pk)
    if request.state != RequestState.PENDING:
        raise ProcedureError(
            _("Yêu cầu này đã được trả lời hoặc đã rút (%(state)s).")
            % {"state": request.get_state_display()}
        )
    return request


def _close(request: SelfRequest, state: str, *, outcome: str, by, url: str = "") -> None:
    request.state = state
    request.outcome = outcome
    request.outcome_url = url
    request.answered_at = timezone.now()
    request.answered_by = by if getattr(by, "is_authenticated", False) else None
    request.save()


def _tell_member(request: SelfRequest) -> None:
    account = getattr(request.member, "account", None)
    if account is None or not account.is_usable:
        return
    notify(
        users=[account.user],
        kind=NoticeKind.REQUEST_ANSWERED,
        title=_("Yêu cầu “%(kind)s”: %(state)s")
        % {"kind": request.get_kind_display(), "state": request.get_state_display().lower()},
        body=request.outcome,
        url=reverse("selfservice:requests"),
    )


@transaction.atomic
def request_accept(
    *, request: SelfRequest, by, expected_version: int | None = None, outcome: str = ""
) -> SelfRequest:
    """Accept the request and do it through the owning app's service."""
    request = _lock_open(request)
    member, url = request.member, ""
    if request.kind == RequestKind.CORRECTION:
        if expected_version is None:
            raise ProcedureError(_("Thiếu phiên bản hồ sơ: tải lại trang rồi trả lời."))
        changed = member_update(
            member=member, changes={request.field: request.asked_value},
            expected_version=expected_version,
            reason=_("Yêu cầu sửa thông tin số %(pk)s của đảng viên") % {"pk": request.pk},
            by=by,
        )  # fmt: skip
        # The version the correction left: reopening undoes it only if no one saved since.
        request.detail = {**request.detail, "applied_version": changed.row_version}
        outcome = outcome or _("Đã sửa %(field)s thành “%(value)s”.") % {
            "field": field_label(request.field).lower(), "value": request.asked_value}  # fmt: skip
    elif request.kind == RequestKind.TRANSFER_LETTER:
        url = reverse("transfers:transfer", args=[member.pk])
        outcome = outcome or _("Chi bộ lập giấy giới thiệu chuyển sinh hoạt đảng.")
    else:
        subject = member.ratings.filter(pk=request.detail.get("subject")).first()
        if subject is None:
            raise ProcedureError(_("Kỳ đánh giá của bản tự đánh giá này không còn."))
        rating_self_assess(
            subject=subject, scores=[Decimal(s) for s in request.detail["scores"]],
            comment=request.detail.get("comment", ""), on=timezone.localdate(), by=by,
        )  # fmt: skip
        outcome = outcome or _("Đã ghi bản tự đánh giá vào kỳ %(title)s.") % {
            "title": subject.session.title}  # fmt: skip
    _close(request, RequestState.ACCEPTED, outcome=outcome, by=by, url=url)
    audit.record(
        "tochuc.self_request.accepted", by=by, obj=member, kind=request.kind,
        request=request.pk,
    )  # fmt: skip
    _tell_member(request)
    return request


@transaction.atomic
def request_refuse(*, request: SelfRequest, reason: str, by) -> SelfRequest:
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Ghi lý do từ chối để đảng viên biết.")})
    request = _lock_open(request)
    _close(request, RequestState.REFUSED, outcome=reason.strip(), by=by)
    audit.record(
        "tochuc.self_request.refused", by=by, obj=request.member, kind=request.kind,
        request=request.pk, reason=reason.strip(),
    )  # fmt: skip
    _tell_member(request)
    return request


REOPENABLE = (RequestState.ACCEPTED, RequestState.REFUSED)


@transaction.atomic
def request_reopen(
    *, request: SelfRequest, reason: str, by, expected_version: int | None = None
) -> SelfRequest:
    """Take back an officer's wrong answer: the request is pending again, due anew.

    Reopening an accepted correction of personal data puts back the value held before,
    through `members.services.member_update` with the version check: refused, and nothing
    changed, if the record has been saved since the correction (or since the officer's page).
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Ghi lý do mở lại để đảng viên biết.")})
    request = SelfRequest.objects.select_for_update().select_related("member").get(pk=request.pk)
    if request.state not in REOPENABLE:
        raise ProcedureError(
            _("Chỉ mở lại được yêu cầu đã chấp nhận hoặc đã từ chối (yêu cầu này: %(state)s).")
            % {"state": request.get_state_display().lower()}
        )
    again = SelfRequest.objects.filter(
        member=request.member, kind=request.kind, field=request.field,
        state=RequestState.PENDING,
    ).exclude(pk=request.pk)  # fmt: skip
    if again.exists():
        raise ProcedureError(
            _("Đảng viên đã gửi lại yêu cầu “%(kind)s” và yêu cầu đó đang chờ: trả lời yêu cầu đó.")
            % {"kind": request.get_kind_display()}
        )
    was, answered, undone = request.state, request.outcome, False
    if was == RequestState.ACCEPTED and request.kind == RequestKind.CORRECTION:
        _undo_correction(request, expected_version=expected_version, by=by)
        undone = True
    today = timezone.localdate()
    request.state = RequestState.PENDING
    request.outcome = request.outcome_url = ""
    request.answered_at = request.answered_by = None
    request.reopen_reason = reason
    request.reopened_at = timezone.now()
    request.due_on = due_on(request.kind, today)
    request.detail = {k: v for k, v in request.detail.items() if k != "applied_version"}
    request.save()
    audit.record(
        "tochuc.self_request.reopened", by=by, obj=request.member, kind=request.kind,
        request=request.pk, reason=reason, answer=str(RequestState(was).label),
        outcome=answered, undone=undone, due_on=request.due_on,
    )  # fmt: skip
    account = getattr(request.member, "account", None)
    if account is not None and account.is_usable:
        body = reason
        if undone:
            body = _("%(reason)s\nHồ sơ đã trở lại giá trị cũ: %(field)s “%(value)s”.") % {
                "reason": reason, "field": field_label(request.field).lower(),
                "value": request.held_value or "—"}  # fmt: skip
        notify(
            users=[account.user],
            kind=NoticeKind.REQUEST_ANSWERED,
            title=_("Yêu cầu “%(kind)s” được mở lại, hạn trả lời %(day)s")
            % {"kind": request.get_kind_display(), "day": vn_date(request.due_on)},
            body=body,
            url=reverse("selfservice:requests"),
        )
    return request


def _undo_correction(request: SelfRequest, *, expected_version: int | None, by) -> None:
    if expected_version is None:
        raise ProcedureError(_("Thiếu phiên bản hồ sơ: tải lại trang rồi mở lại."))
    member = request.member
    applied = request.detail.get("applied_version")
    now = getattr(Member.objects.get(pk=member.pk), request.field) or ""
    if now != request.asked_value or (applied is not None and expected_version != applied):
        raise ProcedureError(
            _(
                "Hồ sơ đã được sửa sau khi chấp nhận yêu cầu này (%(field)s đang lưu: "
                "“%(value)s”), nên không tự trả lại giá trị cũ được. Sửa hồ sơ trực tiếp nếu "
                "cần; yêu cầu chưa được mở lại."
            )
            % {"field": field_label(request.field).lower(), "value": now or "—"}
        )
    member_update(
        member=member, changes={request.field: request.held_value},
        expected_version=expected_version,
        reason=_("Mở lại yêu cầu sửa thông tin số %(pk)s: trả lại giá trị cũ") % {"pk": request.pk},
        by=by,
    )  # fmt: skip


@transaction.atomic
def request_withdraw(*, request: SelfRequest, by) -> SelfRequest:
    """The member takes back a request not answered yet (Hủy)."""
    request = _lock_open(request)
    _close(request, RequestState.WITHDRAWN, outcome=_("Đảng viên đã rút yêu cầu."), by=by)
    audit.record(
        "tochuc.self_request.withdrawn", by=by, obj=request.member, kind=request.kind,
        request=request.pk,
    )  # fmt: skip
    return request


@transaction.atomic
def document_open(*, member: Member, document: Document, by=None) -> DocumentRead:
    """The member opened a document sent to their cell: the first time is their receipt."""
    read, created = DocumentRead.objects.get_or_create(member=member, document=document)
    if created:
        audit.record(
            "tochuc.document.read_by_member", by=by, obj=document, reason=document.number,
            member=member.pk, province=member.province_id,
        )  # fmt: skip
    return read


def document_file_downloaded(*, member: Member, attachment: Attachment, by=None) -> None:
    """The member downloaded a file of a document sent to their cell: audited each time."""
    audit.record(
        "tochuc.document.file_downloaded_by_member", by=by, obj=attachment.document,
        reason=attachment.document.number, filename=attachment.filename, member=member.pk,
    )  # fmt: skip


def current_value(request: SelfRequest) -> str:
    """What the record holds now in the field a correction asks about ("" otherwise)."""
    if request.kind != RequestKind.CORRECTION:
        return ""
    return getattr(request.member, request.field) or ""


# `due_notify` reads the accounts in batches of this many: a few queries a batch.
DUE_NOTIFY_BATCH = 1000


def due_notify(*, on: date) -> dict[str, int]:
    """Tell each member with an account what is due from them, and the officers of each cell
    which requests are past their due day, the same content at most once in
    TOCHUC_DUE_NOTICE_REPEAT_DAYS (run daily by `tochuc notify_due`). The members' part reads
    and writes in batches of accounts, a few queries each, whatever the number of accounts."""
    since = timezone.now() - timedelta(days=settings.TOCHUC_DUE_NOTICE_REPEAT_DAYS)
    told = {"members": 0, "officers": 0}
    accounts = usable_accounts().order_by("pk")
    last = 0
    while batch := list(accounts.filter(pk__gt=last)[:DUE_NOTIFY_BATCH]):
        last = batch[-1].pk
        items = due_items_of(members=[a.member for a in batch], on=on)
        already = told_since(users=[a.user for a in batch], kind=NoticeKind.DUE, since=since)
        notices = []
        for account in batch:
            mine = items[account.member.pk]
            body = "\n".join(item["text"] for item in mine)
            if mine and (account.user.pk, body) not in already:
                notices.append((
                    account.user, _("Việc đến hạn của đồng chí: %(n)s việc") % {"n": len(mine)},
                    body, reverse("selfservice:home"),
                ))  # fmt: skip
        told["members"] += notify_each(kind=NoticeKind.DUE, notices=notices)
    by_cell: dict[int, list[SelfRequest]] = {}
    for request in overdue_requests(on=on):
        by_cell.setdefault(request.organization_id, []).append(request)
    for requests in by_cell.values():
        cell = requests[0].organization
        body = "\n".join(
            f"{r.member.full_name}: {r.get_kind_display()} (hạn {vn_date(r.due_on)})"
            for r in requests
        )
        officers = officers_of(cell)
        already = told_since(users=officers, kind=NoticeKind.DUE, since=since)
        told["officers"] += notify(
            users=[u for u in officers if (u.pk, body) not in already], kind=NoticeKind.DUE,
            title=_("%(n)s yêu cầu của đảng viên %(cell)s đã quá hạn trả lời")
            % {"n": len(requests), "cell": cell.name},
            body=body, url=_queue_url(),
        )  # fmt: skip
    return told
