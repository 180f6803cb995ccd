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

from django.core.exceptions import ValidationError
from django.db import transaction

from tochuc.core.audit import _client_ip, _jsonable
from tochuc.core.errors import ProcedureError
from tochuc.core.models import AuditEntry
from tochuc.lib.dates import vn_date
from tochuc.lib.vntext import fold, sort_key
from tochuc.policy.acts import check_act_date

from .models import EventParticipant, Kind, Organization, OrganizationEvent, OrganizationVersion
from .services import Decision, NewOrganization, _check_decision, _version_on, check_placement

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
                raise ValueError(f"{founding.spec.code}: cấp trên không nằm trong danh sách.")
            value = depth_of(parent) + 1
        else:
            value = 0
        level[id(founding)] = value
        return value

    groups: dict[int, list[Founding]] = defaultdict(list)
    for founding in foundings:
        groups[depth_of(founding)].append(founding)
    return [groups[g] for g in sorted(groups)]


def _validate(foundings: Sequence[Founding]) -> None:
    codes: set[str] = set()
    for founding in foundings:
        spec = founding.spec
        code = (spec.code or "").strip()
        if not code:
            raise ValidationError({"code": "Mã tổ chức không được để trống."})
        if code in codes:
            raise ValidationError({"code": f"Mã tổ chức “{code}” bị trùng trong danh sách."})
        codes.add(code)
        if not spec.name or not spec.name.strip():
            raise ValidationError({"name": "Tên tổ chức không được để trống."})
        if spec.children:
            raise ValueError("Thành lập hàng loạt không nhận tổ chức trực thuộc có sẵn.")
        check_act_date(founding.on)
        _check_decision(founding.decision, founding.on)
        parent = founding.parent
        if isinstance(parent, Founding):
            check_placement(
                kind=spec.kind, parent=Organization(kind=parent.spec.kind, name=parent.spec.name)
            )
            if founding.on < parent.on:
                raise ProcedureError(
                    f"Ngày hiệu lực {vn_date(founding.on)} trước ngày thành lập của "
                    f"{parent.spec.name} ({vn_date(parent.on)})."
                )
        else:
            check_placement(kind=spec.kind, parent=parent)
    ordered = sorted(codes)
    for start in range(0, len(ordered), 500):
        taken = Organization.objects.filter(code__in=ordered[start : start + 500]).values_list(
            "code", flat=True
        )
        for code in taken:
            raise ValidationError({"code": f"Mã tổ chức “{code}” đã được dùng."})


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
    """
    foundings = list(foundings)
    _validate(foundings)
    user = by if getattr(by, "is_authenticated", False) else None
    ip = _client_ip.get()
    existing_versions: dict[tuple[int, date], _Placed] = {}
    placed: dict[int, _Placed] = {}  # id(Founding) -> placement

    for generation in _generations(foundings):
        for start in range(0, len(generation), batch_size):
            chunk = generation[start : start + batch_size]
            parents: list[_Placed | None] = []
            for founding in chunk:
                parent = founding.parent
                if parent is None:
                    parents.append(None)
                elif isinstance(parent, Founding):
                    parents.append(placed[id(parent)])
                else:
                    key = (parent.pk, founding.on)
                    if key not in existing_versions:
                        version = _version_on(parent, founding.on)
                        existing_versions[key] = _Placed(
                            version.path, version.depth, version.province_id
                        )
                    parents.append(existing_versions[key])

            events = OrganizationEvent.objects.bulk_create(
                OrganizationEvent(
                    type=OrganizationEvent.Type.FOUNDED,
                    effective_on=f.on,
                    decision_no=f.decision.number.strip(),
                    decision_date=f.decision.date,
                    note=f.decision.note,
                    recorded_by=user,
                )
                for f in chunk
            )
            organizations = []
            for founding, above in zip(chunk, parents, strict=True):
                spec = founding.spec
                name = spec.name.strip()
                parent = founding.parent
                parent_id = (
                    parent.organization.pk
                    if isinstance(parent, Founding)
                    else getattr(parent, "pk", None)
                )
                organizations.append(
                    Organization(
                        code=spec.code.strip(),
                        kind=spec.kind,
                        grassroots_type=spec.grassroots_type,
                        admin_unit_code=spec.admin_unit_code,
                        founded_on=founding.on,
                        name=name,
                        parent_id=parent_id,
                        path="",
                        depth=above.depth + 1 if above else 0,
                        province_id=above.province_id if above else None,
                        name_folded=fold(name),
                        name_sort=sort_key(name),
                    )
                )
            Organization.objects.bulk_create(organizations)
            for founding, above, org in zip(chunk, parents, organizations, strict=True):
                org.path = f"{above.path if above else ''}{org.pk}/"
                if org.kind == Kind.PROVINCE:
                    org.province_id = org.pk
                founding.organization = org
                placed[id(founding)] = _Placed(org.path, org.depth, org.province_id)
            Organization.objects.bulk_update(organizations, ["path", "province"], batch_size=500)

            OrganizationVersion.objects.bulk_create(
                OrganizationVersion(
                    organization=org,
                    name=org.name,
                    kind=org.kind,
                    parent_id=org.parent_id,
                    path=org.path,
                    depth=org.depth,
                    province_id=org.province_id,
                    valid_from=f.on,
                    event=event,
                )
                for f, org, event in zip(chunk, organizations, events, strict=True)
            )
            participants = []
            for org, event in zip(organizations, events, strict=True):
                participants.append(
                    EventParticipant(event=event, organization=org, role=Role.RESULT)
                )
                if org.parent_id:
                    participants.append(
                        EventParticipant(
                            event=event, organization_id=org.parent_id, role=Role.PARENT
                        )
                    )
            EventParticipant.objects.bulk_create(participants)

            parent_codes = _parent_codes(chunk)
            AuditEntry.objects.bulk_create(
                AuditEntry(
                    user=user,
                    username=user.get_username() if user else "",
                    action="tochuc.organization.founded",
                    object_type=Organization._meta.label_lower,
                    object_id=str(org.pk),
                    object_repr=str(org)[:255],
                    reason=f.decision.number[:255],
                    data=_jsonable({"parent": parent_codes[id(f)], "on": f.on}),
                    ip=ip,
                )
                for f, org in zip(chunk, organizations, strict=True)
            )
            if progress:
                progress(len(chunk))
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
