"""The demo runs as production does: every error page is Vietnamese, with no traceback and no
list of the site's addresses, in the mode `make demo` starts (its environment read from the
Makefile)."""

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from tochuc.settings import envbool

MAKEFILE = Path(django_settings.BASE_DIR) / "Makefile"


def demo_environment() -> dict[str, str]:
    """The variables `make demo` sets on its commands: DEMO_ENV and any `NAME=value` prefix."""
    text = MAKEFILE.read_text()
    variables = dict(re.findall(r"^(\w+) :?= (.*)$", text, re.M))
    recipe = text.split("\ndemo:", 1)[1].split("\n\n", 1)[0]
    recipe = recipe.replace("$(DEMO_ENV)", variables.get("DEMO_ENV", ""))
    return dict(re.findall(r"\b([A-Z_]+)=(\S+)", recipe))


@pytest.fixture
def demo_mode(settings):
    settings.DEBUG = envbool("DEBUG", demo_environment().get("DEBUG", "0"))
    return settings


def test_make_demo_runs_with_debug_off_and_plain_http_cookies():
    environment = demo_environment()
    assert not envbool("DEBUG", environment.get("DEBUG", "0"))
    # Over plain HTTP on this machine: no HTTPS redirect, cookies without Secure.
    assert environment["SECURE_SSL_REDIRECT"] == "0"
    assert environment["SESSION_COOKIE_SECURE"] == "0"
    assert environment["CSRF_COOKIE_SECURE"] == "0"


def test_an_unknown_address_shows_the_vietnamese_not_found_page(demo_mode, users):
    client = Client()
    client.force_login(users.commune_officer)
    response = client.get("/khong-co-trang-nay/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "Không tìm thấy" in body
    assert "URLconf" not in body and "Page not found" not in body


def test_an_organization_out_of_scope_reads_as_not_found_in_vietnamese(demo_mode, cast, users):
    client = Client()
    client.force_login(users.commune_officer)
    response = client.get(reverse("organizations:detail", args=[cast.other_commune.code]))
    assert response.status_code == 404
    assert "Không tìm thấy trang hoặc dữ liệu" in response.content.decode()


def test_a_refused_action_shows_the_vietnamese_forbidden_page(demo_mode, cast, users):
    client = Client()
    client.force_login(users.commune_viewer)
    response = client.get(reverse("organizations:rename", args=[cast.commune.code]))
    body = response.content.decode()
    assert response.status_code == 403
    assert "không có quyền" in body and "Traceback" not in body


def test_a_failing_page_shows_the_vietnamese_error_page_without_a_traceback(
    demo_mode, users, monkeypatch
):
    from tochuc.organizations import views

    def broken(**kwargs):
        raise RuntimeError("secret detail")

    monkeypatch.setattr(views.selectors, "organization_search", broken)
    client = Client(raise_request_exception=False)
    client.force_login(users.commune_officer)
    response = client.get(reverse("organizations:search"), {"q": "Tân"})
    body = response.content.decode()
    assert response.status_code == 500
    assert "Hệ thống gặp lỗi" in body
    assert "secret detail" not in body and "Traceback" not in body


def test_a_form_without_its_csrf_token_shows_a_vietnamese_page_and_changes_nothing(
    demo_mode, users
):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users.commune_officer)
    response = client.post(reverse("logout"))
    body = response.content.decode()
    assert response.status_code == 403
    assert "Biểu mẫu đã hết hạn hoặc không hợp lệ" in body and "dữ liệu không thay đổi" in body
    assert "CSRF verification failed" not in body and "Forbidden" not in body
    # Still signed in: the refused form did nothing.
    assert client.get(reverse("home")).status_code == 200
