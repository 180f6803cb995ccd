"""The member list's rows written in Python are the HTML the template wrote (compared token
by token: only the whitespace between tags may differ), whatever the row holds."""

import re
from datetime import date
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import timezone

from tochuc.lib.dates import vn_date
from tochuc.members.list_rows import ListedMember, list_rows
from tochuc.members.models import Member, Status
from tochuc.members.views import party_years
from tochuc.testing import register

pytestmark = pytest.mark.django_db

# members/list.html's rows before they were written in Python.
TEMPLATE = (Path(__file__).parent / "list_rows_before.html").read_text()


def tokens(html: str) -> list[str]:
    return [t for t in re.split(r"\s+|(?=<)|(?<=>)", html) if t and t.strip()]


def listed(member: Member) -> ListedMember:
    """The member as the list reads it: its `COLUMNS` as plain values."""
    values = [
        member.organization.name if column == "organization__name" else getattr(member, column)
        for column in ListedMember.COLUMNS
    ]
    return ListedMember(*values)


def shown(members) -> tuple[str, str]:
    today = timezone.localdate()
    rows = [listed(m) for m in members]
    for m in [*members, *rows]:  # as members.views.member_list sets them
        m.party_years = party_years(m.party_age_anchor, today)
        m.birth_text = vn_date(m.birth_date)
        m.joined_text = vn_date(m.ceremony_on or m.admitted_on)
    expected = Template(TEMPLATE).render(Context({"page": {"rows": members}}))
    written = Template("{% load i18n %}{% if rows %}{{ member_rows }}{% endif %}").render(
        Context({"rows": rows, "member_rows": list_rows(rows)})
    )
    return written, expected


def test_the_rows_are_the_template_s_html_for_every_status_and_odd_text(cast):
    register(cast.cell, "Nguyễn Văn An")
    register(cast.village_cell, "Trần <Thị> \"Bình\" & 'Chi'")
    register(cast.cell, "Lê Văn Cường")
    members = list(Member.objects.select_related("organization").order_by("id"))
    members[0].status, members[0].is_exempted = Status.PROBATIONARY, True
    members[1].party_card_no = 'A<1>&"2"'
    members[2].status = Status.LEFT
    members[2].admitted_on, members[2].ceremony_on = None, None  # no party age
    members[2].party_age_anchor = None
    members.append(
        Member(
            organization=cast.cell, full_name="Mới", gender=members[0].gender,
            birth_date=date(2000, 1, 1), status=Status.DECEASED, pk=10**9,
        )
    )  # fmt: skip
    written, expected = shown(members)
    assert tokens(written) == tokens(expected)
    assert "&lt;Thị&gt;" in written and "text-bg-info" in written


def test_no_rows_write_nothing(cast):
    written, expected = shown([])
    assert tokens(written) == [] and "Không có đảng viên" in expected
