"""Writes to the member registry. The only code that changes members.

Each service records a dated `MemberEvent`, adjusts `Affiliation` periods, then derives
the stored current state with `member_recompute`. Rule numbers come from the dated
policy (`policy_for`), never from here.
"""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tochuc.core import audit
from tochuc.core.errors import ProcedureError
from tochuc.lib.vntext import fold, person_sort_key
from tochuc.organizations.models import Organization
from tochuc.policy.acts import (
    act_date_refusal,
    after_admission,
    birth_date_refusal,
    check_act_date,
    of_age,
)
from tochuc.policy.rules import policy_for

from . import identity, party_age
from .models import PERSONAL_FIELDS, Affiliation, Member, MemberEvent, Status
from .store import OrgLookup, apply_derived, member_lock, member_save, timeline_load, timeline_write
from .timeline import Timeline, check_exit_type, check_holds, fold_status

T = MemberEvent.Type
CITIZEN_ID = re.compile(r"^\d{12}$")
EDUCATION = re.compile(r"^(1[0-2]|[1-9])/(10|12)$")


# ---------------------------------------------------------------- checks


def record_errors(values, *, today: date | None = None) -> dict[str, str]:
    """The rules of `check_personal` that need no database, on a mapping of field values,
    field → message (imports and the bulk path check a whole file's duplicates in a few
    queries instead)."""
    errors: dict[str, str] = {}
    today = today or timezone.localdate()
    citizen_id, education = values.get("citizen_id"), values.get("general_education")
    birth_date = values.get("birth_date")
    if not (values.get("full_name") or "").strip():
        errors["full_name"] = _("Họ và tên không được để trống.")
    if citizen_id and not CITIZEN_ID.match(citizen_id):
        errors["citizen_id"] = _("Số CCCD phải gồm đúng 12 chữ số.")
    if education and not EDUCATION.match(education):
        errors["general_education"] = _("Giáo dục phổ thông ghi dạng 12/12 hoặc 10/10.")
    if not birth_date:
        errors["birth_date"] = _("Ngày sinh không được để trống.")
    elif birth_date_refusal(birth_date, today=today):
        errors["birth_date"] = birth_date_refusal(birth_date, today=today)
    return errors


def personal_field_errors(member: Member, *, today: date | None = None) -> dict[str, str]:
    return record_errors(member.__dict__, today=today)


def citizen_id_taken(citizen_id: str) -> str:
    return _("Số CCCD %(citizen_id)s đã có trong hồ sơ khác.") % {"citizen_id": citizen_id}


def party_card_taken(party_card_no: str) -> str:
    return _("Số thẻ đảng viên %(party_card_no)s đã được dùng.") % {"party_card_no": party_card_no}


def check_personal(member: Member, *, by=None) -> None:
    """Field rules of the record, with a Vietnamese message beside each field. A number
    taken by a record outside `by`'s scope is answered without saying whose, and the
    look-ups are counted (`identity`)."""
    errors = personal_field_errors(member)
    checker = identity.Checker.for_user(by)
    wanted = [f for f in ("citizen_id", "party_card_no") if getattr(member, f)]
    checker.spend_checks(len(wanted), wanted[0] if wanted else None)
    if member.citizen_id and "citizen_id" not in errors:
        clash = Member.objects.filter(citizen_id=member.citizen_id).exclude(status=Status.DECEASED)
        if member.pk:
            clash = clash.exclude(pk=member.pk)
        message = checker.clash(
            "citizen_id", clash, in_scope_message=citizen_id_taken(member.citizen_id)
        )
        if message:
            errors["citizen_id"] = message
    if member.party_card_no:
        clash = Member.objects.filter(party_card_no=member.party_card_no).exclude(party_card_no="")
        if member.pk:
            clash = clash.exclude(pk=member.pk)
        message = checker.clash(
            "party_card_no", clash, in_scope_message=party_card_taken(member.party_card_no)
        )
        if message:
            errors["party_card_no"] = message
    checker.raise_errors(errors)


def check_dates(
    *,
    birth_date: date,
    admitted_on: date,
    ceremony_on: date | None,
    confirmed_on: date | None,
    today: date | None = None,
    policies=policy_for,
) -> None:
    """birth < admission decision ≤ ceremony ≤ confirmation; each an act's date
    (policy/acts.py), the decision not before the minimum age of `policies(decision)`."""
    errors: dict[str, str] = {}
    if birth_date and admitted_on and admitted_on <= birth_date:
        errors["admitted_on"] = _("Ngày quyết định kết nạp phải sau ngày sinh.")
    if ceremony_on and admitted_on and ceremony_on < admitted_on:
        errors["ceremony_on"] = _("Ngày vào Đảng không được trước ngày quyết định kết nạp.")
    if (
        confirmed_on
        and (ceremony_on or admitted_on)
        and confirmed_on < (ceremony_on or admitted_on)
    ):
        errors["confirmed_on"] = _("Ngày chính thức không được trước ngày vào Đảng.")
    today = today or timezone.localdate()
    of_age_on = [of_age(birth_date, policies(admitted_on))] if admitted_on else []
    for name, value, earliest in (("admitted_on", admitted_on, of_age_on),
                                  ("ceremony_on", ceremony_on, ()),
                                  ("confirmed_on", confirmed_on, ())):  # fmt: skip
        refusal = name not in errors and act_date_refusal(value, earliest=earliest, today=today)
        if refusal:
            errors[name] = refusal
    if errors:
        raise ValidationError(errors)


def check_holds_members(organization: Organization, on: date) -> None:
    check_holds(organization, on)


# ---------------------------------------------------------------- derived state


def member_recompute(member: Member) -> Member:
    """Derive status, organization, exemption and party-age anchor from the timeline."""
    events = list(member.events.all())
    status, _confirmed, exempted = fold_status(sorted(events, key=lambda e: (e.on, e.pk)))
    official = (
        member.affiliations.filter(kind=Affiliation.Kind.OFFICIAL)
        .select_related("organization")
        .order_by("-valid_from")
        .first()
    )
    if official is None:
        raise ProcedureError(_("Đảng viên chưa có nơi sinh hoạt chính thức."))
    organization = official.organization
    member.status = status or Status.PROBATIONARY
    member.is_exempted = exempted
    member.organization = organization
    member.province_id = organization.province_id
    member.org_path = organization.path
    member.party_age_anchor = party_age.anchor(events, timezone.localdate())
    member.name_folded = fold(member.full_name)
    member.name_sort = person_sort_key(member.full_name)
    return member


# ---------------------------------------------------------------- services
# Each locks the member, loads its timeline (store.timeline_load), plays one step of the
# engine (timeline.Timeline) and writes what changed (store.timeline_write).


@identity.refusals_audited
@transaction.atomic
def member_register(
    *,
    organization: Organization,
    record: dict,
    admitted_on: date,
    admission_decision_no: str = "",
    ceremony_on: date | None = None,
    confirmed_on: date | None = None,
    since: date | None = None,
    by=None,
    reason: str = "",
) -> Member:
    """Enter a member with their admission (and confirmation) into a cell from `since`.

    Used for members kept elsewhere before (import, first data entry); admission itself,
    as a procedure, is the admissions app's.
    """
    unknown = set(record) - set(PERSONAL_FIELDS)
    if unknown:
        raise ValidationError(
            _("Trường không hợp lệ: %(join)s.") % {"join": ", ".join(sorted(unknown))}
        )
    member = Member(
        **record,
        admitted_on=admitted_on,
        admission_decision_no=admission_decision_no,
        ceremony_on=ceremony_on,
        confirmed_on=confirmed_on,
    )
    check_personal(member, by=by)
    check_dates(
        birth_date=member.birth_date, admitted_on=admitted_on,
        ceremony_on=ceremony_on, confirmed_on=confirmed_on,
    )  # fmt: skip
    since = since or admitted_on  # membership starts with the decision (as party age)
    check_holds_members(organization, since)
    orgs = OrgLookup()
    timeline = Timeline(member.full_name, org=orgs, policies=policy_for)
    timeline.register(
        organization_id=orgs.add(organization), admitted_on=admitted_on,
        decision_no=admission_decision_no, ceremony_on=ceremony_on, confirmed_on=confirmed_on,
        since=since,
    )  # fmt: skip
    apply_derived(member, timeline)
    member.organization = organization
    member.full_clean(exclude=["organization", "photo"], validate_unique=False)
    member.skip_history_when_saving = True  # one history entry: the complete record below
    member_save(member, reason or _("Nhập hồ sơ"), bump=False)
    del member.skip_history_when_saving
    timeline_write(member, timeline, reason=reason or _("Nhập hồ sơ"), by=by, bump=False)
    audit.record("tochuc.member.registered", by=by, obj=member, organization=organization.code)
    return member


@identity.refusals_audited
@transaction.atomic
def member_update(
    *, member: Member, changes: dict, expected_version: int, reason: str = "", by=None
) -> Member:
    """Edit the personal record; refused if someone saved it since `expected_version`."""
    unknown = set(changes) - set(PERSONAL_FIELDS)
    if unknown:
        raise ValidationError(
            _("Không được sửa các trường: %(join)s.") % {"join": ", ".join(sorted(unknown))}
        )
    current = member_lock(member)
    if current.row_version != expected_version:
        raise ProcedureError(
            _(
                "Hồ sơ đã được người khác sửa sau khi đồng chí mở trang này. Thay đổi "
                "của đồng chí chưa được lưu; hãy tải lại trang để xem bản mới rồi sửa "
                "lại."
            )
        )
    before = {name: getattr(current, name) for name in changes}
    for name, value in changes.items():
        setattr(current, name, value)
    check_personal(current, by=by)
    check_dates(
        birth_date=current.birth_date, admitted_on=current.admitted_on,
        ceremony_on=current.ceremony_on, confirmed_on=current.confirmed_on,
    )  # fmt: skip
    changed = {k: (before[k], v) for k, v in changes.items() if before[k] != v}
    if not changed:
        return current
    current.name_folded = fold(current.full_name)
    current.name_sort = person_sort_key(current.full_name)
    member_save(current, reason or _("Sửa hồ sơ"))
    audit.record(
        "tochuc.member.updated", by=by, obj=current, reason=reason,
        fields=sorted(changed),
    )  # fmt: skip
    return current


@transaction.atomic
def member_confirm(
    *, member: Member, on: date, decision_no: str = "", decision_date: date | None = None,
    by=None,
) -> Member:  # fmt: skip
    """Full member from `on` (the day probation ended, however late the decision)."""
    member = member_lock(member)
    timeline = timeline_load(member)
    timeline.refuse_unless_probationary()
    check_act_date(on, earliest=[after_admission(member)])
    check_act_date(decision_date, field="decision_date", earliest=[after_admission(member)])
    timeline.confirm(on=on, decision_no=decision_no, decision_date=decision_date)
    member.confirmed_on = on
    timeline_write(
        member,
        timeline,
        reason=(_("Công nhận chính thức %(decision_no)s") % {"decision_no": decision_no}).strip(),
        by=by,
    )
    audit.record("tochuc.member.confirmed", by=by, obj=member, reason=decision_no, on=on)
    return member


@transaction.atomic
def member_exit(
    *, member: Member, type: str, on: date, decision_no: str = "",
    decision_date: date | None = None, grounds: str = "", by=None,
) -> Member:  # fmt: skip
    """Removal, expulsion, resignation or death: activity ends on `on`; open transfers
    end with it."""
    check_exit_type(type)
    member = member_lock(member)
    timeline = timeline_load(member)
    timeline.refuse_if_inactive(exit_=True)
    check_act_date(on, earliest=[after_admission(member)])
    check_act_date(decision_date, field="decision_date", earliest=[after_admission(member)])
    timeline.exit(type=type, on=on, decision_no=decision_no, decision_date=decision_date,
                  grounds=grounds)  # fmt: skip
    timeline_write(member, timeline, reason=f"{T(type).label} {decision_no}".strip(), by=by)
    audit.record(f"tochuc.member.{type}", by=by, obj=member, reason=decision_no, on=on)
    return member


@transaction.atomic
def member_readmit(
    *, member: Member, organization: Organization, decided_on: date,
    ceremony_on: date | None = None, decision_no: str = "", consent: str = "", by=None,
) -> Member:  # fmt: skip
    """Re-admission under the rules: long enough out, not too often, with the consent."""
    member = member_lock(member)
    before = member.province_id
    timeline = timeline_load(member)
    last_exit = timeline.last_exit()
    check_act_date(
        decided_on, field="decided_on", earliest=[(last_exit.on, _("ngày ra khỏi Đảng"))]
    )
    check_act_date(ceremony_on, field="ceremony_on", earliest=[(decided_on, _("ngày quyết định"))])
    timeline.readmit(
        on=decided_on, organization_id=timeline.org.add(organization), ceremony_on=ceremony_on,
        decision_no=decision_no, consent=consent,
    )  # fmt: skip
    timeline_write(
        member,
        timeline,
        reason=(_("Kết nạp lại %(decision_no)s") % {"decision_no": decision_no}).strip(),
        by=by,
    )
    audit.record(
        "tochuc.member.readmitted", by=by, obj=member, reason=decision_no,
        province=audit.shared_province(before, organization),
    )  # fmt: skip
    return member


@transaction.atomic
def member_transfer(
    *, member: Member, on: date, to: Organization | None = None, other_party: str = "",
    arrived_on: date | None = None, decision_no: str = "", by=None,
) -> Member:  # fmt: skip
    """A completed official transfer recorded at once (history kept elsewhere, imports):
    inside the system (to a cell, arriving on `arrived_on`), or out of it (`other_party`).
    The procedure with its letter and deadlines is the transfers app's `transfer_issue`
    then `transfer_receive`."""
    member = member_lock(member)
    timeline = timeline_load(member)
    timeline.refuse_if_inactive()
    timeline.refuse_if_moving()
    check_act_date(on, earliest=[after_admission(member)])
    check_act_date(arrived_on, field="arrived_on", earliest=[(on, _("ngày chuyển đi"))])
    source = member.organization
    timeline.transfer(
        on=on, to=timeline.org.add(to) if to is not None else None, other_party=other_party,
        arrived_on=arrived_on, decision_no=decision_no,
    )  # fmt: skip
    timeline_write(
        member,
        timeline,
        reason=(_("Chuyển sinh hoạt %(decision_no)s") % {"decision_no": decision_no}).strip(),
        by=by,
    )
    audit.record(
        "tochuc.member.transferred", by=by, obj=member, reason=decision_no,
        source=source.code, to=to.code if to else other_party,
        province=audit.shared_province(source, *([to] if to else [])),
    )  # fmt: skip
    return member


@transaction.atomic
def member_exempt(
    *, member: Member, on: date, end: bool = False, decision_no: str = "", grounds: str = "",
    by=None,
) -> Member:  # fmt: skip
    """Exemption from work and activity (or its end), decided by the cell on `on`
    (`decision_no`: the cell's resolution; `grounds`: age, health …). Exempted members are
    not rated and remain eligible for badges."""
    member = member_lock(member)
    timeline = timeline_load(member)
    timeline.refuse_exemption(end=end)
    check_act_date(on, earliest=[after_admission(member)])
    timeline.exempt(on=on, end=end, decision_no=decision_no, grounds=grounds)
    timeline_write(
        member,
        timeline,
        reason=(_("Miễn sinh hoạt %(decision_no)s") % {"decision_no": decision_no}).strip(),
        by=by,
    )
    audit.record("tochuc.member.exempted", by=by, obj=member, end=end, on=on)
    return member


@transaction.atomic
def member_discipline(
    *, member: Member, on: date, form: str, form_label: str, decision_no: str = "",
    decision_date: date | None = None, reasons: str = "", by=None,
) -> MemberEvent:  # fmt: skip
    """A discipline that keeps the member in the Party (khiển trách, cảnh cáo, cách chức),
    effective on `on`, on the timeline. Which forms a subject may receive is the inspections
    app's rule (the dated policy); expulsion is `member_exit(type="expelled")`."""
    member = member_lock(member)
    timeline = timeline_load(member)
    timeline.refuse_if_inactive()
    check_act_date(on, earliest=[after_admission(member)])
    check_act_date(decision_date, field="decision_date", earliest=[after_admission(member)])
    note = f"{form_label}: {reasons.strip()}" if reasons.strip() else form_label
    event = timeline.discipline(on=on, form=form, note=note, decision_no=decision_no,
                                decision_date=decision_date)  # fmt: skip
    timeline_write(
        member,
        timeline,
        reason=(
            _("Kỷ luật %(form_label)s %(decision_no)s")
            % {"form_label": form_label.lower(), "decision_no": decision_no}
        ).strip(),
        by=by,
    )
    audit.record(
        "tochuc.member.disciplined", by=by, obj=member, reason=decision_no, form=form, on=on
    )
    return MemberEvent.objects.get(pk=event.pk)
