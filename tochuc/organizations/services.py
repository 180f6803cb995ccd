"""Writes to the organization tree. The only code that changes organizations.

Every change is an `OrganizationEvent` dated by its effective date and tied to a decision.
History is never rewritten: an event on date D closes the versions in force on D and
opens new ones, so the tree as of any earlier date stays as it was. An event may not be
dated before a later change of any organization it touches (record history in order).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tochuc.core import audit
from tochuc.core.errors import ProcedureError
from tochuc.lib.dates import vn_date
from tochuc.lib.paths import under
from tochuc.lib.vntext import fold, sort_key
from tochuc.policy.acts import check_act_date

from . import hooks
from .models import (
    ALLOWED_PARENTS,
    EventParticipant,
    Kind,
    Organization,
    OrganizationEvent,
    OrganizationVersion,
)

Role = EventParticipant.Role


@dataclass(frozen=True)
class Decision:
    """The decision an event rests on (số quyết định, ngày quyết định)."""

    number: str = ""
    date: date | None = None
    note: str = ""


@dataclass
class NewOrganization:
    code: str
    name: str
    kind: str
    grassroots_type: str = ""
    admin_unit_code: str = ""
    children: list[Organization] = field(default_factory=list)


# ---------------------------------------------------------------- checks


def _kind_label(kind: str | None) -> str:
    return str(Kind(kind).label) if kind else _("cấp cao nhất")


def check_placement(*, kind: str, parent: Organization | None) -> None:
    allowed = ALLOWED_PARENTS[kind]
    parent_kind = parent.kind if parent else None
    if parent_kind in allowed:
        return
    values = {
        "kind": Kind(kind).label,
        "parent": parent.name if parent else "",
        "parent_kind": _kind_label(parent_kind),
        "allowed": ", ".join(_kind_label(k) for k in allowed),
    }
    if parent:
        message = _(
            "%(kind)s không thể trực thuộc %(parent)s (%(parent_kind)s); "
            "cấp trên phải là: %(allowed)s."
        )
    else:
        message = _(
            "%(kind)s không thể ở cấp cao nhất (%(parent_kind)s); cấp trên phải là: %(allowed)s."
        )
    raise ProcedureError(message % values)


# A cell that comes to stand directly under an above-grassroots organization becomes a
# grassroots cell (and back), as in the 1/7/2025 reorganization; likewise for committees.
_CONVERSIONS = {
    Kind.CELL: Kind.BASE_CELL,
    Kind.BASE_CELL: Kind.CELL,
    Kind.SUB_COMMITTEE: Kind.BASE_COMMITTEE,
    Kind.BASE_COMMITTEE: Kind.SUB_COMMITTEE,
}


def kind_under(*, kind: str, parent: Organization | None) -> str:
    """The kind an organization takes under `parent`: its own, or its level's counterpart."""
    parent_kind = parent.kind if parent else None
    if parent_kind in ALLOWED_PARENTS[kind]:
        return kind
    converted = _CONVERSIONS.get(kind)
    if converted and parent_kind in ALLOWED_PARENTS[converted]:
        return converted
    check_placement(kind=kind, parent=parent)  # raises with the reason
    return kind


def _check_code_free(code: str) -> None:
    if not code or not code.strip():
        raise ValidationError({"code": _("Mã tổ chức không được để trống.")})
    if Organization.objects.filter(code=code).exists():
        raise ValidationError({"code": _("Mã tổ chức “%(code)s” đã được dùng.") % {"code": code}})


def _check_alive_on(org: Organization, on: date) -> None:
    if on < org.founded_on:
        raise ProcedureError(
            _("Ngày hiệu lực %(on)s trước ngày thành lập của %(name)s (%(founded)s).")
            % {"on": vn_date(on), "name": org.name, "founded": vn_date(org.founded_on)}
        )
    if org.ended_on is not None and on >= org.ended_on:
        raise ProcedureError(
            _("%(name)s đã chấm dứt hoạt động từ %(ended)s.")
            % {"name": org.name, "ended": vn_date(org.ended_on)}
        )


# An organization is changed by an event where it is the subject (renamed, moved, dissolved),
# a result (founded, merged into) or a source that ends (merged, split) — not the parent of
# a new or moved child, nor the old parent of a move (recorded as its source).
CHANGED = Q(role__in=[Role.SUBJECT, Role.RESULT]) | (
    Q(role=Role.SOURCE) & ~Q(event__type=OrganizationEvent.Type.MOVED)
)


def later_event_refusal(org: Organization, on: date) -> str | None:
    """Why a change of `org` cannot take effect on `on`: a later change of it is recorded
    (the backdated rename before a merge). History is kept in order; correcting the later
    event is another procedure."""
    part = (
        EventParticipant.objects.filter(CHANGED, organization=org, event__effective_on__gt=on)
        .select_related("event")
        .order_by("-event__effective_on", "-event_id")
        .first()
    )
    if part is None:
        return None
    later = part.event
    return _(
        "%(name)s đã có sự kiện “%(event)s” có hiệu lực ngày %(later)s%(decision)s, sau ngày "
        "hiệu lực %(on)s. Không ghi được sự kiện có hiệu lực trước một sự kiện đã ghi; hãy "
        "ghi các sự kiện theo đúng trình tự thời gian."
    ) % {
        "name": org.name,
        "event": later.get_type_display(),
        "later": vn_date(later.effective_on),
        "decision": f" ({later.decision_no})" if later.decision_no else "",
        "on": vn_date(on),
    }


def _refuse_if_later_event(org: Organization, on: date) -> None:
    refusal = later_event_refusal(org, on)
    if refusal:
        raise ProcedureError({"on": refusal})


def _open_version(org: Organization, on: date) -> OrganizationVersion:
    """The open (latest) version of a live organization, which must be in force on `on`.

    The organization is reloaded under a row lock: callers may hold a stale instance, and
    two officers changing it at once are serialized (the second sees the first's change).
    """
    org.refresh_from_db(from_queryset=Organization.objects.select_for_update())
    _check_alive_on(org, on)
    version = org.versions.select_for_update().get(valid_to__isnull=True)
    if version.valid_from > on:
        raise ProcedureError(
            _(
                "%(name)s đã có thay đổi từ ngày %(changed)s, sau ngày hiệu lực %(on)s. "
                "Hãy ghi các sự kiện theo đúng trình tự thời gian."
            )
            % {"name": org.name, "changed": vn_date(version.valid_from), "on": vn_date(on)}
        )
    return version


def _version_on(org: Organization, on: date) -> OrganizationVersion:
    """The version of `org` in force on `on` (refusing when it did not exist then)."""
    _check_alive_on(org, on)
    version = org.versions.filter(valid_from__lte=on).order_by("-valid_from").first()
    if version is None or (version.valid_to is not None and version.valid_to <= on):
        raise ProcedureError(
            _("%(name)s không tồn tại vào ngày %(on)s.") % {"name": org.name, "on": vn_date(on)}
        )
    return version


def _check_decision(decision: Decision, on: date) -> None:
    check_act_date(decision.date, field="decision_date")
    if decision.date and decision.date > on and (decision.date - on).days > 366:
        raise ValidationError(
            {"decision_date": _("Ngày quyết định cách ngày hiệu lực quá xa; hãy kiểm tra lại.")}
        )


# ---------------------------------------------------------------- internals


def _reload(*orgs: Organization | None) -> None:
    """Checks read the database's state, not whatever instance the caller holds."""
    for org in orgs:
        if org is not None:
            org.refresh_from_db()


def _new_event(type_: str, on: date, decision: Decision, by) -> OrganizationEvent:
    check_act_date(on)
    _check_decision(decision, on)
    return OrganizationEvent.objects.create(
        type=type_,
        effective_on=on,
        decision_no=decision.number.strip(),
        decision_date=decision.date,
        note=decision.note,
        recorded_by=by if getattr(by, "is_authenticated", False) else None,
    )


def _participate(event, org, role, **detail) -> None:
    if role in (Role.SUBJECT, Role.RESULT) or (
        role == Role.SOURCE and event.type != OrganizationEvent.Type.MOVED
    ):  # the organization is CHANGED by the event
        _refuse_if_later_event(org, event.effective_on)
    EventParticipant.objects.get_or_create(
        event=event, organization=org, role=role, defaults={"detail": detail}
    )


_CURRENT_FIELDS = [
    "name", "kind", "parent", "path", "depth", "province", "name_folded", "name_sort",
]  # fmt: skip


def sync_current(org: Organization, version: OrganizationVersion) -> None:
    org.name = version.name
    org.kind = version.kind
    org.parent_id = version.parent_id
    org.path = version.path
    org.depth = version.depth
    org.province_id = version.province_id
    org.name_folded = fold(version.name)
    org.name_sort = sort_key(version.name)
    org.save(update_fields=_CURRENT_FIELDS)


def _placement(org: Organization, parent_version: OrganizationVersion | None, kind: str):
    path = f"{parent_version.path if parent_version else ''}{org.pk}/"
    depth = parent_version.depth + 1 if parent_version else 0
    if kind == Kind.PROVINCE:
        province_id = org.pk
    else:
        province_id = parent_version.province_id if parent_version else None
    return {"path": path, "depth": depth, "province_id": province_id}


def _start_version(
    org: Organization, on: date, event: OrganizationEvent, **changes
) -> OrganizationVersion:
    """Close the open version on `on` and open one with `changes` (same day: amend it)."""
    current = _open_version(org, on)
    if current.valid_from == on:
        for name, value in changes.items():
            setattr(current, name, value)
        current.save()
        version = current
    else:
        current.valid_to = on
        current.save(update_fields=["valid_to"])
        version = OrganizationVersion.objects.create(
            organization=org,
            name=changes.get("name", current.name),
            kind=changes.get("kind", current.kind),
            parent_id=changes.get("parent_id", current.parent_id),
            path=changes.get("path", current.path),
            depth=changes.get("depth", current.depth),
            province_id=changes.get("province_id", current.province_id),
            valid_from=on,
            event=event,
        )
    sync_current(org, version)
    return version


def _live_descendants(org: Organization) -> list[Organization]:
    return list(
        Organization.objects.filter(under("path", org.path), ended_on__isnull=True)
        .exclude(pk=org.pk)
        .order_by("depth", "id")
    )


def rewrite_archived_paths(old_prefix: str, new_prefix: str) -> None:
    """Ended organizations filed under a moved node follow it (access paths only), and so
    does whatever other apps file under these paths (members)."""
    Organization.objects.filter(under("path", old_prefix), ended_on__isnull=False).update(
        path=Concat(Value(new_prefix), Substr(F("path"), len(old_prefix) + 1))
    )
    hooks.notify_paths_moved(old_prefix, new_prefix)


def _place_subtree(
    org: Organization, parent: Organization | None, on: date, event: OrganizationEvent
) -> None:
    """Put a live `org` (with its live subtree) under `parent` from `on`."""
    old_prefix = org.path
    descendants = _live_descendants(org)
    for descendant in descendants:
        _open_version(descendant, on)  # refuses when a descendant changed after `on`
    parent_version = _open_version(parent, on) if parent else None
    kind = kind_under(kind=org.kind, parent=parent)
    version = _start_version(
        org, on, event, parent_id=parent.pk if parent else None, kind=kind,
        **_placement(org, parent_version, kind),
    )  # fmt: skip
    placed = {org.pk: version}
    for descendant in descendants:
        above = placed[descendant.parent_id]
        placed[descendant.pk] = _start_version(
            descendant, on, event, **_placement(descendant, above, descendant.kind)
        )
    rewrite_archived_paths(old_prefix, org.path)


def _end(
    org: Organization, on: date, event: OrganizationEvent, successor: Organization | None
) -> None:
    current = _open_version(org, on)
    if current.valid_from >= on:
        raise ProcedureError(
            _(
                "%(name)s có thay đổi ngay trong ngày %(on)s; không thể chấm dứt hoạt động "
                "cùng ngày."
            )
            % {"name": org.name, "on": vn_date(on)}
        )
    hooks.notify_ending(org, on)
    # A child under it on any day from `on` on (still, or until a later change) keeps it.
    children_after = OrganizationVersion.objects.filter(parent=org).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=on)
    )
    if children_after.exists():
        raise ProcedureError(
            _(
                "%(name)s còn tổ chức trực thuộc đang hoạt động sau ngày %(on)s; hãy chuyển "
                "hoặc giải thể các tổ chức đó trước."
            )
            % {"name": org.name, "on": vn_date(on)}
        )
    current.valid_to = on
    current.save(update_fields=["valid_to"])
    old_prefix = org.path
    org.ended_on = on
    org.successor = successor
    if successor is not None:
        successor.refresh_from_db(fields=["path"])
        org.path = f"{successor.path}{org.pk}/"
    org.save(update_fields=["ended_on", "successor", "path"])
    if org.path != old_prefix:
        rewrite_archived_paths(old_prefix, org.path)


def _create(
    spec: NewOrganization, parent: Organization | None, on: date, event: OrganizationEvent
) -> Organization:
    _check_code_free(spec.code)
    if not spec.name or not spec.name.strip():
        raise ValidationError({"name": _("Tên tổ chức không được để trống.")})
    check_placement(kind=spec.kind, parent=parent)
    parent_version = _open_version(parent, on) if parent else None
    org = Organization.objects.create(
        code=spec.code.strip(),
        kind=spec.kind,
        grassroots_type=spec.grassroots_type,
        admin_unit_code=spec.admin_unit_code,
        founded_on=on,
        name=spec.name.strip(),
        parent=parent,
        path="",
    )
    placement = _placement(org, parent_version, spec.kind)
    version = OrganizationVersion.objects.create(
        organization=org,
        name=org.name,
        kind=spec.kind,
        parent=parent,
        valid_from=on,
        event=event,
        **placement,
    )
    sync_current(org, version)
    _participate(event, org, Role.RESULT)
    if parent:
        _participate(event, parent, Role.PARENT)
    return org


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
    event = _new_event(OrganizationEvent.Type.FOUNDED, on, decision, by)
    org = _create(spec, parent, on, event)
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
    _check_alive_on(organization, on)
    _refuse_if_later_event(organization, on)  # named as it is, before the new name
    event = _new_event(OrganizationEvent.Type.RENAMED, on, decision, by)
    _start_version(organization, on, event, name=name, kind=kind)
    _participate(event, organization, Role.SUBJECT, old_name=old_name, new_name=name)
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
    _reload(organization, parent)
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
    event = _new_event(OrganizationEvent.Type.MOVED, on, decision, by)
    _place_subtree(organization, parent, on, event)
    _participate(event, organization, Role.SUBJECT)
    if old_parent:
        _participate(event, old_parent, Role.SOURCE)
    _participate(event, parent, Role.PARENT)
    audit.record(
        "tochuc.organization.moved", by=by, obj=organization, reason=decision.number,
        old_parent=old_parent.code if old_parent else None, new_parent=parent.code, on=on,
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
    _reload(*sources, into, parent)
    if len(sources) < (1 if into else 2):
        raise ValidationError({"sources": _("Hãy chọn đủ các tổ chức được hợp nhất.")})
    if into is not None and any(s.pk == into.pk for s in sources):
        raise ValidationError(
            {"sources": _("Tổ chức nhận sáp nhập không thể nằm trong danh sách.")}
        )
    for source in sources:
        _check_alive_on(source, on)
        target_path = into.path if into else (parent.path if parent else "")
        if target_path.startswith(source.path):
            raise ValidationError(
                {
                    "sources": _("Không thể sáp nhập %(name)s vào tổ chức cấp dưới của nó.")
                    % {"name": source.name}
                }
            )
    event = _new_event(OrganizationEvent.Type.MERGED, on, decision, by)
    if into is None:
        result = _create(new, parent, on, event)
    else:
        _check_alive_on(into, on)
        result = into
        _participate(event, result, Role.RESULT)
    for source in sources:
        _participate(event, source, Role.SOURCE)
        for child in source.children.filter(ended_on__isnull=True).order_by("id"):
            _place_subtree(child, result, on, event)
        hooks.notify_merged(source, result, on, event)
        _end(source, on, event, successor=result)
    audit.record(
        "tochuc.organization.merged", by=by, obj=result, reason=decision.number,
        sources=[s.code for s in sources], on=on,
    )  # fmt: skip
    return result


@transaction.atomic
def organization_split(
    *,
    source: Organization,
    parts: list[NewOrganization],
    on: date,
    parent: Organization | None = None,
    decision: Decision = Decision(),
    by=None,
) -> list[Organization]:
    """One → several new organizations; every live child goes to the part listing it."""
    _reload(source, parent)
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
    parent = parent if parent is not None else source.parent
    event = _new_event(OrganizationEvent.Type.SPLIT, on, decision, by)
    _participate(event, source, Role.SOURCE)
    results = []
    for spec in parts:
        part = _create(spec, parent, on, event)
        for child in spec.children:
            _place_subtree(child, part, on, event)
        results.append(part)
    hooks.notify_merged(source, results[0], on, event)
    _end(source, on, event, successor=results[0])
    audit.record(
        "tochuc.organization.split", by=by, obj=source, reason=decision.number,
        parts=[p.code for p in results], on=on,
    )  # fmt: skip
    return results


@transaction.atomic
def organization_dissolve(
    *, organization: Organization, on: date, decision: Decision = Decision(), by=None
) -> OrganizationEvent:
    event = _new_event(OrganizationEvent.Type.DISSOLVED, on, decision, by)
    _participate(event, organization, Role.SUBJECT)
    _end(organization, on, event, successor=None)
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
