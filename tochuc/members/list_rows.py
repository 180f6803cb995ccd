"""The rows of the member list (members/list.html's table), written in Python: a search
shows fifty rows, and the same HTML through the template language (a `{% url %}`, an
include and nine lookups per row) was half of the page's time. Tests compare it with the
template's own output (members/tests/list_rows_before.html)."""

from html import escape

from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from .models import Status

_PK = 987_654_321_987_654_321  # reversed once, each member's id put in its place

# The columns the rows, the dates the view computes for them and the page's cursor read
# (`QuerySet.only`): a member has forty, and building fifty full rows was a fifth of a
# search page's time. Reading any other field of a row would cost a query per row (the
# list's test counts the queries whatever the rows).
FIELDS = (
    "full_name", "gender", "birth_date", "status", "is_exempted", "admitted_on",
    "ceremony_on", "party_age_anchor", "party_card_no", "name_sort", "organization",
    "organization__name",
)  # fmt: skip


def _badge(colour: str, text: str) -> str:
    return f'<span class="badge rounded-pill text-bg-{colour}">{escape(text)}</span>'


def status_badges(member, badges: dict[str, str]) -> str:
    """members/_status.html: the status badge, and the exemption's. `badges`: the HTML of
    the fixed badges in one rendering's language (filled on first use)."""
    if not badges:
        badges |= {
            Status.PROBATIONARY: _badge("warning", gettext("Dự bị")),
            Status.FULL: _badge("success", gettext("Chính thức")),
            "exempted": " " + _badge("info", gettext("Miễn sinh hoạt")),
        }
    html = badges.get(member.status) or _badge("secondary", str(member.get_status_display()))
    return html + badges["exempted"] if member.is_exempted else html


def list_rows(members) -> SafeString:
    """`members`: the page's rows, with `birth_text`, `joined_text` and `party_years` set
    (members.views.member_list). Every value escaped as the template would (Django's
    `escape` is the standard library's `html.escape`)."""
    detail = escape(reverse("members:detail", args=[_PK])).replace(str(_PK), "{}")
    badges: dict[str, str] = {}
    genders: dict[str, str] = {}
    rows = []
    for m in members:
        organization = escape(m.organization.name)
        birth = escape(m.birth_text)
        gender = genders.get(m.gender)
        if gender is None:
            gender = genders[m.gender] = escape(str(m.get_gender_display()))
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
