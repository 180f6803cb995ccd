"""The home page's panel "Sinh hoạt chi bộ tháng này" (`month_panel`) counts in the database
what `cells_on`, `due_cells` and `figures` list cell by cell: the same cells (the tree on the
day), the same rule, the same attendance and the same first cells due, on dates around a cell
dissolved mid-month, one founded this month and cells renamed (ordered by their name then)."""

from datetime import date

import pytest

from tochuc.meetings import selectors
from tochuc.meetings.dashboard import PANEL_SIZE, month_panel
from tochuc.meetings.services import Counts
from tochuc.organizations.models import Kind
from tochuc.organizations.services import organization_dissolve, organization_rename
from tochuc.testing import found

from .conftest import hold

pytestmark = pytest.mark.django_db
DATES = (
    date(2025, 6, 30), date(2025, 7, 1), date(2026, 10, 31), date(2026, 11, 1),
    date(2026, 11, 4), date(2026, 11, 14), date(2026, 11, 15), date(2026, 11, 17),
    date(2026, 11, 18), date(2026, 11, 20), date(2026, 11, 30),
)  # fmt: skip


def cell_by_cell(organization, on):
    """The panel as it was computed before: every cell, its due state and its figures."""
    cells = selectors.cells_on(organization, on)
    if not cells:
        return None
    due = selectors.due_cells(organization, on)
    not_met = [d for d in due if d.regular_missing]
    total = selectors.Figures()
    for item in selectors.figures(organization, selectors.month_start(on), on):
        total.add(item.total)
    return {
        "meetings_cells": len(cells),
        "meetings_not_met": len(not_met),
        "meetings_no_thematic": sum(1 for d in due if d.thematic_missing),
        "meetings_held": total.held,
        "meetings_rate": round(100 * total.present / total.expected) if total.expected else None,
        "meetings_due": [(d.cell.code, d.cell.name) for d in not_met[:PANEL_SIZE]],
        "meetings_more": max(len(not_met) - PANEL_SIZE, 0),
    }


@pytest.fixture
def november(cast):
    """Nine cells "Chi bộ tổ 1…9" in Tân Bình since 2025; Khòn Lèng dissolved on 15/11/2026,
    Bản Mới founded on 10/11/2026; Nà Phái renamed on 5/11/2026, "tổ 9" renamed "Chi bộ An
    Lạc" on 18/11/2026. Meetings: Tổ Toán's regular on 3/11 and thematic on 20/10, Nà Phái's
    regular on 8/10 and thematic on 12/11, Khòn Lèng's regular on 4/11, tổ 1's on 6/11."""
    tos = [
        found(
            f"T01.X02.TO{n}",
            f"Chi bộ tổ {n}",
            Kind.BASE_CELL,
            cast.sibling_commune,
            on=date(2025, 8, 1),
        )  # fmt: skip
        for n in range(1, 10)
    ]
    hold(cast.cell, date(2026, 10, 20), kind="thematic", figures=Counts(4, 1, 1))
    hold(cast.cell, date(2026, 11, 3), figures=Counts(5, 1, 0))
    hold(cast.village_cell, date(2026, 10, 8), figures=Counts(3, 0, 2))
    hold(cast.village_cell, date(2026, 11, 12), kind="thematic", figures=Counts(4, 0, 1))
    hold(cast.sibling_cell, date(2026, 11, 4), figures=Counts(2, 0, 0))
    hold(tos[0], date(2026, 11, 6), figures=Counts(7, 0, 3))
    organization_rename(organization=cast.village_cell, name="Chi bộ thôn Nà Phái Mới",
                        on=date(2026, 11, 5))  # fmt: skip
    organization_dissolve(organization=cast.sibling_cell, on=date(2026, 11, 15))
    found("T01.X02.BANMOI", "Chi bộ thôn Bản Mới", Kind.BASE_CELL, cast.sibling_commune,
          on=date(2026, 11, 10))  # fmt: skip
    organization_rename(organization=tos[8], name="Chi bộ An Lạc", on=date(2026, 11, 18))


def test_the_panel_counts_what_the_cells_list(cast, november):
    for organization in (cast.province, cast.commune, cast.sibling_commune, cast.cell,
                         cast.village_cell, cast.other_province):  # fmt: skip
        for on in DATES:
            assert month_panel(None, organization, on) == cell_by_cell(organization, on), (
                organization, on,
            )  # fmt: skip


def test_on_the_twentieth_the_dissolved_cell_is_gone_and_the_renamed_ones_go_by_their_names(
    cast, november
):
    panel = month_panel(None, cast.province, date(2026, 11, 20))
    # Tổ Toán, Nà Phái, Bản Mới and the nine of Tân Bình; Khòn Lèng ended on 15/11.
    assert panel["meetings_cells"] == 12
    assert panel["meetings_not_met"] == 10  # all but Tổ Toán and tổ 1
    assert panel["meetings_no_thematic"] == 10  # all but Tổ Toán and Nà Phái
    assert panel["meetings_held"] == 3  # Khòn Lèng's meeting went with the cell
    assert panel["meetings_rate"] == round(100 * (5 + 4 + 7) / (6 + 5 + 10))
    assert [name for _code, name in panel["meetings_due"]] == [
        "Chi bộ An Lạc", "Chi bộ thôn Bản Mới", "Chi bộ thôn Nà Phái Mới", "Chi bộ tổ 2",
        "Chi bộ tổ 3", "Chi bộ tổ 4", "Chi bộ tổ 5", "Chi bộ tổ 6",
    ]  # fmt: skip
    assert panel["meetings_more"] == 2


def test_before_the_renaming_a_cell_goes_by_its_name_then(cast, november):
    due = month_panel(None, cast.province, date(2026, 11, 4))["meetings_due"]
    # Khòn Lèng and Tổ Toán have met; "tổ 9" is not yet "An Lạc" (and not among the first).
    assert [name for _code, name in due][:3] == [
        "Chi bộ thôn Nà Phái", "Chi bộ tổ 1", "Chi bộ tổ 2",
    ]  # fmt: skip
    assert "Chi bộ An Lạc" not in [name for _code, name in due]


def test_a_day_before_any_cell_shows_no_panel(cast):
    assert month_panel(None, cast.province, date(2025, 6, 30)) is None
