"""The meetings cast: five members in the village cell (Chi bộ thôn Nà Phái, a grassroots
cell of the commune), three in the school's cell (Chi bộ Tổ Toán), and a meeting helper."""

from datetime import date

import pytest

from tochuc.meetings import services
from tochuc.testing import register

VILLAGE = ["Nông Thị Bích", "Hoàng Văn Cường", "Vy Văn Đức", "Lục Thị Mai", "Bế Văn Nam"]
SCHOOL = ["Hà Thị Lan", "Chu Văn Khánh", "Triệu Thị Hằng"]


@pytest.fixture
def village(cast):
    return [
        register(cast.village_cell, name, citizen_id=f"0010850003{n:02d}")
        for n, name in enumerate(VILLAGE, start=1)
    ]


@pytest.fixture
def school(cast):
    return [
        register(cast.cell, name, citizen_id=f"0010850004{n:02d}")
        for n, name in enumerate(SCHOOL, start=1)
    ]


def hold(cell, on: date, kind="regular", marks=None, by=None, **fields):
    return services.meeting_record(
        organization=cell, held_on=on, kind=kind, marks=marks or {}, by=by, **fields
    )


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Attachments are written under a throw-away MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
