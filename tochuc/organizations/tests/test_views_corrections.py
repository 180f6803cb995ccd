from datetime import date

import pytest
from django.urls import reverse

from tochuc.core.models import Correction
from tochuc.organizations.models import OrganizationEvent
from tochuc.organizations.services import organization_merge
from tochuc.testing import PASSWORD, register

pytestmark = pytest.mark.django_db


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def merged(cast):
    register(cast.village_cell, "Trần Thị Bình", gender="female")
    organization_merge(sources=[cast.village_cell], into=cast.sibling_cell, on=date(2026, 2, 1))
    return OrganizationEvent.objects.get(type=OrganizationEvent.Type.MERGED)


def url(org, event):
    return reverse("organizations:correct_event", args=[org.code]) + f"?su_kien={event.pk}"


def test_each_history_entry_offers_sua_huy(client, cast, users, merged):
    login(client, users.province_officer)
    page = client.get(reverse("organizations:detail", args=[cast.sibling_cell.code]))
    assert url(cast.sibling_cell, merged).replace("&", "&amp;") in page.content.decode()


def test_the_preview_shows_the_date_before_and_after_and_saves_nothing(client, cast, users, merged):
    login(client, users.province_officer)
    response = client.post(url(cast.sibling_cell, merged), {
        "mode": "corrected", "effective_on": "15/02/2026", "decision_no": "",
        "reason": "Ghi nhầm ngày", "action": "preview",
    })  # fmt: skip
    html = response.content.decode()
    assert "01/02/2026</td><td>15/02/2026" in html
    merged.refresh_from_db()
    assert merged.effective_on == date(2026, 2, 1)
    assert not Correction.objects.exists()


def test_a_confirmed_cancellation_undoes_the_merge(client, cast, users, merged):
    login(client, users.province_officer)
    response = client.post(url(cast.sibling_cell, merged), {
        "mode": "cancelled", "reason": "Chưa có quyết định", "correcting_decision_no": "9-QĐ/TU",
        "action": "save",
    })  # fmt: skip
    assert response.status_code == 302
    cast.village_cell.refresh_from_db()
    assert cast.village_cell.ended_on is None
    assert cast.village_cell.members.get().full_name == "Trần Thị Bình"
    assert Correction.objects.get().decision_no == "9-QĐ/TU"


def test_a_missing_reason_is_shown_beside_its_field_and_changes_nothing(
    client, cast, users, merged
):
    login(client, users.province_officer)
    response = client.post(url(cast.sibling_cell, merged), {"mode": "cancelled", "action": "save"})
    html = response.content.decode()
    assert 'id="id_reason-errors"' in html and "Hãy ghi lý do sửa, hủy." in html
    assert OrganizationEvent.objects.filter(pk=merged.pk).exists()


def test_a_date_after_a_later_change_is_refused_beside_the_date(client, cast, users, merged):
    login(client, users.province_officer)
    response = client.post(url(cast.sibling_cell, merged), {
        "mode": "corrected", "effective_on": "01/01/2020", "reason": "Nhầm", "action": "save",
    })  # fmt: skip
    html = response.content.decode()
    assert "không sau" in html
    merged.refresh_from_db()
    assert merged.effective_on == date(2026, 2, 1)


def test_an_officer_without_rights_on_the_other_side_is_refused(client, cast, users, merged):
    login(client, users.sibling_officer)
    response = client.post(url(cast.sibling_cell, merged), {
        "mode": "cancelled", "reason": "Nhầm", "action": "save",
    })  # fmt: skip
    # The merged cell would go back to Tân An, which is not theirs.
    assert "Bạn không có quyền sửa, hủy sự kiện liên quan đến: Chi bộ thôn Nà Phái" in (
        response.content.decode()
    )
    assert OrganizationEvent.objects.filter(pk=merged.pk).exists()


def test_a_date_no_act_can_have_is_refused_beside_its_field(client, cast, users, merged):
    login(client, users.province_officer)
    response = client.post(url(cast.sibling_cell, merged), {
        "mode": "corrected", "effective_on": "01/01/0001", "reason": "Nhầm", "action": "save",
    })  # fmt: skip
    assert 'id="id_effective_on-errors"' in response.content.decode()
    merged.refresh_from_db()
    assert merged.effective_on == date(2026, 2, 1)
