"""The demo step registers the documents the rules cite and links them."""

from datetime import date

import pytest

from tochuc.documents import selectors
from tochuc.documents.demo import seed_documents
from tochuc.documents.models import Receipt, Validity

pytestmark = pytest.mark.django_db


def test_the_demo_registry_holds_the_rules_sources_and_their_validity(cast):
    made = seed_documents(cast.province, cast.commune, today=date(2026, 11, 20))
    # Founded 1/7/2025: 17 months of a plan and a report (November's report on the 25th is
    # after the 20th), and a notice every even month (8).
    assert made == {"documents": 17, "receipts": 2, "issued": 33 + 8}
    assert selectors.Document.objects.get(
        issued_by=cast.commune, kind="BC", year=2026, seq=10
    ).issued_on == date(2026, 10, 25)
    found = selectors.document_list(
        organization=cast.commune, filters=selectors.DocumentFilters(text="chi thi 35")
    )
    assert [d.number for d in found] == ["35-CT/TW"]
    replaced = selectors.document_list(
        organization=cast.province, filters=selectors.DocumentFilters(validity=Validity.REPLACED)
    )
    assert {d.number for d in replaced} == {
        "45-QĐ/TW", "29-QĐ/TW", "24-QĐ/TW", "232-QĐ/TW", "132-QĐ/TW", "124-QĐ/TW", "342-QĐ/TW",
    }  # fmt: skip
    assert Receipt.objects.filter(read_at__isnull=False).count() == 1
