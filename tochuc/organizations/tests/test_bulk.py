"""`organizations_found_bulk` leaves what `organization_found`, called one by one, leaves."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from tochuc.core.errors import ProcedureError
from tochuc.core.models import AuditEntry
from tochuc.organizations.bulk import Founding, organizations_found_bulk
from tochuc.organizations.models import (
    GrassrootsType,
    Kind,
    Organization,
    OrganizationEvent,
    OrganizationVersion,
)
from tochuc.organizations.services import Decision, NewOrganization, organization_found

pytestmark = pytest.mark.django_db

# key, parent key, spec, founded, decision
TREE = [
    ("district", None, NewOrganization("T20.H183", "Đảng bộ huyện Cao Lộc", Kind.DISTRICT),
     date(1979, 1, 1), Decision("12-QĐ/TU", date(1978, 12, 25))),
    ("commune", "district", NewOrganization("T20.H183.X06193", "Đảng bộ thị trấn Cao Lộc",
     Kind.BASE_COMMITTEE, GrassrootsType.TOWNLET, "06193"), date(1979, 1, 1), Decision()),
    ("village", "commune", NewOrganization("T20.H183.X06193.T01", "Chi bộ khu 1", Kind.CELL),
     date(1985, 3, 2), Decision("3-QĐ/ĐU", date(1985, 2, 27), "Tách từ chi bộ ghép")),
    ("school", "district", NewOrganization("T20.H183.THPT1", "Đảng bộ Trường THPT Cao Lộc",
     Kind.BASE_COMMITTEE, GrassrootsType.PUBLIC_SERVICE), date(1990, 9, 1), Decision()),
    ("group", "school", NewOrganization("T20.H183.THPT1.C01", "Chi bộ Tổ Toán – Tin", Kind.CELL),
     date(1991, 1, 1), Decision()),
    ("bloc", None, NewOrganization("T20.CA", "Đảng bộ Công an tỉnh", Kind.BLOC), date(1979, 1, 1),
     Decision()),
]  # fmt: skip


def snapshot() -> dict:
    """Everything founding writes, with ids replaced by codes."""
    code = dict(Organization.objects.values_list("id", "code"))

    def path(value: str) -> str:
        return "/".join(code[int(part)] for part in value.strip("/").split("/"))

    organizations = {
        o.code: (
            o.kind, o.grassroots_type, o.admin_unit_code, o.founded_on, o.ended_on, o.name,
            code.get(o.parent_id), path(o.path), o.depth, code.get(o.province_id),
            o.name_folded, o.name_sort,
        )
        for o in Organization.objects.all()
    }  # fmt: skip
    versions = sorted(
        (
            code[v.organization_id], v.name, v.kind, code.get(v.parent_id), path(v.path),
            v.depth, code.get(v.province_id), v.valid_from, v.valid_to,
            (v.event.type, v.event.effective_on, v.event.decision_no, v.event.decision_date,
             v.event.note, v.event.recorded_by_id),
            tuple(sorted((code[p.organization_id], p.role, str(p.detail))
                         for p in v.event.parts.all())),
        )
        for v in OrganizationVersion.objects.select_related("event")
    )  # fmt: skip
    audit = sorted(
        (e.action, code[int(e.object_id)], e.object_type, e.object_repr, e.reason,
         str(sorted(e.data.items())), e.username, e.ip)
        for e in AuditEntry.objects.all()
    )  # fmt: skip
    return {
        "organizations": organizations,
        "versions": versions,
        "audit": audit,
        "events": OrganizationEvent.objects.count(),
    }


def test_bulk_founding_leaves_exactly_what_the_service_leaves():
    province = organization_found(
        spec=NewOrganization("T20", "Đảng bộ tỉnh Lạng Sơn", Kind.PROVINCE, admin_unit_code="20"),
        parent=None, on=date(1979, 1, 1),
    )  # fmt: skip
    with transaction.atomic():
        made = {}
        for key, parent, spec, on, decision in TREE:
            made[key] = organization_found(
                spec=spec, parent=made[parent] if parent else province, on=on, decision=decision
            )
        one_by_one = snapshot()
        transaction.set_rollback(True)

    planned = {}
    for key, parent, spec, on, decision in TREE:
        planned[key] = Founding(spec, on, planned[parent] if parent else province, decision)
    result = organizations_found_bulk(list(planned.values()))

    assert snapshot() == one_by_one
    assert [o.code for o in result] == [spec.code for _, _, spec, _, _ in TREE]
    assert planned["village"].organization.path.startswith(planned["commune"].organization.path)


def test_bulk_founding_refuses_what_the_service_refuses():
    province = organization_found(
        spec=NewOrganization("T20", "Đảng bộ tỉnh Lạng Sơn", Kind.PROVINCE),
        parent=None, on=date(1979, 1, 1),
    )  # fmt: skip
    district = Founding(NewOrganization("H1", "Đảng bộ huyện A", Kind.DISTRICT), date(1980, 1, 1),
                        province)  # fmt: skip
    with pytest.raises(ValidationError):  # the code is taken
        organizations_found_bulk([Founding(NewOrganization("T20", "X", Kind.BLOC), date(1990, 1, 1),
                                           province)])  # fmt: skip
    with pytest.raises(ValidationError):  # twice in the list
        organizations_found_bulk([district, Founding(district.spec, date(1981, 1, 1), province)])
    with pytest.raises(ProcedureError):  # a cell cannot stand under a province
        organizations_found_bulk([Founding(NewOrganization("C1", "Chi bộ", Kind.CELL),
                                           date(1990, 1, 1), province)])  # fmt: skip
    with pytest.raises(ProcedureError):  # founded before its parent
        organizations_found_bulk([
            district,
            Founding(NewOrganization("X1", "Đảng bộ xã B", Kind.BASE_COMMITTEE), date(1979, 6, 1),
                     district),
        ])  # fmt: skip
    with pytest.raises(ProcedureError):  # before the existing parent was founded
        organizations_found_bulk([Founding(NewOrganization("H2", "Đảng bộ huyện C", Kind.DISTRICT),
                                           date(1970, 1, 1), province)])  # fmt: skip
    assert Organization.objects.count() == 1
