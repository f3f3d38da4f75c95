"""New orders: a call taken (受理), a further call about an open order, a call answered
on the spot (直接答复)."""

from datetime import datetime

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from mains.areas.models import Community
from mains.desk import order_messages, transitions
from mains.desk.access import may_take_calls
from mains.desk.actions.guarded import apply_change, attach_files, next_number
from mains.desk.calendars import spec_for
from mains.desk.errors import NotAllowed, TransitionRefused
from mains.desk.models import Category, Channel, OrderEvent, WorkOrder
from mains.desk.routing import Route, route_for
from mains.desk.states import Action, State
from mains.org.models import User


def _check_takes_calls(by: User | None) -> None:
    if not may_take_calls(by):
        raise NotAllowed(_("Your role does not take orders."))


def _order_fields(
    now: datetime,
    by: User | None,
    channel: str,
    category: Category,
    community: Community | None,
    route: Route,
    description: str,
    priority: int | None,
    caller_name: str,
    caller_phone: str,
    address: str,
) -> dict:
    """What every new order records of the call (number, channel, who called, from where,
    about what) and of its routing."""
    return {
        "number": next_number(now),
        "channel": channel,
        "category": category,
        "community": community,
        "caller_name": caller_name,
        "caller_phone": caller_phone,
        "address": address or (community.address if community else ""),
        "received_at": now,
        "priority": priority or category.priority,
        "description": description,
        "unit": route.unit,
        "grid": route.grid,
        "created_by": by,
    }


def do_create_order(
    *,
    by: User | None,
    channel: str,
    category: Category,
    description: str,
    community: Community | None = None,
    caller_name: str = "",
    caller_phone: str = "",
    address: str = "",
    priority: int | None = None,
    files: list[UploadedFile] | tuple = (),
    at: datetime | None = None,
) -> WorkOrder:
    """Take a new order (受理) and, when routing finds someone, dispatch it (派单)."""
    _check_takes_calls(by)
    now = at or timezone.now()
    route = route_for(community, category)
    spec = spec_for(category.calendar)
    change = transitions.received(category, spec, now)
    with transaction.atomic():
        fields = _order_fields(
            now, by, channel, category, community, route, description, priority,
            caller_name, caller_phone, address,
        )  # fmt: skip
        order = WorkOrder.objects.create(
            **fields,
            state=State.RECEIVED,
            specialist=route.specialist,
            **change.fields,
        )
        event = OrderEvent.objects.create(
            order=order,
            at=now,
            actor=by,
            action=Action.CREATE,
            to_state=State.RECEIVED,
            data={"channel": channel},
        )
        attach_files(order, event, files, by)
        if settings.AUTO_DISPATCH and route.specialist is not None:
            routed = transitions.dispatched(
                transitions.dues_in(change.fields), spec, category.accept_minutes, now
            )
            apply_change(
                order,
                None,
                Action.DISPATCH,
                routed,
                note=_("Routed by community and category."),
                now=now,
            )
        order_messages.notify_order_created(order)
    return order


def do_attach_call(
    order: WorkOrder,
    by: User,
    caller_name: str,
    caller_phone: str,
    note: str,
    files: list[UploadedFile] | tuple = (),
) -> OrderEvent:
    """A further call about an open order: recorded on it instead of a new order.

    An annotation (see the package's docstring): it refuses an order whose state changed
    since it was read, but a decision taken meanwhile does not make it fail.
    """
    call = transitions.Change(None, {}, {"caller_name": caller_name, "caller_phone": caller_phone})
    with transaction.atomic():
        event = apply_change(
            order,
            by,
            Action.EXTRA_CALL,
            call,
            extra={"call_count": F("call_count") + 1},
            note=note,
            guard_version=False,
        )
        attach_files(order, event, files, by)
    return event


def do_answer_directly(
    *,
    by: User,
    category: Category,
    description: str,
    answer: str,
    community: Community | None = None,
    caller_name: str = "",
    caller_phone: str = "",
    address: str = "",
    channel: str = Channel.HOTLINE,
    priority: int | None = None,
) -> WorkOrder:
    """A call the agent answers on the spot (直接答复): taken and resolved at once.

    Nobody is dispatched; the order waits for its callback like any resolved order and
    counts in the KPIs as answered directly.
    """
    _check_takes_calls(by)
    if not answer.strip():
        raise TransitionRefused(_("Say what the caller was told."))
    now = timezone.now()
    change = transitions.answered_directly(category, spec_for(category.calendar), answer, now)
    route = route_for(community, category)
    with transaction.atomic():
        fields = _order_fields(
            now, by, channel, category, community, route, description, priority,
            caller_name, caller_phone, address,
        )  # fmt: skip
        order = WorkOrder.objects.create(
            **fields,
            state=State.RESOLVED,
            **change.fields,
        )
        OrderEvent.objects.bulk_create(
            [
                OrderEvent(
                    order=order,
                    at=now,
                    actor=by,
                    action=Action.CREATE,
                    to_state=State.RECEIVED,
                    data={"channel": channel},
                ),
                OrderEvent(
                    order=order,
                    at=now,
                    actor=by,
                    action=Action.RESOLVE,
                    from_state=State.RECEIVED,
                    to_state=State.RESOLVED,
                    note=answer,
                    data=change.data,
                ),
            ]
        )
    return order
