"""Old bookmarks of the transfer and working-away lists, which named the organization in the
query (`?to_chuc=CODE`), lead to the pages with the organization in the path; outside the
caller's scope they are not found, as the pages themselves."""

import pytest
from django.urls import reverse

from tochuc.testing import PASSWORD

pytestmark = pytest.mark.django_db


def signed_in(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_an_old_transfer_list_bookmark_goes_to_the_page_keeping_its_tab(client, cast, users):
    officer = signed_in(client, users.commune_officer)
    response = officer.get("/dang-vien/chuyen-sinh-hoat/", {"to_chuc": "T01.X01", "xem": "den"})
    assert response.status_code == 302
    assert response["Location"] == "/dang-vien/chuyen-sinh-hoat/to-chuc/T01.X01/?xem=den"
    assert response["Location"].startswith(reverse("transfers:transfers", args=["T01.X01"]))
    assert officer.get(response["Location"]).status_code == 200


def test_an_old_working_away_bookmark_goes_to_the_page(client, cast, users):
    officer = signed_in(client, users.commune_officer)
    response = officer.get("/dang-vien/lam-an-xa/", {"to_chuc": cast.village_cell.code})
    assert response["Location"] == reverse("transfers:working_away_list",
                                           args=[cast.village_cell.code])  # fmt: skip


def test_an_old_bookmark_outside_the_scope_or_without_a_code_is_not_found(client, cast, users):
    officer = signed_in(client, users.commune_officer)
    sibling = cast.sibling_commune.code
    assert officer.get("/dang-vien/chuyen-sinh-hoat/", {"to_chuc": sibling}).status_code == 404
    assert officer.get("/dang-vien/lam-an-xa/", {"to_chuc": "KHONG-CO"}).status_code == 404
    assert officer.get("/dang-vien/lam-an-xa/").status_code == 404
