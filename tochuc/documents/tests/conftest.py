"""The registry's cast: documents of the Centre registered by the province, and helpers."""

from datetime import date

import pytest

from tochuc.documents import services


@pytest.fixture
def registered(cast, users):
    """Register a document at `organization` (the province by default)."""

    def record(number, title, *, on=date(2024, 6, 14), organization=None, **extra):
        return services.document_register(
            organization=organization or cast.province,
            number=number,
            issued_on=on,
            title=title,
            by=users.province_officer,
            **extra,
        )

    return record


@pytest.fixture
def directive_35(registered):
    return registered(
        "35-CT/TW",
        "Chỉ thị của Bộ Chính trị về đại hội đảng bộ các cấp tiến tới Đại hội "
        "đại biểu toàn quốc lần thứ XIV của Đảng",
        summary="Chuẩn bị nhân sự cấp ủy.",
    )
