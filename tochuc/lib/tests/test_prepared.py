"""A prepared read gives what its queryset gives, for any values, on either database, and is
built and compiled once."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from tochuc.lib.prepared import Prepared
from tochuc.members.models import Member
from tochuc.organizations.models import Organization
from tochuc.testing import register

pytestmark = pytest.mark.django_db


def members_born(*, organization_id: int, after: date):
    return (
        Member.objects.filter(organization_id=organization_id, birth_date__gt=after)
        .select_related("organization")
        .order_by("birth_date")
        .values_list("full_name", "birth_date", "organization__code", "created_at")
    )


@pytest.fixture
def three(cast):
    born = [date(1980, 1, 1), date(1981, 2, 2), date(1982, 3, 3)]
    return [
        register(cast.cell, name, birth_date=day, citizen_id=f"02018000020{i}")
        for i, (name, day) in enumerate(
            zip(("Lò Văn An", "Hà Thị Bình", "Vi Văn Chung"), born, strict=True)
        )
    ]


@pytest.fixture
def prepared():
    built = []

    def build(**values):
        built.append(values)
        return members_born(**values)

    read = Prepared(build, organization_id=-123_456_789, after=date(1901, 2, 3))
    read.built = built
    return read


def test_it_gives_the_rows_of_its_queryset_for_each_value(cast, three, prepared):
    for organization, after in [
        (cast.cell, date(1979, 1, 1)),
        (cast.cell, date(1981, 2, 2)),  # strictly after: the second one is not
        (cast.cell, date(1990, 1, 1)),
        (cast.sibling_cell, date(1979, 1, 1)),
    ]:
        expected = list(members_born(organization_id=organization.pk, after=after))
        assert prepared.rows(organization_id=organization.pk, after=after) == expected
    assert [name for name, *_ in prepared.rows(organization_id=cast.cell.pk,
            after=date(1980, 6, 1))] == ["Hà Thị Bình", "Vi Văn Chung"]  # fmt: skip


def test_its_rows_are_converted_as_the_orm_converts_them(cast, three, prepared):
    rows = prepared.rows(organization_id=cast.cell.pk, after=date(1981, 1, 1))
    name, born, code, created = rows[0]
    assert (name, born, code) == ("Hà Thị Bình", date(1981, 2, 2), cast.cell.code)
    assert isinstance(created, datetime) and created.tzinfo is not None


def test_it_is_built_and_compiled_once(cast, three, prepared):
    prepared.rows(organization_id=cast.cell.pk, after=date(1979, 1, 1))
    with CaptureQueriesContext(connection) as queries:
        prepared.rows(organization_id=cast.sibling_cell.pk, after=date(1985, 1, 1))
        prepared.rows(organization_id=cast.cell.pk, after=date(1970, 1, 1))
    assert len(prepared.built) == 1
    assert len(queries) == 2


def test_on_postgresql_the_server_plans_it_once_per_session(cast, three, prepared):
    with CaptureQueriesContext(connection) as queries:
        for after in (date(1979, 1, 1), date(1981, 1, 1), date(1990, 1, 1)):
            prepared.rows(organization_id=cast.cell.pk, after=after)
    sent = [q["sql"].split(" ")[0] for q in queries.captured_queries]
    if connection.vendor == "postgresql":
        assert sent == ["PREPARE", "EXECUTE", "EXECUTE", "EXECUTE"]
        assert all(prepared.ran(q["sql"]) for q in queries.captured_queries[1:])
    else:
        assert sent == ["SELECT"] * 3


def test_a_datetime_goes_to_the_database_as_the_orm_sends_it(cast, three):
    def made_after(*, moment):
        return Member.objects.filter(created_at__gt=moment).order_by("pk").values_list("pk")

    read = Prepared(made_after, moment=datetime(1901, 2, 3, 4, 5, 6, tzinfo=UTC))
    for moment in (datetime(2000, 1, 1, tzinfo=UTC), three[1].created_at,
                   three[2].created_at + timedelta(microseconds=1)):  # fmt: skip
        assert read.rows(moment=moment) == list(made_after(moment=moment))


def test_a_sample_that_is_not_in_the_query_is_refused(cast):
    read = Prepared(
        lambda *, code: Organization.objects.filter(code=code.upper()).values_list("pk"),
        code="sample",  # changed before it reaches the query: nothing to put the value in
    )
    with pytest.raises(ValueError, match="code"):
        read.rows(code=cast.cell.code)


def test_a_word_in_a_pattern_is_searched_as_typed_and_planned_at_each_call(cast):
    for name in ("Lò Văn An", "Lò_Văn Bình", "Lò%Thị Chung"):
        register(cast.cell, name)

    def named(*, word):
        return (
            Member.objects.filter(Q(full_name__startswith=word) | Q(full_name__contains=f" {word}"))
            .order_by("full_name")
            .values_list("full_name")
        )

    read = Prepared(named, plan_each=True, word="qzxaq")
    with CaptureQueriesContext(connection) as queries:
        for word in ("Lò", "Lò_", "Lò%", "Văn", "_", "%", "\\", "An"):
            assert read.rows(word=word) == list(named(word=word)), word
    assert read.rows(word="Lò_") == [("Lò_Văn Bình",)]  # "_" is no wildcard
    assert {q["sql"].split(" ")[0] for q in queries.captured_queries} == {"SELECT"}
