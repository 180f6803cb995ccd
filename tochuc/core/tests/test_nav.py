"""The main links written by `{% main_links %}` are the HTML base.html wrote with a
`{% url %}` and a `{% translate %}` each (main_links_before.html), in every language, and
the staff's pages show them."""

from pathlib import Path

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from tochuc.testing import PASSWORD

BEFORE = (Path(__file__).parent / "main_links_before.html").read_text()


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_links_are_the_template_s_html_in_every_language(language):
    with translation.override(language):
        expected = Template("{% load i18n %}" + BEFORE).render(Context())
        written = Template("{% load nav %}{% main_links %}\n").render(Context())
    assert written == expected
    assert f'href="{reverse("members:list")}"' in written and written.count("<li") == 14


@pytest.mark.django_db
def test_a_staff_page_shows_them(client, users):
    client.login(username=users.commune_officer.username, password=PASSWORD)
    body = client.get(reverse("members:list")).content.decode()
    assert f'<a class="nav-link text-nowrap" href="{reverse("awards:index")}">' in body
