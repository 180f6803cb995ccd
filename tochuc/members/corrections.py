"""Correcting and cancelling recorded acts of a member's timeline.

An act — a timeline event: confirmation, a transfer (out, its receipt, in from outside),
a temporary transfer and its return, an exemption or its end, a discipline, an exit
(removal, expulsion, resignation, death), a re-admission — can be corrected (its date,
its decision number, its organization) or cancelled, with a mandatory reason and the
correcting decision's number where there is one.

A correction replays the member's whole timeline through the engine
(`timeline.replay`): every later act is checked again, so a correction that would make a
later act impossible (a removal moved after a later transfer, a transfer cancelled under
its receipt …) is refused with the reason and changes nothing. Accepted, it rewrites the
events, derives the activity periods, the status and the transfers' states again, keeps
the act as it was and as it became (`TimelineCorrection`, the member's history with the
reason) and records `tochuc.member.event_corrected` / `event_cancelled` with before and
after, which makes the summary of the provinces concerned stale (statistics/counts.py), so
a report for any date counts the corrected facts.

`timeline_correction_preview` shows what would change (status, exemption, periods)
without writing; `timeline_act_correct` and `timeline_act_cancel` write;
`admission_act_correct` corrects the admission (decision date and number, ceremony date),
which is never cancelled here. Before writing, `hooks.acts_corrected` lets the apps that
keep a record of an act (a discipline decision, an admission, a confirmation decision)
follow it in the same transaction, or refuse.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tochuc.core import audit, corrections
from tochuc.core.corrections import Grounds
from tochuc.core.errors import ProcedureError
from tochuc.lib.dates import vn_date
from tochuc.organizations.models import Organization
from tochuc.policy.acts import after_admission, check_act_date, of_age, probation_ends
from tochuc.policy.rules import policy_for

from . import hooks
from .models import Affiliation, Member, MemberEvent, Status
from .store import (
    OrgLookup,
    apply_derived,
    link_periods,
    member_lock,
    member_save,
    stored_events,
)
from .timeline import Event, Period, Refused, Timeline, check_holds, replay

T = MemberEvent.Type
CORRECTABLE = tuple(t for t in T.values if t not in (T.ADMITTED, T.REORGANIZED))
# On the timeline's "Sửa / Hủy" page: those, and the admission (corrected, never cancelled
# there: `admission_act_correct`).
ON_THE_PAGE = (*CORRECTABLE, T.ADMITTED)
# Where an act's organization is its destination (other_organization) rather than where
# it was recorded.
TOWARDS = (T.TRANSFERRED_OUT, T.TEMPORARY_OUT)
# Acts that open a period at their organization.
OPENING = (T.TRANSFERRED_IN, T.READMITTED)


@dataclass
class Change:
    """What the user asks: new values (None: unchanged), or cancel."""

    on: date | None = None
    decision_no: str | None = None
    organization: Organization | None = None
    cancel: bool = False
    # Set only by the apps that keep a record of the act (the decision's date, the
    # discipline's form, the ceremony date of an admission).
    decision_date: date | None = None
    detail: dict | None = None
    note: str | None = None


@dataclass
class _Result:
    member: Member
    stored: list[Event]
    periods: list[Period]
    replayed: Timeline
    touched: list[Event]
    cancelled: set[int]
    orgs: OrgLookup


def _snapshot(event: Event | MemberEvent) -> dict:
    return {
        "type": event.type, "on": event.on, "decision_no": event.decision_no,
        "organization_id": event.organization_id,
        "other_organization_id": event.other_organization_id,
        "decision_date": event.decision_date, "detail": event.detail or {}, "note": event.note,
    }  # fmt: skip


def _stored_periods(member: Member) -> list[Period]:
    return [
        Period(*values)
        for values in member.affiliations.order_by("valid_from", "id").values_list(
            "organization_id", "kind", "valid_from", "valid_to", "started_by_id", "id"
        )
    ]


def _pairs(timeline: Timeline) -> dict[int, Event]:
    """The event that ended each transfer (receipt, return), by its issue's pk."""
    return {
        move.out.pk: event
        for move, how, event in timeline.ended
        if how in ("received", "returned") and move.out.pk is not None
    }


def _plan(
    member: Member, act: MemberEvent, change: Change, *, admission: bool = False, follow=None
) -> _Result:
    """Replay the member's timeline with the act changed; refused if the rules refuse.
    `admission`: the act is the admission (corrected from the admission's own page);
    `follow(target, events)`: the other events that move with it (returned, changed)."""
    if act.type not in CORRECTABLE and not (admission and act.type == T.ADMITTED):
        raise ProcedureError(
            _(
                "Không sửa, hủy “%(type)s” ở đây: kết nạp được đính chính trong hồ sơ "
                "kết nạp; sắp xếp tổ chức theo sự kiện của tổ chức."
            )
            % {"type": act.get_type_display()}
        )
    orgs = OrgLookup()
    stored = stored_events(member)
    periods = _stored_periods(member)
    link_periods(stored, periods)
    events = [e.copy() for e in stored]
    by_pk = {e.pk: e for e in events}
    target = by_pk[act.pk]
    # The stored history, played once, names the receipt or return of each transfer.
    try:
        pairs = _pairs(replay(member.full_name, [e.copy() for e in stored], org=orgs,
                              policies=policy_for))  # fmt: skip
    except Refused:
        pairs = {}
    paired = pairs.get(target.pk)
    if paired is not None:
        paired = by_pk[paired.pk]
    issue = next((by_pk[out] for out, back in pairs.items() if back.pk == target.pk), None)
    touched = [target]
    cancelled: set[int] = set()
    if change.cancel:
        cancelled.add(target.pk)
        if paired is not None:  # a transfer cancelled takes its receipt or return with it
            cancelled.add(paired.pk)
            touched.append(paired)
    else:
        # The admission no earlier than the person is of age; any other act no earlier
        # than the admission (and never after today or before the Party's founding).
        policy = policy_for(change.on or target.on)
        bound = of_age(member.birth_date, policy) if admission else after_admission(member)
        _change(target, change, paired, issue, touched, orgs, earliest=[bound])
        if follow is not None:
            touched.extend(e for e in follow(target, events) if e not in touched)
    kept = [e for e in events if e.pk not in cancelled]
    try:
        replayed = replay(member.full_name, kept, org=orgs, policies=policy_for)
    except Refused as refusal:
        raise ProcedureError(
            _("Không thể %(value)s như vậy: %(reason)s Chưa thay đổi gì.")
            % {"value": _("hủy") if change.cancel else _("sửa"), "reason": refusal.reason}
        ) from refusal
    if replayed.open_official() is None and replayed.organization_now() is None:
        raise ProcedureError(_("Sau khi sửa, đảng viên không còn nơi sinh hoạt chính thức nào."))
    return _Result(member, stored, periods, replayed, touched, cancelled, orgs)


def _change(
    target: Event, change: Change, paired, issue, touched, orgs: OrgLookup, *, earliest
) -> None:
    old_on = target.on
    check_act_date(change.decision_date, field="decision_date")
    if change.on is not None and change.on != target.on:
        check_act_date(change.on, field="on", earliest=earliest)
        target.on = change.on
        if target.since == old_on:
            target.since = change.on
        # A transfer recorded at once (arrival on the day of leaving) moves as one.
        if paired is not None and paired.on == old_on and target.type == T.TRANSFERRED_OUT:
            paired.on = change.on
            if paired.since == old_on:
                paired.since = change.on
            touched.append(paired)
    if change.decision_no is not None:
        target.decision_no = change.decision_no.strip()
    if change.decision_date is not None:
        target.decision_date = change.decision_date
    if change.detail is not None:
        target.detail = {**(target.detail or {}), **change.detail}
    if change.note is not None:
        target.note = change.note
    organization = change.organization
    if organization is None:
        return
    pk = orgs.add(organization)
    if target.type in TOWARDS:
        if target.other_organization_id is None:
            raise ValidationError(
                {"organization": _("Chuyển ra ngoài hệ thống: không có chi bộ nơi đến để sửa.")}
            )
        target.other_organization_id = pk
        if paired is not None:
            if target.type == T.TRANSFERRED_OUT:
                paired.organization_id = paired.into = pk
            else:
                paired.other_organization_id = pk
            touched.append(paired)
    elif target.type in OPENING:
        target.organization_id = target.into = pk
        if issue is not None:
            issue.other_organization_id = pk
            touched.append(issue)
    else:
        check_holds(orgs(pk), target.on)
        target.organization_id = pk


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def _period_rows(periods, orgs: OrgLookup) -> list[dict]:
    return [
        {
            "organization": orgs(p.organization_id).name,
            "kind": Affiliation.Kind(p.kind).label,
            "valid_from": vn_date(p.valid_from),
            "valid_to": vn_date(p.valid_to) if p.valid_to else "",
        }
        for p in sorted(periods, key=lambda p: (p.valid_from, p.kind, p.organization_id))
    ]


def _describe(event: Event, orgs: OrgLookup) -> str:
    where = ""
    target = event.other_organization_id if event.type in TOWARDS else event.organization_id
    if target:
        where = f" — {orgs(target).name}"
    number = f" ({event.decision_no})" if event.decision_no else ""
    if event.decision_date and event.decision_date != event.on:
        decided = _("quyết định ngày %(on)s") % {"on": vn_date(event.decision_date)}
        number = f" ({event.decision_no}, {decided})" if event.decision_no else f" ({decided})"
    label = event.label
    if event.type == T.DISCIPLINED and event.note:  # the form: "Cảnh cáo: <reasons>"
        label = f"{label} {event.note.split(':')[0].lower()}"
    ceremony = (event.detail or {}).get("ceremony_on") if event.type == T.ADMITTED else None
    if ceremony:
        where += _(", lễ kết nạp ngày %(on)s") % {"on": vn_date(_as_date(ceremony))}
    return _("%(label)s ngày %(on)s%(number)s%(where)s") % {
        "label": label,
        "on": vn_date(event.on),
        "number": number,
        "where": where,
    }


def _check_request(grounds: Grounds, expected_version: int | None, member: Member) -> None:
    grounds.check()
    if expected_version is not None and member.row_version != expected_version:
        raise ProcedureError(
            _(
                "Hồ sơ đã được người khác sửa sau khi đồng chí mở trang này. Chưa thay "
                "đổi gì; hãy tải lại trang."
            )
        )


def _write(result: _Result, *, grounds: Grounds, by) -> None:
    member, replayed = result.member, result.replayed
    stored = {e.pk: e for e in result.stored}
    after = {e.pk: e for e in replayed.events}
    changes = {
        pk: (event, after.get(pk))
        for pk, event in stored.items()
        if pk in result.cancelled or _snapshot(event) != _snapshot(after[pk])
    }
    # The apps keeping a record of an act (a discipline, a confirmation) follow, or refuse.
    hooks.notify_acts_corrected(member, changes, grounds=grounds, by=by)
    # Events: the changed ones rewritten, the cancelled ones removed.
    for event in replayed.events:
        before = stored[event.pk]
        if _snapshot(before) != _snapshot(event):
            MemberEvent.objects.filter(pk=event.pk).update(
                on=event.on, decision_no=event.decision_no, decision_date=event.decision_date,
                organization_id=event.organization_id,
                other_organization_id=event.other_organization_id,
                detail=event.detail, note=event.note,
            )  # fmt: skip
            if event.type == T.ADMITTED:
                member.admitted_on = event.on
                ceremony = (event.detail or {}).get("ceremony_on")
                member.ceremony_on = _as_date(ceremony) if ceremony else None
    hooks.replay_moves(member, replayed, result.cancelled)  # the transfers' rows follow
    if result.cancelled:
        MemberEvent.objects.filter(pk__in=result.cancelled).delete()
    # Periods: derived again from the corrected timeline.
    member.affiliations.all().delete()
    Affiliation.objects.bulk_create(
        Affiliation(
            member=member,
            organization_id=p.organization_id,
            kind=p.kind,
            valid_from=p.valid_from,
            valid_to=p.valid_to,
            started_by_id=p.started_by.pk if isinstance(p.started_by, Event) else p.started_by,
        )  # fmt: skip
        for p in replayed.periods
    )
    confirmed = [e.on for e in replayed.events if e.type == T.CONFIRMED]
    member.confirmed_on = max(confirmed) if confirmed else None
    apply_derived(member, replayed)


def _provinces(member: Member) -> list[int]:
    return sorted(
        {p for p in member.affiliations.values_list("organization__province_id", flat=True) if p}
    )


AUDIT_ACTIONS = {
    corrections.CORRECTED: "tochuc.member.event_corrected",
    corrections.CANCELLED: "tochuc.member.event_cancelled",
}
LABELS = {  # translated where used (they are stored with the correction)
    "status": gettext_noop("Tình trạng"),
    "exempted": gettext_noop("Miễn công tác và sinh hoạt đảng"),
    "periods": gettext_noop("Nơi sinh hoạt chính thức"),
    "temporary": gettext_noop("Sinh hoạt tạm thời"),
}


def _state(timeline_periods, status: str, exempted: bool, orgs: OrgLookup) -> dict:
    rows = _period_rows(timeline_periods, orgs)

    def text(kind):
        return "; ".join(
            f"{r['organization']} {r['valid_from']}–{r['valid_to'] or '…'}"
            for r in rows
            if r["kind"] == Affiliation.Kind(kind).label
        )

    return {
        "status": Status(status or Status.PROBATIONARY).label,
        "exempted": exempted,
        "periods": text(Affiliation.Kind.OFFICIAL),
        "temporary": text(Affiliation.Kind.TEMPORARY),
    }


def _record(result: _Result, action: str, *, grounds: Grounds, by) -> None:
    member, orgs = result.member, result.orgs
    before_provinces = _provinces(member)
    stored = {e.pk: e for e in result.stored}
    replayed = {e.pk: e for e in result.replayed.events}
    labels = {key: _(text) for key, text in LABELS.items()}
    before = {"status": None}
    after = {"status": None}
    events_before, events_after = {}, {}
    for event in result.touched:
        key = f"event_{event.pk}"
        labels[key] = _("Sự kiện #%(event_id)s") % {"event_id": event.pk}
        before[key] = _describe(stored[event.pk], orgs)
        after[key] = _describe(replayed[event.pk], orgs) if event.pk in replayed else None
        events_before[str(event.pk)] = _snapshot(stored[event.pk])
        events_after[str(event.pk)] = (
            _snapshot(replayed[event.pk]) if event.pk in replayed else None
        )
    before |= _state(result.periods, member.status, member.is_exempted, orgs)
    after |= _state(result.replayed.periods, result.replayed.status, result.replayed.exempted,
                    orgs)  # fmt: skip
    corrections.record(
        obj=member, entity="member", action=action, grounds=grounds, before=before,
        after=after, by=by, audit_on=[], labels=labels,
    )  # fmt: skip
    _write(result, grounds=grounds, by=by)
    verb = _("Hủy") if action == corrections.CANCELLED else _("Sửa")
    member_save(
        member,
        (
            _("%(verb)s sự kiện: %(reason)s %(decision_no)s")
            % {"verb": verb, "reason": grounds.reason, "decision_no": grounds.decision_no}
        ).strip(),
    )
    provinces = sorted(set(before_provinces) | set(_provinces(member)))
    audit.record(
        AUDIT_ACTIONS[action], by=by, obj=member, reason=grounds.reason,
        decision_no=grounds.decision_no, event=result.touched[0].pk, before=events_before,
        after=events_after, provinces=provinces, province=audit.shared_province(*provinces),
    )  # fmt: skip


@transaction.atomic
def timeline_act_correct(
    *, member: Member, act: MemberEvent, grounds: Grounds, on: date | None = None,
    decision_no: str | None = None, organization: Organization | None = None,
    decision_date: date | None = None, detail: dict | None = None, note: str | None = None,
    expected_version: int | None = None, by=None,
) -> Member:  # fmt: skip
    """Correct the act's date, decision number or organization (None: unchanged); the
    apps keeping a record of the act also pass its decision date, detail and note."""
    member = member_lock(member)
    _check_request(grounds, expected_version, member)
    act = member.events.get(pk=act.pk)
    change = Change(on=on, decision_no=decision_no, organization=organization,
                    decision_date=decision_date, detail=detail, note=note)  # fmt: skip
    result = _plan(member, act, change)
    stored = {e.pk: e for e in result.stored}
    if all(_snapshot(e) == _snapshot(stored[e.pk]) for e in result.touched):
        raise ValidationError({"on": _("Chưa có gì khác với bản đã ghi.")})
    _record(result, corrections.CORRECTED, grounds=grounds, by=by)
    return member


@transaction.atomic
def timeline_act_cancel(
    *, member: Member, act: MemberEvent, grounds: Grounds, expected_version: int | None = None,
    by=None,
) -> Member:  # fmt: skip
    """Cancel an act recorded by mistake (a transfer with its receipt or return)."""
    member = member_lock(member)
    _check_request(grounds, expected_version, member)
    act = member.events.get(pk=act.pk)
    result = _plan(member, act, Change(cancel=True))
    _record(result, corrections.CANCELLED, grounds=grounds, by=by)
    return member


@transaction.atomic
def admission_act_correct(
    *, member: Member, grounds: Grounds, decided_on: date | None = None,
    decision_no: str | None = None, ceremony_on: date | None = None, by=None,
) -> Member:  # fmt: skip
    """Correct the admission of a member: the decision's date (membership and party age
    start there) and number, the ceremony's date ("ngày vào Đảng"; probation runs from it).
    A confirmation recorded on the day probation ended moves with the new end of
    probation. Replayed like any act: refused, changing nothing, when a later act would be
    impossible (a decision dated after the confirmation …)."""
    member = member_lock(member)
    grounds.check()
    act = member.events.get(type=T.ADMITTED)
    old_ceremony = member.ceremony_on or member.admitted_on
    new_decided = decided_on or member.admitted_on
    new_ceremony = ceremony_on or member.ceremony_on
    if new_ceremony and new_ceremony < new_decided:
        raise ValidationError(
            {"ceremony_on": _("Ngày lễ kết nạp không được trước ngày quyết định kết nạp.")}
        )
    check_act_date(new_ceremony, field="ceremony_on")
    old_end = probation_ends(old_ceremony)
    new_end = probation_ends(new_ceremony or new_decided)

    def follow(target: Event, events: list[Event]) -> list[Event]:
        moved = []
        for event in events:
            if event.type == T.CONFIRMED and event.on == old_end and new_end != old_end:
                if new_end > timezone.localdate():
                    raise ValidationError(
                        {"ceremony_on": _("Thời gian dự bị sẽ kết thúc ngày %(new_end)s, sau "
                                          "hôm nay, nhưng đảng viên đã được công nhận chính "
                                          "thức.") % {"new_end": vn_date(new_end)}}
                    )  # fmt: skip
                event.on = new_end
                moved.append(event)
        return moved

    detail = {"ceremony_on": new_ceremony.isoformat() if new_ceremony else None}
    change = Change(on=decided_on, decision_no=decision_no, detail=detail)
    result = _plan(member, act, change, admission=True, follow=follow)
    stored = {e.pk: e for e in result.stored}
    if all(_snapshot(e) == _snapshot(stored[e.pk]) for e in result.touched):
        raise ValidationError({"decided_on": _("Chưa có gì khác với bản đã ghi.")})
    _record(result, corrections.CORRECTED, grounds=grounds, by=by)
    return member
