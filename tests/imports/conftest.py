import pytest


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Stored import files go to a temporary directory, not var/."""
    settings.MEDIA_ROOT = tmp_path / "media"
