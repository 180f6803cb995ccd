"""`field__any=values` finds what `field__in=values` finds, on either database, however many
values a file brings; `value_chunks` keeps each query within what the database takes."""

from datetime import date

import pytest
from django.db import connection

from tochuc.lib import lookups
from tochuc.members.models import Member
from tochuc.organizations.models import Organization
from tochuc.testing import register

pytestmark = pytest.mark.django_db


@pytest.fixture
def three(cast):
    born = [date(1980, 1, 1), date(1981, 2, 2), date(1982, 3, 3)]
    return [
        register(cast.cell, name, birth_date=day, citizen_id=f"02018000010{i}")
        for i, (name, day) in enumerate(
            zip(("Lò Văn An", "Hà Thị Bình", "Vi Văn Chung"), born, strict=True)
        )
    ]


def test_any_finds_what_in_finds_by_text_date_and_id(three):
    ids = ["020180000100", "020180000102", "999999999999"]
    days = [date(1981, 2, 2), date(1999, 9, 9)]
    assert set(Member.objects.filter(citizen_id__any=ids)) == {three[0], three[2]}
    assert set(Member.objects.filter(birth_date__any=days)) == {three[1]}
    assert set(Member.objects.filter(pk__any=[three[1].pk, 0])) == {three[1]}


def test_no_value_and_none_find_nothing(three):
    assert not Member.objects.filter(citizen_id__any=[]).exists()
    assert not Member.objects.filter(citizen_id__any=[None]).exists()


def test_a_file_of_values_is_read_in_chunks_the_database_takes(three, cast):
    codes = [f"KHONG{i:05d}" for i in range(1_200)] + [cast.cell.code]
    chunks = list(lookups.value_chunks(codes))
    limit = lookups.ARRAY_CHUNK if connection.vendor == "postgresql" else lookups.PARAMETER_CHUNK
    assert all(len(chunk) <= limit for chunk in chunks)
    assert sorted(code for chunk in chunks for code in chunk) == sorted(codes)
    found = [o for chunk in chunks for o in Organization.objects.filter(code__any=chunk)]
    assert found == [cast.cell]
