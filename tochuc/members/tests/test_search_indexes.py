from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from tochuc.accounts.access import Scope
from tochuc.accounts.models import Grant
from tochuc.accounts.permissions import Role
from tochuc.members import selectors
from tochuc.organizations.models import Kind
from tochuc.testing import found, register

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="chỉ mục trigram chỉ có trên PostgreSQL"
)


@pytest.fixture
def other_cell(cast):
    return found("T02.P01.KP1", "Chi bộ khu phố 1", Kind.BASE_CELL, cast.other_commune)


def run(*args) -> str:
    out = StringIO()
    call_command("search_indexes", *args, stdout=out)
    return out.getvalue()


def search_indexes() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'members_member' "
            "AND indexname LIKE 'member_name_trgm_p%%'"
        )
        return {row[0] for row in cursor.fetchall()}


def names(scope, **filters) -> list[str]:
    qs = selectors.member_list(scope=scope, filters=selectors.MemberFilters(**filters))
    return [m.full_name for m in qs]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only")
def test_on_sqlite_the_command_says_it_is_not_needed_and_does_nothing(cast):
    assert "không cần" in run()
    assert "không cần" in run("--drop")


@postgresql_only
def test_it_makes_one_trigram_index_per_province_and_a_second_run_changes_nothing(cast):
    first = run()
    expected = {
        f"member_name_trgm_p{cast.province.pk}",
        f"member_name_trgm_p{cast.other_province.pk}",
    }
    assert search_indexes() == expected
    assert "Đảng bộ tỉnh A: đã tạo chỉ mục" in first
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = %s",
            [f"member_name_trgm_p{cast.province.pk}"],
        )
        definition = cursor.fetchone()[0]
    assert "gin_trgm_ops" in definition and f"province_id = {cast.province.pk}" in definition
    second = run()
    assert search_indexes() == expected
    assert "tạo mới 0" in second and "Đảng bộ tỉnh A: đã có chỉ mục" in second


@postgresql_only
def test_it_drops_the_index_of_a_province_no_longer_in_the_tree_and_drop_removes_all(cast):
    run()
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE INDEX member_name_trgm_p999999 ON members_member "
            "USING gin (name_folded gin_trgm_ops) WHERE province_id = 999999"
        )
    assert "Đã xóa chỉ mục member_name_trgm_p999999" in run()
    assert len(search_indexes()) == 2
    run("--drop")
    assert search_indexes() == set()


def test_a_search_in_a_commune_names_its_province_and_finds_exactly_the_communes_members(
    cast, users, other_cell
):
    if connection.vendor == "postgresql":
        run()  # before any member: no index may be built over pending trigger events
    register(cast.cell, "Nguyễn Văn An")
    register(cast.village_cell, "Trần Nguyễn Vân")  # the words in another order also match
    register(cast.village_cell, "Nguyễn Vănh")  # "van" starts "vanh": a word start matches
    register(cast.cell, "Nguyễn Thị Lan")  # no word starts with "van"
    register(cast.sibling_cell, "Nguyễn Văn Bình")  # same province, another commune
    register(other_cell, "Nguyễn Văn Cường")  # another province
    province = Scope.for_user(users.province_officer)
    qs = selectors.member_list(
        scope=province,
        filters=selectors.MemberFilters(text="nguyen van", organization=cast.commune),
    )
    assert f'"province_id" = {cast.province.pk}' in str(qs.query)
    assert [m.full_name for m in qs] == ["Nguyễn Văn An", "Nguyễn Vănh", "Trần Nguyễn Vân"]
    commune = Scope.for_user(users.commune_officer)
    assert names(commune, text="nguyen van") == ["Nguyễn Văn An", "Nguyễn Vănh", "Trần Nguyễn Vân"]
    assert names(province, text="nguyen van") == [
        "Nguyễn Văn An", "Nguyễn Văn Bình", "Nguyễn Vănh", "Trần Nguyễn Vân",
    ]  # fmt: skip
    assert names(province, text="van", organization=cast.sibling_commune) == ["Nguyễn Văn Bình"]


def test_a_search_over_two_provinces_is_not_pinned_to_either(cast, users, other_cell):
    register(cast.cell, "Nguyễn Văn An")
    register(other_cell, "Nguyễn Văn Cường")
    user = users.province_officer
    Grant.objects.create(
        user=user,
        role=Role.OFFICER,
        organization=cast.other_province,
        valid_from=cast.commune.founded_on,
    )
    both = Scope.for_user(user)
    assert names(both, text="nguyen van") == ["Nguyễn Văn An", "Nguyễn Văn Cường"]
    assert names(Scope.for_user(users.admin), text="nguyen van") == [
        "Nguyễn Văn An", "Nguyễn Văn Cường",
    ]  # fmt: skip
