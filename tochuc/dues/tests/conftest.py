"""The dues cast: in the school's cell (Tổ Toán) a teacher on a salary and a retired teacher
on a pension; in the village cell (Nà Phái) a farmer paying the fixed amount and a veteran
of more than 50 years of party age (exempt); in the sibling commune's cell one farmer."""

from datetime import date
from types import SimpleNamespace

import pytest

from tochuc.dues import services
from tochuc.testing import register

NOVEMBER = date(2026, 11, 1)
TODAY = date(2026, 12, 6)


@pytest.fixture
def people(cast, users):
    teacher = register(cast.cell, "Hoàng Văn An", citizen_id="001085000011")
    retired = register(cast.cell, "Lục Thị Bình", citizen_id="001085000012")
    farmer = register(cast.village_cell, "Nông Văn Cường", citizen_id="001085000013")
    veteran = register(
        cast.village_cell, "Vi Văn Dũng", admitted_on=date(1968, 3, 3), citizen_id="001045000014"
    )
    sibling = register(cast.sibling_cell, "Lường Thị Én", citizen_id="001085000015")
    by = users.commune_officer
    services.dues_basis_set(member=teacher, month=date(2025, 7, 1), category="salary",
                            basis=8_000_000, by=by, today=TODAY)  # fmt: skip
    services.dues_basis_set(member=retired, month=date(2025, 7, 1), category="pension",
                            basis=5_000_000, by=by, today=TODAY)  # fmt: skip
    services.dues_basis_set(member=farmer, month=date(2025, 7, 1), category="other", by=by,
                            today=TODAY)  # fmt: skip
    return SimpleNamespace(teacher=teacher, retired=retired, farmer=farmer, veteran=veteran,
                           sibling=sibling)  # fmt: skip


@pytest.fixture
def collect_all(users):
    """The whole roll of `cell` pays the month on the 10th."""

    def collect(cell, month=NOVEMBER, **extra):
        return services.dues_collect_all_except(
            organization=cell, month=month, except_ids=extra.pop("except_ids", ()),
            paid_on=month.replace(day=10), by=users.commune_officer, today=TODAY, **extra,
        )  # fmt: skip

    return collect
