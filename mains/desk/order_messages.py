"""The desk's messages: who hears about what happens to a work order, and what it may say.

mains.desk.actions and mains.desk.clock call these with one line each; they build the
recipients and the template context and hand them to notify(). They are called inside
the action's transaction, so a refused or rolled-back action sends nothing.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from mains.desk.models import SlaLevel, WorkOrder
from mains.desk.states import State
from mains.desk.visibility import community_only, is_about_special_group, withheld_description
from mains.notify.events import Event
from mains.notify.service import Recipient, mobile_number, notify
from mains.org.models import User
from mains.org.roles import Role


def tracking_url(number: str) -> str:
    return f"{settings.PUBLIC_BASE_URL}/track/?{urlencode({'number': number})}"


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%m-%d %H:%M") if moment else ""


def order_context(order, group_chat: bool = False) -> dict:
    """What an order's messages may say; notify() adds hotline, site_name and recipient_name.

    A group chat is read by people who may not read a special-group order's details
    (mains.desk.visibility): it gets the community for the address and no description.
    """
    specialist = order.specialist
    withhold = group_chat and is_about_special_group(order)
    return {
        "number": order.number,
        "category": order.category.name,
        "community": order.community.name if order.community else "",
        "address": community_only(order) if withhold else order.address,
        "description": withheld_description() if withhold else order.description[:70],
        "tracking_url": tracking_url(order.number),
        "order_url": settings.PUBLIC_BASE_URL + reverse("desk:order", args=[order.pk]),
        "specialist": specialist.name if specialist else "",
        "specialist_phone": specialist.phone if specialist else "",
        "unit": order.unit.name if order.unit_id else "",
        "accept_due": _local(order.accept_due),
        "resolve_due": _local(order.resolve_due),
        "due": _local(order.current_due),
        "resolution": "" if withhold else (order.resolution or "")[:70],
    }


def _caller(order) -> list[Recipient]:
    phone = mobile_number(order.caller_phone)
    return [Recipient(name=order.caller_name, phone=phone)] if phone else []


def notify_order_created(order) -> None:
    """The resident hears the order number and tracking link; the specialist, the order."""
    notify(Event.ORDER_RECEIVED, _caller(order), order_context(order), f"order:{order.pk}")
    if order.state == State.DISPATCHED:
        notify_order_assigned(order)


def notify_order_assigned(order) -> None:
    specialist = order.specialist
    if specialist is None or not mobile_number(specialist.phone):
        return
    recipient = Recipient(name=specialist.name, phone=mobile_number(specialist.phone))
    notify(Event.ORDER_ASSIGNED, [recipient], order_context(order), f"order:{order.pk}")


def notify_order_resolved(order) -> None:
    notify(Event.ORDER_RESOLVED, _caller(order), order_context(order), f"order:{order.pk}")


def notify_sla(level: str, order_ids: list[int]) -> None:
    """Yellow and red turns go to the unit managers of each order's unit (e-mail) and to
    the unit's WeCom group (once per order)."""
    if not order_ids:
        return
    event = Event.SLA_OVERDUE if level == SlaLevel.RED else Event.SLA_WARNING
    orders = list(
        WorkOrder.objects.filter(pk__in=order_ids).select_related(
            "category", "community", "specialist", "unit"
        )
    )
    managers: dict[int | None, list] = {}
    unit_ids = {o.unit_id for o in orders if o.unit_id}
    for user in User.objects.filter(role=Role.UNIT_MANAGER, unit_id__in=unit_ids, is_active=True):
        managers.setdefault(user.unit_id, []).append(user)
    for order in orders:
        people = managers.get(order.unit_id, [])
        if order.unit is None or not people:
            continue
        group = [Recipient(name=order.unit.name, wecom=True)]
        notify(event, group, order_context(order, group_chat=True), f"order:{order.pk}")
        # The unit's managers (by e-mail) read the details of their unit's orders.
        managers_mail = [Recipient(name=u.display_name, email=u.email) for u in people if u.email]
        notify(event, managers_mail, order_context(order), f"order:{order.pk}")
