"""The form fields every form uses for what people type (the rules are in mains.lib.text).

A plain `forms.CharField` keeps bidi and zero-width characters; a test walks every form
of mains and refuses one, so a new form gets the cleaning without anyone remembering it.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from mains.lib.phones import is_valid_phone, normalise_phone
from mains.lib.text import clean_identifier, clean_line, clean_prose


class _CleanedField(forms.CharField):
    @staticmethod
    def clean_text(value: str) -> str:
        raise NotImplementedError

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        return self.clean_text(value)


class LineField(_CleanedField):
    """A name, an address, a title: one line, invisible characters removed."""

    clean_text = staticmethod(clean_line)


class ProseField(_CleanedField):
    """A description, note or reason: line breaks kept, invisible characters removed."""

    clean_text = staticmethod(clean_prose)


class IdentifierField(_CleanedField):
    """An order number, a code or digits: NFKC and ASCII digits, no spaces."""

    clean_text = staticmethod(clean_identifier)


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


class PhoneField(forms.CharField):
    """A mobile or landline number, stored with ASCII digits whatever digits were typed."""

    def clean(self, value):
        return clean_phone_value(super().clean(value), required=self.required)
