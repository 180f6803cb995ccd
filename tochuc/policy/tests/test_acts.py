"""Dates that make sense (issue 16): the one rule of an act's date, and what it refuses in
the services — the cases of the issue first."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from tochuc.core import audit
from tochuc.lib.dates import (
    add_months,
    date_in_query,
    parse_query_date,
    parse_query_year,
)
from tochuc.members.models import MemberEvent, Status
from tochuc.members.services import member_exempt, member_exit, member_register
from tochuc.organizations.models import Organization
from tochuc.organizations.services import (
    Decision,
    organization_merge,
    organization_move,
    organization_rename,
)
from tochuc.policy.acts import PARTY_FOUNDED, act_date_refusal, check_act_date
from tochuc.policy.calendar import add_working_days
from tochuc.reports import periods
from tochuc.testing import MEMBER_DEFAULTS, register
from tochuc.transfers.models import WorkingAway
from tochuc.transfers.services import temporary_transfer_issue, working_away_record

T = MemberEvent.Type
TODAY = date(2026, 12, 6)
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def an(cast):
    return register(cast.village_cell, "Nguyễn Văn An")


def snapshot(member):
    member.refresh_from_db()
    return (
        member.status, member.is_exempted, member.row_version,
        list(member.events.values_list("type", "on")), audit.last_write_id(),
    )  # fmt: skip


# ---------------------------------------------------------------- the rule


def test_an_act_is_dated_no_later_than_today_unless_scheduled():
    assert check_act_date(TODAY) == TODAY
    with pytest.raises(ValidationError) as refused:
        check_act_date(TODAY + timedelta(days=1), field="decided_on")
    assert refused.value.message_dict == {"decided_on": ["Ngày này không được sau hôm nay."]}
    assert act_date_refusal(date(2027, 6, 1), scheduled=True) is None


def test_a_scheduled_date_lies_no_further_than_the_policy_horizon():
    assert act_date_refusal(date(2036, 12, 6), scheduled=True) is None
    assert act_date_refusal(date(9999, 12, 31), scheduled=True) == (
        "Ngày 31/12/9999 quá xa: ngày dự kiến không quá 10 năm tới (đến 06/12/2036)."
    )


def test_no_act_precedes_the_founding_of_the_party():
    assert date(1930, 2, 3) == PARTY_FOUNDED
    assert act_date_refusal(date(1930, 2, 2)) == (
        "Ngày 02/02/1930 trước ngày thành lập Đảng (03/02/1930)."
    )
    assert act_date_refusal(date(1930, 2, 3)) is None


def test_an_act_names_the_latest_bound_it_precedes():
    bounds = [(date(2010, 1, 1), "ngày thành lập"), (date(2015, 5, 19), "ngày kết nạp")]
    assert act_date_refusal(date(2012, 1, 1), earliest=bounds) == (
        "Ngày 01/01/2012 trước 19/05/2015, ngày kết nạp."
    )


# ---------------------------------------------------------------- the issue's cases


def test_an_exemption_dated_2030_is_refused_and_changes_nothing(an):
    before = snapshot(an)
    with pytest.raises(ValidationError) as refused:
        member_exempt(member=an, on=date(2030, 1, 1))
    assert refused.value.message_dict == {"on": ["Ngày này không được sau hôm nay."]}
    assert snapshot(an) == before
    assert before[:2] == (Status.FULL, False)


def test_a_removal_dated_31_12_9999_is_refused_and_changes_nothing(an):
    before = snapshot(an)
    with pytest.raises(ValidationError) as refused:
        member_exit(member=an, type=T.REMOVED, on=date(9999, 12, 31), grounds="Bỏ sinh hoạt")
    assert "on" in refused.value.message_dict
    assert snapshot(an) == before


def test_a_member_act_before_their_admission_is_refused_beside_its_field(an):
    with pytest.raises(ValidationError) as refused:
        member_exit(
            member=an, type=T.REMOVED, on=date(2012, 1, 1), decision_date=date(2009, 1, 1),
            grounds="Bỏ sinh hoạt",
        )  # fmt: skip
    assert refused.value.message_dict == {
        "decision_date": ["Ngày 01/01/2009 trước 19/05/2010, ngày quyết định kết nạp."]
    }


def test_working_away_from_31_12_9999_is_refused(an):
    with pytest.raises(ValidationError) as refused:
        working_away_record(member=an, place="Bình Dương", starts_on=date(9999, 12, 31),
                            contact="0912345678")  # fmt: skip
    assert refused.value.message_dict == {"starts_on": ["Ngày này không được sau hôm nay."]}
    with pytest.raises(ValidationError) as refused:
        working_away_record(member=an, place="Bình Dương", starts_on=date(2026, 1, 5),
                            ends_on=date(9999, 12, 31), contact="0912345678")  # fmt: skip
    assert "quá xa" in refused.value.message_dict["ends_on"][0]
    assert not WorkingAway.objects.exists()


def test_the_working_away_list_shows_a_stored_start_of_31_12_9999(client, cast, users, an):
    WorkingAway.objects.create(
        member=an, organization=an.organization, place="Bình Dương",
        starts_on=date(9999, 12, 31), contact="0912345678",
    )  # fmt: skip
    client.force_login(users.province_officer)
    page = client.get(reverse("transfers:working_away_list", args=[cast.province.code]))
    assert page.status_code == 200
    [row] = page.context["rows"]
    assert (row.record.member, row.next_check, row.is_due) == (an, date(9999, 12, 31), False)
    assert "Nguyễn Văn An" in page.content.decode()


def test_date_arithmetic_saturates_at_the_last_day():
    assert add_months(date(9999, 12, 31), 3) == date(9999, 12, 31)
    assert add_months(date(1, 1, 31), -1) == date(1, 1, 1)
    assert add_working_days(date(9999, 12, 30), 5) == date(9999, 12, 31)


def test_a_temporary_transfer_may_end_in_the_future_but_not_start_there(cast, an):
    transfer = temporary_transfer_issue(
        member=an, on=date(2026, 12, 1), ends_on=date(2027, 6, 1), purpose="work",
        other_party="Đảng bộ tỉnh Cao Bằng",
    )  # fmt: skip
    assert transfer.ends_on == date(2027, 6, 1)


def test_an_admission_before_the_minimum_age_is_refused(cast):
    with pytest.raises(ValidationError) as refused:
        member_register(
            organization=cast.village_cell,
            record={**MEMBER_DEFAULTS, "full_name": "Lò Văn Trẻ", "birth_date": date(2000, 5, 1)},
            admitted_on=date(2018, 4, 30),
        )  # fmt: skip
    assert refused.value.message_dict["admitted_on"] == [
        "Ngày 30/04/2018 trước 01/05/2018, ngày đủ 18 tuổi (tính theo tháng) theo Quy định "
        "29-QĐ/TW (2016)."
    ]


def test_a_birth_date_before_1880_is_refused(cast):
    with pytest.raises(ValidationError) as refused:
        register(cast.village_cell, "Cụ Già", birth_date=date(1, 1, 1))
    assert refused.value.message_dict["birth_date"] == [
        "Ngày sinh 01/01/1 quá xa (trước 01/01/1880); hãy kiểm tra lại."
    ]


# ---------------------------------------------------------------- restructuring in order


def test_a_rename_dated_before_a_later_merge_is_refused_naming_the_merge(cast):
    organization_merge(
        sources=[cast.cell], into=cast.village_cell, on=date(2025, 10, 1),
        decision=Decision("45-QĐ/ĐU"),
    )  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        organization_rename(organization=cast.village_cell, name="Chi bộ thôn Nà Phái Mới",
                            on=date(2025, 9, 1))  # fmt: skip
    assert refused.value.message_dict["on"] == [
        "Chi bộ thôn Nà Phái đã có sự kiện “Hợp nhất, sáp nhập” có hiệu lực ngày 01/10/2025 "
        "(45-QĐ/ĐU), sau ngày hiệu lực 01/09/2025. Không ghi được sự kiện có hiệu lực trước "
        "một sự kiện đã ghi; hãy ghi các sự kiện theo đúng trình tự thời gian."
    ]
    assert Organization.objects.get(pk=cast.village_cell.pk).name == "Chi bộ thôn Nà Phái"
    organization_rename(organization=cast.village_cell, name="Chi bộ thôn Nà Phái Mới",
                        on=date(2025, 10, 1))  # fmt: skip


def test_founding_or_moving_a_child_does_not_block_an_earlier_change_of_the_parent(cast):
    organization_move(organization=cast.cell, parent=cast.commune, on=date(2025, 10, 1))
    organization_rename(organization=cast.commune, name="Đảng bộ xã Tân An Mới",
                        on=date(2025, 9, 1))  # fmt: skip
    assert Organization.objects.get(pk=cast.commune.pk).name == "Đảng bộ xã Tân An Mới"


def test_a_restructuring_dated_after_today_is_refused(cast):
    with pytest.raises(ValidationError) as refused:
        organization_rename(organization=cast.village_cell, name="Tên mới",
                            on=date(2030, 1, 1))  # fmt: skip
    assert refused.value.message_dict == {"on": ["Ngày này không được sau hôm nay."]}


# ---------------------------------------------------------------- dates in addresses


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("29/02/2023", "“29/02/2023” không phải ngày hợp lệ (dd/mm/yyyy)."),
        ("0000-01-01", "“0000-01-01” không phải ngày hợp lệ (dd/mm/yyyy)."),
        ("31/12/9999", "Ngày 31/12/9999 nằm ngoài khoảng 01/01/1900 – 31/12/2999."),
        ("01/01/0001", "Ngày 01/01/1 nằm ngoài khoảng 01/01/1900 – 31/12/2999."),
    ],
)
def test_a_bad_date_in_an_address_is_a_message(text, message):
    with pytest.raises(ValidationError) as refused:
        parse_query_date(text)
    assert refused.value.messages == [message]
    assert date_in_query({"ngay": text}, "ngay", default=TODAY) == (TODAY, message)


def test_a_year_in_an_address_is_checked_as_a_number_in_range():
    assert parse_query_year("2025") == 2025 and parse_query_year("") is None
    for text in ("0", "9999", "２０２５", "-1", "20x5"):
        with pytest.raises(ValidationError):
            parse_query_year(text, first=1930)
    with pytest.raises(ValidationError):
        periods.parse(start="31/12/9999", end="31/12/9999")


def test_the_report_page_answers_a_bad_date_with_a_message(client, cast, users):
    client.force_login(users.commune_officer)
    for query in ({"ngay": "31/12/9999"}, {"tu": "01/01/0001", "den": "29/02/2023"},
                  {"nam": "0"}, {"quy": "9999-Q4"}):  # fmt: skip
        page = client.get(
            reverse("reports:index"),
            {"bao_cao": "membership", "to_chuc": cast.commune.code, **query},
        )
        assert page.status_code == 200, query
        assert (
            "ngày hợp lệ" in page.content.decode()
            or "nằm ngoài" in page.content.decode()
            or ("năm hợp lệ" in page.content.decode())
        ), query
