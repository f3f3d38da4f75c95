import pytest


@pytest.fixture(autouse=True)
def _telemetry_in_tmp(settings, tmp_path):
    settings.TELEMETRY_DIR = tmp_path / "telemetry"
