"""Residents' personal data in templates: masked unless the page needs it, and logged.

The page says what it needs in `sees_pii_of` (`mains.org.pii.needed`: subject → purpose).
A phone is a `tel:` link only when the real number is shown; a masked one is text. An order
about a special-group resident shows a user who does not read its details
(`mains.desk.visibility`) its community for the address and a masked caller, whatever that
user revealed.
"""

from django import template
from django.utils.html import format_html

from mains.desk.models import WorkOrder
from mains.desk.visibility import community_only, reads_special_group_details
from mains.lib.masking import mask_name, mask_phone
from mains.org.pii import Purpose, personal_value, show, subject_of

register = template.Library()


def _purpose(context, obj) -> str | None:
    granted = context.get("sees_pii_of") or {}
    if isinstance(granted, dict):
        return granted.get(subject_of(obj))
    return Purpose.WORKING if obj.pk in granted else None  # a set of order ids


def _withheld(order: WorkOrder, kind: str) -> str:
    return {
        "name": mask_name(order.caller_name),
        "phone": mask_phone(order.caller_phone),
        "address": community_only(order),
    }[kind]


def _shown(context, obj, kind: str) -> str:
    request = context["request"]
    community = None
    if isinstance(obj, WorkOrder):
        if not reads_special_group_details(request.user, obj):
            return _withheld(obj, kind)
        community = obj.community if kind == "address" else None
    value = personal_value(obj, kind)
    return show(request, subject_of(obj), kind, value, _purpose(context, obj), community=community)


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
