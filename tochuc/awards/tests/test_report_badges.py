"""The report "badges": per occasion and organization directly under the chosen one, the
members newly due, proposed, decided and awarded."""

import pytest

from tochuc.reports import periods, registry

pytestmark = pytest.mark.django_db


def test_the_commune_report_counts_each_occasion_per_organization(cast, veterans, cycle):
    cycle([veterans.an, veterans.binh])
    data = registry.build("badges", cast.commune, periods.year(2026))
    table = data.table("badges")
    rows = {(r["occasion"], r["organization"]): r for r in table.rows}
    assert len(table.rows) == 4 * 2  # four occasions × the school's committee, the village cell
    may = rows[("19/05/2026", "Chi bộ thôn Nà Phái")]
    assert (may["due"], may["proposed"]) == (1, 0)  # Chiến, 30 years on 2/5/2026
    village = rows[("02/09/2026", "Chi bộ thôn Nà Phái")]
    school = rows[("02/09/2026", "Đảng bộ Trường THPT Tân An")]
    assert (village["due"], village["proposed"], village["decided"], village["awarded"]) == (
        1, 1, 1, 1,
    )  # fmt: skip
    assert (school["due"], school["awarded"]) == (1, 1)  # Bình, 40 years on 1/7/2026
    assert table.totals["due"] == 3 and table.totals["awarded"] == 2
    assert "3 đảng viên đến hạn" in data.paragraphs[0]
