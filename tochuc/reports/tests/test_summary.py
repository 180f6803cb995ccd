"""Report 4: the narrative, with exactly the fixture's figures, the Vietnamese way."""

import pytest

from tochuc.reports import periods, registry
from tochuc.reports.numbers import ratio_percent, vn_int, vn_percent

from .fixtures import events_2026, people_2025, targets_2026

pytestmark = pytest.mark.django_db


def test_numbers_are_written_the_vietnamese_way():
    assert vn_int(2053) == "2.053"
    assert vn_int(66024) == "66.024"
    assert vn_int(5600000) == "5.600.000"
    assert vn_int(-12) == "-12"
    assert vn_percent(ratio_percent(2053, 2013, digits=0)) == "102%"
    assert vn_percent(ratio_percent(1, 40)) == "2,5%"
    assert vn_percent(ratio_percent(3, 6)) == "50%"
    assert ratio_percent(1, 0) is None


def test_the_narrative_of_the_commune_for_2026(cast):
    events_2026(cast, people_2025(cast))
    targets_2026(cast)
    data = registry.build("summary", cast.commune, periods.year(2026))
    assert data.paragraphs == [
        "Năm 2026, toàn Đảng bộ kết nạp 1 đảng viên (đạt 50% chỉ tiêu), nâng tổng số đảng "
        "viên lên 6 đồng chí; toàn Đảng bộ có 2 tổ chức cơ sở đảng và 1 tổ chức đảng trực "
        "thuộc đảng ủy cơ sở.",
        "Trong tổng số đảng viên có 5 đảng viên chính thức (83,3%), 1 đảng viên dự bị "
        "(16,7%), 3 đảng viên nữ (50%), 2 đảng viên là người dân tộc thiểu số (33,3%), "
        "1 đảng viên có đạo (16,7%).",
        "Trong kỳ, toàn Đảng bộ đã công nhận đảng viên chính thức cho 1 đồng chí, tiếp nhận "
        "1 đảng viên chuyển sinh hoạt đến, chuyển sinh hoạt đi cho 1 đảng viên.",
        "Giảm trong kỳ: xóa tên 1 đảng viên.",
    ]


def test_only_sentences_whose_data_exist_are_written(cast):
    people_2025(cast)
    # The sibling commune in 2025: Khánh only, no admission, no target, no movement.
    data = registry.build("summary", cast.sibling_commune, periods.year(2025))
    assert data.paragraphs == [
        "Năm 2025, toàn Đảng bộ có 1 đảng viên; toàn Đảng bộ có 1 tổ chức cơ sở đảng.",
        "Trong tổng số đảng viên có 1 đảng viên chính thức (100%).",
        "Lưu ý: số đảng viên cuối kỳ (1) chênh lệch 1 so với số tính từ đầu kỳ và biến động "
        "trong kỳ (0); cần rà soát hồ sơ.",
    ]


def test_without_a_target_the_admission_sentence_has_no_percentage(cast):
    events_2026(cast, people_2025(cast))
    data = registry.build("summary", cast.commune, periods.year(2026))
    assert data.paragraphs[0].startswith(
        "Năm 2026, toàn Đảng bộ kết nạp 1 đảng viên, nâng tổng số đảng viên lên 6 đồng chí;"
    )
