"""Every search box refuses a query of thousands of words: fast, no 500, the message shown.

A cell secretary's 3,000-word organization search once took 75 s and ended in a 500, and a
500-character member search was silently dropped and listed everyone. Each endpoint below
gets a 12,000-word query: the answer names the cap, lists nobody, and costs a handful of
short SQL statements (no statement carries one condition per word).
"""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tochuc.admissions.services import candidate_identify
from tochuc.lib import search
from tochuc.ratings.services import rating_session_open
from tochuc.testing import register

pytestmark = pytest.mark.django_db
HUGE = " ".join(["nguyen"] * 12_000)
TOO_LONG = f"Từ khóa quá dài (tối đa {search.MAX_CHARS} ký tự)."


@pytest.fixture
def people(cast):
    register(cast.cell, "Nguyễn Văn An")
    register(cast.cell, "Trần Thị Bình")
    candidate_identify(
        cell=cast.cell,
        record={"full_name": "Nguyễn Văn Cường", "gender": "male", "birth_date": date(2001, 5, 6)},
        on=date(2025, 8, 4),
    )


def cheaply(client, url, params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert len(queries) < 40
    assert max(len(q["sql"]) for q in queries) < 5_000  # not one condition per word
    return response


def page(client, url, params):
    response = cheaply(client, url, params)
    assert response.status_code == 200
    text = response.content.decode()
    assert TOO_LONG in text
    return text


@pytest.mark.parametrize("user", ["cell_secretary", "commune_officer"])
def test_the_organization_search_shows_the_cap_and_lists_nothing(client, cast, users, user):
    client.force_login(getattr(users, user))
    text = page(client, reverse("organizations:search"), {"q": HUGE})
    assert cast.cell.name not in text
    assert "nguyen " * 200 not in text  # the box shows the text cut to the cap


def test_the_organization_picker_shows_the_cap_and_offers_nothing(client, cast, users):
    client.force_login(users.cell_secretary)
    text = page(client, reverse("organizations:picker"), {"q": HUGE, "target": "x"})
    assert "data-pick-value" not in text


def test_the_member_list_refuses_rather_than_listing_everyone(client, cast, users, people):
    client.force_login(users.cell_secretary)
    text = page(client, reverse("members:list"), {"q": "x" * 500})
    assert "Nguyễn Văn An" not in text and "Trần Thị Bình" not in text
    text = page(client, reverse("members:list"), {"q": HUGE, "to_chuc": cast.cell.code})
    assert "Nguyễn Văn An" not in text
    # Within the caps the same box still finds the member.
    found = client.get(reverse("members:list"), {"q": "nguyen an"}).content.decode()
    assert "Nguyễn Văn An" in found and "Trần Thị Bình" not in found


def test_the_member_picker_of_an_inspection_shows_the_cap(client, cast, users, people):
    client.force_login(users.cell_secretary)
    url = reverse("inspections:member_picker", args=[cast.cell.code])
    text = page(client, url, {"q": HUGE, "target": "x"})
    assert "Nguyễn Văn An" not in text


def test_the_candidates_of_a_cell_show_the_cap(client, cast, users, people):
    client.force_login(users.cell_secretary)
    text = page(client, reverse("admissions:list", args=[cast.cell.code]), {"q": HUGE})
    assert "Nguyễn Văn Cường" not in text


def test_the_rating_subjects_show_the_cap(client, cast, users, people):
    session = rating_session_open(organization=cast.province, kind="year", year=2025)
    client.force_login(users.cell_secretary)
    url = reverse("ratings:subjects", args=[cast.cell.code])
    assert "Nguyễn Văn An" in client.get(url, {"ky": session.pk, "q": "an"}).content.decode()
    text = page(client, url, {"ky": session.pk, "q": HUGE})
    assert "Nguyễn Văn An" not in text


@pytest.mark.parametrize(
    "name, args",
    [("organizations:export", []), ("members:export", []), ("admissions:export", ["cell"])],
)
def test_an_export_of_a_refused_search_answers_400_with_the_message(
    client, cast, users, people, name, args
):
    client.force_login(users.commune_officer)
    url = reverse(name, args=[getattr(cast, a).code for a in args])
    response = cheaply(client, url, {"q": HUGE})
    assert response.status_code == 400
    assert TOO_LONG in response.content.decode()
    assert response["Content-Type"].startswith("text/html")  # no file of everyone
