"""Writes of data quality: asking for a scan, resolving a suspected pair (not the same
person, or merged through the timeline engine), screening proposals and their decision
(through the members' exit service). Each is keyword-only, atomic and audited."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tochuc.core import audit
from tochuc.core.errors import ProcedureError
from tochuc.members.models import Member, MemberEvent
from tochuc.members.services import member_exit
from tochuc.organizations.models import Organization
from tochuc.policy.acts import after_admission, check_act_date

from . import merge
from .models import DuplicatePair, Problem, Scan, ScreeningProposal
from .tasks import run_scan


def scan_request(*, organization: Organization, by=None, on: date | None = None) -> Scan:
    """Queue a scan of `organization`'s subtree (a background job). Not atomic on purpose:
    the worker must see the scan's row when it starts."""
    running = Scan.objects.filter(
        organization=organization, state__in=(Scan.State.QUEUED, Scan.State.RUNNING)
    ).first()
    if running is not None:
        return running
    scan = Scan.objects.create(
        organization=organization, org_path=organization.path, state=Scan.State.QUEUED,
        on=on or timezone.localdate(), requested_by=by if getattr(by, "pk", None) else None,
    )  # fmt: skip
    audit.record("tochuc.job.quality_scan_requested", by=by, obj=organization, scan=scan.pk)
    run_scan.enqueue(scan_id=scan.pk)
    scan.refresh_from_db()
    return scan


def _lock_open(pair: DuplicatePair) -> DuplicatePair:
    pair = DuplicatePair.objects.select_for_update().get(pk=pair.pk)
    if pair.state != DuplicatePair.State.OPEN:
        raise ProcedureError(_("Cặp hồ sơ này đã được xử lý."))
    return pair


def _check_within(pair: DuplicatePair, within: str) -> None:
    """Both records of the pair, locked, are still under `within` (the subtree the caller
    acts in, checked by the page before; a record moved out meanwhile refuses the step)."""
    if not within:
        return
    ids = [pk for pk in (pair.first_id, pair.second_id) if pk]
    locked = Member.objects.select_for_update().filter(pk__in=ids)
    current = list(locked.values_list("org_path", flat=True))
    expected = len(ids)
    if pair.candidate_id:
        from tochuc.admissions.models import Candidate

        expected += 1
        current += (
            Candidate.objects.select_for_update()
            .filter(pk=pair.candidate_id)
            .values_list("org_path", flat=True)
        )
    if len(current) != expected or not all(path.startswith(within) for path in current):
        raise ProcedureError(
            _(
                "Một trong hai hồ sơ đã chuyển ra ngoài phạm vi của bạn; cặp này không còn do "
                "bạn xử lý."
            )
        )


def _forget_duplicate(member_ids: list[int], org_paths: list[str]) -> None:
    """The members' "nghi trùng" problems go when none of their pairs is open any more; the
    scores of their organizations follow."""
    still = set()
    for first, second in DuplicatePair.objects.filter(
        Q(first_id__in=member_ids) | Q(second_id__in=member_ids), state=DuplicatePair.State.OPEN
    ).values_list("first_id", "second_id"):
        still.update((first, second))
    gone = [pk for pk in member_ids if pk not in still]
    Problem.objects.filter(member_id__in=gone, kind="duplicate").delete()
    merge.refresh_scores(org_paths)


@transaction.atomic
def pair_not_same(*, pair: DuplicatePair, reason: str, by=None, within: str = "") -> DuplicatePair:
    """Two records of two persons: never suggested again. `within`: the path of the subtree
    the caller acts in; both records must still be in it."""
    if not reason.strip():
        raise ValidationError({"reason": _("Hãy ghi căn cứ xác định đây là hai người khác nhau.")})
    pair = _lock_open(pair)
    _check_within(pair, within)
    pair.state = DuplicatePair.State.NOT_SAME
    pair.reason = reason.strip()[:255]
    pair.resolved_by = by if getattr(by, "pk", None) else None
    pair.resolved_at = timezone.now()
    pair.save()
    audit.record(
        "tochuc.quality.pair_not_same", by=by, obj=pair, reason=pair.reason,
        first=pair.first_id, second=pair.second_pk, candidate=pair.candidate_id,
    )  # fmt: skip
    members = [pair.first_id] if pair.candidate_id else [pair.first_id, pair.second_pk]
    _forget_duplicate(members, [pair.org_path, pair.other_path])
    return pair


@transaction.atomic
def pair_withdraw_candidate(
    *, pair: DuplicatePair, reason: str, on: date | None = None, by=None, within: str = ""
) -> DuplicatePair:
    """A candidate who is the member of the pair already (entered again as a candidate):
    the candidate's record is closed through the admission process's own step — "dừng xem
    xét" (`admissions.services.candidate_withdraw`) with the reason, on `on` (today) — and
    the pair is resolved. A candidate is never merged into a member: a member's record
    begins with the admission decision, which a candidate in progress does not have; what
    the candidate's record holds beyond the member's (a course, an application) stays on
    the closed record, readable with its history."""
    from tochuc.admissions.services import candidate_withdraw

    if not reason.strip():
        raise ValidationError({"reason": _("Hãy ghi căn cứ dừng xem xét hồ sơ quần chúng.")})
    pair = _lock_open(pair)
    if not pair.candidate_id:
        raise ProcedureError(_("Cặp này là hai hồ sơ đảng viên: hãy gộp hai hồ sơ."))
    _check_within(pair, within)
    text = (_("Trùng với đảng viên %(name)s (hồ sơ số %(pk)s): %(reason)s") % {
        "name": pair.first.full_name, "pk": pair.first_id, "reason": reason.strip()})  # fmt: skip
    candidate_withdraw(candidate=pair.candidate, on=on or timezone.localdate(), reason=text, by=by)
    pair.state = DuplicatePair.State.WITHDRAWN
    pair.reason = reason.strip()[:255]
    pair.resolved_by = by if getattr(by, "pk", None) else None
    pair.resolved_at = timezone.now()
    pair.save()
    audit.record(
        "tochuc.quality.pair_candidate_withdrawn", by=by, obj=pair, reason=pair.reason,
        first=pair.first_id, candidate=pair.candidate_id,
    )  # fmt: skip
    _forget_duplicate([pair.first_id], [pair.org_path, pair.other_path])
    return pair


@transaction.atomic
def pair_merge(
    *, pair: DuplicatePair, keep: int, values: dict, reason: str, by=None, within: str = ""
) -> Member:
    """Merge the pair into the record `keep` (one of its two pks): the other record's acts
    join its timeline through the engine (refused as the engine refuses), the fields take
    `values` (each chosen from either record), both histories are kept, the other record
    is removed. Audited on the kept member (`tochuc.member.merged`). `within`: the path of
    the subtree the caller acts in; both records must still be in it (checked under lock)."""
    if not reason.strip():
        raise ValidationError({"reason": _("Hãy ghi căn cứ gộp hai hồ sơ.")})
    pair = _lock_open(pair)
    if pair.candidate_id:
        raise ProcedureError(
            _("Không gộp hồ sơ quần chúng vào hồ sơ đảng viên: hãy dừng xem xét hồ sơ quần chúng.")
        )
    _check_within(pair, within)
    if keep not in (pair.first_id, pair.second_id):
        raise ValidationError({"keep": _("Hãy chọn hồ sơ giữ lại.")})
    gone_pk = pair.second_id if keep == pair.first_id else pair.first_id
    kept = merge.members_merge(keep=keep, other=gone_pk, values=values, reason=reason, by=by)
    pair.state = DuplicatePair.State.MERGED
    pair.reason = reason.strip()[:255]
    pair.resolved_by = by if getattr(by, "pk", None) else None
    pair.resolved_at = timezone.now()
    pair.first_id = kept.pk
    pair.second_id = None
    pair.save()
    _forget_duplicate([kept.pk], [pair.org_path, pair.other_path, kept.org_path])
    return kept


@transaction.atomic
def screening_propose(
    *, member: Member, grounds: list[dict], on: date, by=None, note: str = ""
) -> ScreeningProposal:
    """The cell proposes removing `member` on `grounds` (the screening list's evidence)."""
    if not grounds:
        raise ProcedureError(_("Đảng viên không có căn cứ sàng lọc nào."))
    check_act_date(on, field="on", earliest=[after_admission(member)])
    if ScreeningProposal.objects.filter(
        member=member, state=ScreeningProposal.State.PROPOSED
    ).exists():
        raise ProcedureError(_("Đảng viên này đã có đề nghị xóa tên đang chờ quyết định."))
    try:
        with transaction.atomic():
            proposal = ScreeningProposal.objects.create(
                member=member, organization=member.organization, org_path=member.org_path,
                grounds=grounds, state=ScreeningProposal.State.PROPOSED, proposed_on=on,
                proposed_by=by if getattr(by, "pk", None) else None, note=note.strip()[:255],
            )  # fmt: skip
    except IntegrityError as error:
        raise ProcedureError(_("Đảng viên này đã có đề nghị xóa tên.")) from error
    audit.record(
        "tochuc.quality.removal_proposed", by=by, obj=member, proposal=proposal.pk,
        grounds=[g["kind"] for g in grounds],
    )  # fmt: skip
    return proposal


@transaction.atomic
def screening_decide(
    *, proposal: ScreeningProposal, remove: bool, on: date, decision_no: str = "",
    note: str = "", by=None,
) -> ScreeningProposal:  # fmt: skip
    """The committee decides: removal (xóa tên) through the members' exit service, or not."""
    proposal = ScreeningProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.state != ScreeningProposal.State.PROPOSED:
        raise ProcedureError(_("Đề nghị này đã được quyết định."))
    if remove:
        if not decision_no.strip():
            raise ValidationError({"decision_no": _("Hãy ghi số quyết định xóa tên.")})
        grounds = "; ".join(g.get("text", "") for g in proposal.grounds)
        member_exit(
            member=proposal.member, type=MemberEvent.Type.REMOVED, on=on,
            decision_no=decision_no.strip(), decision_date=on, grounds=grounds, by=by,
        )  # fmt: skip
    else:
        check_act_date(on, field="on", earliest=[(proposal.proposed_on, _("ngày đề nghị"))])
    proposal.state = (
        ScreeningProposal.State.DECIDED if remove else ScreeningProposal.State.DISMISSED
    )
    proposal.decided_on = on
    proposal.decision_no = decision_no.strip()
    proposal.note = (note.strip() or proposal.note)[:255]
    proposal.save()
    audit.record(
        "tochuc.quality.removal_decided", by=by, obj=proposal.member,
        reason=proposal.decision_no, removed=remove,
    )  # fmt: skip
    return proposal
