"""Mainland China phone numbers: mobile 1xx xxxx xxxx, landline 0xxx-xxxxxxx."""

import re

from mains.lib.text import clean_identifier

# ASCII digits only: `\d` would also take full-width and other scripts' digits.
MOBILE = re.compile(r"1[3-9][0-9]{9}")
LANDLINE = re.compile(r"0[0-9]{2,3}-?[0-9]{7,8}")
LOCAL = re.compile(r"[0-9]{7,8}")
_DASHES = re.compile(r"[‐‑‒–—―−﹣]")


def normalise_phone(raw: str) -> str:
    """ASCII digits (１３７ is 137), no spaces, brackets or leading +86; keep one dash."""
    text = _DASHES.sub("-", clean_identifier(raw))
    text = re.sub(r"[()\[\]]", "", text)
    if text.startswith("+86"):
        text = text[3:]
    elif text.startswith("0086"):
        text = text[4:]
    return text


def is_valid_phone(phone: str) -> bool:
    return any(p.fullmatch(phone) for p in (MOBILE, LANDLINE, LOCAL))
