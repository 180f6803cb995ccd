"""The rows of the member list (members/list.html's table), written in Python: a search
shows fifty rows, and the same HTML through the template language (a `{% url %}`, an
include and nine lookups per row) was half of the page's time. Tests compare it with the
template's own output (members/tests/list_rows_before.html)."""

from dataclasses import dataclass
from html import escape
from typing import ClassVar

from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from tochuc.lib.reference import Gender

from .models import Status

_PK = 987_654_321_987_654_321  # reversed once, each member's id put in its place


@dataclass(slots=True)
class ListedMember:
    """One row of the list: the columns it shows, the dates the view computes for it and
    the page's cursor (`name_sort`, `pk`), read as plain values (`COLUMNS`, in this order):
    building fifty member objects (and their organizations) was a tenth of a search page's
    time, for twelve of the member's forty columns."""

    pk: int
    name_sort: str
    full_name: str
    gender: str
    birth_date: object
    status: str
    is_exempted: bool
    admitted_on: object
    ceremony_on: object
    party_age_anchor: object
    party_card_no: str
    organization_name: str
    party_years: int | None = None  # set by the view (members.views.member_list)
    birth_text: str = ""
    joined_text: str = ""

    COLUMNS: ClassVar[tuple[str, ...]] = (
        "id", "name_sort", "full_name", "gender", "birth_date", "status", "is_exempted",
        "admitted_on", "ceremony_on", "party_age_anchor", "party_card_no", "organization__name",
    )  # fmt: skip


def _badge(colour: str, text: str) -> str:
    return f'<span class="badge rounded-pill text-bg-{colour}">{escape(text)}</span>'


def _label(choices, value: str) -> str:
    """What the model's `get_FOO_display()` shows: the choice's label, or the value."""
    return str(dict(choices.choices).get(value, value))


def status_badges(member, badges: dict[str, str]) -> str:
    """members/_status.html: the status badge, and the exemption's. `badges`: the HTML of
    the fixed badges in one rendering's language (filled on first use)."""
    if not badges:
        badges |= {
            Status.PROBATIONARY: _badge("warning", gettext("Dự bị")),
            Status.FULL: _badge("success", gettext("Chính thức")),
            "exempted": " " + _badge("info", gettext("Miễn sinh hoạt")),
        }
    html = badges.get(member.status) or _badge("secondary", _label(Status, member.status))
    return html + badges["exempted"] if member.is_exempted else html


def list_rows(members) -> SafeString:
    """`members`: the page's rows (`ListedMember`), with `birth_text`, `joined_text` and
    `party_years` set (members.views.member_list). Every value escaped as the template
    would (Django's `escape` is the standard library's `html.escape`)."""
    detail = escape(reverse("members:detail", args=[_PK])).replace(str(_PK), "{}")
    badges: dict[str, str] = {}
    genders: dict[str, str] = {}
    rows = []
    for m in members:
        organization = escape(m.organization_name)
        birth = escape(m.birth_text)
        gender = genders.get(m.gender)
        if gender is None:
            gender = genders[m.gender] = escape(_label(Gender, m.gender))
        years = "" if m.party_years is None else escape(str(m.party_years))
        rows.append(
            "  <tr>\n"
            f'    <td><a href="{detail.format(m.pk)}">{escape(m.full_name)}</a>'
            f'<div class="small text-muted d-md-none">{organization}'
            f'<span class="d-sm-none"> · {birth}</span></div></td>\n'
            f'    <td class="small text-nowrap d-none d-sm-table-cell">{birth}</td>\n'
            f'    <td class="small d-none d-lg-table-cell">{gender}</td>\n'
            f'    <td class="small d-none d-md-table-cell">{organization}</td>\n'
            f"    <td>{status_badges(m, badges)}</td>\n"
            f'    <td class="small d-none d-lg-table-cell">{escape(m.joined_text)}</td>\n'
            f'    <td class="small d-none d-sm-table-cell num">{years}</td>\n'
            f'    <td class="small d-none d-xl-table-cell">{escape(m.party_card_no)}</td>\n'
            "  </tr>"
        )
    return SafeString("\n".join(rows))
