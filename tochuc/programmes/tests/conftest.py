import pytest


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Attachments are written under a throw-away MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
