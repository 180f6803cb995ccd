"""How members follow a restructuring of the tree (the organizations app calls these
through its hooks, registered in `apps.ready()`): paths, merges and splits (each member to
the new cell the split names), refusals, corrections and cancellations; and what a
restructuring form needs to know about members (the roster, the counts of a preview).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tochuc.core.errors import ProcedureError
from tochuc.lib.dates import vn_date
from tochuc.lib.paths import under
from tochuc.lib.vntext import person_sort_key
from tochuc.organizations.hooks import RosterEntry
from tochuc.organizations.models import EventParticipant, Organization

from .models import Affiliation, Member, MemberEvent
from .store import timelines_load, timelines_write

T = MemberEvent.Type


def roster(organization: Organization) -> list[RosterEntry]:
    """Who is in activity in the organization today (official or temporary), by name."""
    affiliations = Affiliation.objects.filter(
        organization=organization, valid_to__isnull=True
    ).select_related("member")
    members = {a.member_id: a.member for a in affiliations}
    return [
        RosterEntry(
            pk=m.pk,
            name=m.full_name,
            born=m.birth_date,
            identifiers=tuple(i for i in (m.party_card_no, m.citizen_id) if i),
        )
        for m in sorted(members.values(), key=lambda m: person_sort_key(m.full_name))
    ]


def describe_moves(event) -> list[str]:
    """How many members an organization event moved, per destination (previews, history)."""
    moved = Counter(
        MemberEvent.objects.filter(
            type=T.REORGANIZED, detail__organization_event=event.pk
        ).values_list("organization__name", flat=True)
    )
    sources = event.parts.filter(role=EventParticipant.Role.SOURCE).values_list(
        "organization_id", flat=True
    )
    moved.update(_refiled(event, list(sources)).values_list("organization__name", flat=True))
    return [
        ngettext(
            "%(count)s đảng viên chuyển về %(name)s.",
            "%(count)s đảng viên chuyển về %(name)s.",
            count,
        )
        % {"count": f"{count:,}".replace(",", "."), "name": name}
        for name, count in sorted(moved.items())
    ]


def follow_paths(old_prefix: str, new_prefix: str) -> None:
    """Organizations under `old_prefix` now sit under `new_prefix`: so do their members."""
    Member.objects.filter(under("org_path", old_prefix)).update(
        org_path=Concat(Value(new_prefix), Substr(F("org_path"), len(old_prefix) + 1))
    )


def follow_merge(
    source: Organization,
    result: Organization,
    on: date,
    event,
    *,
    placement: Mapping[int, Organization] | None = None,
) -> None:
    """Members active in a merged (or split) organization continue in its successor from
    `on`, or where `placement` (member id → organization) sends them: each timeline plays
    the engine's `reorganize` step, and all are written together (`store.timelines_write`)."""
    placement = placement or {}
    moving = set(
        Affiliation.objects.filter(organization=source, valid_to__isnull=True).values_list(
            "member_id", flat=True
        )
    )
    unknown = set(placement) - moving
    if unknown:
        raise ValidationError(
            {
                "members": ngettext(
                    "%(count)s người được phân không sinh hoạt tại %(name)s.",
                    "%(count)s người được phân không sinh hoạt tại %(name)s.",
                    len(unknown),
                )
                % {"count": len(unknown), "name": source.name}
            }
        )
    if not moving:
        return
    loaded = timelines_load(moving)
    for member_id, (_record, timeline) in loaded.items():
        timeline.reorganize(
            source=source.pk, into=placement.get(member_id, result).pk, on=on,
            decision_no=(event.decision_no or "").strip(), decision_date=event.decision_date,
            detail={"organization_event": event.pk},
        )  # fmt: skip
    timelines_write(loaded, reason=_("Chuyển theo sắp xếp tổ chức"))


def refuse_if_members(organization: Organization, on: date) -> None:
    count = Affiliation.objects.filter(organization=organization, valid_to__isnull=True).count()
    if count:
        raise ProcedureError(
            _(
                "%(name)s còn %(count)s đảng viên đang sinh hoạt; hãy chuyển sinh hoạt cho họ "
                "trước khi giải thể."
            )
            % {"name": organization.name, "count": count}
        )


# ---------------------------------------------------------------- restructuring corrected


def _refiled(event, sources: list[int]):
    """Official periods that started in a source on or after the event's day: the engine's
    `reorganize` filed them with the successor (the member was never in the source then)."""
    return Affiliation.objects.filter(
        kind=Affiliation.Kind.OFFICIAL,
        valid_from__gte=event.effective_on,
        started_by__organization_id__in=sources,
    ).exclude(organization_id=F("started_by__organization_id"))


def unfollow_restructuring(event) -> None:
    """An organization event is cancelled: the members it moved are back where they were,
    as if it had never been recorded (refused when one of them has acted since) — each
    timeline plays the engine's `reorganize_undo` step, all written together."""
    on = event.effective_on
    sources = list(
        event.parts.filter(role=EventParticipant.Role.SOURCE).values_list(
            "organization_id", flat=True
        )
    )
    steps: dict[int, list[tuple[int, int | None]]] = {}  # member → [(source, moved event)]
    for member_id, source in _refiled(event, sources).values_list(
        "member_id", "started_by__organization_id"
    ):
        steps.setdefault(member_id, []).append((source, None))
    for member_id, source, moved in (
        MemberEvent.objects.filter(type=T.REORGANIZED, detail__organization_event=event.pk)
        .order_by("member_id", "id")
        .values_list("member_id", "other_organization_id", "pk")
    ):
        steps.setdefault(member_id, []).append((source, moved))
    if not steps:
        return
    loaded = timelines_load(steps)
    for member_id, (_record, timeline) in loaded.items():
        for source, moved in steps[member_id]:
            timeline.reorganize_undo(source=source, on=on, moved=moved)
    timelines_write(loaded, reason=_("Hủy sắp xếp tổ chức ghi nhầm"))


def follow_event_correction(event, old_on: date) -> None:
    """An organization event's date or decision was corrected: so are the moves of the
    members it carried (refused when a member's own timeline leaves no room)."""
    new_on = event.effective_on
    results = list(event.parts.filter(role="result").values_list("organization_id", flat=True))
    moved = dict(
        MemberEvent.objects.filter(type=T.REORGANIZED, detail__organization_event=event.pk)
        .order_by("member_id", "id")
        .values_list("member_id", "pk")
    )
    if moved:
        loaded = timelines_load(moved)
        for member_id, (_record, timeline) in loaded.items():
            timeline.reorganize_redate(
                moved=moved[member_id], on=new_on, decision_no=event.decision_no,
                decision_date=event.decision_date,
            )  # fmt: skip
        timelines_write(loaded, reason=_("Sửa sự kiện sắp xếp tổ chức"))
    early = Affiliation.objects.filter(
        organization_id__in=results, valid_from__lt=F("organization__founded_on")
    ).select_related("member", "organization")
    first = early.first()
    if first is not None:
        raise ProcedureError(
            _(
                "%(name)s đã sinh hoạt tại %(organization)s từ ngày %(since)s, trước ngày "
                "%(on)s; không thể dời sự kiện."
            )
            % {
                "name": first.member.full_name,
                "organization": first.organization.name,
                "since": vn_date(first.valid_from),
                "on": vn_date(new_on),
            }
        )
    left = Affiliation.objects.filter(
        organization_id__in=list(
            event.parts.filter(role="source").values_list("organization_id", flat=True)
        ),
        valid_to__gt=new_on,
        valid_to__lt=old_on,
    ).select_related("member", "organization")
    first = left.first()
    if first is not None:
        raise ProcedureError(
            _(
                "%(name)s rời %(organization)s ngày %(left)s, sau ngày %(on)s; không thể dời "
                "sự kiện."
            )
            % {
                "name": first.member.full_name,
                "organization": first.organization.name,
                "left": vn_date(first.valid_to),
                "on": vn_date(new_on),
            }
        )
