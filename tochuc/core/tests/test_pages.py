import pytest
from django.test import Client

from tochuc.testing import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/static/vendor/bootstrap/bootstrap.min.css",
        "/static/vendor/bootstrap/bootstrap.bundle.min.js",
        "/static/vendor/htmx/htmx.min.js",
        "/static/vendor/bootstrap-icons/fonts/bootstrap-icons.woff2",
        "/static/tochuc/app.css",
        "/static/tochuc/app.js",
    ],
)
def test_the_app_serves_its_own_static_assets(path):
    response = Client().get(path)
    assert response.status_code == 200
    assert b"".join(response.streaming_content)


def test_pages_reference_no_external_host(client, users):
    client.login(username=users.commune_officer.username, password=PASSWORD)
    body = client.get("/", follow=True).content.decode()
    assert "http://" not in body and "https://" not in body


def test_numbers_and_dates_are_shown_the_vietnamese_way_whatever_the_browser(client, cast, users):
    client.login(username=users.province_officer.username, password=PASSWORD)
    response = client.get(
        f"/to-chuc/{cast.province.code}/", {"ngay": "31/12/2025"}, HTTP_ACCEPT_LANGUAGE="en-US"
    )
    assert "Cơ cấu tổ chức tại ngày 31/12/2025" in response.content.decode()


def test_the_login_page_is_in_vietnamese():
    body = Client().get("/dang-nhap/").content.decode()
    assert "Đăng nhập" in body and "Mật khẩu" in body
