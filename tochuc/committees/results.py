"""What a congress's results become:

- `congress_confirm`: "xác nhận kết quả" — every elected candidate takes a seat of the new
  term's committee (Cấp ủy viên, elected at the congress, on the day the committee was
  elected), and the first meeting of that committee elects from them the secretary, the
  deputies, the standing committee and the inspection commission (elected at a committee
  meeting, on its date). Once, atomic, audited; a preview runs it and rolls it back.
- `congress_delegates_set`: the delegates the congress elected to the congress of the
  level above (official and alternate), replacing the list it had.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tochuc.core import audit
from tochuc.core.errors import ProcedureError
from tochuc.lib.dates import vn_date
from tochuc.members.models import Member
from tochuc.policy.acts import check_act_date

from .models import Began, Committee, Congress, Delegate, DelegateKind, Formed, Post, Role
from .services import check_holder, check_post, create_post


@dataclass
class FirstMeeting:
    """Who the committee's first meeting elects, among the elected (members by id)."""

    held_on: date
    secretary: Member | None = None
    deputies: list[Member] = field(default_factory=list)
    standing: list[Member] = field(default_factory=list)
    inspection_chair: Member | None = None
    inspection_members: list[Member] = field(default_factory=list)

    def seats(self) -> list[tuple[str, Member]]:
        seats = [(Role.SECRETARY, self.secretary)] if self.secretary else []
        seats += [(Role.DEPUTY, m) for m in self.deputies]
        seats += [(Role.STANDING, m) for m in self.standing]
        if self.inspection_chair:
            seats.append((Role.INSPECTION_CHAIR, self.inspection_chair))
        seats += [(Role.INSPECTION_MEMBER, m) for m in self.inspection_members]
        return seats


def _lock(congress: Congress, row_version: int | None) -> Congress:
    congress = (
        Congress.objects.select_for_update().select_related("organization").get(pk=congress.pk)
    )
    if row_version is not None and row_version != congress.row_version:
        raise ProcedureError(
            _("Đại hội vừa được người khác sửa sau khi đồng chí mở trang này; hãy tải lại trang.")
        )
    return congress


def _check_meeting(committee: Committee, meeting: FirstMeeting, elected: set[int]) -> None:
    errors: dict[str, str] = {}
    formed = (committee.formed_on, _("ngày bầu cấp ủy"))
    check_act_date(meeting.held_on, field="held_on", earliest=[formed])
    if meeting.secretary is None:
        errors["secretary"] = _("Hội nghị lần thứ nhất cần bầu Bí thư.")
    limits = {
        "deputies": (meeting.deputies, committee.deputies, _("Phó Bí thư")),
        "standing": (
            meeting.standing,
            max(committee.standing_size - 1 - len(meeting.deputies), 0),
            _("ủy viên Ban Thường vụ khác"),
        ),  # fmt: skip
        "inspection_members": (
            meeting.inspection_members,
            committee.inspection_size,
            _("ủy viên Ủy ban kiểm tra"),
        ),  # fmt: skip
    }
    for name, (chosen, most, label) in limits.items():
        if len(chosen) > most:
            errors[name] = _("Cấp ủy được bầu %(most)s %(label)s; đã chọn %(count)s.") % {
                "most": most, "label": label, "count": len(chosen),
            }  # fmt: skip
    if meeting.inspection_chair is not None and not committee.inspection_size:
        errors["inspection_chair"] = _("Cấp ủy này không có Ủy ban kiểm tra.")
    leaders = [m for role, m in meeting.seats() if role in (Role.SECRETARY, Role.DEPUTY,
                                                            Role.STANDING)]  # fmt: skip
    if len({m.pk for m in leaders}) != len(leaders):
        errors.setdefault("standing", _("Một người được chọn hai lần (Bí thư, Phó Bí thư, BTV)."))
    for role, member in meeting.seats():
        if role in (Role.SECRETARY, Role.DEPUTY, Role.STANDING) and member.pk not in elected:
            key = {"secretary": "secretary", "deputy": "deputies"}.get(role, "standing")
            errors.setdefault(
                key, _("%(name)s không trúng cử cấp ủy.") % {"name": member.full_name}
            )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def congress_confirm(
    *, congress: Congress, meeting: FirstMeeting, decision_no: str, decision_date: date,
    row_version: int | None = None, by=None,
) -> list[Post]:  # fmt: skip
    """The elected take their seats in the committee the congress elected; the first meeting
    elects its leaders. `decision_no`: the congress's resolution (or the decision above
    approving the result)."""
    congress = _lock(congress, row_version)
    if congress.confirmed_on is not None:
        raise ProcedureError(
            _("Kết quả đại hội đã được xác nhận ngày %(day)s.")
            % {"day": vn_date(congress.confirmed_on)}
        )
    committee = Committee.objects.select_for_update().get(pk=congress.term.committee.pk)
    if committee.formed_how != Formed.ELECTED:
        raise ProcedureError(_("Cấp ủy của nhiệm kỳ này không do đại hội bầu."))
    if not (decision_no or "").strip():
        raise ValidationError({"decision_no": _("Cần số nghị quyết, quyết định.")})
    check_act_date(decision_date, field="decision_date")
    elected = list(congress.candidates.filter(elected=True).select_related("member"))
    if not elected:
        raise ProcedureError(_("Đại hội chưa có ai trúng cử."))
    unknown = [c.full_name for c in elected if c.member is None]
    if unknown:
        raise ValidationError(
            {"candidates": _(
                "Chưa xác định được đảng viên của: %(names)s (không có hoặc trùng tên trong tổ "
                "chức). Hãy sửa tên trong kết quả đại hội."
            ) % {"names": ", ".join(unknown)}}
        )  # fmt: skip
    if Post.objects.filter(committee=committee, began_how=Began.CONGRESS).exists():
        raise ProcedureError(_("Cấp ủy đã có chức vụ bầu tại đại hội."))
    _check_meeting(committee, meeting, {c.member_id for c in elected})
    posts = []
    check_post(committee, Role.MEMBER, committee.formed_on, Began.CONGRESS)
    for candidate in elected:
        check_holder(committee, candidate.member, committee.formed_on)
        posts.append((Role.MEMBER, candidate.member, committee.formed_on, Began.CONGRESS))
    for role, member in meeting.seats():
        check_post(committee, role, meeting.held_on, Began.MEETING)
        check_holder(committee, member, meeting.held_on)
        posts.append((role, member, meeting.held_on, Began.MEETING))
    made = []
    for role, member, on, how in posts:
        made.append(create_post(committee, member, role, on, how, decision_no, decision_date,
                                by, consolidation=False, from_congress=congress))  # fmt: skip
    congress.confirmed_on = meeting.held_on
    congress.row_version += 1
    congress.save(update_fields=["confirmed_on", "row_version"])
    audit.record(
        "tochuc.committee.congress_confirmed", by=by, obj=congress, reason=decision_no,
        organization=congress.organization.code, elected=len(elected), posts=len(made),
        meeting_on=meeting.held_on,
    )  # fmt: skip
    return made


def confirm_preview(**kwargs) -> tuple[list[str] | None, ValidationError | None]:
    """What `congress_confirm` would write, in Vietnamese, done and rolled back."""
    try:
        with transaction.atomic():
            posts = congress_confirm(**kwargs)
            lines = [
                _("%(name)s: %(role)s từ %(day)s (%(how)s).")
                % {
                    "name": p.member.full_name,
                    "role": p.get_role_display(),
                    "day": vn_date(p.began_on),
                    "how": p.get_began_how_display().lower(),
                }  # fmt: skip
                for p in posts
            ]
            transaction.set_rollback(True)
    except ValidationError as error:
        return None, error
    return lines, None


# ---------------------------------------------------------------- delegates to the level above


@transaction.atomic
def congress_delegates_set(
    *, congress: Congress, delegates: list[tuple[str, str, int | None, Member | None]],
    row_version: int | None = None, by=None,
) -> list[Delegate]:  # fmt: skip
    """The delegates (name, official/alternate, votes, member) the congress elected to the
    congress of the organization above it; the list replaces the one recorded before."""
    congress = _lock(congress, row_version)
    above = congress.organization.parent
    if above is None:
        raise ProcedureError(_("Tổ chức không có cấp trên để bầu đại biểu."))
    names = [name for name, *_rest in delegates]
    if len(set(names)) != len(names):
        raise ValidationError({"delegates": _("Một người có tên hai lần.")})
    for name, kind, votes, _member in delegates:
        if kind not in DelegateKind.values:
            raise ValidationError({"delegates": _("%(name)s: loại đại biểu không hợp lệ.")
                                   % {"name": name}})  # fmt: skip
        if votes is not None and votes > congress.ballots_valid:
            raise ValidationError({"delegates": _("%(name)s: số phiếu vượt số phiếu hợp lệ.")
                                   % {"name": name}})  # fmt: skip
    before = congress.delegates_elected.count()
    congress.delegates_elected.all().delete()
    rows = Delegate.objects.bulk_create(
        Delegate(congress=congress, above=above, member=member, full_name=name, kind=kind,
                 votes=votes)
        for name, kind, votes, member in delegates
    )  # fmt: skip
    congress.row_version += 1
    congress.save(update_fields=["row_version"])
    audit.record(
        "tochuc.committee.delegates_recorded", by=by, obj=congress,
        organization=congress.organization.code, above=above.code, before=before,
        official=sum(r.kind == DelegateKind.OFFICIAL for r in rows),
        alternate=sum(r.kind == DelegateKind.ALTERNATE for r in rows),
    )  # fmt: skip
    return rows
