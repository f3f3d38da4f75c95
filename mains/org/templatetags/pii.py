from django import template

from mains.desk.visibility import community_only, reads_special_group_details
from mains.lib.masking import mask_name, mask_phone
from mains.org.pii import show

register = template.Library()


@register.simple_tag(takes_context=True)
def caller(context, order, kind: str) -> str:
    """{% caller order "phone" %}: the caller's name, phone or address, masked unless needed.

    A special-group order shows a user who does not read its details (mains.desk.visibility)
    its community for the address and a masked caller, whatever that user revealed.
    """
    request = context["request"]
    if not reads_special_group_details(request.user, order):
        withheld = {
            "name": mask_name(order.caller_name),
            "phone": mask_phone(order.caller_phone),
            "address": community_only(order),
        }
        return withheld[kind]
    value = {"name": order.caller_name, "phone": order.caller_phone, "address": order.address}[kind]
    needs_it = bool(context.get("sees_pii_of", set()) and order.pk in context["sees_pii_of"])
    community = order.community if kind == "address" else None
    return show(request, f"order:{order.pk}", kind, value, needs_it, community)


@register.filter
def masked_name(value: str) -> str:
    from mains.lib.masking import mask_name

    return mask_name(value or "")


@register.filter
def masked_phone(value: str) -> str:
    from mains.lib.masking import mask_phone

    return mask_phone(value or "")
