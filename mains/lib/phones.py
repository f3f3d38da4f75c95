"""Mainland China phone numbers: mobile 1xx xxxx xxxx, landline 0xxx-xxxxxxx.

A mobile is 11 digits starting with 1. A landline's local number is 7 or 8 digits and never
starts with 0 or 1 (0 opens an area code, 1 a mobile or a service number such as 110), with
or without its area code; so 1391234 (a mobile missing digits) is not a phone.
"""

import re

from django import forms
from django.utils.translation import gettext as _

from mains.lib.text import clean_identifier, clean_line

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


def clean_phone_value(raw: str, required: bool = False) -> str:
    """A phone number as it is stored (13812345678, 0635-8221234), or a ValidationError."""
    phone = normalise_phone(raw or "")
    if not phone:
        if required:
            raise forms.ValidationError(_("Enter the caller's phone number."))
        return ""
    if not is_valid_phone(phone):
        raise forms.ValidationError(
            _(
                "“%(phone)s” is not a phone number: use 11 digits for a mobile "
                "(13812345678) or an area code and number for a landline (0635-8221234)."
            )
            % {"phone": clean_line(raw)}
        )
    return phone
