"""What the home page's tests share: a signed-in browser and a probe panel that records
which organizations it was computed for."""

import pytest
from django.test import Client

from tochuc.core.dashboard import PANELS, register_panel
from tochuc.testing import PASSWORD


@pytest.fixture
def home():
    """`home(user)`: a browser signed in as the user."""

    def signed_in(user) -> Client:
        browser = Client()
        browser.login(username=user.username, password=PASSWORD)
        return browser

    return signed_in


@pytest.fixture
def computed(monkeypatch):
    """The organizations whose probe panel was computed, in order."""
    calls = []

    def counting(request, organization, on):
        calls.append(organization.code)
        return {"counts": None}

    monkeypatch.setitem(PANELS, "probe", PANELS["organization"])
    register_panel("probe", "core/_panel_organization.html", counting)
    return calls
