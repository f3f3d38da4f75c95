"""The specialist's steps: accept, return (退单), arrive, suspend (挂起) and resume, ask
for more time, resolve (办结)."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mains.desk import order_messages, transitions
from mains.desk.actions.guarded import apply_change, attach_files
from mains.desk.calendars import spec_for
from mains.desk.deadlines import dues_of
from mains.desk.errors import TransitionRefused
from mains.desk.models import OrderEvent, WorkOrder
from mains.desk.states import Action
from mains.org.models import User


def do_accept(order: WorkOrder, by: User) -> OrderEvent:
    now = timezone.now()
    return apply_change(
        order, by, Action.ACCEPT, transitions.accepted(dues_of(order), now), now=now
    )


def do_return(order: WorkOrder, by: User, reason: str) -> OrderEvent:
    """Send a misrouted order back to dispatch (退单)."""
    if not reason.strip():
        raise TransitionRefused(_("Say why the order is returned."))
    now = timezone.now()
    change = transitions.returned(dues_of(order), now)
    return apply_change(order, by, Action.RETURN, change, note=reason, now=now)


def do_arrive(order: WorkOrder, by: User, note: str = "") -> OrderEvent:
    now = timezone.now()
    change = transitions.arrived(dues_of(order), now)
    return apply_change(order, by, Action.ARRIVE, change, note=note, now=now)


def do_suspend(order: WorkOrder, by: User, reason: str) -> OrderEvent:
    """Pause the SLA clock (挂起), e.g. while the resident is away."""
    if not reason.strip():
        raise TransitionRefused(_("Say why the order is suspended."))
    now = timezone.now()
    change = transitions.suspended(order.state, now)
    return apply_change(order, by, Action.SUSPEND, change, note=reason, now=now)


def do_resume(order: WorkOrder, by: User) -> OrderEvent:
    """Restart the clock; every deadline not yet met moves by the working time paused."""
    now = timezone.now()
    change = transitions.resumed(
        dues_of(order),
        spec_for(order.category.calendar),
        order.paused_at,
        order.arrived_at,
        order.state_before_suspend,
        now,
    )
    return apply_change(order, by, Action.RESUME, change, now=now)


def do_request_extension(order: WorkOrder, by: User, until: datetime, reason: str) -> OrderEvent:
    if order.resolve_due and until <= order.resolve_due:
        raise TransitionRefused(_("The new deadline must be later than the current one."))
    if not reason.strip():
        raise TransitionRefused(_("Say why more time is needed."))
    change = transitions.extension_requested(until)
    return apply_change(order, by, Action.REQUEST_EXTENSION, change, note=reason)


def do_resolve(order: WorkOrder, by: User, resolution: str, files=()) -> OrderEvent:
    """Finish the work (办结); the callback clock starts."""
    if not resolution.strip():
        raise TransitionRefused(_("Describe what was done."))
    now = timezone.now()
    change = transitions.resolved(
        dues_of(order),
        spec_for(order.category.calendar),
        order.category.callback_minutes,
        resolution,
        now,
    )
    with transaction.atomic():
        event = apply_change(order, by, Action.RESOLVE, change, note=resolution, now=now)
        attach_files(order, event, files, by)
        order_messages.notify_order_resolved(order)
    return event
