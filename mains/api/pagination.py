"""The one pagination envelope of the API's lists: total, limit, offset and the items."""

from collections.abc import Callable
from typing import Any, Protocol

from django.db.models import QuerySet
from ninja import Schema


class Envelope(Schema):
    """The fields every page of a list answers with, beside its `items`."""

    total: int
    limit: int
    offset: int


class Window(Protocol):
    limit: int
    offset: int


def one_page(found: QuerySet, window: Window, present: Callable[[Any], dict]) -> dict:
    """The page of `found` that `window` asks for, each row as `present` shows it, and the
    count over all pages."""
    rows = found[window.offset : window.offset + window.limit]
    return {
        "total": found.count(),
        "limit": window.limit,
        "offset": window.offset,
        "items": [present(row) for row in rows],
    }
