"""Village and residential-area cells have types of their own in the classification of
grassroots organizations, read from their names; "Khác" is left for what is neither."""

import importlib

import pytest
from django.apps import apps

from tochuc.organizations.models import GrassrootsType, settlement_type

migration = importlib.import_module(
    "tochuc.organizations.migrations.0002_grassroots_village_and_residential"
)


@pytest.mark.parametrize(
    ("name", "gtype"),
    [
        ("Chi bộ thôn Nà Phái", GrassrootsType.VILLAGE),
        ("Chi bộ bản Khòn Lèng", GrassrootsType.VILLAGE),
        ("Chi bộ Khối 3", GrassrootsType.RESIDENTIAL),
        ("Chi bộ khu 12", GrassrootsType.RESIDENTIAL),
        ("Chi bộ Tổ dân phố 5", GrassrootsType.RESIDENTIAL),
        ("Chi bộ Khu phố Mới", GrassrootsType.RESIDENTIAL),
        ("Chi bộ Tổ Toán", ""),
        ("Chi bộ Ban Tổ chức Tỉnh ủy", ""),
        ("Chi bộ Khối cơ quan xã", ""),
        ("Đảng bộ thôn Nà Phái", ""),
    ],
)
def test_a_cell_name_says_whether_it_is_a_village_or_a_residential_area(name, gtype):
    assert settlement_type(name) == gtype


def test_upgrading_reclassifies_the_village_cells_recorded_as_other(cast):
    assert cast.village_cell.grassroots_type == GrassrootsType.OTHER
    migration.classify_settlement_cells(apps, None)
    cast.village_cell.refresh_from_db()
    cast.base.refresh_from_db()
    assert cast.village_cell.grassroots_type == GrassrootsType.VILLAGE
    assert cast.base.grassroots_type == GrassrootsType.PUBLIC_SERVICE
