"""The demo's planted defects: copies under spelling variants are found as pairs."""

import random

import pytest

from tochuc.quality import demo
from tochuc.quality.models import DuplicatePair
from tochuc.testing import register

from .conftest import scan

pytestmark = pytest.mark.django_db

NAMES = ["Hoàng Văn Hải", "Lục Thị Mai", "Nông Văn Tuấn", "Vi Thị Hoa", "Lăng Văn Dũng"]


def test_the_demo_plants_copies_that_the_scan_pairs_with_their_originals(cast, monkeypatch):
    for n, name in enumerate(NAMES, start=1):
        register(cast.village_cell, name, citizen_id=f"0200850001{n:02d}", hometown="Lạng Sơn")
    monkeypatch.setattr(demo, "DUPLICATES", 3)
    copies = demo.plant_duplicates(cast.province, random.Random("demo"))
    assert copies == 3
    done = scan(cast.province)
    assert done.records == 8
    assert DuplicatePair.objects.count() == 3


def test_a_variant_is_a_plausible_misspelling():
    rng = random.Random(1)
    variants = {demo.variant("Lâm Thị Hoa", rng) for _ in range(20)}
    assert variants <= {"Lam Thi Hoa", "Lâm Thị Hoa", "Lâm Thị Hpa", "Thị Hoa Lâm"}
    assert len(variants) >= 2
