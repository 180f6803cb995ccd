"""The admissions cast: the school's cell with seven full members (the cell of the cast's
cell secretary), and a helper that carries a candidate through the steps on given dates."""

from datetime import date

import pytest

from tochuc.admissions import services
from tochuc.admissions.models import Stage
from tochuc.testing import register

CELL_MEMBERS = [
    "Hoàng Văn Hải",
    "Lục Thị Mai",
    "Nông Văn Tuấn",
    "Vi Thị Hoa",
    "Lăng Văn Dũng",
    "Hà Thị Lan",
    "Chu Văn Khánh",
]
WORKED_SINCE = date(2024, 1, 2)


@pytest.fixture
def cell_members(cast):
    """Seven full members of Chi bộ Tổ Toán (in the cell since 1/7/2025)."""
    return [
        register(cast.cell, name, citizen_id=f"0010850000{n:02d}")
        for n, name in enumerate(CELL_MEMBERS, start=1)
    ]


RECORD = {
    "full_name": "Đinh Thị Ngọc",
    "gender": "female",
    "birth_date": date(2000, 4, 12),
    "ethnicity": "02",
    "occupation": "Giáo viên",
    "workplace": "Trường THPT Tân An",
}

# The steps' dates of a candidate carried through in the autumn of 2025.
DATES = {
    Stage.IDENTIFIED: date(2025, 8, 4),
    Stage.TRAINED: date(2025, 9, 5),
    Stage.APPLIED: date(2025, 9, 15),
    Stage.INTRODUCED: date(2025, 9, 22),
    Stage.VERIFIED: date(2025, 10, 20),
    Stage.CELL_APPROVED: date(2025, 11, 3),
    Stage.COMMITTEE_APPROVED: date(2025, 11, 10),
    Stage.DECIDED: date(2025, 12, 1),
    Stage.ADMITTED: date(2025, 12, 19),
}


def carry(candidate, introducers, up_to: str, dates=DATES, votes=(6, 1), by=None):
    """Carry `candidate` through every step after its current one, up to `up_to`."""
    steps = list(DATES)
    start = steps.index(candidate.stage) + 1
    for stage in steps[start : steps.index(up_to) + 1]:
        on = dates[stage]
        if stage == Stage.TRAINED:
            candidate = services.candidate_record_course(
                candidate=candidate, certificate_no="125-GCN/TTCT", on=on, by=by
            )
        elif stage == Stage.APPLIED:
            candidate = services.candidate_apply(candidate=candidate, on=on, by=by)
        elif stage == Stage.INTRODUCED:
            for member in introducers:
                services.candidate_add_introducer(
                    candidate=candidate,
                    member=member,
                    worked_with_from=WORKED_SINCE,
                    on=on,
                    by=by,
                )
            candidate.refresh_from_db()
        elif stage == Stage.VERIFIED:
            candidate = services.candidate_verify(
                candidate=candidate, on=on, conclusion="Lý lịch rõ ràng", by=by
            )
        elif stage == Stage.CELL_APPROVED:
            candidate = services.candidate_cell_resolution(
                candidate=candidate,
                on=on,
                resolution_no="05-NQ/CB",
                votes_for=votes[0],
                votes_against=votes[1],
                by=by,
            )
        elif stage == Stage.COMMITTEE_APPROVED:
            candidate = services.candidate_committee_resolution(
                candidate=candidate, on=on, resolution_no="12-NQ/ĐU", by=by
            )
        elif stage == Stage.DECIDED:
            candidate = services.candidate_decide(
                candidate=candidate,
                on=on,
                decision_no="215-QĐ/ĐU",
                decided_by="Ban Thường vụ Đảng ủy xã Tân An",
                by=by,
            )
        elif stage == Stage.ADMITTED:
            services.candidate_ceremony(candidate=candidate, on=on, by=by)
            candidate.refresh_from_db()
    return candidate


@pytest.fixture
def identify(cast):
    def make(record=None, on=DATES[Stage.IDENTIFIED], cell=None):
        return services.candidate_identify(
            cell=cell or cast.cell, record={**RECORD, **(record or {})}, on=on
        )

    return make
