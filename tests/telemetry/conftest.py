import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _telemetry_in_tmp(settings, tmp_path):
    settings.TELEMETRY_DIR = tmp_path / "telemetry"


@pytest.fixture(autouse=True)
def _in_english():
    # Messages are asserted in the source language; translations come later.
    with translation.override("en"):
        yield


@pytest.fixture
def client(client, settings):
    """Pages in English, whatever translations exist."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
