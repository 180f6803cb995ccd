"""Founding many organizations at once: the write path for demo data and large imports.

`organizations_found_bulk` leaves exactly what `services.organization_found` would leave
for each organization — the organization with its denormalized current state (path,
depth, province, folded and sortable name), one open version, one founding event with
its participants (the new organization as result, its parent as parent) and an audit
entry — but with a handful of queries per level of the tree instead of about ten per
organization. Only founding is done in bulk; every later change goes through the
services.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tochuc.core import audit
from tochuc.core.errors import ProcedureError
from tochuc.lib.dates import vn_date
from tochuc.lib.rows import Table
from tochuc.lib.vntext import fold, sort_key
from tochuc.policy.acts import check_act_date

from .models import EventParticipant, Kind, Organization, OrganizationEvent, OrganizationVersion
from .services import Decision, NewOrganization
from .tree import check_decision, check_placement, version_on

Role = EventParticipant.Role


@dataclass(eq=False)
class Founding:
    """One organization to found: under an existing organization or an earlier `Founding`."""

    spec: NewOrganization
    on: date
    parent: Organization | Founding | None = None
    decision: Decision = Decision()
    organization: Organization | None = field(default=None, init=False)


@dataclass
class _Placed:
    path: str
    depth: int
    province_id: int | None


def _generations(foundings: Sequence[Founding]) -> list[list[Founding]]:
    """Foundings grouped so that every planned parent is in an earlier group."""
    known = {id(f) for f in foundings}
    level: dict[int, int] = {}

    def depth_of(founding: Founding) -> int:
        if id(founding) in level:
            return level[id(founding)]
        parent = founding.parent
        if isinstance(parent, Founding):
            if id(parent) not in known:
                raise ValueError(f"{founding.spec.code}: parent not among the foundings")
            value = depth_of(parent) + 1
        else:
            value = 0
        level[id(founding)] = value
        return value

    groups: dict[int, list[Founding]] = defaultdict(list)
    for founding in foundings:
        groups[depth_of(founding)].append(founding)
    return [groups[g] for g in sorted(groups)]


class PlannedParent(NamedTuple):
    """What `check_placement` reads of a parent that is not saved yet."""

    kind: str
    name: str


def _validate(foundings: Sequence[Founding]) -> None:
    codes: set[str] = set()
    today = timezone.localdate()
    dates_checked: set[tuple[date, date | None]] = set()  # a file holds few distinct dates
    for founding in foundings:
        spec = founding.spec
        code = (spec.code or "").strip()
        if not code:
            raise ValidationError({"code": _("Mã tổ chức không được để trống.")})
        if code in codes:
            raise ValidationError(
                {"code": _("Mã tổ chức “%(code)s” bị trùng trong danh sách.") % {"code": code}}
            )
        codes.add(code)
        if not spec.name or not spec.name.strip():
            raise ValidationError({"name": _("Tên tổ chức không được để trống.")})
        if spec.children:
            raise ValueError("bulk founding takes no existing children")
        if (founding.on, founding.decision.date) not in dates_checked:
            check_act_date(founding.on, today=today)
            check_decision(founding.decision, founding.on)
            dates_checked.add((founding.on, founding.decision.date))
        parent = founding.parent
        if isinstance(parent, Founding):
            check_placement(
                kind=spec.kind, parent=PlannedParent(parent.spec.kind, parent.spec.name)
            )
            if founding.on < parent.on:
                raise ProcedureError(
                    _("Ngày hiệu lực %(on)s trước ngày thành lập của %(name)s (%(founded)s).")
                    % {"on": vn_date(founding.on), "name": parent.spec.name,
                       "founded": vn_date(parent.on)}
                )  # fmt: skip
        else:
            check_placement(kind=spec.kind, parent=parent)
    ordered = sorted(codes)
    for start in range(0, len(ordered), 500):
        taken = Organization.objects.filter(code__in=ordered[start : start + 500]).values_list(
            "code", flat=True
        )
        for code in taken:
            message = _("Mã tổ chức “%(code)s” đã được dùng.") % {"code": code}
            raise ValidationError({"code": message})


@transaction.atomic
def organizations_found_bulk(
    foundings: Sequence[Founding],
    *,
    by=None,
    batch_size: int = 2000,
    progress: Callable[[int], None] | None = None,
) -> list[Organization]:
    """Found every organization in `foundings`, as `organization_found` would, one by one.

    A `Founding` whose parent is another `Founding` is placed under it; each founding's
    `organization` is set to the new organization. Returns them in the given order.

    Primary keys are reserved beforehand, so that paths, depths and provinces are computed
    in memory, parents before children, and every row is written once with plain
    multi-row inserts (`lib.rows.Table`: COPY on PostgreSQL, executemany on SQLite).
    """
    foundings = list(foundings)
    _validate(foundings)
    user = by if getattr(by, "is_authenticated", False) else None
    now = timezone.now()
    tables = {
        "event": Table(OrganizationEvent, with_pk=True, now=now,
                       constants={"recorded_by_id": user.pk if user else None}),
        "organization": Table(Organization, with_pk=True, now=now),
        "version": Table(OrganizationVersion, with_pk=False, now=now),
        "participant": Table(EventParticipant, with_pk=False, now=now,
                             constants={"detail": "{}"}, ready=("detail",)),
    }  # fmt: skip
    names = [f.attname for f in Organization._meta.concrete_fields]
    ordered = [f for generation in _generations(foundings) for f in generation]
    org_ids = iter(tables["organization"].reserve(len(ordered)))
    event_ids = iter(tables["event"].reserve(len(ordered)))
    existing_versions: dict[tuple[int, date], _Placed] = {}
    placed: dict[int, _Placed] = {}  # id(Founding) -> placement
    rows: dict[str, list[dict]] = {name: [] for name in tables}
    for founding in ordered:
        parent = founding.parent
        if parent is None:
            above = None
        elif isinstance(parent, Founding):
            above = placed[id(parent)]
        else:
            key = (parent.pk, founding.on)
            if key not in existing_versions:
                version = version_on(parent, founding.on)
                existing_versions[key] = _Placed(version.path, version.depth, version.province_id)
            above = existing_versions[key]
        spec, decision = founding.spec, founding.decision
        pk, event_id = next(org_ids), next(event_ids)
        name = spec.name.strip()
        parent_id = (
            parent.organization.pk if isinstance(parent, Founding) else getattr(parent, "pk", None)
        )
        here = _Placed(
            f"{above.path if above else ''}{pk}/",
            above.depth + 1 if above else 0,
            pk if spec.kind == Kind.PROVINCE else (above.province_id if above else None),
        )
        placed[id(founding)] = here
        fields = {
            "id": pk, "code": spec.code.strip(), "kind": spec.kind,
            "grassroots_type": spec.grassroots_type, "admin_unit_code": spec.admin_unit_code,
            "founded_on": founding.on, "ended_on": None, "name": name, "parent_id": parent_id,
            "path": here.path, "depth": here.depth, "province_id": here.province_id,
            "successor_id": None, "name_folded": fold(name), "name_sort": sort_key(name),
        }  # fmt: skip
        rows["organization"].append(fields)
        founding.organization = Organization.from_db(  # the quick way to a saved instance
            connection.alias, names, [fields[name] for name in names]
        )
        rows["event"].append({
            "id": event_id, "type": OrganizationEvent.Type.FOUNDED, "effective_on": founding.on,
            "decision_no": decision.number.strip(), "decision_date": decision.date,
            "note": decision.note,
        })  # fmt: skip
        rows["version"].append({
            "organization_id": pk, "name": name, "kind": spec.kind, "parent_id": parent_id,
            "path": here.path, "depth": here.depth, "province_id": here.province_id,
            "valid_from": founding.on, "valid_to": None, "event_id": event_id,
        })  # fmt: skip
        rows["participant"].append(
            {"event_id": event_id, "organization_id": pk, "role": Role.RESULT}
        )
        if parent_id:
            rows["participant"].append(
                {"event_id": event_id, "organization_id": parent_id, "role": Role.PARENT}
            )
    for name in ("event", "organization", "version", "participant"):
        for start in range(0, len(rows[name]), batch_size):
            tables[name].insert(rows[name][start : start + batch_size])
    parent_codes = _parent_codes(ordered)
    audit.record_many(
        "tochuc.organization.founded",
        (
            (f.organization, f.decision.number, {"parent": parent_codes[id(f)], "on": f.on})
            for f in ordered
        ),
        by=by,
    )
    if progress:
        progress(len(ordered))
    return [f.organization for f in foundings]


def _parent_codes(chunk: Sequence[Founding]) -> dict[int, str | None]:
    codes = {}
    for founding in chunk:
        parent = founding.parent
        if isinstance(parent, Founding):
            codes[id(founding)] = parent.organization.code
        else:
            codes[id(founding)] = parent.code if parent is not None else None
    return codes
