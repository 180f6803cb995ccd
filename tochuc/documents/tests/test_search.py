"""The search, accent-insensitive, and the filters (SQLite: LIKE on the folded text;
PostgreSQL: full text on it)."""

from datetime import date

import pytest

from tochuc.documents import selectors, services
from tochuc.documents.selectors import DocumentFilters

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(cast, registered, directive_35):
    registered("350-QĐ/TW", "Quy định về công tác văn thư", on=date(2020, 3, 1))
    registered(
        "04-CTr/TU", "Chương trình hành động thực hiện Nghị quyết Đại hội", on=date(2025, 11, 3)
    )
    registered("16-HD/BTCTW", "Hướng dẫn về công tác phát triển đảng viên", on=date(2023, 7, 1))
    return directive_35


def _numbers(organization, **filters):
    return [
        d.number
        for d in selectors.document_list(
            organization=organization, filters=DocumentFilters(**filters)
        )
    ]


def test_chi_thi_35_without_accents_finds_35_ct_tw_only(cast, registry):
    assert _numbers(cast.province, text="chi thi 35") == ["35-CT/TW"]
    assert _numbers(cast.province, text="Chỉ thị số 35") == []  # "số" is not in its text
    assert _numbers(cast.province, text="35-CT/TW") == ["35-CT/TW"]
    assert _numbers(cast.province, text="dai hoi") == ["04-CTr/TU", "35-CT/TW"]
    assert _numbers(cast.province, text="phat trien dang vien") == ["16-HD/BTCTW"]


def test_the_filters_by_kind_issuer_year_and_validity(cast, registered, registry):
    assert _numbers(cast.province, kind="HD") == ["16-HD/BTCTW"]
    assert _numbers(cast.province, issuer="TU") == ["04-CTr/TU"]
    assert _numbers(cast.province, year=2024) == ["35-CT/TW"]
    newer = registered("45-CT/TW", "Chỉ thị về đại hội nhiệm kỳ 2025-2030", on=date(2025, 4, 14))
    services.document_link(source=newer, target=registry, relation="replaces")
    assert _numbers(cast.province, validity="replaced") == ["35-CT/TW"]
    assert "35-CT/TW" not in _numbers(cast.province, validity="in_force")


def test_a_commune_sees_the_provinces_documents_but_not_its_secret_ones_nor_a_siblings(
    cast, registered, registry
):
    registered("07-NQ/TU", "Nghị quyết mật", classification="secret")
    services.document_issue(
        issuer=cast.sibling_commune,
        kind="KH",
        issued_on=date(2025, 9, 1),
        title="Kế hoạch của xã Tân Bình",
    )
    seen = _numbers(cast.commune)
    assert "35-CT/TW" in seen and "07-NQ/TU" not in seen and "01-KH/ĐU" not in seen
    assert "01-KH/ĐU" in _numbers(cast.sibling_commune)


def test_a_plenums_resolution_is_registered_and_found_by_its_prose(cast, registered):
    registered(
        "NQ TW4 khóa XII", "Về tăng cường xây dựng, chỉnh đốn Đảng; ngăn chặn, đẩy lùi sự suy "
        "thoái về tư tưởng chính trị, đạo đức, lối sống", on=date(2016, 10, 30),
    )  # fmt: skip
    assert _numbers(cast.commune, text="nghi quyet trung uong 4 khoa xii") == [
        "Nghị quyết Trung ương 4 khóa XII"
    ]
