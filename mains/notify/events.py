"""The events mains tells people about."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Event(models.TextChoices):
    ORDER_RECEIVED = "order_received", _("Order received (to the resident)")
    ORDER_ASSIGNED = "order_assigned", _("Order assigned (to the specialist)")
    SLA_WARNING = "sla_warning", _("SLA warning (to the unit manager)")
    SLA_OVERDUE = "sla_overdue", _("SLA overdue (to the unit manager)")
    ORDER_RESOLVED = "order_resolved", _("Order resolved (to the resident)")
    OUTAGE_ANNOUNCED = "outage_announced", _("Outage announced")
    OUTAGE_CHANGED = "outage_changed", _("Outage changed")
    OUTAGE_ENDED = "outage_ended", _("Outage ended")


_ORDER = (
    "number category community address description tracking_url order_url specialist "
    "specialist_phone unit accept_due resolve_due due resolution"
)
_OUTAGE = "kind utility reason communities starts_at ends_at ended_at status outage_id"

# The variables each event's templates can use (besides hotline, site_name, recipient_name).
CONTEXT: dict[str, list[str]] = {
    **{event: _ORDER.split() for event in Event.values if not event.startswith("outage")},
    **{event: _OUTAGE.split() for event in Event.values if event.startswith("outage")},
}
