"""The committee pages through the client: the commune's committee as of a date, a post filled
from the form (a consolidation), a refusal beside its field with nothing written, the due
list and a member's posts."""

from datetime import date

import pytest
from django.urls import reverse

from tochuc.committees import services
from tochuc.committees.models import Began, Post, Role
from tochuc.members.models import MemberEvent
from tochuc.members.services import member_exit
from tochuc.testing import register

pytestmark = pytest.mark.django_db
JULY = date(2025, 7, 1)


@pytest.fixture
def committee(cast):
    made = services.committee_form(
        organization=cast.commune, formed_on=JULY, formed_how="designated",
        decision_no="1234-QĐ/TU", decision_date=JULY, size=5, deputies=1,
    )  # fmt: skip
    an = register(cast.village_cell, "Hoàng Văn An")
    services.post_begin(
        committee=made, member=an, role=Role.SECRETARY, began_on=JULY,
        began_how=Began.DESIGNATED, decision_no="1235-QĐ/TU", decision_date=JULY,
    )  # fmt: skip
    made.an = an
    return made


def test_the_commune_page_shows_the_committee_as_of_the_date(client, cast, users, committee):
    client.force_login(users.commune_officer)
    url = reverse("committees:committee", args=[cast.commune.code])
    page = client.get(url).content.decode()
    assert "Hoàng Văn An" in page and "Khuyết:" in page and "Cấp ủy viên 4/5" in page
    before = client.get(url, {"ngay": "31/12/2024"}).content.decode()
    assert 'id="no-committee"' in before and "Hoàng Văn An" not in before.split('id="terms"')[0]
    organization_page = client.get(reverse("organizations:detail", args=[cast.commune.code]))
    assert url in organization_page.content.decode()


def test_a_vacant_secretary_is_filled_from_the_form(client, cast, users, committee):
    member_exit(member=committee.an, type=MemberEvent.Type.DIED, on=date(2026, 3, 2))
    binh = register(cast.village_cell, "Lục Thị Bình")
    client.force_login(users.commune_officer)
    due = client.get(reverse("committees:due")).content.decode()
    assert "Bí thư 1/1" in due
    url = reverse("committees:post_begin", args=[cast.commune.code])
    fields = {
        "member": binh.pk, "role": "secretary", "began_how": "meeting",
        "began_on": "10/03/2026", "decision_no": "45-QĐ/TU", "decision_date": "09/03/2026",
    }  # fmt: skip
    preview = client.post(url, {**fields, "action": "preview"}).content.decode()
    assert "Lục Thị Bình giữ chức Bí thư từ 10/03/2026 (bầu tại hội nghị cấp ủy)." in preview
    assert "Đây là một lần kiện toàn cấp ủy." in preview
    assert "Sau đó còn khuyết: Phó Bí thư 1/1; Cấp ủy viên 4/5." in preview
    assert not Post.objects.filter(member=binh).exists()
    response = client.post(url, {**fields, "action": "save"})
    assert response.status_code == 302
    post = Post.objects.get(member=binh)
    assert post.is_consolidation and post.role == Role.SECRETARY
    mine = client.get(reverse("committees:member", args=[binh.pk])).content.decode()
    assert "Bí thư" in mine and "10/03/2026" in mine


def test_a_refused_post_stays_beside_its_field_and_writes_nothing(client, cast, users, committee):
    binh = register(cast.village_cell, "Lục Thị Bình")
    client.force_login(users.commune_officer)
    url = reverse("committees:post_begin", args=[cast.commune.code])
    response = client.post(url, {
        "member": binh.pk, "role": "secretary", "began_how": "meeting", "action": "save",
        "began_on": "10/03/2026", "decision_no": "45-QĐ/TU", "decision_date": "09/03/2026",
    })  # fmt: skip
    assert response.status_code == 200
    assert "Đã có Bí thư" in response.content.decode()
    assert not Post.objects.filter(member=binh).exists()


def test_a_committee_is_formed_from_the_form(client, cast, users):
    client.force_login(users.commune_officer)
    url = reverse("committees:form", args=[cast.village_cell.code])
    response = client.post(url, {
        "formed_how": "elected", "formed_on": "05/09/2025", "decision_no": "03-NQ/ĐH",
        "decision_date": "05/09/2025", "size": "5", "standing_size": "0", "deputies": "1",
        "inspection_size": "0",
    })  # fmt: skip
    assert response.status_code == 200
    assert "dưới 9" in response.content.decode()


def test_a_congress_is_recorded_with_its_results(client, cast, users):
    elected = services.committee_form(
        organization=cast.commune, formed_on=date(2025, 8, 20), formed_how="elected",
        decision_no="01-NQ/ĐH", decision_date=date(2025, 8, 20), size=2, deputies=1,
    )  # fmt: skip
    an = register(cast.village_cell, "Hoàng Văn An")
    client.force_login(users.commune_officer)
    url = reverse("committees:congress_record", args=[cast.commune.code])
    response = client.post(url, {
        "committee": elected.pk, "ordinal": "1", "kind": "delegates", "starts_on": "19/08/2025",
        "ends_on": "20/08/2025", "directive": "45-CT/TW", "delegates": "150",
        "delegates_present": "148", "ballots_issued": "148", "ballots_valid": "146",
        "candidates": "Hoàng Văn An; 140\nLục Thị Bình; 80\nNông Văn Cường; 73",
    })  # fmt: skip
    assert response.status_code == 302
    page = client.get(reverse("committees:congresses", args=[cast.commune.code]))
    text = page.content.decode()
    assert "Đại hội lần thứ I, nhiệm kỳ 2025–2030" in text
    assert text.count("Không trúng cử") == 1
    congress = elected.term.congress
    assert congress.candidates.get(full_name="Hoàng Văn An").member == an
    bad = client.post(url, {"committee": elected.pk, "candidates": "Hoàng Văn An 140"})
    assert "Dòng 1: cần “Họ và tên; số phiếu”." in bad.content.decode()


def test_the_home_page_shows_the_committee_panel(client, cast, users, committee):
    client.force_login(users.commune_officer)
    page = client.get(reverse("home")).content.decode()
    assert 'id="panel-committee"' in page and "Hoàng Văn An" in page
    assert "Khuyết: Phó Bí thư 1/1; Cấp ủy viên 4/5" in page
