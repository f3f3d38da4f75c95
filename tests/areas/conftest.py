import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _messages_in_english():
    """Tests read the import's messages in the source language, whatever gets translated."""
    with translation.override("en"):
        yield
