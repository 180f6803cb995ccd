"""A search's page read by the SQL of its shape (`selectors._shaped_rows`, compiled once per
scope, filters, number of words and cursor) lists exactly what the ORM's query lists, for
any words: accents, capitals, a card number, LIKE's own wildcards typed in the box, a cursor,
the filters, each officer's scope."""

from datetime import date

import pytest
from django.utils import timezone

from tochuc.accounts.access import Scope
from tochuc.members import selectors
from tochuc.members.forms import MemberFilterForm
from tochuc.members.list_rows import ListedMember
from tochuc.organizations.models import Kind
from tochuc.testing import found, register

pytestmark = pytest.mark.django_db
SIZE = 2


@pytest.fixture
def people(cast):
    """Nine members across two communes of Tỉnh A and one of Tỉnh B, some sharing names."""
    ward_cell = found("T02.P01.KP1", "Chi bộ khu phố 1", Kind.BASE_CELL, cast.other_commune)
    for cell, name, extra in [
        (cast.cell, "Nguyễn Văn An", {"party_card_no": "A1"}),
        (cast.cell, "Nguyễn Thị Bình", {"gender": "female"}),
        (cast.cell, "Trần Văn An", {}),
        (cast.village_cell, "Nguyễn Văn Ánh", {}),
        (cast.village_cell, "Lê Nguyên Hạnh", {"gender": "female"}),
        (cast.village_cell, "Nguyễn Văn Xuân", {}),
        (cast.sibling_cell, "Nguyễn Văn An", {}),
        (cast.sibling_cell, "Nguyễn Văn Bảy", {}),
        (ward_cell, "Nguyễn Văn An", {}),
    ]:
        admitted_on = date(2001, 5, 19) if "Xuân" in name else date(2010, 5, 19)
        register(cell, name, admitted_on=admitted_on, **extra)


def pages(scope, params: dict, within=None) -> list[tuple[list, list | None]]:
    """Every page of the search, as (the ORM's rows, the shaped rows), walking the cursor."""
    filters = MemberFilterForm(params).to_filters(within)
    today = timezone.localdate()
    walked, after = [], None
    while True:
        qs = selectors.member_list(scope=scope, filters=filters, today=today)
        orm, _found = selectors._rows(selectors._after(qs, after), SIZE, ListedMember)
        shaped = selectors._shaped_rows(scope, filters, today, after, SIZE, ListedMember)
        walked.append((orm, shaped))
        after = selectors._page(orm, SIZE).next_cursor
        if after is None:
            return walked


@pytest.mark.parametrize(
    "params",
    [
        {"q": "nguyen"},
        {"q": "nguyen van"},
        {"q": "NGUYỄN văn"},
        {"q": "an"},
        {"q": "van an"},
        {"q": "a1"},  # a card number, found by the one-word search
        {"q": "nguy%"},  # LIKE's wildcards are searched as typed, never as wildcards
        {"q": "ngu_en"},
        {"q": "nguyen", "gioi_tinh": "female"},
        {"q": "nguyen van", "tuoi_dang_tu": "20"},
        {"q": "nguyen", "trang_thai": "tat_ca"},
        {"q": "khong co ai"},
    ],
)
def test_each_page_is_the_orm_s_for_every_officer(cast, users, people, params):
    for user in (users.commune_officer, users.province_officer, users.other_province_officer):
        scope = Scope.for_user(user).holding("view")
        for orm, shaped in pages(scope, params):
            assert shaped == orm, (user.username, params)


def test_a_list_narrowed_to_an_organization_is_the_orm_s_too(cast, users, people):
    scope = Scope.for_user(users.province_officer).holding("view")
    for within in (cast.province, cast.commune, cast.village_cell, cast.sibling_commune):
        for params in ({"q": "nguyen"}, {"q": "nguyen van"}):
            walked = pages(scope, params, within)
            assert all(shaped == orm for orm, shaped in walked), (within.name, params)
            assert walked[0][0], (within.name, params)  # each finds someone


def test_what_each_search_finds_is_its_own(cast, users, people):
    """The same words, the same shape, in three scopes: each officer's own members."""
    found = {}
    for user in (users.commune_officer, users.sibling_officer, users.other_province_officer):
        scope = Scope.for_user(user).holding("view")
        filters = MemberFilterForm({"q": "nguyen van an"}).to_filters(None)
        rows = selectors._shaped_rows(scope, filters, timezone.localdate(), None, 50, ListedMember)
        found[user.username] = sorted(row.organization_name for row in rows)
    assert found == {
        users.commune_officer.username: ["Chi bộ Tổ Toán", "Chi bộ thôn Nà Phái"],  # and Ánh
        users.sibling_officer.username: ["Chi bộ thôn Khòn Lèng"],
        users.other_province_officer.username: ["Chi bộ khu phố 1"],
    }


def test_a_shape_is_compiled_once_for_any_words_and_a_citizen_id_is_left_to_the_orm(
    cast, users, people, monkeypatch
):
    monkeypatch.setattr(selectors, "_SHAPES", type(selectors._SHAPES)())
    scope = Scope.for_user(users.province_officer).holding("view")
    today = timezone.localdate()

    def names(text: str, **params) -> list[str]:
        filters = MemberFilterForm({"q": text, **params}).to_filters(None)
        rows = selectors._shaped_rows(scope, filters, today, None, 50, ListedMember)
        return [row.full_name for row in rows]

    an = ["Nguyễn Văn An", "Nguyễn Văn An", "Nguyễn Văn Ánh"]  # "an" starts "Ánh"
    assert names("nguyen van an") == an
    assert names("tran van an") == ["Trần Văn An"]  # three words: the same shape
    assert names("le nguyen hanh") == ["Lê Nguyên Hạnh"]
    assert len(selectors._SHAPES) == 1
    assert names("nguyen an") == an  # two words
    assert names("nguyen", gioi_tinh="female") == ["Nguyễn Thị Bình", "Lê Nguyên Hạnh"]
    assert len(selectors._SHAPES) == 3
    filters = MemberFilterForm({"q": "001085000001"}).to_filters(None)
    assert selectors._shaped_rows(scope, filters, today, None, 50, ListedMember) is None


def test_only_the_shapes_used_last_are_kept(cast, users, people, monkeypatch):
    monkeypatch.setattr(selectors, "_SHAPES", type(selectors._SHAPES)())
    monkeypatch.setattr(selectors, "SHAPES_KEPT", 2)
    scope = Scope.for_user(users.province_officer).holding("view")
    for text in ("an", "van an", "nguyen van an", "an"):
        filters = MemberFilterForm({"q": text}).to_filters(None)
        selectors._shaped_rows(scope, filters, timezone.localdate(), None, 50, ListedMember)
    assert len(selectors._SHAPES) == 2


def test_a_scope_that_holds_nothing_finds_nothing(cast, users, people):
    scope = Scope.for_user(users.stranger)
    filters = MemberFilterForm({"q": "nguyen"}).to_filters(None)
    assert (
        selectors._shaped_rows(scope, filters, timezone.localdate(), None, 50, ListedMember) == []
    )


@pytest.mark.parametrize(
    "after", ["²", "1.²", "١٢.٣", "1." + "9" * 30, "9" * 700 + ".1", "abc.1", ".", "1.2.3"]
)
def test_a_cursor_that_is_not_one_gives_the_first_page_on_either_path(
    client, cast, users, people, monkeypatch, after
):
    from django.core.cache import caches
    from django.urls import reverse

    from tochuc.testing import PASSWORD

    monkeypatch.setattr(selectors, "SEARCH_COUNT_LIMIT", 2)
    assert client.login(username=users.province_officer.username, password=PASSWORD)
    url = reverse("members:list")
    first = [row.pk for row in client.get(url, {"q": "nguyen"}).context["page"].rows]
    for path in ("shaped (the mark is set)", "ORM (no mark)"):
        response = client.get(url, {"q": "nguyen", "sau": after})
        assert response.status_code == 200, path
        assert [row.pk for row in response.context["page"].rows] == first, path
        caches[selectors.CAPPED_CACHE].clear()


def test_more_words_than_samples_are_left_to_the_orm(cast, users, people, monkeypatch):
    monkeypatch.setattr(selectors, "_WORD_SAMPLES", selectors._WORD_SAMPLES[:2])
    scope = Scope.for_user(users.province_officer).holding("view")
    filters = MemberFilterForm({"q": "nguyen van an"}).to_filters(None)
    assert (
        selectors._shaped_rows(scope, filters, timezone.localdate(), None, 50, ListedMember) is None
    )


def test_a_moved_organization_is_another_shape(cast, users, people):
    """The list narrowed to an organization keys its shape by the organization's path too: once
    a restructuring moves it, its SQL (which names the path) is compiled again."""
    scope = Scope.for_user(users.province_officer).holding("view")
    filters = MemberFilterForm({"q": "nguyen"}).to_filters(cast.commune)
    keys = {selectors.search_key(scope=scope, filters=filters)}
    cast.commune.path += "9/"  # as a move would (not saved)
    keys.add(selectors.search_key(scope=scope, filters=filters))
    assert len(keys) == 2
