"""A work order as an Open311 service request; personal data only for those who may see it."""

from mains.api.open311.render import iso
from mains.desk.access import is_assignee
from mains.desk.models import WorkOrder
from mains.desk.states import OPEN_STATES, State
from mains.desk.visibility import description_for
from mains.lib.masking import mask_address
from mains.org.access_log import note_view
from mains.org.models import AccessLog
from mains.org.pii import subject_of


def _updated(order: WorkOrder):
    moments = [
        order.received_at,
        order.dispatched_at,
        order.accepted_at,
        order.arrived_at,
        order.resolved_at,
        order.callback_at,
        order.closed_at,
    ]
    return max(m for m in moments if m is not None)


def request_of(order: WorkOrder, user=None) -> dict:
    """`user` is given when the api_key's user may see this order: then the description."""
    community = order.community
    address = order.address if user is not None and is_assignee(user, order) else None
    if address:
        note_view(user, subject_of(order), ["address"], AccessLog.Purpose.WORKING)
    return {
        "service_request_id": order.number,
        "status": "open" if order.state in OPEN_STATES else "closed",
        "status_notes": str(State(order.state).label),
        "service_name": order.category.name,
        "service_code": order.category.code,
        "description": description_for(user, order) if user is not None else None,
        "agency_responsible": order.unit.name if order.unit else None,
        "service_notice": None,
        "requested_datetime": iso(order.received_at),
        "updated_datetime": iso(_updated(order)),
        "expected_datetime": iso(order.resolve_due),
        "address": address if address is not None else mask_address(order.address, community),
        "address_id": str(community.pk) if community else None,
        "zipcode": None,
        "lat": float(community.latitude) if community and community.latitude is not None else None,
        "long": float(community.longitude)
        if community and community.longitude is not None
        else None,
        "media_url": None,
    }
