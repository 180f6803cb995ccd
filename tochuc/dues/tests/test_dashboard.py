"""The home page's due line (`dues_panel`) counts in the database what `cell_states` lists
cell by cell: the same cells (the tree at each month's end), the same reported sheets, the
same first names, on dates around a cell dissolved mid-month and one founded this month."""

from datetime import date

import pytest

from tochuc.dues import selectors
from tochuc.dues.dashboard import PANEL_SIZE, dues_panel
from tochuc.dues.models import DuesSheet
from tochuc.lib.dates import add_months
from tochuc.organizations.models import Kind
from tochuc.organizations.services import organization_dissolve
from tochuc.policy.dues import first_of_month
from tochuc.testing import found

pytestmark = pytest.mark.django_db
DATES = (
    date(2025, 6, 30), date(2025, 7, 1), date(2025, 8, 3), date(2026, 10, 31),
    date(2026, 11, 14), date(2026, 11, 15), date(2026, 11, 30), date(2026, 12, 1),
)  # fmt: skip


def cell_by_cell(organization, on):
    """The panel as it was computed before: every cell's state, this month and last."""
    month = first_of_month(on)
    this = selectors.cell_states(organization=organization, month=month)
    if not this:
        return None
    last = selectors.cell_states(organization=organization, month=add_months(month, -1))
    return {
        "month": month,
        "cells": len(this),
        "unreported": sum(1 for s in this if not s.reported),
        "last_month": add_months(month, -1),
        "last_unreported": sum(1 for s in last if not s.reported),
        "first": [s.organization.name for s in this if not s.reported][:PANEL_SIZE],
    }


def sheet(cell, month, reported_on=None):
    return DuesSheet.objects.create(organization=cell, month=month, reported_on=reported_on)


@pytest.fixture
def november(cast):
    """Tổ Toán reported October and November; Nà Phái opened November's sheet without
    reporting it; Khòn Lèng reported October and was dissolved on 15/11/2026; Bản Mới was
    founded on 10/11/2026, and six cells of Tân Bình in 2025 (more than the panel names)."""
    sheet(cast.cell, date(2026, 10, 1), date(2026, 11, 2))
    sheet(cast.cell, date(2026, 11, 1), date(2026, 11, 28))
    sheet(cast.village_cell, date(2026, 11, 1))
    sheet(cast.sibling_cell, date(2026, 10, 1), date(2026, 11, 3))
    organization_dissolve(organization=cast.sibling_cell, on=date(2026, 11, 15))
    found("T01.X02.BANMOI", "Chi bộ thôn Bản Mới", Kind.BASE_CELL, cast.sibling_commune,
          on=date(2026, 11, 10))  # fmt: skip
    for n in range(1, 7):
        found(f"T01.X02.TO{n}", f"Chi bộ tổ {n}", Kind.BASE_CELL, cast.sibling_commune,
              on=date(2025, 8, 1))  # fmt: skip


def test_the_panel_counts_what_the_cells_states_list(cast, november):
    for organization in (cast.province, cast.commune, cast.sibling_commune, cast.cell,
                         cast.other_province):  # fmt: skip
        for on in DATES:
            assert dues_panel(None, organization, on) == cell_by_cell(organization, on), (
                organization, on,
            )  # fmt: skip


def test_in_november_the_dissolved_cell_is_gone_and_the_new_one_counts(cast, november):
    panel = dues_panel(None, cast.province, date(2026, 11, 20))
    # Tổ Toán, Nà Phái, Bản Mới and the six cells of Tân Bình; Khòn Lèng ended on 15/11.
    assert panel["cells"] == 9
    assert panel["unreported"] == 8
    assert panel["first"] == [
        "Chi bộ thôn Bản Mới", "Chi bộ thôn Nà Phái", "Chi bộ tổ 1", "Chi bộ tổ 2",
        "Chi bộ tổ 3",
    ]  # fmt: skip
    # October: Tổ Toán, Nà Phái, Khòn Lèng and the six; Tổ Toán and Khòn Lèng reported.
    assert panel["last_unreported"] == 7


def test_a_month_before_any_cell_shows_no_panel(cast):
    assert dues_panel(None, cast.province, date(2025, 6, 30)) is None
