"""Mainland China phone numbers: mobile 1xx xxxx xxxx, landline 0xxx-xxxxxxx.

A mobile is 11 digits starting with 1. A landline's local number is 7 or 8 digits and never
starts with 0 or 1 (0 opens an area code, 1 a mobile or a service number such as 110), with
or without its area code; so 1391234 (a mobile missing digits) is not a phone.
"""

import re

from mains.lib.text import clean_identifier

# ASCII digits only: `\d` would also take full-width and other scripts' digits.
MOBILE = re.compile(r"1[3-9][0-9]{9}")
LOCAL_DIGITS = r"[2-9][0-9]{6,7}"
LANDLINE = re.compile(r"0[0-9]{2,3}-?" + LOCAL_DIGITS)
LOCAL = re.compile(LOCAL_DIGITS)
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
