"""Extreme dates in every date field of every form and every date in an address: never a
500, and never a write for a date no act can have (issue 16, "dates that make sense").

The pages come from the permission matrix (tochuc/accounts/tests/test_permission_matrix.py),
which fails when a URL is not in it: a new page is driven here without anyone listing it.
Each page is rendered; its POST forms are read from the HTML (every field filled with a
plain value: today for dates, the first choice, "1" or a word), and its date fields are the
forms' DateFields and the inputs typed dd/mm/yyyy. Hypothesis then puts one extreme value in
one date field (or one date parameter in the address) and checks the answer and the rows.
"""

from datetime import date, timedelta
from html.parser import HTMLParser

import pytest
from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tochuc.accounts.tests.test_permission_matrix import (
    CANDIDATE_URLS,
    MEMBER_URLS,
    RATING_SUBJECT_URLS,
    TABLES,
    TRANSFER_URLS,
    url_for,
)
from tochuc.admissions.services import candidate_identify
from tochuc.core import audit
from tochuc.lib.dates import vn_date
from tochuc.organizations.forms import DATE_WIDGET
from tochuc.policy.acts import EARLIEST_BIRTH
from tochuc.policy.rules import policy_for
from tochuc.ratings.services import rating_session_open
from tochuc.testing import build_cast, register
from tochuc.transfers.services import transfer_issue, working_away_record

TODAY = timezone.localdate()
EXTREMES = [
    "01/01/0001", "31/12/9999", "9999-12-31", "0001-01-01", "29/02/2023", "29/02/2100",
    "31/04/2025", "00/00/0000", "01/01/1850", "31/12/1929", vn_date(TODAY + timedelta(days=1)),
    "1/1/10000", "-1", "0", "99999999", "ngày mai", "", " ",
]  # fmt: skip
DATE_VALUES = st.one_of(
    st.sampled_from(EXTREMES),
    st.dates().map(lambda d: d.strftime("%d/%m/%Y")),
    st.dates().map(date.isoformat),
    st.text(max_size=14),
)
# Parameters of an address that carry a date, a year or a quarter (besides the inputs
# typed dd/mm/yyyy of the page's GET forms, found on the page).
DATE_PARAMS = {"ngay", "tu", "den", "tu_ngay", "den_ngay", "nam", "quy"}
# Fields that name a scheduled date (a term's, a temporary transfer's or a stay's end).
SCHEDULED = ("ends_on", "listed_on")
LIMITS = settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


# ---------------------------------------------------------------- the world, built once


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The cast, a system administrator, a member with a stay away and a letter to receive
    in each cell, a candidate and a rating session: one object for each kind of page."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        cast = build_cast()
        cast.admin = cast.user("admin_dates", "admin")
        member = register(cast.village_cell, "Đảng viên Nà Phái")
        leaving = register(cast.cell, "Đảng viên Tổ Toán")
        working_away_record(
            member=member, place="Bình Dương", starts_on=date(2025, 9, 1), contact="0912345678"
        )
        transfer = transfer_issue(member=leaving, on=date(2025, 9, 1), to=cast.village_cell)
        candidate = candidate_identify(
            cell=cast.village_cell, on=date(2025, 8, 4),
            record={"full_name": "Quần chúng Nà Phái", "gender": "male",
                    "birth_date": date(2001, 5, 6)},
        )  # fmt: skip
        session = rating_session_open(organization=cast.province, kind="year", year=2025)
        cast.pks = {
            "member": member.pk,
            "transfer": transfer.pk,
            "candidate": candidate.pk,
            "subject": session.subjects.get(member=member).pk,
        }
    yield cast
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


def address(cast, url_name: str) -> str:
    """The page of `url_name` on the world's objects (the commune for an organization)."""
    pk = (
        cast.pks["member"] if url_name in MEMBER_URLS
        else cast.pks["candidate"] if url_name in CANDIDATE_URLS
        else cast.pks["subject"] if url_name in RATING_SUBJECT_URLS
        else cast.pks["transfer"] if url_name in TRANSFER_URLS
        else 0
    )  # fmt: skip
    return url_for(url_name, cast.commune.code, pk)


def written() -> tuple:
    """What a write changes: the last audited write and the rows of every tochuc table
    (not the log, nor the one-time form tokens a POST claims, tochuc.core.once)."""
    counts = tuple(
        model._default_manager.count()
        for model in apps.get_models()
        if model.__module__.startswith("tochuc.")
        and model._meta.label not in {"core.AuditEntry", "core.SubmittedForm"}
    )
    return audit.last_write_id(), counts


# ---------------------------------------------------------------- reading the pages


class FormReader(HTMLParser):
    """The forms of a page: method, action and fields (inputs, selects, text areas, the
    submit buttons that carry a name)."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._select = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(
                {"method": a.get("method", "get").lower(), "fields": {}, "dates": set(),
                 "buttons": []}
            )  # fmt: skip
            return
        if not self.forms or not a.get("name"):
            return
        form, name = self.forms[-1], a["name"]
        if tag == "input":
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio", "file"):
                if kind == "radio":
                    form["fields"].setdefault(name, a.get("value", ""))
                return
            if kind == "submit":
                form["buttons"].append((name, a.get("value", "")))
                return
            if a.get("placeholder") == "dd/mm/yyyy":
                form["dates"].add(name)
            form["fields"][name] = a.get("value") or (
                "1" if a.get("inputmode") == "numeric" or kind == "number" else "Thử nghiệm"
            )
        elif tag == "textarea":
            form["fields"][name] = "Thử nghiệm"
        elif tag == "select":
            self._select = name
            form["fields"].setdefault(name, "")
        elif tag == "button" and a.get("type", "submit") == "submit":
            form["buttons"].append((name, a.get("value", "")))

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)


class OptionReader(FormReader):
    def handle_starttag(self, tag, attrs):
        if tag == "option" and self._select and self.forms:
            value = dict(attrs).get("value") or ""
            fields = self.forms[-1]["fields"]
            if value and not fields.get(self._select):
                fields[self._select] = value
            return
        super().handle_starttag(tag, attrs)


def date_fields_of(context) -> set[str]:
    """The DateFields of the forms a page rendered, by their names in the HTML."""
    names = set()
    contexts = context if isinstance(context, list) else [context] if context else []
    values = [v for c in contexts for v in c.flatten().values()]
    for value in values:
        if isinstance(value, forms.BaseForm):
            names |= {
                value.add_prefix(name)
                for name, field in value.fields.items()
                if isinstance(field, forms.DateField)
            }
    return names


def submissions(page) -> list[tuple[dict, set[str]]]:
    """(data, date fields) for each POST form of the page, once per named submit button."""
    reader = OptionReader()
    reader.feed(page.content.decode())
    declared = date_fields_of(page.context)
    found = []
    for form in reader.forms:
        if form["method"] != "post":
            continue
        dates = form["dates"] | (declared & set(form["fields"]))
        if not dates:
            continue
        data = {**form["fields"], **{name: vn_date(TODAY) for name in dates}}
        for name, value in form["buttons"] or [(None, None)]:
            found.append(({**data, name: value} if name else dict(data), dates))
    return found


def get_parameters(page) -> set[str]:
    if "text/html" not in page.get("Content-Type", ""):
        return DATE_PARAMS  # a download: its parameters are the address's alone
    reader = OptionReader()
    reader.feed(page.content.decode())
    named = {n for f in reader.forms if f["method"] == "get" for n in f["dates"]}
    return DATE_PARAMS | named


def must_refuse(value: str, field: str) -> bool:
    """True when no act can be dated `value`: not a date as the forms read it, before
    anyone's birth, beyond the horizon, or after today where nothing is scheduled."""
    with translation.override("vi"):
        try:
            day = forms.DateField(widget=DATE_WIDGET, required=False).clean(value)
        except ValidationError:
            return True
    if day is None:
        return False  # an empty optional field: the form may well accept it
    horizon = TODAY.replace(year=TODAY.year + policy_for(TODAY).scheduled_within_years)
    if day < EARLIEST_BIRTH or day > horizon:
        return True
    return day > TODAY and not field.endswith(SCHEDULED)


# ---------------------------------------------------------------- the tests

POST_URLS = sorted(
    name for table in TABLES for name, declared in table.items() if "POST" in declared.allowed
)
GET_URLS = sorted(
    name
    for table in TABLES
    for name, declared in table.items()
    if declared.allowed.get("GET") == 200
)


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", POST_URLS)
def test_no_form_takes_a_date_no_act_can_have(world, client, url_name):
    client.force_login(world.admin)
    url = address(world, url_name)
    page = client.get(url)
    if page.status_code != 200:
        pytest.skip(f"{url_name} shows no form here ({page.status_code})")
    posts = submissions(page)
    if not posts:
        pytest.skip(f"{url_name} has no date field")

    @LIMITS
    @given(st.data())
    def drive(data):
        values, dates = data.draw(st.sampled_from(posts), label="form")
        field = data.draw(st.sampled_from(sorted(dates)), label="field")
        value = data.draw(DATE_VALUES, label="value")
        with transaction.atomic():
            before = written()
            response = client.post(url, {**values, field: value})
            assert response.status_code < 500, (url_name, field, value)
            if must_refuse(value, field):
                assert written() == before, (url_name, field, value, response.status_code)
                assert response.status_code == 200, (url_name, field, value)
            transaction.set_rollback(True)

    drive()


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", GET_URLS)
def test_no_address_with_a_bad_date_breaks_a_page(world, client, url_name):
    client.force_login(world.admin)
    url = address(world, url_name)
    page = client.get(url)
    assert page.status_code < 500
    names = sorted(get_parameters(page))

    @settings(LIMITS, max_examples=4)
    @given(st.sampled_from(names), DATE_VALUES)
    def drive(name, value):
        before = audit.last_write_id()
        response = client.get(url.partition("?")[0], {**_query(url), name: value})
        assert response.status_code < 500, (url_name, name, value)
        assert audit.last_write_id() == before, (url_name, name, value)

    drive()


def _query(url: str) -> dict:
    from urllib.parse import parse_qsl

    return dict(parse_qsl(url.partition("?")[2]))


@pytest.mark.django_db
def test_the_extremes_are_refused_as_the_rule_says():
    assert must_refuse("31/12/9999", "on") and must_refuse("29/02/2023", "on")
    assert must_refuse(vn_date(TODAY + timedelta(days=1)), "on")
    assert not must_refuse(vn_date(TODAY + timedelta(days=1)), "ends_on")
    assert not must_refuse(vn_date(TODAY), "on")
