"""The typed columns of an import, and the one parser that reads every importer's rows."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from tochuc.accounts.access import Scope
from tochuc.imports import columns, registry
from tochuc.lib import xlsx
from tochuc.organizations.models import GrassrootsType, Kind

TODAY = date(2026, 6, 1)


def refusal(column, value, **kwargs) -> str:
    with pytest.raises(columns.CellError) as error:
        column.parse(value, **kwargs)
    return str(error.value)


# ---------------------------------------------------------------- text


def test_text_is_cleaned_to_nfc_with_single_spaces():
    name = columns.Text("name", "Tên")
    decomposed = "Chi bo\u0302\u0323  tho\u0302n   Na\u0300"  # as some keyboards type it
    assert name.parse(decomposed) == "Chi bộ thôn Nà"
    assert name.parse(12.0) == "12"


def test_text_refuses_a_long_value_or_one_off_its_pattern():
    code = columns.Text("code", "Mã", max_length=5, pattern=r"[A-Z0-9.]+",
                        pattern_message="Mã “%(value)s” sai.")  # fmt: skip
    assert code.parse("T01.X") == "T01.X"
    assert refusal(code, "T01.X01") == "Dài quá 5 ký tự."
    assert refusal(code, "T 1") == "Mã “T 1” sai."


# ---------------------------------------------------------------- choice


def test_a_choice_matches_its_label_or_code_whatever_accents_case_and_spaces():
    kind = columns.Choice("kind", "Loại tổ chức", vocabulary=Kind)
    assert kind.parse("Chi bộ cơ sở") == Kind.BASE_CELL
    assert kind.parse("CHI BO CO SO") == Kind.BASE_CELL
    assert kind.parse("  chi  bộ   cơ sở ") == Kind.BASE_CELL
    assert kind.parse("base_cell") == Kind.BASE_CELL
    assert kind.parse("Đảng bộ xã, phường, đặc khu") == Kind.COMMUNE
    assert kind.parse("dang bo xa phuong dac khu") == Kind.COMMUNE


def test_a_choice_takes_synonyms_and_refuses_what_is_not_in_the_vocabulary():
    kind = columns.Choice("type", "Loại hình cơ sở", vocabulary=GrassrootsType,
                          synonyms={"Thôn bản": GrassrootsType.VILLAGE})  # fmt: skip
    assert kind.parse("thon ban") == GrassrootsType.VILLAGE
    assert kind.choices[0] == GrassrootsType.COMMUNE.label  # the template lists the labels
    assert refusal(kind, "Hợp tác xã nông nghiệp") == (
        "“Hợp tác xã nông nghiệp” không có trong danh mục Loại hình cơ sở."
    )


# ---------------------------------------------------------------- date


def test_a_date_is_read_from_text_or_an_excel_date_cell():
    day = columns.Date("on", "Ngày")
    assert day.parse("01/07/2025", today=TODAY) == date(2025, 7, 1)
    assert day.parse("1/7/2025", today=TODAY) == date(2025, 7, 1)
    assert day.parse("2025-07-01", today=TODAY) == date(2025, 7, 1)
    assert day.parse(datetime(2025, 7, 1, 0, 0), today=TODAY) == date(2025, 7, 1)
    assert day.parse(date(2025, 7, 1), today=TODAY) == date(2025, 7, 1)


def test_a_date_that_is_no_date_or_out_of_the_acts_bounds_is_refused():
    day = columns.Date("on", "Ngày")
    assert refusal(day, "31/02/2025", today=TODAY) == (
        "“31/02/2025” không phải ngày hợp lệ (dd/mm/yyyy)."
    )
    assert refusal(day, 45000, today=TODAY) == "“45000” không phải ngày hợp lệ (dd/mm/yyyy)."
    assert refusal(day, "02/06/2026", today=TODAY) == "Ngày này không được sau hôm nay."
    assert refusal(day, "01/01/1920", today=TODAY).startswith(
        "Ngày 01/01/1920 trước ngày thành lập Đảng"
    )


def test_an_unbounded_date_such_as_a_birth_date_may_precede_the_partys_founding():
    born = columns.Date("birth_date", "Ngày sinh", bounded=False)
    assert born.parse("15/03/1925", today=TODAY) == date(1925, 3, 15)
    assert refusal(born, "31/02/1925", today=TODAY) == (
        "“31/02/1925” không phải ngày hợp lệ (dd/mm/yyyy)."
    )


@pytest.mark.django_db
def test_a_scheduled_date_may_be_later_than_today():
    assert columns.Date("on", "Ngày", scheduled=True).parse("01/09/2026", today=TODAY) == date(
        2026, 9, 1
    )


# ---------------------------------------------------------------- number


def test_a_number_is_read_whole_or_with_decimals_the_vietnamese_way():
    count = columns.Number("n", "Số", minimum=0, maximum=100_000)
    assert count.parse(66024) == 66024
    assert count.parse(66024.0) == 66024
    assert count.parse("66.024") == count.parse("66024") == count.parse(" 66 024 ") == 66024
    rate = columns.Number("r", "Tỷ lệ", decimals=1)
    assert rate.parse("2,5") == Decimal("2.5")
    assert rate.parse("1.234,5") == Decimal("1234.5")


def test_a_number_that_is_no_number_or_out_of_bounds_is_refused():
    count = columns.Number("n", "Số", minimum=0, maximum=100_000)
    assert refusal(count, "mười") == "“mười” không phải số."
    assert refusal(count, "1,5") == "Phải là số nguyên."
    assert refusal(count, -1) == "Không được nhỏ hơn 0."
    assert refusal(count, 100_001) == "Không được lớn hơn 100.000."
    assert refusal(count, "NaN") == "“NaN” không phải số."
    assert refusal(columns.Number("r", "Tỷ lệ", decimals=1), "2,55") == (
        "Tối đa 1 chữ số sau dấu phẩy."
    )


# ---------------------------------------------------------------- the parser


COLUMNS = [
    columns.Text("name", "Tên", required=True, max_length=20),
    columns.Choice("kind", "Loại tổ chức", vocabulary=Kind),
    columns.Date("on", "Ngày sinh", required=True),
    columns.Number("count", "Số đảng viên", minimum=0),
]


def table(*rows: dict) -> xlsx.Table:
    return xlsx.Table("Dữ liệu", 1, COLUMNS, [xlsx.Row(n, v) for n, v in enumerate(rows, 2)])


def test_the_parser_reports_each_bad_cell_by_row_and_column_in_vietnamese():
    plan = registry.Plan()
    parsed = columns.parse_rows(
        table(
            {"name": "Chi bộ 1", "kind": "chi bo co so", "on": "01/07/2025", "count": "12"},
            {"name": "", "kind": "Hội", "on": "32/13/2025", "count": "-3"},
        ),
        COLUMNS, plan, today=TODAY,
    )  # fmt: skip
    assert parsed[0].ok
    assert parsed[0].values == {"name": "Chi bộ 1", "kind": Kind.BASE_CELL,
                                "on": date(2025, 7, 1), "count": 12}  # fmt: skip
    assert not parsed[1].ok
    assert [str(e) for e in plan.errors] == [
        "Dòng 3, cột “Tên”: Chưa ghi (cột bắt buộc).",
        "Dòng 3, cột “Loại tổ chức”: “Hội” không có trong danh mục Loại tổ chức.",
        "Dòng 3, cột “Ngày sinh”: “32/13/2025” không phải ngày hợp lệ (dd/mm/yyyy).",
        "Dòng 3, cột “Số đảng viên”: Không được nhỏ hơn 0.",
    ]


def test_the_same_bad_value_is_reported_on_every_row_that_holds_it():
    plan = registry.Plan()
    columns.parse_rows(
        table(*[{"name": "A", "on": "01/07/2099"} for _ in range(3)]), COLUMNS, plan, today=TODAY
    )
    assert [(e.row, e.message) for e in plan.errors] == [
        (n, "Ngày này không được sau hôm nay.") for n in (2, 3, 4)
    ]


@pytest.mark.django_db
def test_a_code_is_found_within_the_scope_and_one_outside_it_reads_as_missing(cast, users):
    parent = columns.CodeInScope("parent", "Mã cấp trên")
    plan = registry.Plan()
    rows = xlsx.Table("Dữ liệu", 1, [parent], [
        xlsx.Row(2, {"parent": cast.commune.code}),
        xlsx.Row(3, {"parent": cast.other_commune.code}),
        xlsx.Row(4, {"parent": "KHONGCO"}),
    ])  # fmt: skip
    parsed = columns.parse_rows(rows, [parent], plan, scope=Scope.for_user(users.commune_officer))
    assert parsed[0].found["parent"] == cast.commune
    assert [str(e) for e in plan.errors] == [
        f"Dòng 3, cột “Mã cấp trên”: Không tìm thấy tổ chức mã “{cast.other_commune.code}”.",
        "Dòng 4, cột “Mã cấp trên”: Không tìm thấy tổ chức mã “KHONGCO”.",
    ]
