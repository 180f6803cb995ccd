"""A split divides the members of the cell between the new cells: all to one, by a list, or
by an uploaded file; merge and split previews say how many members move where."""

import io
from datetime import date
from types import SimpleNamespace

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tochuc.core.models import AuditEntry
from tochuc.members.models import Affiliation, MemberEvent
from tochuc.organizations import services
from tochuc.organizations.models import Kind, Organization
from tochuc.organizations.services import NewOrganization, organization_split
from tochuc.statistics import sources
from tochuc.testing import PASSWORD, found, register

pytestmark = pytest.mark.django_db

ON = date(2026, 3, 1)


@pytest.fixture
def naphai(cast):
    """Chi bộ thôn Nà Phái with three members: An, Bình, Cường."""
    return SimpleNamespace(
        cell=cast.village_cell,
        an=register(cast.village_cell, "Hoàng Văn An", citizen_id="001085000001"),
        binh=register(cast.village_cell, "Lục Thị Bình", citizen_id="001085000002"),
        cuong=register(
            cast.village_cell, "Vi Văn Cường", citizen_id="001085000003", party_card_no="20003"
        ),
    )


def parts():
    return [
        NewOrganization("NP.1", "Chi bộ thôn Nà Phái 1", Kind.BASE_CELL),
        NewOrganization("NP.2", "Chi bộ thôn Nà Phái 2", Kind.BASE_CELL),
    ]


def where(member) -> str:
    """The code of the cell where the member is in official activity now."""
    open_ = Affiliation.objects.get(member=member, valid_to__isnull=True)
    return open_.organization.code


def test_without_a_placement_every_member_follows_the_first_new_cell(naphai):
    organization_split(source=naphai.cell, parts=parts(), on=ON)
    assert {where(m) for m in (naphai.an, naphai.binh, naphai.cuong)} == {"NP.1"}


def test_all_members_can_go_to_the_second_new_cell(naphai):
    everyone = {m.pk: "NP.2" for m in (naphai.an, naphai.binh, naphai.cuong)}
    organization_split(source=naphai.cell, parts=parts(), on=ON, members=everyone)
    assert {where(m) for m in (naphai.an, naphai.binh, naphai.cuong)} == {"NP.2"}
    moved = Affiliation.objects.filter(member=naphai.an, organization__code="NP.2").get()
    assert moved.valid_from == ON
    closed = Affiliation.objects.get(member=naphai.an, organization=naphai.cell)
    assert closed.valid_to == ON


def test_a_list_divides_the_members_on_the_split_date(naphai):
    listed = {naphai.an.pk: "NP.1", naphai.binh.pk: "NP.2", naphai.cuong.pk: "NP.2"}
    organization_split(source=naphai.cell, parts=parts(), on=ON, members=listed)
    assert (where(naphai.an), where(naphai.binh), where(naphai.cuong)) == ("NP.1", "NP.2", "NP.2")
    event = MemberEvent.objects.get(member=naphai.binh, type=MemberEvent.Type.REORGANIZED)
    assert (event.on, event.other_organization_id) == (ON, naphai.cell.pk)
    audit = AuditEntry.objects.get(action="tochuc.organization.split")
    assert audit.data["members"] == {"NP.1": 1, "NP.2": 2}


def test_a_code_that_is_not_a_new_cell_refuses_the_split_and_writes_nothing(naphai):
    with pytest.raises(ValidationError, match="không có trong các tổ chức được lập"):
        organization_split(source=naphai.cell, parts=parts(), on=ON, members={naphai.an.pk: "KHAC"})
    assert not Organization.objects.filter(code__in=["NP.1", "NP.2"]).exists()
    assert where(naphai.an) == naphai.cell.code


def test_a_person_outside_the_cell_refuses_the_split(naphai, cast):
    stranger = register(cast.sibling_cell, "Vi Thị Dung", citizen_id="001085000004")
    with pytest.raises(ValidationError, match="không sinh hoạt tại Chi bộ thôn Nà Phái"):
        organization_split(source=naphai.cell, parts=parts(), on=ON, members={stranger.pk: "NP.2"})
    assert where(stranger) == cast.sibling_cell.code


def test_the_split_preview_counts_the_members_per_new_cell(naphai):
    listed = {naphai.an.pk: "NP.1", naphai.binh.pk: "NP.2", naphai.cuong.pk: "NP.2"}
    lines, error = services.preview(
        organization_split, source=naphai.cell, parts=parts(), on=ON, members=listed
    )
    assert error is None
    assert "1 đảng viên chuyển về Chi bộ thôn Nà Phái 1." in lines
    assert "2 đảng viên chuyển về Chi bộ thôn Nà Phái 2." in lines
    assert where(naphai.an) == naphai.cell.code  # rolled back


def test_the_merge_preview_counts_the_members_moving_in(naphai, cast):
    bac = found("T01.X01.BAC", "Chi bộ thôn Bắc", Kind.BASE_CELL, cast.commune)
    lines, error = services.preview(
        services.organization_merge, sources=[naphai.cell], into=bac, on=ON
    )
    assert error is None
    assert "3 đảng viên chuyển về Chi bộ thôn Bắc." in lines


def test_the_report_balances_after_a_split(naphai, cast):
    listed = {naphai.an.pk: "NP.1", naphai.binh.pk: "NP.2", naphai.cuong.pk: "NP.2"}
    organization_split(source=naphai.cell, parts=parts(), on=ON, members=listed)
    span = sources.Span(cast.commune, date(2025, 12, 31), date(2026, 12, 31))
    counts = sources.movement(span, date(2026, 1, 1), date(2026, 12, 31), by_child=True)
    by_code = {Organization.objects.get(pk=pk).code: c for pk, c in counts.items()}
    assert (by_code["NP.1"]["start"], by_code["NP.1"]["restructured_in"]) == (0, 1)
    assert (by_code["NP.2"]["restructured_in"], by_code["NP.2"]["end"]) == (2, 2)
    assert by_code[naphai.cell.code]["restructured_out"] == 3
    for count in counts.values():
        assert (
            count["start"] + count["restructured_in"] - count["restructured_out"] == (count["end"])
        )


# ---------------------------------------------------------------- the form


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


FORM = {
    "part1_code": "NP.1",
    "part1_name": "Chi bộ thôn Nà Phái 1",
    "part2_code": "NP.2",
    "part2_name": "Chi bộ thôn Nà Phái 2",
    "effective_on": "01/03/2026",
    "decision_no": "15-QĐ/ĐU",
    "decision_date": "20/02/2026",
}


def xlsx(rows) -> io.BytesIO:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Số thẻ đảng viên hoặc CCCD", "Họ và tên", "Mã tổ chức mới"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "phan-dang-vien.xlsx"
    return buffer


def test_an_officer_picks_each_members_new_cell_in_the_form(client, users, naphai):
    login(client, users.commune_officer)
    url = reverse("organizations:split", args=[naphai.cell.code])
    data = {
        **FORM,
        "members_mode": "list",
        f"member_{naphai.an.pk}": "2",
        f"member_{naphai.binh.pk}": "1",
        f"member_{naphai.cuong.pk}": "2",
    }
    preview = client.post(url, {**data, "action": "preview"})
    assert "2 đảng viên chuyển về Chi bộ thôn Nà Phái 2." in preview.context["lines"]
    assert client.post(url, {**data, "action": "save"}).status_code == 302
    assert (where(naphai.an), where(naphai.binh), where(naphai.cuong)) == ("NP.2", "NP.1", "NP.2")


def test_an_uploaded_file_places_the_members_after_the_preview(client, users, naphai):
    login(client, users.commune_officer)
    url = reverse("organizations:split", args=[naphai.cell.code])
    data = {**FORM, "members_mode": "file"}
    rows = [["001085000001", "Hoàng Văn An", "NP.2"], ["001085000002", "", "NP.1"],
            ["20003", "Vi Văn Cường", "NP.2"]]  # fmt: skip
    preview = client.post(url, {**data, "action": "preview", "members_file": xlsx(rows)})
    assert preview.context["form"].errors == {}
    assert "2 đảng viên chuyển về Chi bộ thôn Nà Phái 2." in preview.context["lines"]
    assert "1 đảng viên chuyển về Chi bộ thôn Nà Phái 1." in preview.context["lines"]
    token = preview.context["form"].members_plan_token
    assert f'name="members_plan" value="{token}"' in preview.content.decode()
    saved = client.post(url, {**data, "action": "save", "members_plan": token})
    assert saved.status_code == 302
    assert (where(naphai.an), where(naphai.binh), where(naphai.cuong)) == ("NP.2", "NP.1", "NP.2")


def test_a_bad_file_is_refused_row_by_row_and_writes_nothing(client, users, naphai):
    login(client, users.commune_officer)
    url = reverse("organizations:split", args=[naphai.cell.code])
    rows = [["001085000001", "", "NP.2"], ["009999999999", "", "NP.1"],
            ["001085000001", "", "NP.1"], ["001085000002", "", "NP.9"]]  # fmt: skip
    response = client.post(
        url, {**FORM, "members_mode": "file", "action": "save", "members_file": xlsx(rows)}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["members_file"]
    assert "Dòng 3: không có ai mang số “009999999999” đang sinh hoạt ở đây." in errors
    assert "Dòng 4: Hoàng Văn An đã có ở dòng 2." in errors
    assert "Dòng 5: mã tổ chức mới “NP.9” không có trong các tổ chức được lập." in errors
    assert "Tệp chưa phân 1 người đang sinh hoạt: Vi Văn Cường." in errors
    assert not Organization.objects.filter(code__in=["NP.1", "NP.2"]).exists()
    assert not MemberEvent.objects.filter(type=MemberEvent.Type.REORGANIZED).exists()
    assert {where(m) for m in (naphai.an, naphai.binh, naphai.cuong)} == {naphai.cell.code}


def test_the_form_asks_for_the_new_cells_before_placing_the_members(client, users, naphai):
    login(client, users.commune_officer)
    form = client.get(reverse("organizations:split", args=[naphai.cell.code])).context["form"]
    names = list(form.fields)
    assert names[:4] == ["part1_code", "part1_name", "part2_code", "part2_name"]
    assert names.index("members_mode") > names.index("part4_name")
    assert names.index(f"member_{naphai.an.pk}") > names.index("members_file")
    assert names[-4:] == ["effective_on", "decision_no", "decision_date", "note"]
    assert "Vi Văn Cường" in form.fields[f"member_{naphai.cuong.pk}"].label
