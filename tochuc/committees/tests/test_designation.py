"""Designating the committee inside the restructuring form: the sibling commune merges into
the commune on 1/1/2026 and, in the same form, the merged commune's committee is designated
(its secretary from the commune, its deputy from the commune merged in); the preview says
so and writes nothing; an unknown card is refused beside the section's field and the merger
is not recorded either."""

from datetime import date

import pytest
from django.urls import reverse

from tochuc.committees import selectors
from tochuc.committees.models import Began, Committee, Formed, Role
from tochuc.organizations.models import Organization
from tochuc.testing import register

pytestmark = pytest.mark.django_db
NEW_YEAR = date(2026, 1, 1)


@pytest.fixture
def people(cast):
    return (
        register(cast.village_cell, "Hoàng Văn An", party_card_no="20000001"),
        register(cast.sibling_cell, "Lục Thị Bình", citizen_id="020185000002"),
        register(cast.sibling_cell, "Nông Văn Cường", party_card_no="20000003"),
    )


MERGE = {
    "mode": "into", "effective_on": "01/01/2026", "decision_no": "125-QĐ/TU",
    "decision_date": "20/12/2025", "cap_uy-designate": "on", "cap_uy-secretary": "20000001",
    "cap_uy-deputies": "020185000002", "cap_uy-members": "20000003", "cap_uy-size": "5",
}  # fmt: skip


def test_the_merged_communes_committee_is_designated_in_the_merger_form(
    client, cast, users, people
):
    client.force_login(users.province_officer)
    url = reverse("organizations:merge", args=[cast.commune.code])
    page = client.get(url).content.decode()
    assert 'id="section-cap_uy"' in page and "Chỉ định cấp ủy của tổ chức sau sắp xếp" in page
    data = {**MERGE, "siblings": [cast.sibling_commune.code]}
    preview = client.post(url, {**data, "action": "preview"})
    assert (
        "Chỉ định cấp ủy Đảng bộ xã Tân An (5 cấp ủy viên): Bí thư Hoàng Văn An; "
        "Phó Bí thư Lục Thị Bình; Cấp ủy viên Nông Văn Cường."
    ) in preview.context["lines"]
    assert not Committee.objects.exists()
    assert client.post(url, {**data, "action": "save"}).status_code == 302
    committee = Committee.objects.get()
    assert (committee.organization, committee.formed_on, committee.formed_how) == (
        cast.commune, NEW_YEAR, Formed.DESIGNATED,
    )  # fmt: skip
    assert (committee.decision_no, committee.size, committee.deputies) == ("125-QĐ/TU", 5, 1)
    posts = selectors.posts_on(committee=committee, on=NEW_YEAR)
    assert [(p.role, p.member.full_name, p.began_how) for p in posts] == [
        (Role.SECRETARY, "Hoàng Văn An", Began.DESIGNATED),
        (Role.DEPUTY, "Lục Thị Bình", Began.DESIGNATED),
        (Role.MEMBER, "Nông Văn Cường", Began.DESIGNATED),
    ]
    vacant = selectors.vacancies(committee=committee, posts=posts)
    assert [(v.label, v.missing) for v in vacant] == [("Cấp ủy viên", 2)]


def test_an_unknown_card_is_refused_beside_the_section_and_nothing_is_recorded(
    client, cast, users, people
):
    client.force_login(users.province_officer)
    url = reverse("organizations:merge", args=[cast.commune.code])
    data = {**MERGE, "siblings": [cast.sibling_commune.code], "cap_uy-members": "99999999"}
    response = client.post(url, {**data, "action": "save"})
    assert response.status_code == 200
    text = response.content.decode()
    assert 'id="id_cap_uy-members-errors"' in text
    assert "Không có đảng viên “99999999” sinh hoạt trong Đảng bộ xã Tân An sau sắp xếp." in text
    assert Organization.objects.get(pk=cast.sibling_commune.pk).ended_on is None
    assert not Committee.objects.exists()


def test_a_split_designates_the_secretary_of_the_part_named(client, cast, users):
    an = register(cast.village_cell, "Hoàng Văn An", citizen_id="001085000001")
    binh = register(cast.village_cell, "Lục Thị Bình", citizen_id="001085000002")
    client.force_login(users.commune_officer)
    url = reverse("organizations:split", args=[cast.village_cell.code])
    data = {
        "part1_code": "NP.1", "part1_name": "Chi bộ thôn Nà Phái 1", "part2_code": "NP.2",
        "part2_name": "Chi bộ thôn Nà Phái 2", "effective_on": "01/03/2026",
        "decision_no": "15-QĐ/ĐU", "decision_date": "20/02/2026", "members_mode": "list",
        f"member_{an.pk}": "2", f"member_{binh.pk}": "1", "cap_uy-designate": "on",
        "cap_uy-target_code": "NP.2", "cap_uy-secretary": "001085000001",
    }  # fmt: skip
    wrong = client.post(url, {**data, "cap_uy-secretary": "001085000002", "action": "save"})
    assert (
        "Không có đảng viên “001085000002” sinh hoạt trong Chi bộ thôn Nà Phái 2 sau sắp xếp."
    ) in wrong.content.decode()
    assert not Organization.objects.filter(code="NP.2").exists()
    assert client.post(url, {**data, "action": "save"}).status_code == 302
    committee = Committee.objects.get()
    assert (committee.organization.code, committee.size, committee.decision_no) == (
        "NP.2", 1, "15-QĐ/ĐU",
    )  # fmt: skip
    [post] = selectors.posts_on(committee=committee, on=date(2026, 3, 1))
    assert (post.role, post.member) == (Role.SECRETARY, an)
