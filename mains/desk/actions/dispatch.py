"""The dispatcher's decisions: send (派单), hand on (转派), cancel, decide an extension."""

from django.utils import timezone
from django.utils.translation import gettext as _

from mains.areas.models import Specialist
from mains.desk import order_messages, transitions
from mains.desk.actions.guarded import apply_change
from mains.desk.calendars import spec_for
from mains.desk.deadlines import dues_of
from mains.desk.errors import TransitionRefused
from mains.desk.models import OrderEvent, WorkOrder
from mains.desk.routing import route_for
from mains.desk.states import Action
from mains.org.models import Unit, User


def _assignee(specialist: Specialist | None, unit: Unit | None) -> dict:
    fields: dict = {"specialist": specialist}
    if unit is not None:
        fields["unit"] = unit
    return fields


def do_dispatch(
    order: WorkOrder,
    by: User,
    specialist: Specialist | None = None,
    unit: Unit | None = None,
    note: str = "",
) -> OrderEvent:
    if specialist is None and unit is None:
        route = route_for(order.community, order.category)
        specialist, unit = route.specialist, route.unit
    if specialist is None:
        raise TransitionRefused(_("Choose a specialist to dispatch the order to."))
    now = timezone.now()
    change = transitions.dispatched(
        dues_of(order),
        spec_for(order.category.calendar),
        order.category.accept_minutes,
        now,
        specialist=specialist.name,
    )
    event = apply_change(
        order, by, Action.DISPATCH, change, extra=_assignee(specialist, unit), note=note, now=now
    )
    order_messages.notify_order_assigned(order)
    return event


def do_transfer(
    order: WorkOrder, by: User, specialist: Specialist, unit: Unit | None, note: str
) -> OrderEvent:
    """Hand an order to another specialist or unit (转派); it must be accepted again."""
    now = timezone.now()
    change = transitions.transferred(
        dues_of(order),
        spec_for(order.category.calendar),
        order.category.accept_minutes,
        now,
        **{"from": order.specialist.name if order.specialist else "", "to": specialist.name},
    )
    event = apply_change(
        order, by, Action.TRANSFER, change, extra=_assignee(specialist, unit), note=note, now=now
    )
    order_messages.notify_order_assigned(order)
    return event


def do_decide_extension(order: WorkOrder, by: User, approve: bool, note: str = "") -> OrderEvent:
    if order.extension_requested_until is None:
        raise TransitionRefused(_("No extension has been requested for this order."))
    now = timezone.now()
    action = Action.APPROVE_EXTENSION if approve else Action.DENY_EXTENSION
    change = transitions.extension_decided(
        approve, order.extension_requested_until, dues_of(order), order.state, now
    )
    return apply_change(order, by, action, change, note=note, now=now)


def do_cancel(
    order: WorkOrder, by: User, reason: str, duplicate_of: WorkOrder | None = None
) -> OrderEvent:
    if duplicate_of is not None and duplicate_of.pk == order.pk:
        raise TransitionRefused(_("An order cannot duplicate itself."))
    if not reason.strip() and duplicate_of is None:
        raise TransitionRefused(_("Say why the order is cancelled."))
    data = {"duplicate_of": duplicate_of.number} if duplicate_of else {}
    change = transitions.cancelled(timezone.now(), **data)
    return apply_change(
        order, by, Action.CANCEL, change, extra={"duplicate_of": duplicate_of}, note=reason
    )
