"""The one phone rule of mains (mains.lib.phones), which every form, import and API uses."""

import pytest
from django import forms

from mains.lib.phones import clean_phone_value, is_valid_phone

PHONES = [
    # (as typed, stored as, why)
    ("13812341234", "13812341234", "a mobile: 11 digits starting with 1"),
    ("+86 138 1234 1234", "13812341234", "a mobile with the country code"),
    ("１３８１２３４１２３４", "13812341234", "a mobile typed with full-width digits"),
    ("0635-8221234", "0635-8221234", "a landline with its area code"),
    ("06358221234", "06358221234", "a landline with its area code, no dash"),
    ("010-62345678", "010-62345678", "an 8-digit landline in Beijing"),
    ("8221234", "8221234", "a 7-digit local number"),
    ("62345678", "62345678", "an 8-digit local number"),
    ("1391234", None, "7 digits starting with 1: a mobile missing digits"),
    ("13912345", None, "8 digits starting with 1: a mobile missing digits"),
    ("1391234567", None, "10 digits: a mobile one digit short"),
    ("139123456789", None, "12 digits: a mobile one digit too many"),
    ("12812341234", None, "11 digits, but no mobile starts with 12"),
    ("0635-1234567", None, "a local number after an area code cannot start with 1"),
    ("0635-0234567", None, "nor with 0"),
    ("0234567", None, "a local number cannot start with 0"),
    ("12345", None, "too short for anything"),
    ("8221-234", None, "a dash where no area code ends"),
]


@pytest.mark.parametrize(("typed", "stored", "why"), PHONES, ids=[p[2] for p in PHONES])
def test_a_phone_is_accepted_only_when_it_can_be_one(typed, stored, why):
    if stored is None:
        with pytest.raises(forms.ValidationError):
            clean_phone_value(typed)
    else:
        assert clean_phone_value(typed) == stored
        assert is_valid_phone(stored)


@pytest.mark.parametrize("phone", ["1391234", "13912345", "0635-1234567"])
def test_the_stored_rule_refuses_what_the_form_refuses(phone):
    assert not is_valid_phone(phone)
