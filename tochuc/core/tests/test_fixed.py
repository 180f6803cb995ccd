"""`{% fixed %}` parts are rendered once per language: they may hold only what is the same
on every page (text, literal translations, URLs and static files), and the pages that use
them are the same, byte for byte, as when every part is rendered afresh."""

import re

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.urls import reverse
from django.utils import translation

from tochuc.core.templatetags import fixed
from tochuc.members.models import Member
from tochuc.testing import member_account, register


@pytest.mark.parametrize(
    "inside",
    [
        "{{ user.username }}",
        "{% translate name %}",
        '{% translate "Đảng viên" as here %}',
        '{% translate "Đảng viên"|upper %}',
        "{% url 'organizations:detail' org.code %}",
        "{% url 'home' as home %}",
        "{% static path %}",
        "{% if user %}x{% endif %}",
        "{% csrf_token %}",
    ],
)
def test_anything_that_may_differ_between_requests_is_refused_when_compiled(inside):
    with pytest.raises(TemplateSyntaxError, match="fixed"):
        Template("{% load fixed i18n static %}{% fixed %}<p>" + inside + "</p>{% endfixed %}")


SOURCE = (
    "{% load fixed i18n static %}{% fixed %}<a href=\"{% url 'members:list' %}\">"
    "{% translate \"Đảng viên\" %}</a> <a href=\"{% url 'organizations:detail' 'T01' %}\">"
    "<img src=\"{% static 'tochuc/favicon.svg' %}\">{% endfixed %}"
)


def test_a_fixed_part_is_rendered_once_per_language():
    template = Template(SOURCE)
    (node,) = [n for n in template.nodelist if isinstance(n, fixed.FixedNode)]
    with translation.override("vi"):
        vi = template.render(Context())
        assert template.render(Context()) == vi and len(node.rendered) == 1
    with translation.override("en"):
        en = template.render(Context())
    assert len(node.rendered) == 2
    assert f'<a href="{reverse("members:list")}">Đảng viên</a>' in vi
    assert reverse("organizations:detail", args=["T01"]) in vi and "favicon.svg" in vi
    fixed.ENABLED = False
    try:
        for language, rendered in (("vi", vi), ("en", en)):
            with translation.override(language):
                assert Template(SOURCE).render(Context()) == rendered
    finally:
        fixed.ENABLED = True


def without_token(body: bytes) -> bytes:
    return re.sub(rb'(csrfmiddlewaretoken" value="|csrf-token" content=")[^"]+', rb"\1-", body)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_pages_are_the_same_with_their_parts_rendered_afresh(
    client, cast, users, language, monkeypatch
):
    register(cast.cell, "Nguyễn Văn An")
    member = Member.objects.get(full_name="Nguyễn Văn An")
    member.citizen_id = "020185000111"
    member.save(update_fields=["citizen_id"])
    member_account(member)
    staff = [
        reverse("home"),
        reverse("members:list") + "?q=nguyen+van",
        reverse("members:list") + f"?to_chuc={cast.commune.code}",
        reverse("members:list") + "?q=khong+co+ai",
        reverse("organizations:detail", args=[cast.commune.code]),
        reverse("organizations:detail", args=[cast.province.code]),
        reverse("notifications:inbox"),
    ]

    def pages(user, urls):
        client.force_login(user)
        with translation.override(language):
            return [without_token(client.get(url).content) for url in urls]

    from django.contrib.auth import get_user_model

    member_user = get_user_model().objects.get(member_account__member=member)
    seen = {}
    for enabled in (True, True, False):  # the second time, from what the first one kept
        monkeypatch.setattr(fixed, "ENABLED", enabled)
        seen.setdefault(enabled, []).append(
            pages(users.province_officer, staff)
            + pages(users.admin, staff[:2])
            + pages(member_user, [reverse("selfservice:home")])
        )
    assert seen[True][0] == seen[True][1] == seen[False][0]
    first = seen[True][0][1].decode()
    assert "Nguyễn Văn An" in first
    assert f'<html lang="{language}">' in first  # (no English catalogue yet: same words)
