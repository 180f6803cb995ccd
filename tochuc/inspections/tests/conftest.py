"""The inspections cast: three members of the commune's village cell (two full, one
probationary) and one of the sibling commune, and helpers recording through the services."""

from datetime import date

import pytest

from tochuc.inspections import services
from tochuc.testing import register


@pytest.fixture
def members(cast):
    from types import SimpleNamespace

    return SimpleNamespace(
        an=register(cast.village_cell, "Hoàng Văn An", citizen_id="001085000001"),
        binh=register(cast.village_cell, "Lục Thị Bình", citizen_id="001085000002"),
        cuong=register(
            cast.village_cell,
            "Nông Văn Cường",
            admitted_on=date(2025, 8, 1),
            confirmed=False,
            citizen_id="001085000003",
        ),  # fmt: skip
        sibling=register(cast.sibling_cell, "Vi Thị Dung", citizen_id="001085000004"),
    )


@pytest.fixture
def discipline(cast, users):
    """Record a discipline decided by the commune's inspection commission."""

    def record(subject, form, decision_no="01-QĐ/UBKT", on=date(2026, 3, 2), **extra):
        key = "subject_member" if hasattr(subject, "full_name") else "subject_organization"
        return services.discipline_decide(
            authority=cast.commune, body="commission", form=form, decision_no=decision_no,
            decided_on=on, effective_on=on, reasons="Vi phạm quy định về những điều đảng "
            "viên không được làm.", by=users.commune_officer, **{key: subject}, **extra,
        )  # fmt: skip

    return record


@pytest.fixture
def inspect(cast, users):
    """Record a supervision or an inspection conducted by `conductor` (the commune)."""

    def record(subject, *, body="committee", activity="supervision", decision_no="05-KH/ĐU",
               starts_on=date(2026, 2, 10), conductor=None, **extra):  # fmt: skip
        key = "subject_member" if hasattr(subject, "full_name") else "subject_organization"
        return services.inspection_record(
            conductor=conductor or cast.commune, body=body, activity=activity, kind="regular",
            starts_on=starts_on, ends_on=starts_on, decision_no=decision_no,
            by=users.commune_officer, **{key: subject}, **extra,
        )  # fmt: skip

    return record
