"""Mainland China phone numbers: mobile 1xx xxxx xxxx, landline 0xxx-xxxxxxx."""

import re

MOBILE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")
LOCAL = re.compile(r"^\d{7,8}$")


def normalise_phone(raw: str) -> str:
    """Drop spaces, brackets and a leading +86; keep digits and one dash."""
    text = re.sub(r"[\s()（）]", "", raw.strip())
    if text.startswith("+86"):
        text = text[3:]
    elif text.startswith("0086"):
        text = text[4:]
    return text


def is_valid_phone(phone: str) -> bool:
    return bool(MOBILE.match(phone) or LANDLINE.match(phone) or LOCAL.match(phone))
