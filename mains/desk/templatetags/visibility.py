"""{% order_description o as text %}: what this user may read of an order (desk.visibility)."""

from django import template

from mains.desk.visibility import description_for, reads_special_group_details, resolution_for

register = template.Library()


@register.simple_tag(takes_context=True)
def order_description(context, order) -> str:
    return description_for(context["request"].user, order)


@register.simple_tag(takes_context=True)
def order_resolution(context, order) -> str:
    return resolution_for(context["request"].user, order)


@register.simple_tag(takes_context=True)
def reads_details(context, order) -> bool:
    """{% reads_details order as details %}: may the user read the order's notes and files?"""
    return reads_special_group_details(context["request"].user, order)
