"""Hand-computed fixtures for the reports, on the named cast (tochuc/testing.py).

The commune "Đảng bộ xã Tân An" on 31/12/2025 (ages counted on that day):

  Chi bộ thôn Nà Phái (base cell)
    Nguyễn Văn An     nam, 1985 (40), Kinh                           chính thức
    Hoàng Thị Bích    nữ,  1990 (35), Tày, 12/12, đại học, trung cấp  chính thức
    Lý Văn Cường      nam, 1960 (65), Nùng, Phật giáo, 7/10, sơ cấp   chính thức
    Vi Thị Dung       nữ,  2000 (25), Tày — kết nạp 01/09/2025        dự bị
    (Đàm Văn Hải      từ trần 01/10/2025: counted on 30/09/2025, not on 31/12/2025)
  Đảng bộ Trường THPT Tân An (base committee) › Chi bộ Tổ Toán (cell)
    Trần Văn Em       nam, 1975 (50), Kinh, 12/12, thạc sĩ, cao cấp   chính thức
    Phạm Thị Giang    nữ,  31/12/1995 (30 that very day), Kinh, Công giáo, đại học

In 2026: Giang moves to Nà Phái (10/02, inside the commune), Em moves to the sibling
commune (05/03), Lò Văn Khánh comes from the sibling commune (01/04), Mai Văn Lâm is
admitted (19/05/2026), Cường is removed (30/06), Dung is confirmed (15/09).
"""

from datetime import date

from tochuc.members.services import member_confirm, member_exit, member_transfer
from tochuc.organizations.models import Organization, OrganizationVersion
from tochuc.reports import periods
from tochuc.statistics import sources
from tochuc.statistics.reports import movement as movement_report
from tochuc.testing import register

T = "died"


def people_2025(cast) -> dict:
    village, toan = cast.village_cell, cast.cell
    people = {
        "an": register(village, "Nguyễn Văn An"),
        "bich": register(
            village, "Hoàng Thị Bích", gender="female", birth_date=date(1990, 6, 1),
            ethnicity="02", general_education="12/12", qualification="dai_hoc",
            political_theory="trung_cap",
        ),
        "cuong": register(
            village, "Lý Văn Cường", birth_date=date(1960, 1, 10), ethnicity="07",
            religion="phat_giao", general_education="7/10", political_theory="so_cap",
        ),
        "dung": register(
            village, "Vi Thị Dung", gender="female", birth_date=date(2000, 2, 2),
            ethnicity="02", admitted_on=date(2025, 9, 1), confirmed=False,
        ),
        "hai": register(village, "Đàm Văn Hải", birth_date=date(1950, 7, 7)),
        "em": register(
            toan, "Trần Văn Em", birth_date=date(1975, 5, 5), general_education="12/12",
            qualification="thac_si", political_theory="cao_cap",
        ),
        "giang": register(
            toan, "Phạm Thị Giang", gender="female", birth_date=date(1995, 12, 31),
            admitted_on=date(2014, 3, 1),  # of age (18 by month) on the decision
            religion="cong_giao", qualification="dai_hoc",
        ),
        "khanh": register(cast.sibling_cell, "Lò Văn Khánh"),
    }  # fmt: skip
    member_exit(member=people["hai"], type="died", on=date(2025, 10, 1))
    return people


def events_2026(cast, people) -> dict:
    member_transfer(member=people["giang"], on=date(2026, 2, 10), to=cast.village_cell)
    member_transfer(member=people["em"], on=date(2026, 3, 5), to=cast.sibling_cell)
    member_transfer(member=people["khanh"], on=date(2026, 4, 1), to=cast.village_cell)
    people["lam"] = register(
        cast.village_cell, "Mai Văn Lâm", admitted_on=date(2026, 5, 19), confirmed=False
    )
    member_exit(member=people["cuong"], type="removed", on=date(2026, 6, 30))
    member_confirm(member=people["dung"], on=date(2026, 9, 15))
    return people


def targets_2026(cast) -> None:
    from tochuc.admissions.models import AdmissionTarget

    AdmissionTarget.objects.create(organization=cast.commune, year=2026, target=2)
    AdmissionTarget.objects.create(organization=cast.village_cell, year=2026, target=1)


# ---------------------------------------------------------------- the balance everywhere


def all_periods():
    """Every year and quarter from 2021 to this year."""
    last = date.today().year
    years = [periods.year(y) for y in range(2021, last + 1)]
    quarters = [periods.quarter(y, q) for y in range(2021, last + 1) for q in range(1, 5)]
    return years + quarters


def imbalances(root: Organization) -> list[tuple]:
    """(period, organization, difference) for every node that has children at some time
    (its children's rows, the root's own members' row among them), in every year and
    quarter from 2021 to this year. A node's whole balance is the sum of its children's
    rows (a move between two children is out of one and into the other), so it balances
    when they all do: not computed again."""
    parents = {root.pk} | set(
        OrganizationVersion.objects.filter(path__startswith=root.path)
        .exclude(parent=None)
        .values_list("parent_id", flat=True)
    )
    found_wrong = []
    organizations = Organization.objects.in_bulk(parents)
    for period in all_periods():
        for organization in organizations.values():
            span = sources.Span(organization, period.before, period.end)
            if not span.root_versions:
                continue
            by_child = sources.movement(span, period.start, period.end, by_child=True)
            for key, counts in by_child.items():
                difference = counts["end"] - movement_report.expected_end(counts)
                if difference:
                    found_wrong.append((period.label(), key, difference))
    return found_wrong
