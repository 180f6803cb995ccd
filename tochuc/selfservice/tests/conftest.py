from datetime import timedelta

import pytest
from django.utils import timezone

from tochuc.testing import citizen_id_for, register


@pytest.fixture
def hoa(cast):
    """Lê Thị Hoa, of the school's maths cell (the cell secretary's), with a CCCD and a phone."""
    return register(
        cast.cell, "Lê Thị Hoa", citizen_id=citizen_id_for("hoa"), phone="0912000111",
        gender="female",
    )  # fmt: skip


@pytest.fixture
def binh(cast):
    """Trần Văn Bình, of the commune's village cell."""
    return register(cast.village_cell, "Trần Văn Bình", citizen_id=citizen_id_for("binh"))


@pytest.fixture
def next_week():
    return timezone.localdate() + timedelta(days=7)
