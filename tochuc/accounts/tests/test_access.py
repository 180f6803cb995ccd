"""The gate over time and at the edges: revocation, expiry, a cell secretary, the admin site."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tochuc.accounts.access import Scope
from tochuc.accounts.models import Grant
from tochuc.accounts.permissions import Role
from tochuc.accounts.services import grant_create, grant_revoke, user_create
from tochuc.testing import PASSWORD

pytestmark = pytest.mark.django_db
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def detail(org):
    return reverse("organizations:detail", args=[org.code])


def test_a_revoked_grant_takes_effect_on_the_next_request(client, cast, users):
    assert client.login(username="commune_officer", password=PASSWORD)
    assert client.get(detail(cast.commune)).status_code == 200

    grant_revoke(grant=Grant.objects.get(user=users.commune_officer), reason="chuyển công tác")

    # Same session, no new login: the scope is computed afresh.
    assert client.get(detail(cast.commune)).status_code == 404
    assert client.get(detail(cast.cell)).status_code == 404
    assert client.get(reverse("organizations:search")).status_code == 404


def test_an_expired_grant_sees_nothing(client, cast):
    user = user_create(username="het_han", password=PASSWORD)
    grant_create(
        user=user, role=Role.OFFICER, organization=cast.commune,
        valid_from=date(2024, 1, 1), valid_to=date(2025, 1, 1),
    )  # fmt: skip
    assert not Scope.for_user(user).organizations().exists()
    client.force_login(user)
    assert client.get(detail(cast.commune)).status_code == 404
    assert client.get(reverse("organizations:search")).status_code == 404
    assert client.get(reverse("organizations:picker"), {"q": "tan an"}).status_code == 404


def test_a_grant_starts_on_its_first_day_and_stops_on_its_end_date(client, cast):
    today = timezone.localdate()
    user = user_create(username="tam_thoi", password=PASSWORD)
    grant_create(
        user=user, role=Role.VIEWER, organization=cast.commune,
        valid_from=today + timedelta(days=1), valid_to=today + timedelta(days=3),
    )  # fmt: skip

    def status_on(days: int, hour: int) -> int:
        moment = datetime.combine(today + timedelta(days=days), time(hour), VIETNAM)
        with time_machine.travel(moment, tick=False):
            client.force_login(user)  # sessions last hours, not days
            return client.get(detail(cast.commune)).status_code

    assert status_on(0, 23) == 404  # not yet
    assert status_on(1, 0) == 200
    assert status_on(2, 23) == 200
    assert status_on(3, 0) == 404  # the end date is exclusive


def test_a_cell_secretary_sees_their_cell_only(client, cast, users):
    scope = Scope.for_user(users.cell_secretary)
    assert list(scope.organizations()) == [cast.cell]

    client.force_login(users.cell_secretary)
    assert client.get(detail(cast.cell)).status_code == 200
    for org in (cast.base, cast.commune, cast.village_cell, cast.sibling_cell, cast.province):
        assert client.get(detail(org)).status_code == 404, org.code
    found = client.get(reverse("organizations:search"), {"trang_thai": "tat_ca"})
    assert [o.code for o in found.context["page"]] == [cast.cell.code]
    # Reading is all: no restructuring of their own cell.
    assert client.get(reverse("organizations:rename", args=[cast.cell.code])).status_code == 403


def test_a_cell_secretary_sees_the_ancestors_names_but_no_links_to_them(client, cast, users):
    client.force_login(users.cell_secretary)
    crumbs = client.get(detail(cast.cell)).context["ancestors"]
    assert [(c.code, c.visible) for c in crumbs] == [
        (cast.province.code, False),
        (cast.commune.code, False),
        (cast.base.code, False),
    ]


def test_the_admin_site_is_refused_to_an_officer_and_open_to_the_admin(client, users):
    client.force_login(users.province_officer)
    response = client.get("/quan-tri/")
    assert response.status_code == 404  # not a redirect to a login that sends back here
    assert client.get("/quan-tri/accounts/grant/").status_code == 404

    client.force_login(users.admin)
    assert client.get("/quan-tri/").status_code == 200
    assert client.get("/quan-tri/accounts/grant/").status_code == 200


def test_revoking_the_admin_grant_closes_the_admin_site(client, users):
    client.force_login(users.admin)
    assert client.get("/quan-tri/").status_code == 200
    grant_revoke(grant=Grant.objects.get(user=users.admin, role=Role.ADMIN))
    assert client.get("/quan-tri/").status_code == 404


def test_a_request_reads_the_user_and_their_grants_in_one_query(client, cast, users):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    assert client.login(username="commune_officer", password=PASSWORD)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(detail(cast.commune)).status_code == 200
    from tochuc.accounts.access import _GRANTS_OF

    reads = [
        q["sql"] for q in queries
        if 'FROM "auth_user"' in q["sql"] or 'FROM "accounts_grant"' in q["sql"]
        or _GRANTS_OF.ran(q["sql"])  # PostgreSQL: its prepared statement (lib.prepared)
    ]  # fmt: skip
    assert len(reads) == 1 and _GRANTS_OF.ran(reads[0])
    sql = _GRANTS_OF._compiled.default[2]
    assert "accounts_grant" in sql and '"auth_user"."password"' in sql
    assert client.get(detail(cast.sibling_commune)).status_code == 404


def test_a_user_without_an_active_grant_is_still_signed_in_and_sees_nothing(client, cast, users):
    grant_revoke(grant=Grant.objects.get(user=users.commune_officer), reason="chuyển công tác")
    assert client.login(username="commune_officer", password=PASSWORD)
    response = client.get(reverse("home"))
    assert response.status_code == 200 and response.wsgi_request.user == users.commune_officer
    assert client.get(detail(cast.commune)).status_code == 404
