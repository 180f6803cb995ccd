"""The `org-events` and `targets` imports: the services perform each row, bad rows write
nothing, re-imports change nothing."""

from datetime import date

import pytest

from tochuc.accounts.access import Scope
from tochuc.accounts.permissions import Role
from tochuc.accounts.services import grant_create, user_create
from tochuc.admissions.models import AdmissionTarget
from tochuc.imports.tests.history_helpers import Tree, person, run
from tochuc.organizations.models import (
    GrassrootsType,
    Kind,
    Organization,
    OrganizationEvent,
    OrganizationVersion,
)
from tochuc.organizations.selectors import version_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    return Tree()


def org_row(type_, on, code, **extra):
    return {"type": type_, "on": on, "code": code, **extra}


HISTORY = [
    org_row(
        "Thành lập",
        "01/03/2018",
        "P.C1.M1",
        name="Chi bộ Khu mới",
        kind="Chi bộ cơ sở",
        parent="P.C1",
        grassroots_type="Khác",
        decision_no="1-QĐ/ĐU",
    ),  # fmt: skip
    org_row("Đổi tên", "01/05/2019", "P.C1.M1", name="Chi bộ Khu đô thị", decision_no="2-QĐ"),
    org_row("Chuyển trực thuộc", "01/07/2020", "P.C1.M1", parent="P.C2", decision_no="3-QĐ"),
    org_row(
        "merged",
        "01/06/2022",
        "P.C1.A2; P.C1.M9",
        result="P.C1.A12",
        name="Chi bộ A12",
        kind="base_cell",
        parent="P.C1",
        decision_no="4-QĐ",
    ),  # fmt: skip
    org_row(
        "Thành lập",
        "01/01/2021",
        "P.C1.M9",
        name="Chi bộ M9",
        kind="Chi bộ cơ sở",
        parent="P.C1",
        decision_no="5-QĐ",
    ),  # fmt: skip
    org_row(
        "Chia tách",
        "01/01/2023",
        "P.C2",
        result="P.C2A; P.C2B",
        name="Đảng bộ xã Hai A; Đảng bộ xã Hai B",
        kind="commune",
        decision_no="6-QĐ",
    ),
    org_row("Giải thể", "01/01/2024", "P.C1.A12", decision_no="7-QĐ"),
]


def counts():
    return (Organization.objects.count(), OrganizationEvent.objects.count(),
            OrganizationVersion.objects.count())  # fmt: skip


def test_every_kind_of_organization_event_is_performed_in_date_order(tree):
    outcome = run("org-events", HISTORY)
    assert outcome.ok, [str(e) for e in outcome.errors]
    assert outcome.created == 7
    m1 = Organization.objects.get(code="P.C1.M1")
    assert version_of(organization=m1, on=date(2019, 1, 1)).name == "Chi bộ Khu mới"
    assert version_of(organization=m1, on=date(2020, 1, 1)).parent.code == "P.C1"
    assert m1.name == "Chi bộ Khu đô thị" and m1.parent.code == "P.C2A"  # followed the split
    a12 = Organization.objects.get(code="P.C1.A12")
    assert (a12.founded_on, a12.ended_on) == (date(2022, 6, 1), date(2024, 1, 1))
    assert Organization.objects.get(code="P.C1.A2").ended_on == date(2022, 6, 1)
    assert Organization.objects.get(code="P.C2").ended_on == date(2023, 1, 1)
    assert set(Organization.objects.get(code="P.C2A").children.values_list("code", flat=True)) == {
        "P.C2.B1", "P.C2.NEW", "P.C1.M1",
    }  # fmt: skip
    event = OrganizationEvent.objects.get(decision_no="4-QĐ")
    assert (event.type, event.effective_on) == ("merged", date(2022, 6, 1))

    before = counts()
    again = run("org-events", HISTORY)
    assert again.ok and (again.created, again.unchanged) == (0, 7)
    assert counts() == before


def test_a_refused_row_writes_nothing_and_every_bad_row_is_reported(tree):
    person(tree.a1, 1)
    rows = [
        HISTORY[0],
        org_row("Giải thể", "01/01/2021", "P.C1.A1", decision_no="9"),  # still has a member
        org_row("Đổi tên", "01/01/2021", "P.C1.ZZ", name="X"),
        org_row("Giải thể", "01/01/2015", "P.C1.OLD"),  # before its recorded dissolution
        org_row("Chuyển trực thuộc", "01/01/2021", "P.C1.A2", parent="P.C1"),
        org_row("Bầu cử", "01/01/2021", "P.C1.A2"),
    ]
    before = counts()
    outcome = run("org-events", rows)
    assert counts() == before
    rows_in_error = sorted({e.row for e in outcome.errors})
    assert rows_in_error == [3, 4, 5, 6, 7], [str(e) for e in outcome.errors]
    messages = " ".join(str(e) for e in outcome.errors)
    assert "Không có tổ chức mã “P.C1.ZZ” trong phạm vi được nhập." in messages
    assert "“Bầu cử” không có trong danh mục Loại sự kiện." in messages


def test_the_type_and_the_kind_are_read_whatever_the_accents_and_case(tree):
    outcome = run("org-events", [
        org_row("THANH LAP", "01/03/2018", "P.C1.M1", name="Chi bộ Khu mới", kind="chi bo co so",
                parent="P.C1", grassroots_type="KHÁC", decision_no="1-QĐ/ĐU"),
        org_row("sáp nhập", "01/06/2022", "P.C1.M1", result="P.C1.A2", decision_no="4-QĐ"),
    ])  # fmt: skip
    assert outcome.ok, [str(e) for e in outcome.errors]
    founded = Organization.objects.get(code="P.C1.M1")
    assert founded.kind == Kind.BASE_CELL and founded.grassroots_type == GrassrootsType.OTHER
    assert sorted(
        OrganizationEvent.objects.filter(organizations=founded).values_list("type", flat=True)
    ) == [OrganizationEvent.Type.FOUNDED, OrganizationEvent.Type.MERGED]


def test_a_date_out_of_range_is_refused_in_its_cell_and_nothing_is_written(tree):
    before = counts()
    outcome = run("org-events", [
        org_row("Đổi tên", "01/01/1920", "P.C1.A1", name="Chi bộ Một"),
        org_row("Đổi tên", "01/01/2021", "P.C1.A2", name="Chi bộ Hai", decision_date="31/13/2020"),
        org_row("Giải thể", "01/01/2999", "P.C1.A2"),
    ])  # fmt: skip
    assert [str(e) for e in outcome.errors] == [
        "Dòng 2, cột “Ngày hiệu lực”: Ngày 01/01/1920 trước ngày thành lập Đảng (03/02/1930).",
        "Dòng 3, cột “Ngày quyết định”: “31/13/2020” không phải ngày hợp lệ (dd/mm/yyyy).",
        "Dòng 4, cột “Ngày hiệu lực”: Ngày này không được sau hôm nay.",
    ]
    assert counts() == before


def test_organization_codes_outside_the_scope_are_refused(tree):
    officer = user_create(username="xa_mot", password="x", full_name="Cán bộ xã Một")
    grant_create(user=officer, role=Role.OFFICER, organization=tree.c1, valid_from=date(2000, 1, 1))
    rows = [org_row("Chuyển trực thuộc", "01/01/2021", "P.C1.A2", parent="P.C2")]
    outcome = run("org-events", rows, scope=Scope.for_user(officer), by=officer)
    assert [(e.row, e.message) for e in outcome.errors] == [
        (2, "Không có tổ chức mã “P.C2” trong phạm vi được nhập.")
    ]


def target_row(code, year, target):
    return {"code": code, "year": str(year), "target": str(target)}


def test_targets_are_set_changed_and_left_alone(tree):
    first = run("targets", [target_row("P.C1", 2024, 12), target_row("P.C2", 2024, 8)])
    assert (first.created, first.changed, first.unchanged) == (2, 0, 0)
    second = run("targets", [target_row("P.C1", 2024, 12), target_row("P.C2", 2024, 9)])
    assert (second.created, second.changed, second.unchanged) == (0, 1, 1)
    assert dict(AdmissionTarget.objects.values_list("organization__code", "target")) == {
        "P.C1": 12, "P.C2": 9,
    }  # fmt: skip


def test_bad_targets_are_refused_and_nothing_is_written(tree):
    officer = user_create(username="xa_mot", password="x", full_name="Cán bộ xã Một")
    grant_create(user=officer, role=Role.OFFICER, organization=tree.c1, valid_from=date(2000, 1, 1))
    rows = [
        target_row("P.C1.A1", 2024, 3),  # good
        target_row("P.C1", 2024, 5),  # its own organization: set from above
        target_row("P.C2.B1", 2024, 5),  # outside the scope
        target_row("P.C1.A2", 1900, 5),
        target_row("P.C1.A2", 2024, -1),
        target_row("P.C1.A1", 2024, 4),  # twice
    ]
    outcome = run("targets", rows, scope=Scope.for_user(officer), by=officer)
    assert sorted({e.row for e in outcome.errors}) == [3, 4, 5, 6, 7]
    assert not AdmissionTarget.objects.exists()
