"""How an event changes the tree: the versions it closes and opens, where an organization
is placed (kind, path) and the checks every event makes. Used by the services (the only
writers); nothing here is called from a view.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import F, Q, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from tochuc.core.errors import ProcedureError
from tochuc.lib.dates import vn_date
from tochuc.lib.paths import under
from tochuc.lib.rows import update_rows
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


def kind_label(kind: str | None) -> str:
    return str(Kind(kind).label) if kind else _("cấp cao nhất")


def check_placement(*, kind: str, parent: Organization | None) -> None:
    allowed = ALLOWED_PARENTS[kind]
    parent_kind = parent.kind if parent else None
    if parent_kind in allowed:
        return
    values = {
        "kind": Kind(kind).label,
        "parent": parent.name if parent else "",
        "parent_kind": kind_label(parent_kind),
        "allowed": ", ".join(kind_label(k) for k in allowed),
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


def check_code_free(code: str) -> None:
    if not code or not code.strip():
        raise ValidationError({"code": _("Mã tổ chức không được để trống.")})
    if Organization.objects.filter(code=code).exists():
        raise ValidationError({"code": _("Mã tổ chức “%(code)s” đã được dùng.") % {"code": code}})


def check_alive_on(org: Organization, on: date) -> None:
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


def refuse_if_later_event(org: Organization, on: date) -> None:
    refusal = later_event_refusal(org, on)
    if refusal:
        raise ProcedureError({"on": refusal})


def open_version(org: Organization, on: date) -> OrganizationVersion:
    """The open (latest) version of a live organization, which must be in force on `on`.

    The organization is reloaded under a row lock: callers may hold a stale instance, and
    two officers changing it at once are serialized (the second sees the first's change).
    """
    org.refresh_from_db(from_queryset=Organization.objects.select_for_update())
    check_alive_on(org, on)
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


def version_on(org: Organization, on: date) -> OrganizationVersion:
    """The version of `org` in force on `on` (refusing when it did not exist then)."""
    check_alive_on(org, on)
    version = org.versions.filter(valid_from__lte=on).order_by("-valid_from").first()
    if version is None or (version.valid_to is not None and version.valid_to <= on):
        raise ProcedureError(
            _("%(name)s không tồn tại vào ngày %(on)s.") % {"name": org.name, "on": vn_date(on)}
        )
    return version


def check_decision(decision: Decision, on: date) -> None:
    check_act_date(decision.date, field="decision_date")
    if decision.date and decision.date > on and (decision.date - on).days > 366:
        raise ValidationError(
            {"decision_date": _("Ngày quyết định cách ngày hiệu lực quá xa; hãy kiểm tra lại.")}
        )


# ---------------------------------------------------------------- internals


def reload(*orgs: Organization | None) -> None:
    """Checks read the database's state, not whatever instance the caller holds."""
    for org in orgs:
        if org is not None:
            org.refresh_from_db()


def new_event(type_: str, on: date, decision: Decision, by) -> OrganizationEvent:
    check_act_date(on)
    check_decision(decision, on)
    return OrganizationEvent.objects.create(
        type=type_,
        effective_on=on,
        decision_no=decision.number.strip(),
        decision_date=decision.date,
        note=decision.note,
        recorded_by=by if getattr(by, "is_authenticated", False) else None,
    )


def participate(event, org, role, **detail) -> None:
    if role in (Role.SUBJECT, Role.RESULT) or (
        role == Role.SOURCE and event.type != OrganizationEvent.Type.MOVED
    ):  # the organization is CHANGED by the event
        refuse_if_later_event(org, event.effective_on)
    EventParticipant.objects.get_or_create(
        event=event, organization=org, role=role, defaults={"detail": detail}
    )


_CURRENT_FIELDS = [
    "name", "kind", "parent", "path", "depth", "province", "name_folded", "name_sort",
]  # fmt: skip
# The same, as columns for `update_rows` (types of PostgreSQL's scratch table).
_CURRENT_COLUMNS = [
    ("name", "varchar(255)"), ("kind", "varchar(20)"), ("parent_id", "bigint"),
    ("path", "varchar(255)"), ("depth", "smallint"), ("province_id", "bigint"),
    ("name_folded", "varchar(255)"), ("name_sort", "varchar(512)"),
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


def placement_under(org: Organization, parent_version: OrganizationVersion | None, kind: str):
    path = f"{parent_version.path if parent_version else ''}{org.pk}/"
    depth = parent_version.depth + 1 if parent_version else 0
    if kind == Kind.PROVINCE:
        province_id = org.pk
    else:
        province_id = parent_version.province_id if parent_version else None
    return {"path": path, "depth": depth, "province_id": province_id}


def start_version(
    org: Organization, on: date, event: OrganizationEvent, **changes
) -> OrganizationVersion:
    """Close the open version on `on` and open one with `changes` (same day: amend it)."""
    current = open_version(org, on)
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


def live_descendants(org: Organization) -> list[Organization]:
    """The live organizations under `org`, parents before children, locked (as
    `open_version` locks one): read afresh, so their state is the database's."""
    return list(
        Organization.objects.select_for_update()
        .filter(under("path", org.path), ended_on__isnull=True)
        .exclude(pk=org.pk)
        .order_by("depth", "id")
    )


BATCH = 500  # rows per statement of the bulk reads and writes below


def open_versions(orgs: list[Organization], on: date) -> dict[int, OrganizationVersion]:
    """`open_version` of each of `orgs` (read afresh and locked by the caller), in a few
    statements; refuses, in the order of `orgs`, as `open_version` would for the first
    organization that cannot change on `on`."""
    versions: dict[int, OrganizationVersion] = {}
    ids = [org.pk for org in orgs]
    for start in range(0, len(ids), BATCH):
        chunk = OrganizationVersion.objects.select_for_update().filter(
            organization_id__in=ids[start : start + BATCH], valid_to__isnull=True
        )
        versions.update((version.organization_id, version) for version in chunk)
    for org in orgs:
        check_alive_on(org, on)
        version = versions.get(org.pk)
        if version is None:
            raise OrganizationVersion.DoesNotExist(f"{org.code} has no open version")
        if version.valid_from > on:
            raise ProcedureError(
                _(
                    "%(name)s đã có thay đổi từ ngày %(changed)s, sau ngày hiệu lực %(on)s. "
                    "Hãy ghi các sự kiện theo đúng trình tự thời gian."
                )
                % {"name": org.name, "changed": vn_date(version.valid_from), "on": vn_date(on)}
            )
    return versions


def start_versions(
    orgs: list[Organization],
    current: dict[int, OrganizationVersion],
    on: date,
    event: OrganizationEvent,
    changes: dict[int, dict],
) -> None:
    """`start_version` for many organizations (their open versions in `current`, each one's
    `changes`): the same rows, written in a few statements instead of seven per row."""
    closed, amended, created = [], [], []
    amended_fields: set[str] = set()
    for org in orgs:
        version, change = current[org.pk], changes[org.pk]
        if version.valid_from == on:
            for name, value in change.items():
                setattr(version, name, value)
            amended.append(version)
            amended_fields.update(change)
        else:
            version.valid_to = on
            closed.append(version)
            version = OrganizationVersion(
                organization=org,
                name=change.get("name", version.name),
                kind=change.get("kind", version.kind),
                parent_id=change.get("parent_id", version.parent_id),
                path=change.get("path", version.path),
                depth=change.get("depth", version.depth),
                province_id=change.get("province_id", version.province_id),
                valid_from=on,
                event=event,
            )
            created.append(version)
        org.name, org.kind, org.parent_id = version.name, version.kind, version.parent_id
        org.path, org.depth, org.province_id = version.path, version.depth, version.province_id
        org.name_folded, org.name_sort = fold(version.name), sort_key(version.name)
    # Closed before the new ones open: one open version per organization at every moment.
    # Plain UPDATE … WHERE id (executemany; COPY on PostgreSQL): bulk_update's CASE WHEN per
    # row and field cost more than the rows themselves (docs/performance.md, bring-up).
    update_rows(
        OrganizationVersion._meta.db_table,
        [("valid_to", "date")],
        [(version.valid_to, version.pk) for version in closed],
    )
    if amended:
        OrganizationVersion.objects.bulk_update(amended, sorted(amended_fields), batch_size=BATCH)
    OrganizationVersion.objects.bulk_create(created, batch_size=BATCH)
    update_rows(
        Organization._meta.db_table,
        _CURRENT_COLUMNS,
        [(*(getattr(org, column) for column, _kind in _CURRENT_COLUMNS), org.pk) for org in orgs],
    )


def rewrite_archived_paths(old_prefix: str, new_prefix: str) -> None:
    """Ended organizations filed under a moved node follow it (access paths only), and so
    does whatever other apps file under these paths (members)."""
    Organization.objects.filter(under("path", old_prefix), ended_on__isnull=False).update(
        path=Concat(Value(new_prefix), Substr(F("path"), len(old_prefix) + 1))
    )
    hooks.notify_paths_moved(old_prefix, new_prefix)


def place_subtree(
    org: Organization, parent: Organization | None, on: date, event: OrganizationEvent
) -> None:
    """Put a live `org` (with its live subtree) under `parent` from `on`."""
    place_subtrees([org], parent, on, event)


def place_subtrees(
    orgs: list[Organization], parent: Organization | None, on: date, event: OrganizationEvent
) -> None:
    """Put live sibling `orgs` (each with its live subtree) under `parent` from `on`: what
    `place_subtree` did for each in turn — the same checks in the same order, the same rows —
    written together in a few statements (a merge of communes moves hundreds of cells)."""
    subtrees = _live_subtrees(orgs)
    parent_version = None
    moving: list[Organization] = []  # each before its children
    current: dict[int, OrganizationVersion] = {}
    changes: dict[int, dict] = {}
    prefixes: list[tuple[str, str]] = []
    for org in orgs:
        descendants = subtrees[org.pk]
        current.update(open_versions(descendants, on))  # refuses when one changed after `on`
        if parent is not None and parent_version is None:
            parent_version = open_version(parent, on)
        kind = kind_under(kind=org.kind, parent=parent)
        old_prefix = org.path
        current[org.pk] = open_version(org, on)
        changes[org.pk] = {
            "parent_id": parent.pk if parent else None, "kind": kind,
            **placement_under(org, parent_version, kind),
        }  # fmt: skip
        placed = {org.pk: OrganizationVersion(**changes[org.pk])}
        for descendant in descendants:
            changes[descendant.pk] = placement_under(
                descendant, placed[descendant.parent_id], descendant.kind
            )
            placed[descendant.pk] = OrganizationVersion(**changes[descendant.pk])
        moving += [org, *descendants]
        prefixes.append((old_prefix, changes[org.pk]["path"]))
    start_versions(moving, current, on, event, changes)
    for old_prefix, new_prefix in prefixes:
        rewrite_archived_paths(old_prefix, new_prefix)


def _live_subtrees(orgs: list[Organization]) -> dict[int, list[Organization]]:
    """`live_descendants` of each of `orgs` (siblings: no one under another), read together."""
    if len(orgs) == 1:
        return {orgs[0].pk: live_descendants(orgs[0])}
    owner = {org.path: org.pk for org in orgs}
    if any(other != path and other.startswith(path) for path in owner for other in owner):
        raise ValueError("place_subtrees takes organizations of which none is under another")
    found: dict[int, list[Organization]] = {org.pk: [] for org in orgs}
    ids = list(found)
    for start in range(0, len(orgs), 100):  # SQLite: a bounded chain of ORs
        condition = Q(pk__in=[])
        for org in orgs[start : start + 100]:
            condition |= under("path", org.path)
        rows = (
            Organization.objects.select_for_update()
            .filter(condition, ended_on__isnull=True)
            .exclude(pk__in=ids)
            .order_by("depth", "id")
        )
        for row in rows:
            cut = row.path.find("/")
            while cut >= 0 and row.path[: cut + 1] not in owner:
                cut = row.path.find("/", cut + 1)
            found[owner[row.path[: cut + 1]]].append(row)
    return found


def end_organization(
    org: Organization, on: date, event: OrganizationEvent, successor: Organization | None
) -> None:
    current = open_version(org, on)
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


def create_organization(
    spec: NewOrganization, parent: Organization | None, on: date, event: OrganizationEvent
) -> Organization:
    check_code_free(spec.code)
    if not spec.name or not spec.name.strip():
        raise ValidationError({"name": _("Tên tổ chức không được để trống.")})
    check_placement(kind=spec.kind, parent=parent)
    parent_version = open_version(parent, on) if parent else None
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
    placement = placement_under(org, parent_version, spec.kind)
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
    participate(event, org, Role.RESULT)
    if parent:
        participate(event, parent, Role.PARENT)
    return org
