"""A page dated in the past shows every figure as of that date: the organization page's
member count and the home page's, not today's count beside the tree of that day."""

import re
from datetime import date

from django.urls import reverse

from tochuc.testing import register


def _count_url(page: str) -> str:
    url = re.search(r'hx-get="(/dang-vien/to-chuc/[^"/]+/dem/[^"]*)"', page).group(1)
    return url.replace("&amp;", "&")


def _members(cast):
    register(cast.cell, "Nguyễn Văn An")  # since 1/7/2025
    register(cast.cell, "Trần Thị Bình", admitted_on=date(2026, 1, 10), confirmed=False)
    register(cast.village_cell, "Lê Văn Cường", admitted_on=date(2026, 2, 2), confirmed=False)


def test_the_organization_page_dated_in_the_past_counts_members_on_that_date(client, cast, users):
    _members(cast)
    client.force_login(users.commune_officer)
    detail = reverse("organizations:detail", args=[cast.commune.code])
    past = client.get(detail, {"ngay": "01/09/2025"}).content.decode()
    assert "Đảng viên tại 01/09/2025" in past
    assert client.get(_count_url(past)).content.decode().strip() == "1"
    today = client.get(detail).content.decode()
    assert client.get(_count_url(today)).content.decode().strip() == "3"
    # The base committee on a day between the two admissions.
    base = reverse("organizations:detail", args=[cast.base.code])
    between = client.get(base, {"ngay": "01/02/2026"}).content.decode()
    assert client.get(_count_url(between)).content.decode().strip() == "2"


def test_the_home_page_dated_in_the_past_counts_members_on_that_date(client, cast, users):
    _members(cast)
    client.force_login(users.commune_officer)
    page = client.get(reverse("home"), {"ngay": "31/12/2025"}).content.decode()
    assert "Đảng viên tại ngày 31/12/2025" in page
    assert client.get(_count_url(page)).content.decode().strip() == "1"


def test_a_bad_date_counts_today(client, cast, users):
    _members(cast)
    client.force_login(users.commune_officer)
    url = reverse("members:count", args=[cast.commune.code])
    assert client.get(url, {"ngay": "31/02/2025"}).content == b"3"
