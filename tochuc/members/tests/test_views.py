from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tochuc.members import views
from tochuc.members.models import PERSONAL_FIELDS, Member, MemberEvent, Status
from tochuc.members.services import member_exit, member_register, member_transfer
from tochuc.testing import FOUNDED, MEMBER_DEFAULTS, PASSWORD, register

pytestmark = pytest.mark.django_db
T = MemberEvent.Type


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def an(cast):
    """Admitted by decision 12-QĐ/ĐU of 19/05/2010, in the school's maths cell since 2025."""
    return member_register(
        organization=cast.cell,
        record={"full_name": "Nguyễn Văn An", "citizen_id": "001085000001",
                "party_card_no": "A1", **MEMBER_DEFAULTS},
        admitted_on=date(2010, 5, 19), admission_decision_no="12-QĐ/ĐU",
        ceremony_on=date(2010, 6, 2), confirmed_on=date(2011, 6, 2), since=FOUNDED,
    )  # fmt: skip


def record_data(member, **changes) -> dict:
    """The edit form as a browser would post it, from the member's current record."""
    data = {}
    for name in PERSONAL_FIELDS:
        value = getattr(member, name)
        data[name] = value.strftime("%d/%m/%Y") if isinstance(value, date) else value
    reason = "Bổ sung hồ sơ năm 2025"
    return {**data, "row_version": member.row_version, "reason": reason, **changes}


# ---------------------------------------------------------------- the list


def test_a_commune_officer_finds_their_member_without_accents_and_not_another_communes(
    client, cast, users, an
):
    register(cast.sibling_cell, "Nguyễn Văn An", citizen_id="001085000002")
    register(cast.village_cell, "Trần Thị Bình")
    login(client, users.commune_officer)
    response = client.get(reverse("members:list"), {"q": "nguyen van an"})
    assert response.status_code == 200
    assert [m.pk for m in response.context["page"].rows] == [an.pk]
    assert response.context["total"].value == 1
    body = response.content.decode()
    assert "Nguyễn Văn An" in body and reverse("members:detail", args=[an.pk]) in body
    for query in ("001085000001", "a1"):  # a citizen ID, a card number
        found = client.get(reverse("members:list"), {"q": query}).context["page"].rows
        assert [m.pk for m in found] == [an.pk], query
    assert client.get(reverse("members:list"), {"q": "001085000002"}).context["total"].value == 0


def test_a_name_search_matching_more_than_the_limit_says_more_than_and_lists_the_first_page(
    client, cast, users, monkeypatch
):
    from tochuc.members import selectors

    monkeypatch.setattr(selectors, "SEARCH_COUNT_LIMIT", 2)
    for name in ("Nguyễn Văn Ba", "Nguyễn Thị Tư", "Nguyễn Văn Năm"):
        register(cast.cell, name)
    register(cast.cell, "Trần Văn Sáu")
    login(client, users.commune_officer)
    response = client.get(reverse("members:list"), {"q": "nguyen"})
    assert response.context["total"] == selectors.Count(2, capped=True)
    assert len(response.context["page"].rows) == 3
    assert "Hơn 2 đảng viên phù hợp" in response.content.decode()
    exact = client.get(reverse("members:list"), {"q": "nguyen van"}).context["total"]
    assert exact == selectors.Count(2)
    # Without a name to search, the count is exact (it reads an index, not the names).
    assert client.get(reverse("members:list")).context["total"] == selectors.Count(4)


@pytest.fixture
def three_nguyen(client, cast, users, monkeypatch):
    """A search limit of 2, three members named Nguyễn, and the commune officer signed in:
    `three_nguyen(text, **filters)` searches and gives the response and how many member
    counts ran."""
    from tochuc.members import selectors

    monkeypatch.setattr(selectors, "SEARCH_COUNT_LIMIT", 2)
    for name in ("Nguyễn Văn Ba", "Nguyễn Thị Tư", "Nguyễn Văn Năm"):
        register(cast.cell, name)
    login(client, users.commune_officer)

    def search(text, **filters):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("members:list"), {"q": text, **filters})
        counted = [
            q for q in queries.captured_queries
            if "COUNT(" in q["sql"].upper() and "members_member" in q["sql"]
        ]  # fmt: skip
        return response, len(counted)

    return search


def test_a_search_found_over_the_limit_is_not_counted_again_and_an_exact_count_always_is(
    three_nguyen,
):
    from tochuc.members import selectors

    search = three_nguyen
    first, counted = search("nguyen")
    assert first.context["total"] == selectors.Count(2, capped=True) and counted == 1
    again, counted = search("nguyen")
    assert again.context["total"] == selectors.Count(2, capped=True) and counted == 0
    assert [m.pk for m in again.context["page"].rows] == [m.pk for m in first.context["page"].rows]
    assert "Hơn 2 đảng viên phù hợp" in again.content.decode()
    for _ in range(2):  # two matches: exact, counted every time
        exact, counted = search("nguyen van")
        assert exact.context["total"] == selectors.Count(2) and counted == 1


def test_the_mark_over_the_limit_is_kept_for_one_scope_and_one_set_of_filters(
    three_nguyen, client, users
):
    from tochuc.members import selectors

    search = three_nguyen
    assert search("nguyen")[1] == 1 and search("nguyen")[1] == 0
    # Another filter (a party age of at most 20 years: all three) is another search.
    narrowed, counted = search("nguyen", tuoi_dang_den=20)
    assert narrowed.context["total"] == selectors.Count(2, capped=True) and counted == 1
    # The province's officer sees the same three, through another scope: counted again.
    login(client, users.province_officer)
    wider, counted = search("nguyen")
    assert wider.context["total"] == selectors.Count(2, capped=True) and counted == 1
    assert search("nguyen")[1] == 0


def test_the_mark_over_the_limit_is_kept_in_the_process_memory_not_the_shared_cache(
    three_nguyen,
):
    from django.core.cache import caches

    from tochuc.members import selectors

    def counted() -> int:
        response, count_queries = three_nguyen("nguyen")
        assert response.context["total"] == selectors.Count(2, capped=True)
        return count_queries

    assert counted() == 1
    caches["default"].clear()  # the shared cache (a table of the database on PostgreSQL)
    assert counted() == 0
    caches["local"].clear()  # another process, or a minute later
    assert counted() == 1


def test_the_list_is_in_vietnamese_order_and_shows_only_active_members_by_default(
    client, cast, users
):
    for name in ("Lê Văn Ân", "Trần Thị Bình", "Phạm Văn An", "Hoàng Thị Ánh"):
        register(cast.cell, name)
    gone = register(cast.cell, "Đỗ Văn Cường")
    member_exit(member=gone, type=T.DIED, on=date(2025, 8, 1))
    login(client, users.commune_officer)
    response = client.get(reverse("members:list"))
    names = [m.full_name for m in response.context["page"].rows]
    # By given name, letters before tones: An, Ánh (a-n-h), Ân (â after a), Bình.
    assert names == ["Phạm Văn An", "Hoàng Thị Ánh", "Lê Văn Ân", "Trần Thị Bình"]
    everyone = client.get(reverse("members:list"), {"trang_thai": "tat_ca"})
    assert everyone.context["total"].value == 5
    dead = client.get(reverse("members:list"), {"trang_thai": "tu_tran"})
    assert [m.full_name for m in dead.context["page"].rows] == ["Đỗ Văn Cường"]


@time_machine.travel(date(2025, 9, 30))
def test_filters_narrow_the_list(client, cast, users):
    register(cast.cell, "Lò Thị Hoa", gender="female", ethnicity="03", birth_date=date(1995, 1, 1),
             admitted_on=date(2020, 3, 1))  # fmt: skip
    register(cast.cell, "Vàng A Sử", ethnicity="08", qualification="dai_hoc",
             political_theory="trung_cap", admitted_on=date(1990, 3, 1),
             birth_date=date(1960, 1, 1))  # fmt: skip
    register(cast.cell, "Nguyễn Văn Bảy", birth_date=date(1980, 1, 1))
    login(client, users.commune_officer)

    def names(**params):
        response = client.get(reverse("members:list"), params)
        return sorted(m.full_name for m in response.context["page"].rows)

    assert names(gioi_tinh="female") == ["Lò Thị Hoa"]
    assert names(dan_toc="08") == ["Vàng A Sử"]
    assert names(chuyen_mon="dai_hoc", ly_luan="trung_cap") == ["Vàng A Sử"]
    assert names(tuoi="den-30") == ["Lò Thị Hoa"]
    assert names(tuoi="tren-70") == []
    assert names(tuoi_dang_tu="30") == ["Vàng A Sử"]
    assert names(tuoi_dang_tu="10", tuoi_dang_den="20") == ["Nguyễn Văn Bảy"]
    # Nonsense is ignored rather than refused.
    assert len(names(tuoi_dang_tu="abc", gioi_tinh="x", trang_thai="y")) == 3


def test_the_list_of_one_organization_covers_its_subtree_and_shows_where_it_is(
    client, cast, users, an
):
    register(cast.village_cell, "Trần Thị Bình")
    login(client, users.province_officer)
    response = client.get(reverse("members:list"), {"to_chuc": cast.base.code})
    assert [m.pk for m in response.context["page"].rows] == [an.pk]
    body = response.content.decode()
    assert cast.base.name in body and cast.commune.name in body  # context bar, breadcrumbs
    assert reverse("members:add", args=[cast.base.code]) in body
    login(client, users.sibling_officer)
    missing = client.get(reverse("members:list"), {"to_chuc": cast.commune.code})
    assert missing.status_code == 404


def test_keyset_paging_walks_every_row_once(client, cast, users, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 3)
    made = {register(cast.cell, f"Nguyễn Văn {name}").pk for name in "ABCDEFGH"}
    made.add(register(cast.village_cell, "Nguyễn Văn A").pk)  # a namesake: the id breaks ties
    login(client, users.commune_officer)
    seen, params, pages = [], {}, 0
    while True:
        response = client.get(reverse("members:list"), params)
        assert response.context["total"].value == 9
        seen += [m.pk for m in response.context["page"].rows]
        pages += 1
        cursor = response.context["page"].next_cursor
        if not cursor:
            break
        assert "Trang sau" in response.content.decode()
        params = {"sau": cursor}
    assert pages == 3
    assert len(seen) == len(set(seen)) == 9 and set(seen) == made


def test_the_list_reads_its_rows_as_plain_values_and_makes_no_member_object(
    client, cast, users, an, monkeypatch
):
    made = []
    monkeypatch.setattr(Member, "from_db", classmethod(lambda cls, *a: made.append(a)))
    login(client, users.commune_officer)
    response = client.get(reverse("members:list"), {"q": "nguyen van an"})
    (row,) = response.context["page"].rows
    assert (row.pk, row.full_name, row.organization_name) == (
        an.pk,
        an.full_name,
        an.organization.name,
    )
    assert made == []


def test_the_list_costs_the_same_number_of_queries_whatever_the_rows(
    client, cast, users, django_assert_num_queries
):
    register(cast.cell, "Nguyễn Văn An")
    login(client, users.commune_officer)
    params = {"to_chuc": cast.commune.code, "q": "nguyen"}
    client.get(reverse("members:list"), params)  # warm the session
    with CaptureQueriesContext(connection) as one_row:
        client.get(reverse("members:list"), params)
    for i in range(12):
        register(cast.village_cell if i % 2 else cast.cell, f"Nguyễn Thị Thu {i}")
    with django_assert_num_queries(len(one_row)):
        response = client.get(reverse("members:list"), params)
    assert len(response.context["page"].rows) == 13


def test_the_organization_page_links_to_its_members_with_their_number(client, cast, users, an):
    register(cast.village_cell, "Trần Thị Bình")
    login(client, users.commune_officer)
    page = client.get(reverse("organizations:detail", args=[cast.commune.code]))
    assert f"{reverse('members:list')}?to_chuc={cast.commune.code}" in page.content.decode()
    count = client.get(reverse("members:count", args=[cast.commune.code]))
    assert count.content.decode().strip() == "2"
    count = client.get(reverse("members:count", args=[cast.base.code]))
    assert count.content.decode().strip() == "1"
    assert client.get(reverse("members:count", args=[cast.sibling_commune.code])).status_code == 404


# ---------------------------------------------------------------- the member page


@time_machine.travel(date(2025, 9, 30))
def test_the_member_page_shows_the_record_status_party_age_and_timeline(client, cast, users, an):
    login(client, users.commune_officer)
    response = client.get(reverse("members:detail", args=[an.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    for text in ("Nguyễn Văn An", "001085000001", "15/03/1985", "Kinh", "Chính thức",
                 "12-QĐ/ĐU", "Kết nạp", "Công nhận đảng viên chính thức", cast.cell.name,
                 cast.base.name):  # fmt: skip
        assert text in body, text
    # Admitted by the decision of 19/05/2010: 15 years 4 months on 30/09/2025.
    assert str(response.context["party_age"]) == "15 năm 4 tháng"
    assert "15 năm 4 tháng" in body
    assert reverse("members:edit", args=[an.pk]) in body


def test_a_member_out_of_scope_is_not_found(client, cast, users, an):
    for user in (users.sibling_officer, users.other_province_officer, users.stranger):
        login(client, user)
        for name in ("detail", "edit", "confirm", "exempt", "exit", "timeline_correct"):
            url = reverse(f"members:{name}", args=[an.pk])
            assert client.get(url).status_code == 404, (user.username, name)
        for name in ("transfer", "temporary", "working_away"):
            url = reverse(f"transfers:{name}", args=[an.pk])
            assert client.get(url).status_code == 404, (user.username, name)
    login(client, users.commune_officer)
    assert client.get(reverse("members:detail", args=[999999])).status_code == 404


def test_a_cell_secretary_sees_their_cells_members_but_cannot_change_them(client, cast, users, an):
    other = register(cast.village_cell, "Trần Thị Bình")
    login(client, users.cell_secretary)
    page = client.get(reverse("members:detail", args=[an.pk]))
    assert page.status_code == 200
    assert reverse("members:edit", args=[an.pk]) not in page.content.decode()
    assert client.get(reverse("members:detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("members:edit", args=[an.pk])).status_code == 403
    listed = client.get(reverse("members:list"))
    assert [m.pk for m in listed.context["page"].rows] == [an.pk]


def test_a_viewer_cannot_edit_a_member(client, cast, users, an):
    login(client, users.commune_viewer)
    url = reverse("members:edit", args=[an.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, record_data(an, phone="0912345678")).status_code == 403
    an.refresh_from_db()
    assert an.phone == ""


def test_the_timeline_links_only_organizations_in_scope(client, cast, users, an):
    member_transfer(member=an, on=date(2025, 9, 1), to=cast.sibling_cell)
    login(client, users.sibling_officer)
    response = client.get(reverse("members:detail", args=[an.pk]))
    body = response.content.decode()
    assert cast.cell.name in body  # where they came from, named
    assert reverse("organizations:detail", args=[cast.cell.code]) not in body  # not linked
    assert reverse("organizations:detail", args=[cast.sibling_cell.code]) in body
    login(client, users.commune_officer)
    assert client.get(reverse("members:detail", args=[an.pk])).status_code == 404


# ---------------------------------------------------------------- editing


def test_an_edit_is_saved_and_the_history_shows_it_with_its_reason(client, cast, users, an):
    login(client, users.commune_officer)
    url = reverse("members:edit", args=[an.pk])
    form = client.get(url)
    assert form.status_code == 200
    assert 'value="15/03/1985"' in form.content.decode()  # dates dd/mm/yyyy
    response = client.post(
        url, record_data(an, phone="0912345678", birth_date="16/03/1985",
                         reason="Theo Phiếu bổ sung hồ sơ 2025"),
    )  # fmt: skip
    assert response.status_code == 302
    assert response["Location"] == reverse("members:detail", args=[an.pk])
    an.refresh_from_db()
    assert (an.phone, an.birth_date, an.row_version) == ("0912345678", date(1985, 3, 16), 2)
    page = client.get(reverse("members:detail", args=[an.pk]))
    newest = page.context["history"][0]
    assert newest.record.history_change_reason == "Theo Phiếu bổ sung hồ sơ 2025"
    assert newest.record.history_user == users.commune_officer
    assert ("Điện thoại", "—", "0912345678") in newest.changes
    assert ("Ngày sinh", "15/03/1985", "16/03/1985") in newest.changes
    body = page.content.decode()
    assert "Theo Phiếu bổ sung hồ sơ 2025" in body and "0912345678" in body


def test_a_stale_second_edit_is_refused_and_changes_nothing(client, cast, users, an):
    login(client, users.commune_officer)
    url = reverse("members:edit", args=[an.pk])
    opened = client.get(url).context["form"]["row_version"].value()
    # Two officers open the form on the same version; the first saves.
    first = client.post(url, record_data(an, row_version=opened, phone="0911111111"))
    assert first.status_code == 302
    second = client.post(
        url, record_data(an, row_version=opened, phone="0922222222", workplace="UBND xã")
    )
    assert second.status_code == 200
    body = second.content.decode()
    assert "đã được người khác sửa" in body
    assert 'value="0922222222"' in body and 'value="UBND xã"' in body  # the input is kept
    an.refresh_from_db()
    assert (an.phone, an.workplace, an.row_version) == ("0911111111", "", 2)
    assert an.history.count() == 2


def test_field_errors_from_the_form_and_the_service_show_beside_their_fields(
    client, cast, users, an
):
    register(cast.village_cell, "Trần Thị Bình", party_card_no="B2")
    login(client, users.commune_officer)
    url = reverse("members:edit", args=[an.pk])
    response = client.post(url, record_data(an, citizen_id="12345", birth_date="31/02/1985"))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "birth_date" in errors
    response = client.post(url, record_data(an, citizen_id="12345", party_card_no="B2"))
    errors = response.context["form"].errors
    assert errors["citizen_id"] == ["Số CCCD phải gồm đúng 12 chữ số."]
    assert "B2" in errors["party_card_no"][0]
    assert 'id="id_citizen_id-errors"' in response.content.decode()
    an.refresh_from_db()
    assert an.row_version == 1


# ---------------------------------------------------------------- adding


def add_data(**changes) -> dict:
    return {
        "full_name": "Hà Thị Mai", "gender": "female", "birth_date": "02/09/1990",
        "ethnicity": "01", "admission_decision_no": "45-QĐ/ĐU", "admitted_on": "19/05/2015",
        "ceremony_on": "02/06/2015", "confirmed_on": "02/06/2016", **changes,
    }  # fmt: skip


def test_an_officer_adds_a_member_to_a_cell_and_lands_on_their_page(client, cast, users):
    login(client, users.commune_officer)
    url = reverse("members:add", args=[cast.village_cell.code])
    form = client.get(url)
    assert form.status_code == 200
    assert list(form.context["form"].fields["cell"].choices) == [
        (cast.village_cell.pk, cast.village_cell.name)
    ]
    response = client.post(url, add_data(cell=cast.village_cell.pk))
    member = Member.objects.get(full_name="Hà Thị Mai")
    assert response.status_code == 302
    assert response["Location"] == reverse("members:detail", args=[member.pk])
    assert (member.organization, member.status) == (cast.village_cell, Status.FULL)
    assert (member.admission_decision_no, member.ceremony_on) == ("45-QĐ/ĐU", date(2015, 6, 2))
    # The cell was founded after the ceremony: activity there counts from its founding.
    assert member.affiliations.get().valid_from == cast.village_cell.founded_on
    assert member.history.get().history_user == users.commune_officer


def test_adding_from_a_commune_offers_its_cells_and_refuses_bad_dates(client, cast, users):
    login(client, users.commune_officer)
    url = reverse("members:add", args=[cast.commune.code])
    cells = {pk for pk, _name in client.get(url).context["form"].fields["cell"].choices if pk}
    assert cells == {cast.cell.pk, cast.village_cell.pk}
    response = client.post(url, add_data(cell=cast.cell.pk, ceremony_on="01/01/2015"))
    assert response.status_code == 200
    assert "ceremony_on" in response.context["form"].errors
    assert not Member.objects.exists()
    out_of_scope = client.post(url, add_data(cell=cast.sibling_cell.pk))
    assert "cell" in out_of_scope.context["form"].errors


def test_adding_is_for_officers_in_scope(client, cast, users):
    url = reverse("members:add", args=[cast.cell.code])
    login(client, users.cell_secretary)
    assert client.get(url).status_code == 403
    login(client, users.sibling_officer)
    assert client.get(url).status_code == 404


# ---------------------------------------------------------------- procedures


def test_an_officer_confirms_a_probationary_member(client, cast, users):
    new = register(cast.cell, "Lê Thị Hạnh", admitted_on=date(2024, 9, 2), confirmed=False)
    login(client, users.commune_officer)
    page = client.get(reverse("members:detail", args=[new.pk]))
    assert "Dự bị" in page.content.decode()
    assert reverse("members:confirm", args=[new.pk]) in page.content.decode()
    response = client.post(
        reverse("members:confirm", args=[new.pk]),
        {"on": "16/09/2025", "decision_no": "88-QĐ/ĐU", "decision_date": "01/10/2025"},
    )
    assert response.status_code == 302
    new.refresh_from_db()
    assert (new.status, new.confirmed_on) == (Status.FULL, date(2025, 9, 16))
    event = new.events.get(type=T.CONFIRMED)
    assert (event.decision_no, event.recorded_by) == ("88-QĐ/ĐU", users.commune_officer)


def test_a_refused_procedure_says_why_beside_the_form(client, cast, users, an):
    login(client, users.commune_officer)
    response = client.post(reverse("members:confirm", args=[an.pk]), {"on": "01/10/2025"})
    assert response.status_code == 200
    assert "không phải đảng viên dự bị" in response.content.decode()
    before = client.post(reverse("members:exempt", args=[an.pk]), {"on": "01/01/2009"})
    assert "trước 19/05/2010, ngày quyết định kết nạp" in before.content.decode()
    assert an.events.count() == 2


def test_an_officer_exempts_then_ends_the_exemption(client, cast, users, an):
    login(client, users.commune_officer)
    url = reverse("members:exempt", args=[an.pk])
    assert client.post(url, {"on": "01/09/2025", "decision_no": "3-QĐ/CB"}).status_code == 302
    an.refresh_from_db()
    assert an.is_exempted
    page = client.get(reverse("members:detail", args=[an.pk])).content.decode()
    assert "Miễn sinh hoạt" in page
    assert "Thôi miễn" in client.get(url).content.decode()
    assert client.post(url, {"on": "01/11/2025"}).status_code == 302
    an.refresh_from_db()
    assert not an.is_exempted


def test_an_exit_needs_its_grounds_and_ends_the_activity(client, cast, users, an):
    login(client, users.commune_officer)
    url = reverse("members:exit", args=[an.pk])
    refused = client.post(url, {"type": T.REMOVED, "on": "01/10/2025"})
    assert "grounds" in refused.context["form"].errors
    response = client.post(
        url, {"type": T.REMOVED, "on": "01/10/2025", "decision_no": "9-QĐ/ĐU",
              "grounds": "Bỏ sinh hoạt 3 tháng trong năm"},
    )  # fmt: skip
    assert response.status_code == 302
    an.refresh_from_db()
    assert an.status == Status.LEFT
    assert an.events.get(type=T.REMOVED).note == "Bỏ sinh hoạt 3 tháng trong năm"
    page = client.get(reverse("members:detail", args=[an.pk])).content.decode()
    assert reverse("members:exit", args=[an.pk]) not in page  # no procedures for a leaver


# ---------------------------------------------------------------- admin


def test_the_admin_lists_members_read_only_and_finds_them_by_name_or_card(client, cast, users, an):
    client.force_login(users.admin)
    url = reverse("admin:members_member_changelist")
    for query in ("nguyen van", "A1"):
        response = client.get(url, {"q": query})
        assert response.status_code == 200
        assert "Nguyễn Văn An" in response.content.decode(), query
    assert client.get(reverse("admin:members_member_add")).status_code == 403
    change = client.get(reverse("admin:members_member_change", args=[an.pk]))
    assert change.status_code == 200  # viewable, not editable
    assert 'name="_save"' not in change.content.decode()


def test_a_probationary_members_menu_leads_to_the_confirmation_procedure(client, cast, users):
    member = register(cast.village_cell, "Nông Thị Hiền", admitted_on=date(2026, 3, 2),
                      confirmed=False)  # fmt: skip
    client.force_login(users.commune_officer)
    body = client.get(reverse("members:detail", args=[member.pk])).content.decode()
    assert reverse("admissions:confirmation", args=[member.pk]) in body
    assert "Xét công nhận đảng viên chính thức" in body
