"""Residents' personal data in templates: masked unless the page needs it, and logged.

The page says what it needs in `sees_pii_of` (`mains.org.pii.needed`: subject → purpose).
A phone is a `tel:` link only when the real number is shown; a masked one is text. The
callers of work orders have their own tags, which add the desk's rules (`order_pii`).
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


def shown_value(context, obj, kind: str, community=None) -> str:
    """`obj`'s name, phone or address as the page's user may see it (logged if unmasked)."""
    value = personal_value(obj, kind)
    purpose = _purpose(context, obj)
    return show(context["request"], subject_of(obj), kind, value, purpose, community=community)


def phone_link(obj, shown: str):
    """A `tel:` link when the phone is shown in full; masked, plain text."""
    if shown and shown == personal_value(obj, "phone") and "*" not in shown:
        return format_html('<a href="tel:{}">{}</a>', shown, shown)
    return shown


@register.simple_tag(takes_context=True)
def resident(context, person, kind: str) -> str:
    """{% resident r "name" %}: a special-group resident's name, phone or address."""
    return shown_value(context, person, kind)


@register.simple_tag(takes_context=True)
def resident_phone(context, person):
    """{% resident_phone r %}: the resident's phone, a `tel:` link only when shown in full."""
    return phone_link(person, shown_value(context, person, "phone"))


@register.filter
def masked_name(value: str) -> str:
    return mask_name(value or "")


@register.filter
def masked_phone(value: str) -> str:
    return mask_phone(value or "")
