"""The caller of a work order in templates: masked unless the page needs it, and logged.

An order about a special-group resident shows a user who does not read its details
(`mains.desk.visibility`) its community for the address and a masked caller, whatever that
user revealed. Otherwise the rules of `mains.org.templatetags.pii` apply.
"""

from django import template

from mains.desk.models import WorkOrder
from mains.desk.visibility import community_only, reads_special_group_details
from mains.lib.masking import mask_name, mask_phone
from mains.org.templatetags.pii import phone_link, shown_value

register = template.Library()


def _withheld(order: WorkOrder, kind: str) -> str:
    return {
        "name": mask_name(order.caller_name),
        "phone": mask_phone(order.caller_phone),
        "address": community_only(order),
    }[kind]


@register.simple_tag(takes_context=True)
def caller(context, order: WorkOrder, kind: str) -> str:
    """{% caller order "phone" %}: the caller's name, phone or address, masked unless needed."""
    if not reads_special_group_details(context["request"].user, order):
        return _withheld(order, kind)
    return shown_value(context, order, kind, order.community if kind == "address" else None)


@register.simple_tag(takes_context=True)
def caller_phone(context, order: WorkOrder):
    """{% caller_phone order %}: the caller's phone, a `tel:` link only when shown in full."""
    return phone_link(order, caller(context, order, "phone"))
