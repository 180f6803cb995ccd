"""Outgoing numbers under concurrency (PostgreSQL: real concurrent transactions): officers
issuing at the same moment in one series get different, consecutive numbers."""

import threading
from datetime import date

import pytest
from django.db import connection

from tochuc.documents import services
from tochuc.documents.models import Document


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writes: PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_four_officers_issuing_at_once_get_four_different_numbers(cast):
    barrier, errors = threading.Barrier(4), []

    def issue():
        try:
            barrier.wait()
            services.document_issue(
                issuer=cast.commune, kind="KH", issued_on=date(2026, 3, 2), title="Kế hoạch"
            )
        except Exception as error:  # noqa: BLE001 — reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(Document.objects.filter(issued_by=cast.commune).values_list("seq", flat=True))
    assert numbers == [1, 2, 3, 4]
