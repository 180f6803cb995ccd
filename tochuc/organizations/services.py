"""Writes to the organization tree. The only code that changes organizations (the
mechanics of versions and paths are in `tree`).

Every change is an `OrganizationEvent` dated by its effective date and tied to a decision.
History is never rewritten: an event on date D closes the versions in force on D and
opens new ones, so the tree as of any earlier date stays as it was. An event may not be
dated before a later change of any organization it touches (record history in order).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tochuc.core import audit
from tochuc.lib.dates import vn_date

from . import hooks
from .models import (
    EventParticipant,
    Organization,
    OrganizationEvent,
    OrganizationVersion,
)
from .tree import (
    Decision,
    NewOrganization,
    check_alive_on,
    check_placement,
    create_organization,
    end_organization,
    kind_under,
    new_event,
    participate,
    place_subtree,
    place_subtrees,
    refuse_if_later_event,
    reload,
    start_version,
)

Role = EventParticipant.Role


# ---------------------------------------------------------------- services


@transaction.atomic
def organization_found(
    *,
    spec: NewOrganization,
    parent: Organization | None,
    on: date,
    decision: Decision = Decision(),
    by=None,
) -> Organization:
    event = new_event(OrganizationEvent.Type.FOUNDED, on, decision, by)
    org = create_organization(spec, parent, on, event)
    audit.record(
        "tochuc.organization.founded", by=by, obj=org, reason=decision.number,
        parent=parent.code if parent else None, on=on,
    )  # fmt: skip
    return org


@transaction.atomic
def organization_rename(
    *,
    organization: Organization,
    name: str,
    on: date,
    kind: str | None = None,
    decision: Decision = Decision(),
    by=None,
) -> OrganizationEvent:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Tên mới không được để trống.")})
    kind = kind or organization.kind
    if name == organization.name and kind == organization.kind:
        raise ValidationError({"name": _("Tên mới trùng với tên hiện tại.")})
    if kind != organization.kind:
        check_placement(kind=kind, parent=organization.parent)
        for child in organization.children.filter(ended_on__isnull=True):
            check_placement(kind=child.kind, parent=Organization(kind=kind, name=name))
    old_name = organization.name
    check_alive_on(organization, on)
    refuse_if_later_event(organization, on)  # named as it is, before the new name
    event = new_event(OrganizationEvent.Type.RENAMED, on, decision, by)
    start_version(organization, on, event, name=name, kind=kind)
    participate(event, organization, Role.SUBJECT, old_name=old_name, new_name=name)
    audit.record(
        "tochuc.organization.renamed", by=by, obj=organization, reason=decision.number,
        old_name=old_name, new_name=name, on=on,
    )  # fmt: skip
    return event


@transaction.atomic
def organization_move(
    *,
    organization: Organization,
    parent: Organization,
    on: date,
    decision: Decision = Decision(),
    by=None,
) -> OrganizationEvent:
    reload(organization, parent)
    if parent.pk == organization.parent_id:
        raise ValidationError(
            {
                "parent": _("%(name)s đã trực thuộc %(parent)s.")
                % {"name": organization.name, "parent": parent.name}
            }
        )
    if parent.pk == organization.pk or parent.path.startswith(organization.path):
        raise ValidationError(
            {"parent": _("Không thể chuyển một tổ chức vào chính nó hoặc tổ chức cấp dưới của nó.")}
        )
    kind_under(kind=organization.kind, parent=parent)
    old_parent = organization.parent
    event = new_event(OrganizationEvent.Type.MOVED, on, decision, by)
    place_subtree(organization, parent, on, event)
    participate(event, organization, Role.SUBJECT)
    if old_parent:
        participate(event, old_parent, Role.SOURCE)
    participate(event, parent, Role.PARENT)
    audit.record(
        "tochuc.organization.moved", by=by, obj=organization, reason=decision.number,
        old_parent=old_parent.code if old_parent else None, new_parent=parent.code, on=on,
        province=audit.EVERY_PROVINCE,  # the subtree's old and new places, its history
    )  # fmt: skip
    return event


@transaction.atomic
def organization_merge(
    *,
    sources: list[Organization],
    on: date,
    into: Organization | None = None,
    new: NewOrganization | None = None,
    parent: Organization | None = None,
    decision: Decision = Decision(),
    by=None,
) -> Organization:
    """Several → one: the sources end on `on`; their live children go to the result.

    The result is an existing organization (`into`, sáp nhập) or a new one (`new` under
    `parent`, hợp nhất).
    """
    if (into is None) == (new is None):
        raise ValidationError(_("Hãy chọn tổ chức nhận sáp nhập hoặc khai báo tổ chức mới."))
    sources = list({s.pk: s for s in sources}.values())
    reload(*sources, into, parent)
    if len(sources) < (1 if into else 2):
        raise ValidationError({"sources": _("Hãy chọn đủ các tổ chức được hợp nhất.")})
    if into is not None and any(s.pk == into.pk for s in sources):
        raise ValidationError(
            {"sources": _("Tổ chức nhận sáp nhập không thể nằm trong danh sách.")}
        )
    for source in sources:
        check_alive_on(source, on)
        target_path = into.path if into else (parent.path if parent else "")
        if target_path.startswith(source.path):
            raise ValidationError(
                {
                    "sources": _("Không thể sáp nhập %(name)s vào tổ chức cấp dưới của nó.")
                    % {"name": source.name}
                }
            )
    event = new_event(OrganizationEvent.Type.MERGED, on, decision, by)
    if into is None:
        result = create_organization(new, parent, on, event)
    else:
        check_alive_on(into, on)
        result = into
        participate(event, result, Role.RESULT)
    for source in sources:
        participate(event, source, Role.SOURCE)
        place_subtrees(
            list(source.children.filter(ended_on__isnull=True).order_by("id")), result, on, event
        )
        hooks.notify_merged(source, result, on, event)
        end_organization(source, on, event, successor=result)
    audit.record(
        "tochuc.organization.merged", by=by, obj=result, reason=decision.number,
        sources=[s.code for s in sources], on=on,
        province=audit.EVERY_PROVINCE,  # the sources' places, the result's, their history
    )  # fmt: skip
    return result


@transaction.atomic
def organization_split(
    *,
    source: Organization,
    parts: list[NewOrganization],
    on: date,
    parent: Organization | None = None,
    members: Mapping[int, str] | None = None,
    decision: Decision = Decision(),
    by=None,
) -> list[Organization]:
    """One → several new organizations; every live child goes to the part listing it.

    `members` (member id → code of a new part) divides the people in activity in `source`
    between the parts (the members app moves them, dated `on`); the others go to the first
    part, which also succeeds `source`.
    """
    reload(source, parent)
    if len(parts) < 2:
        raise ValidationError({"parts": _("Chia tách cần ít nhất hai tổ chức mới.")})
    live_children = {c.pk: c for c in source.children.filter(ended_on__isnull=True)}
    assigned = [c.pk for part in parts for c in part.children]
    if len(assigned) != len(set(assigned)):
        raise ValidationError(
            {"parts": _("Một tổ chức trực thuộc được phân cho nhiều tổ chức mới.")}
        )
    if set(assigned) - set(live_children):
        raise ValidationError(
            {"parts": _("Có tổ chức được phân không trực thuộc tổ chức bị chia.")}
        )
    missing = [c.name for pk, c in live_children.items() if pk not in set(assigned)]
    if missing:
        raise ValidationError(
            {
                "parts": _("Chưa phân các tổ chức trực thuộc: %(names)s.")
                % {"names": ", ".join(sorted(missing))}
            }
        )
    members = dict(members or {})
    codes = {spec.code for spec in parts}
    strays = sorted(set(members.values()) - codes)
    if strays:
        raise ValidationError(
            {
                "members": _("Mã tổ chức mới không có trong các tổ chức được lập: %(codes)s.")
                % {"codes": ", ".join(strays)}
            }
        )
    parent = parent if parent is not None else source.parent
    event = new_event(OrganizationEvent.Type.SPLIT, on, decision, by)
    participate(event, source, Role.SOURCE)
    results = []
    for spec in parts:
        part = create_organization(spec, parent, on, event)
        place_subtrees(list(spec.children), part, on, event)
        results.append(part)
    by_code = {part.code: part for part in results}
    placement = {pk: by_code[code] for pk, code in members.items()}
    hooks.notify_merged(source, results[0], on, event, placement=placement)
    end_organization(source, on, event, successor=results[0])
    audit.record(
        "tochuc.organization.split", by=by, obj=source, reason=decision.number,
        parts=[p.code for p in results], on=on,
        **({"members": dict(Counter(members.values()))} if members else {}),
        province=audit.EVERY_PROVINCE,
    )  # fmt: skip
    return results


@transaction.atomic
def organization_dissolve(
    *, organization: Organization, on: date, decision: Decision = Decision(), by=None
) -> OrganizationEvent:
    event = new_event(OrganizationEvent.Type.DISSOLVED, on, decision, by)
    participate(event, organization, Role.SUBJECT)
    end_organization(organization, on, event, successor=None)
    audit.record(
        "tochuc.organization.dissolved", by=by, obj=organization, reason=decision.number, on=on
    )
    return event


def preview(func, /, **kwargs) -> tuple[list[str] | None, ValidationError | None]:
    """Run a service and roll it back: what the change would do, without doing it.

    Returns (lines describing the change, None) or (None, the refusal).
    """
    lines: list[str] | None = None
    try:
        with transaction.atomic():
            last = OrganizationEvent.objects.order_by("-id").values_list("id", flat=True).first()
            func(**kwargs)
            lines = []
            for event in OrganizationEvent.objects.filter(id__gt=last or 0).order_by("id"):
                lines += describe_event(event)
            transaction.set_rollback(True)
    except ValidationError as error:
        return None, error
    return lines, None


def describe_event(event: OrganizationEvent) -> list[str]:
    """Lines in Vietnamese saying what an event did (previews and history)."""
    lines = []
    Type = OrganizationEvent.Type
    for part in event.parts.select_related("organization").order_by("role", "id"):
        org = part.organization
        org.refresh_from_db()
        created_here = org.versions.order_by("valid_from").values_list("event", flat=True)[:1]
        if part.role == Role.RESULT and list(created_here) == [event.pk]:
            parent = org.parent.name if org.parent else _("cấp cao nhất")
            lines.append(
                _("Thành lập %(name)s (%(code)s), trực thuộc %(parent)s.")
                % {"name": org.name, "code": org.code, "parent": parent}
            )
        elif part.role == Role.RESULT:
            lines.append(_("%(name)s tiếp nhận các tổ chức trực thuộc.") % {"name": org.name})
        elif (
            part.role == Role.SOURCE
            and event.type in (Type.MERGED, Type.SPLIT)
            and org.ended_on == event.effective_on
        ):
            values = {"name": org.name, "ended": vn_date(org.ended_on)}
            if org.successor:
                values["successor"] = org.successor.name
                line = _("%(name)s chấm dứt hoạt động từ %(ended)s, kế thừa: %(successor)s.")
            else:
                line = _("%(name)s chấm dứt hoạt động từ %(ended)s.")
            lines.append(line % values)
        elif part.role == Role.SUBJECT and event.type == Type.DISSOLVED:
            lines.append(
                _("%(name)s giải thể từ %(on)s.")
                % {"name": org.name, "on": vn_date(event.effective_on)}
            )
        elif part.role == Role.SUBJECT and event.type == Type.RENAMED:
            lines.append(
                _("“%(old_name)s” đổi tên thành “%(new_name)s”.")
                % {"old_name": part.detail.get("old_name"), "new_name": part.detail.get("new_name")}
            )
        elif part.role == Role.SUBJECT and event.type == Type.MOVED:
            lines.append(
                _("%(name)s chuyển về trực thuộc %(parent)s.")
                % {"name": org.name, "parent": org.parent.name}
            )
    lines += hooks.describe(event)  # what the other apps moved (members per destination)
    named = [p.organization_id for p in event.parts.all()]
    followers = (
        OrganizationVersion.objects.filter(event=event, valid_from=event.effective_on)
        .exclude(organization__in=named)
        .count()
    )
    if followers:
        lines.append(
            ngettext(
                "%(count)s tổ chức cấp dưới chuyển theo.",
                "%(count)s tổ chức cấp dưới chuyển theo.",
                followers,
            )
            % {"count": followers}
        )
    return lines
