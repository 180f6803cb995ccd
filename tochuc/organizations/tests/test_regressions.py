"""Regressions found by the access review: each failed before its fix."""

from datetime import date

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from tochuc.accounts.permissions import Role
from tochuc.accounts.services import grant_create
from tochuc.organizations.services import organization_merge
from tochuc.testing import FOUNDED

pytestmark = pytest.mark.django_db


def test_the_vendored_static_files_are_found():
    # tochuc/static is not an app's static dir and STATICFILES_DIRS is not set.
    assert finders.find("tochuc/app.css")
    assert finders.find("vendor/htmx/htmx.min.js")


def test_a_leaf_has_no_expand_button(client, cast, users):
    client.force_login(users.commune_officer)
    response = client.get(reverse("organizations:detail", args=[cast.commune.code]))
    counts = {child.organization.code: c for child, c in response.context["children"]}
    # Chi bộ thôn Nà Phái has nothing under it.
    assert counts[cast.village_cell.code].organizations == 1  # itself, nothing under it
    assert f'aria-label="Mở rộng {cast.village_cell.name}"' not in response.content.decode()


def test_a_view_only_grant_does_not_let_one_merge_that_organization_away(client, cast):
    user = cast.user("officer_and_neighbour_viewer", Role.OFFICER, cast.commune)
    grant_create(user=user, role=Role.VIEWER, organization=cast.sibling_commune, valid_from=FOUNDED)
    client.force_login(user)
    url = reverse("organizations:merge", args=[cast.commune.code])
    data = {
        "mode": "into",
        "other_codes": cast.sibling_commune.code,
        "effective_on": "2026-01-01",
        "action": "save",
    }
    client.post(url, data)
    cast.sibling_commune.refresh_from_db()
    assert cast.sibling_commune.ended_on is None  # only "view" there: must be refused


def test_a_view_only_grant_does_not_let_one_move_things_under_that_organization(client, cast):
    user = cast.user("officer_and_neighbour_viewer", Role.OFFICER, cast.commune)
    grant_create(user=user, role=Role.VIEWER, organization=cast.sibling_commune, valid_from=FOUNDED)
    client.force_login(user)
    url = reverse("organizations:move", args=[cast.village_cell.code])
    client.post(
        url,
        {"parent_code": cast.sibling_commune.code, "effective_on": "2026-01-01", "action": "save"},
    )
    cast.village_cell.refresh_from_db()
    assert cast.village_cell.parent == cast.commune


def test_a_merged_organizations_breadcrumbs_show_its_last_parent_not_its_successor(
    client, cast, users
):
    organization_merge(sources=[cast.sibling_commune], into=cast.commune, on=date(2026, 1, 1))
    client.force_login(users.province_officer)
    response = client.get(reverse("organizations:detail", args=[cast.sibling_commune.code]))
    assert [c.code for c in response.context["ancestors"]] == [cast.province.code]
