"""Small template helpers shared by every page."""

from django import forms, template
from django.utils import timezone
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def bs(field):
    """Render a form field with Bootstrap's classes and its error state."""
    widget = field.field.widget
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        css = "form-check-input"
    elif isinstance(widget, forms.Select):
        css = "form-select"
    elif isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    else:
        css = "form-control"
    if field.errors:
        css += " is-invalid"
    return field.as_widget(attrs={"class": css})


@register.filter
def minutes_left(due):
    """Whole minutes until `due` (negative when overdue)."""
    if not due:
        return ""
    return int((due - timezone.now()).total_seconds() // 60)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def duration(minutes):
    """60 → "1 h 0 min", 6995 → "4 d 20 h": how long, in words a desk reads at a glance."""
    if minutes in ("", None):
        return ""
    minutes = abs(int(minutes))
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return _("%(d)s d %(h)s h") % {"d": days, "h": hours}
    if hours:
        return _("%(h)s h %(m)s min") % {"h": hours, "m": mins}
    return _("%(m)s min") % {"m": mins}
