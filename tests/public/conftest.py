"""Residents' pages: a clean rate-limit slate per test, and photos made on the spot."""

import io

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def png_bytes(width: int = 8, height: int = 8) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (30, 120, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def photo():
    def make(name: str = "leak.png", content: bytes | None = None, content_type="image/png"):
        return SimpleUploadedFile(name, png_bytes() if content is None else content, content_type)

    return make


@pytest.fixture
def report(city):
    """What a resident of 星光水晶城 types into the report form."""
    return {
        "category": str(city.leak.pk),
        "description": "3号楼楼道水表一直在滴水",
        "address": "3号楼2单元501",
        "phone": "138 1234 5678",
    }
