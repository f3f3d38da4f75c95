"""The specialist's cards: {% card_alarm o as alarm %} and {{ text|rounded_figures }}."""

from django import template

from mains.desk.worklist import alarm_of, rounded_text

register = template.Library()


@register.simple_tag
def card_alarm(order):
    """The alarm that raised an order of the network watch (prefetched), or None."""
    return alarm_of(order)


@register.filter
def rounded_figures(text: str) -> str:
    """An order's figures rounded for reading: 95.6907 m³/h → 95.7 m³/h."""
    return rounded_text(text or "")
