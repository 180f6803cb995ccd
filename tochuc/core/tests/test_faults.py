"""A database connection lost in the middle of a request: a clean Vietnamese error page with
no traceback, and the next request works again (Django reconnects)."""

import pytest
from django.db import OperationalError, close_old_connections, connection
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db(transaction=True)


def lose_the_connection() -> None:
    """Cut the application's database connection as a failing server or network would."""
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        pid = connection.connection.info.backend_pid
        killer = connection.copy()
        try:
            with killer.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        finally:
            killer.close()
    else:
        # SQLite is a file, not a server: what fails mid-request is the file (a full disk).
        raise OperationalError("disk I/O error")


def test_a_connection_lost_mid_request_shows_a_clean_page_and_the_app_recovers(
    users, settings, monkeypatch
):
    from tochuc.organizations import views

    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    client.force_login(users.commune_officer)
    url = reverse("organizations:search")
    assert client.get(url).status_code == 200

    real_search = views.selectors.organization_search

    def search_then_lose_the_connection(**kwargs):
        lose_the_connection()
        return real_search(**kwargs)

    monkeypatch.setattr(views.selectors, "organization_search", search_then_lose_the_connection)
    failed = client.get(url)
    assert failed.status_code == 500
    body = failed.content.decode()
    assert "Hệ thống gặp lỗi" in body and "dữ liệu không thay đổi" in body
    assert "Traceback" not in body and "OperationalError" not in body
    assert "InterfaceError" not in body and "psycopg" not in body

    monkeypatch.setattr(views.selectors, "organization_search", real_search)
    # What Django's handler does at the start of every request (the test client skips it):
    # a broken connection is dropped, and the request opens a new one.
    close_old_connections()
    assert client.get(url).status_code == 200


def test_the_error_page_needs_no_database():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Hệ thống gặp lỗi" in html and "{%" not in html and "<script" not in html
