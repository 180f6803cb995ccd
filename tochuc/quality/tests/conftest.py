"""The quality cast: the village cell (Chi bộ thôn Nà Phái) holds Lâm Thị Hoa, entered
twice (the second time as "Lâm Thi Hoa", without citizen ID), and two other members; the
school's cell holds one member whose record lacks a birthplace."""

from datetime import date

import pytest

from tochuc.quality.models import Scan
from tochuc.quality.scan import scan_run
from tochuc.testing import register

FULL = {"birthplace": "Xã Hoàng Đồng, Lạng Sơn", "hometown": "Xã Hoàng Đồng, Lạng Sơn",
        "general_education": "12/12"}  # fmt: skip
BORN = date(1988, 4, 12)


@pytest.fixture
def village(cast):
    hoa = register(cast.village_cell, "Lâm Thị Hoa", birth_date=BORN, gender="female",
                   citizen_id="020188000101", **FULL)  # fmt: skip
    twice = register(cast.village_cell, "Lâm Thi Hoa", birth_date=BORN, gender="female", **FULL)
    tuan = register(cast.village_cell, "Hoàng Văn Tuấn", citizen_id="020188000102", **FULL)
    lan = register(cast.cell, "Nông Thị Lan", gender="female", citizen_id="020188000103",
                   **{**FULL, "birthplace": ""})  # fmt: skip
    return {"hoa": hoa, "twice": twice, "tuan": tuan, "lan": lan}


def scan(organization) -> Scan:
    return scan_run(
        Scan.objects.create(
            organization=organization,
            org_path=organization.path,
            state=Scan.State.QUEUED,
            on=date.today(),
        )  # fmt: skip
    )
