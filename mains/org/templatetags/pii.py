"""Residents' personal data in templates: masked unless the page needs it, and logged.

The page says what it needs in `sees_pii_of` (`mains.org.pii.needed`: subject → purpose).
A phone is a `tel:` link only when the real number is shown; a masked one is text.
"""

from django import template
from django.utils.html import format_html

from mains.lib.masking import mask_name, mask_phone
from mains.org.pii import Purpose, personal_value, show, subject_of

register = template.Library()


def _purpose(context, obj) -> str | None:
    granted = context.get("sees_pii_of") or {}
    if isinstance(granted, dict):
        return granted.get(subject_of(obj))
    return Purpose.WORKING if obj.pk in granted else None  # a set of order ids


def _shown(context, obj, kind: str) -> str:
    value = personal_value(obj, kind)
    return show(context["request"], subject_of(obj), kind, value, _purpose(context, obj))


def _phone(context, obj):
    value = personal_value(obj, "phone")
    shown = _shown(context, obj, "phone")
    if shown and shown == value and "*" not in shown:
        return format_html('<a href="tel:{}">{}</a>', shown, shown)
    return shown


@register.simple_tag(takes_context=True)
def caller(context, order, kind: str) -> str:
    """{% caller order "phone" %}: the caller's name, phone or address, masked unless needed."""
    return _shown(context, order, kind)


@register.simple_tag(takes_context=True)
def caller_phone(context, order):
    """{% caller_phone order %}: the caller's phone, a `tel:` link only when shown in full."""
    return _phone(context, order)


@register.simple_tag(takes_context=True)
def resident(context, person, kind: str) -> str:
    """{% resident r "name" %}: a special-group resident's name, phone or address."""
    return _shown(context, person, kind)


@register.simple_tag(takes_context=True)
def resident_phone(context, person):
    """{% resident_phone r %}: the resident's phone, a `tel:` link only when shown in full."""
    return _phone(context, person)


@register.filter
def masked_name(value: str) -> str:
    return mask_name(value or "")


@register.filter
def masked_phone(value: str) -> str:
    return mask_phone(value or "")
