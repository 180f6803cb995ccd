import pytest
from django.urls import reverse

from tochuc.accounts.permissions import IMPORT
from tochuc.core.dashboard import PANELS, register_panel
from tochuc.testing import PASSWORD

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.login(username=user.username, password=PASSWORD)
    return client


def test_a_commune_officer_lands_on_the_dashboard_of_their_commune(client, cast, users):
    response = _login(client, users.commune_officer).get("/")
    body = response.content.decode()
    assert response.context["organization"] == cast.commune
    # Đảng bộ xã Tân An: the school committee and the village cell are grassroots; the
    # school's Tổ Toán cell is under a grassroots committee.
    assert 'data-figure="grassroots">2<' in body
    assert 'data-figure="under-grassroots">1<' in body
    assert "Đảng bộ tỉnh A" in body  # the breadcrumb shows where the commune sits


def test_the_figures_are_as_of_the_date_in_view(client, cast, users):
    officer = _login(client, users.province_officer)
    before = officer.get("/", {"ngay": "30/06/2025"}).content.decode()
    founded = officer.get("/", {"ngay": "01/07/2025"}).content.decode()
    assert "Tổng quan tại ngày 30/06/2025" in before
    assert 'data-figure="grassroots"' not in before  # the communes were founded on 01/07/2025
    # base, Nà Phái and Khòn Lèng are grassroots; Tổ Toán is under the school's committee.
    assert 'data-figure="grassroots">3<' in founded
    assert 'data-figure="under-grassroots">1<' in founded


def test_another_organization_in_scope_is_chosen_by_its_code_in_the_path(client, cast, users):
    officer = _login(client, users.province_officer)
    response = officer.get(reverse("home_organization", args=[cast.sibling_commune.code]))
    assert response.context["organization"] == cast.sibling_commune


def test_an_old_org_link_goes_to_the_path_keeping_the_date(client, cast, users):
    officer = _login(client, users.province_officer)
    response = officer.get("/", {"org": cast.sibling_commune.code, "ngay": "30/06/2025"})
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("home_organization", args=[cast.sibling_commune.code]) + "?ngay=30%2F06%2F2025"
    )
    page = officer.get(response["Location"])
    assert page.context["organization"] == cast.sibling_commune
    assert "Tổng quan tại ngày 30/06/2025" in page.content.decode()


def test_an_organization_out_of_scope_is_not_found(client, cast, users):
    response = _login(client, users.commune_officer).get("/", {"org": cast.sibling_commune.code})
    assert response.status_code == 404


def test_a_bad_date_says_so_and_shows_today(client, users):
    response = _login(client, users.commune_officer).get("/", {"ngay": "31/02/2026"})
    assert "Đang hiển thị ngày hôm nay." in response.content.decode()


def test_a_panel_shows_only_where_the_user_holds_its_permission(client, cast, users, monkeypatch):
    monkeypatch.setitem(PANELS, "probe", PANELS["organization"])
    register_panel("probe", "core/_panel_organization.html",
                   lambda request, org, on: {"counts": None}, permission=IMPORT)  # fmt: skip
    viewer = [p.key for p, _ in _login(client, users.commune_viewer).get("/").context["panels"]]
    client.logout()
    officer = [p.key for p, _ in _login(client, users.commune_officer).get("/").context["panels"]]
    assert "probe" not in viewer
    assert "probe" in officer


def test_a_user_without_a_grant_is_told_whom_to_ask(client, cast):
    stranger = cast.user("nguoi-la")
    body = _login(client, stranger).get("/").content.decode()
    assert "Hãy liên hệ quản trị hệ thống" in body


def test_a_panel_is_computed_once_until_data_changes_and_a_sign_in_changes_nothing(
    client, cast, users, computed
):
    from tochuc.core import audit

    calls = computed  # the probe panel's organizations (conftest)
    officer = _login(client, users.commune_officer)
    officer.get("/")
    officer.get("/")
    assert calls == ["T01.X01"]
    audit.record("tochuc.auth.login", by=users.commune_officer)  # not a change of data
    audit.record("tochuc.member.exported", by=users.commune_officer)  # a read
    officer.get("/")
    assert calls == ["T01.X01"]
    audit.record("tochuc.member.updated", by=users.commune_officer)  # a change: recomputed
    officer.get("/")
    assert calls == ["T01.X01", "T01.X01"]
    officer.get(reverse("home_organization", args=[cast.cell.code]))  # its own figures
    assert calls == ["T01.X01", "T01.X01", "T01.X01.THPT.TOAN"]


def test_a_panel_computed_in_one_language_is_not_shown_in_another(client, users, computed):
    from django.utils import translation

    officer = _login(client, users.commune_officer)
    officer.get("/")
    with translation.override("en"):  # its labels would be Vietnamese
        officer.get("/")
    officer.get("/")
    assert computed == ["T01.X01", "T01.X01"]


def test_the_figures_follow_a_new_member_at_once(client, cast, users):
    from tochuc.testing import register

    officer = _login(client, users.commune_officer)
    before = officer.get("/").context["panels"]
    register(cast.cell, "Nguyễn Văn Mới")
    after = officer.get("/").context["panels"]
    members = {p.key: c for p, c in before}["members.transfers"]["members_on"]
    assert {p.key: c for p, c in after}["members.transfers"]["members_on"] == members + 1
