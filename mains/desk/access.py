"""Who may see and do what with work orders. Pages, API and jobs all ask here."""

from django.db.models import Q, QuerySet
from django.http import Http404

from mains.desk.models import Attachment, WorkOrder
from mains.desk.states import Action
from mains.org.models import Unit, User
from mains.org.roles import (
    ALL_ORDERS_ROLES,
    CALLBACK_ROLES,
    DISPATCH_ROLES,
    INTAKE_ROLES,
    SUPERVISE_ROLES,
    Role,
)

FIELD_ACTIONS = {
    Action.ACCEPT,
    Action.RETURN,
    Action.ARRIVE,
    Action.SUSPEND,
    Action.RESUME,
    Action.REQUEST_EXTENSION,
    Action.RESOLVE,
}
ROUTING_ACTIONS = {
    Action.DISPATCH,
    Action.TRANSFER,
    Action.CANCEL,
    Action.APPROVE_EXTENSION,
    Action.DENY_EXTENSION,
}
CALLBACK_ACTIONS = {Action.CALLBACK, Action.REOPEN, Action.CLOSE}
SUPERVISION_ACTIONS = {Action.REMIND, Action.SUPERVISE, Action.ESCALATE}


def unit_and_descendant_ids(unit_id: int | None) -> list[int]:
    if unit_id is None:
        return []
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in Unit.objects.values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    found, stack = [], [unit_id]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(children.get(current, []))
    return found


def specialist_scope(user: User) -> Q:
    spec = getattr(user, "specialist", None)
    if spec is None:
        return Q(pk__in=[])
    return Q(specialist=spec) | Q(grid__specialist=spec) | Q(grid__deputy=spec)


def assignee_scope(user: User) -> Q:
    """The orders this specialist works (the same rule as `is_assignee`)."""
    spec = getattr(user, "specialist", None)
    if spec is None:
        return Q(pk__in=[])
    return (
        Q(specialist=spec)
        | Q(grid__deputy=spec)
        | Q(specialist__isnull=True, grid__specialist=spec)
    )


def orders_for(user: User) -> QuerySet[WorkOrder]:
    """The orders this user may see."""
    orders = WorkOrder.objects.all()
    if not user.is_authenticated:
        return orders.none()
    if user.role in ALL_ORDERS_ROLES:
        return orders
    if user.role == Role.SPECIALIST:
        return orders.filter(specialist_scope(user))
    if user.role == Role.UNIT_MANAGER:
        return orders.filter(unit_id__in=unit_and_descendant_ids(user.unit_id))
    return orders.none()


def order_for(user: User, pk: int) -> WorkOrder:
    """One order the user may see; missing and not-yours answer the same 404."""
    try:
        return (
            orders_for(user)
            .select_related("category", "community", "unit", "grid", "specialist")
            .get(pk=pk)
        )
    except (WorkOrder.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def attachment_for(user: User, order_pk: int, pk: int) -> Attachment:
    """One photo or file of an order the user may see; the same 404 as `order_for`."""
    order = order_for(user, order_pk)
    found = order.attachments.filter(pk=pk).first()
    if found is None or not found.file:
        raise Http404
    return found


def is_assignee(user: User, order: WorkOrder) -> bool:
    spec = getattr(user, "specialist", None)
    if spec is None:
        return False
    if order.specialist_id == spec.pk:
        return True
    grid = order.grid
    if grid is None:
        return False
    # The deputy covers for the grid's specialist; an unassigned order is the grid's.
    return spec.pk == grid.deputy_id or (
        order.specialist_id is None and spec.pk == grid.specialist_id
    )


def manages_unit_of(user: User, order: WorkOrder) -> bool:
    return user.role == Role.UNIT_MANAGER and order.unit_id in unit_and_descendant_ids(user.unit_id)


def may_take_calls(user: User | None) -> bool:
    """May this user take a new order? None is the system itself: a resident's report on the
    public pages or a meter alarm, whose callers were let in by their own rules."""
    return user is None or user.role in INTAKE_ROLES


def may(user: User, action: str, order: WorkOrder) -> bool:
    """May this user take this action on this order (whatever its state)?"""
    role = user.role
    if action in FIELD_ACTIONS:
        return is_assignee(user, order) or manages_unit_of(user, order) or role in DISPATCH_ROLES
    if action in ROUTING_ACTIONS:
        return role in DISPATCH_ROLES or (
            action == Action.TRANSFER and manages_unit_of(user, order)
        )
    if action in CALLBACK_ACTIONS:
        return role in CALLBACK_ROLES
    if action == Action.REMIND and role in INTAKE_ROLES:
        # A caller ringing again about an open order: the agent passes the reminder on.
        return True
    if action in SUPERVISION_ACTIONS:
        return role in SUPERVISE_ROLES and (
            role != Role.UNIT_MANAGER or manages_unit_of(user, order)
        )
    if action == Action.EXTRA_CALL:
        return role in INTAKE_ROLES
    return False
