"""Readings that arrive as JSON (MQTT payloads; the API's schema says the same in pydantic).

A file's cell is text and is read as a number; a JSON value has a type, and only a JSON
number (an integer or a finite decimal) or null is a reading. ``true`` would otherwise be
read as 1.0 and ``"12"`` as 12.0: a pressure of 0.0 MPa from ``false`` raises a false
low-pressure alarm. NaN and Infinity, which Python's JSON reader lets through, are refused.
"""

import json
import math

from django.utils.translation import gettext as _

VALUE_FIELDS = ("flow_m3h", "pressure_mpa")


def value_refusal(name: str, value) -> str | None:
    """Why `value` is not a reading's number, or None when it is one (or null)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        shown = json.dumps(value, ensure_ascii=False)
        if len(shown) > 40:
            shown = shown[:39] + "…"
        return _("%(name)s must be a JSON number or null, not %(value)s") % {
            "name": name,
            "value": shown,
        }
    if isinstance(value, float) and not math.isfinite(value):
        return _("%(name)s must be a finite number, not %(value)s") % {
            "name": name,
            "value": value,
        }
    return None


def reading_refusal(data: dict) -> str | None:
    """The first reason why a reading's values are not numbers, or None."""
    for name in VALUE_FIELDS:
        reason = value_refusal(name, data.get(name))
        if reason is not None:
            return reason
    return None
