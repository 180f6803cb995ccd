"""The worker computes the provinces' home-page panels ahead (after the nightly summary and
after each refresh), so that an officer's home page reads them instead of counting: the
same figures as a page that computes them itself, and no panel computed while they wait."""

import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tochuc.core.dashboard import PANELS
from tochuc.core.tasks import warm_home_panels
from tochuc.statistics.tasks import refresh_summary
from tochuc.testing import register

pytestmark = pytest.mark.django_db


def _contexts(response) -> dict:
    return {panel.key: context for panel, context in response.context["panels"]}


def test_the_home_page_of_a_warmed_province_computes_nothing_and_shows_the_same(
    cast, users, computed, home
):
    register(cast.cell, "Nguyễn Văn Sớm")
    computed_live = _contexts(home(users.province_officer).get("/"))
    cache.clear()
    assert warm_home_panels.call() == 2 * len(PANELS)  # the two provinces' roots, every panel
    assert computed == ["T01", "T01", "T02"]
    with CaptureQueriesContext(connection) as queries:
        page = home(users.province_officer).get("/")
    assert computed == ["T01", "T01", "T02"]  # read, not computed
    assert _contexts(page) == computed_live
    assert not [q for q in queries if "members_affiliation" in q["sql"]]  # no member counted
    assert warm_home_panels.call() == 0  # all cached: nothing computed twice


def test_a_write_then_the_refresh_after_it_computes_only_that_provinces_panels(
    cast, users, computed, home
):
    call_command("report_counts", year_ends=0, stdout=io.StringIO())  # the night before
    before = _contexts(home(users.province_officer).get("/"))["members.transfers"]
    register(cast.cell, "Trần Văn Mới")  # in Tỉnh A
    assert refresh_summary.call() > 0  # what the worker runs after an import or a correction
    assert computed == ["T01", "T02", "T01"]
    after = _contexts(home(users.province_officer).get("/"))["members.transfers"]
    assert computed == ["T01", "T02", "T01"]
    assert after["members_on"] == before["members_on"] + 1


def test_the_nightly_summary_queues_the_panels_ahead(cast, computed):
    call_command("report_counts", year_ends=0, stdout=io.StringIO())
    assert computed == ["T01", "T02"]  # (the test queue runs it at once)
