"""Work orders as the API shows them: residents' data masked unless the caller works the order."""

from django.utils import timezone

from mains.desk.access import is_assignee
from mains.desk.models import WorkOrder
from mains.desk.states import State
from mains.desk.visibility import (
    community_only,
    description_for,
    reads_special_group_details,
    resolution_for,
)
from mains.lib.masking import mask_address, mask_name, mask_phone
from mains.org.access_log import note_view
from mains.org.models import AccessLog, User
from mains.org.pii import subject_of


def _local(moment):
    return timezone.localtime(moment) if moment else None


def order_out(order: WorkOrder, user: User) -> dict:
    sees = is_assignee(user, order)
    name, phone, address = order.caller_name, order.caller_phone, order.address
    if sees:
        shown = {"name": name, "phone": phone, "address": address}
        fields = [kind for kind, value in shown.items() if value]
        note_view(user, subject_of(order), fields, AccessLog.Purpose.WORKING)
    else:
        name, phone, address = (
            mask_name(name),
            mask_phone(phone),
            mask_address(address, order.community),
        )
    if not reads_special_group_details(user, order):
        address = community_only(order)
    return {
        "id": order.pk,
        "number": order.number,
        "state": order.state,
        "state_label": str(State(order.state).label),
        "channel": order.channel,
        "category": order.category.code,
        "category_name": order.category.name,
        "priority": order.priority,
        "community_id": order.community_id,
        "community_name": order.community.name if order.community else None,
        "caller_name": name,
        "caller_phone": phone,
        "address": address,
        "personal_data_masked": not sees,
        "description": description_for(user, order),
        "unit": order.unit.name if order.unit else None,
        "grid": order.grid.code if order.grid else None,
        "specialist": order.specialist.name if order.specialist else None,
        "received_at": _local(order.received_at),
        "dispatched_at": _local(order.dispatched_at),
        "accepted_at": _local(order.accepted_at),
        "arrived_at": _local(order.arrived_at),
        "resolved_at": _local(order.resolved_at),
        "closed_at": _local(order.closed_at),
        "current_due": _local(order.current_due),
        "sla_level": order.sla_level,
        "redo_count": order.redo_count,
        "resolution": resolution_for(user, order),
        "satisfaction": order.satisfaction,
        "version": order.version,
    }
