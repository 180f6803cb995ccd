from datetime import timedelta

import pytest
from django.utils import timezone

from tochuc.testing import register


@pytest.fixture
def token_for():
    """token_for(user) → the secret of a new token of that user (90 days)."""
    from tochuc.api.services import token_create

    def make(user):
        return token_create(
            user=user, name="thử", expires_on=timezone.localdate() + timedelta(days=90), by=user
        )[1]

    return make


@pytest.fixture
def people(cast):
    """Members in three cells: two Nguyễn Văn in the commune, one in the sibling commune."""
    return {
        "an": register(cast.cell, "Nguyễn Văn An"),
        "binh": register(cast.village_cell, "Nguyễn Văn Bình"),
        "cuong": register(cast.village_cell, "Trần Thị Cúc"),
        "sibling": register(cast.sibling_cell, "Nguyễn Văn Dũng"),
    }
