"""The ratings cast: twelve members in the school's cell (Chi bộ Tổ Toán, under the
grassroots Đảng bộ Trường THPT Tân An), three in the village cell (Chi bộ thôn Nà Phái, a
grassroots cell), and helpers that carry a subject through the steps."""

from datetime import date
from decimal import Decimal

import pytest

from tochuc.ratings import services
from tochuc.ratings.models import Level
from tochuc.testing import register

SCHOOL = [
    "Hoàng Văn Hải", "Lục Thị Mai", "Nông Văn Tuấn", "Vi Thị Hoa", "Lăng Văn Dũng",
    "Hà Thị Lan", "Chu Văn Khánh", "Triệu Thị Hằng", "Mã Văn Long", "Đinh Thị Thu",
    "Bế Văn Nam", "La Thị Xuân", "Lương Văn Sơn",
]  # fmt: skip
VILLAGE = ["Nông Thị Bích", "Hoàng Văn Cường", "Vy Văn Đức"]
SELF_ON, PROPOSED_ON, DECIDED_ON = date(2025, 12, 10), date(2025, 12, 15), date(2025, 12, 22)
# A score per level: the member sheet's four criteria (30, 50, 10, 10) filled to it.
SCORES = {
    Level.EXCELLENT: ["28", "45", "9", "10"],  # 92
    Level.GOOD: ["24", "40", "8", "8"],  # 80
    Level.DONE: ["18", "30", "6", "6"],  # 60
    Level.NOT_DONE: ["12", "20", "4", "4"],  # 40
}


@pytest.fixture
def school(cast):
    return [
        register(cast.cell, name, citizen_id=f"0010850001{n:02d}")
        for n, name in enumerate(SCHOOL, start=1)
    ]


@pytest.fixture
def village(cast):
    return [
        register(cast.village_cell, name, citizen_id=f"0010850002{n:02d}")
        for n, name in enumerate(VILLAGE, start=1)
    ]


def subject_of(session, member):
    return session.subjects.get(member=member)


def carry(subject, level: str, *, decide: str | None = None, decision_no="01-QĐ/ĐU", by=None):
    """Self-assess at `level`'s score, propose `level`, and decide `decide` (or `level`);
    `decide=""` stops after the proposal."""
    scores = [Decimal(s) for s in SCORES[level]]
    if subject.kind == "organization":
        scores = [Decimal(s) for s in ("18", "18", "36", "18")]  # 90
    subject = services.rating_self_assess(subject=subject, scores=scores, on=SELF_ON, by=by)
    subject = services.rating_propose(subject=subject, level=level, on=PROPOSED_ON, by=by)
    if decide == "":
        return subject
    return services.rating_decide(
        subject=subject, level=decide or level, decision_no=decision_no, decided_on=DECIDED_ON,
        by=by,
    )  # fmt: skip
