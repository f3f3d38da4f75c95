"""The form fields every form uses for what people type (the rules are in mains.lib.text).

A plain `forms.CharField` keeps bidi and zero-width characters; a test walks every form
of mains and refuses one, so a new form gets the cleaning without anyone remembering it.
"""

from django import forms

from mains.lib.phones import clean_phone_value
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


class PhoneField(forms.CharField):
    """A mobile or landline number, stored with ASCII digits whatever digits were typed."""

    def clean(self, value):
        return clean_phone_value(super().clean(value), required=self.required)
