"""/api/v1/orders: list, read and create (idempotent); the actions are in order_actions.py."""

from enum import Enum
from typing import Annotated

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Header, Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from mains.api.auth import caller
from mains.api.errors import ApiError
from mains.api.idempotency import once
from mains.api.pagination import one_page
from mains.api.present import order_out
from mains.api.schemas import (
    ERRORS,
    INT32,
    NO_NUL,
    ErrorOut,
    Id,
    JsonPattern,
    Moment,
    OrderIn,
    OrderOut,
    OrderPage,
    Text,
)
from mains.areas.models import Community
from mains.desk import queries
from mains.desk.access import may_take_calls, order_for, orders_for
from mains.desk.actions import do_create_order
from mains.desk.models import Category, Channel
from mains.desk.states import OPEN_STATES, State
from mains.lib.phones import clean_phone_value

router = Router(tags=["work orders"])

StateFilter = Enum(  # type: ignore[misc]
    "StateFilter", {"open": "open", **{s: s for s in State.values}}, type=str
)


class OrderFilters(Schema):
    state: StateFilter | None = Field(None, description="A state, or “open” for all open ones.")
    category: Text | None = Field(None, max_length=30, description="Category code.")
    community: Id | None = Field(None, description="Community id.")
    since: Moment | None = Field(None, description="Received at or after.")
    until: Moment | None = Field(None, description="Received before.")
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=INT32)


@router.get("/orders", response={200: OrderPage, ERRORS: ErrorOut}, summary="List orders")
def list_orders(request: HttpRequest, filters: Query[OrderFilters]):
    """The orders the token's user may see, newest first, `limit` at a time from `offset`."""
    user = caller(request)
    orders = orders_for(user).select_related(*queries.LIST_RELATED)
    if filters.state is not None:
        state = filters.state.value
        orders = (
            orders.filter(state__in=OPEN_STATES) if state == "open" else orders.filter(state=state)
        )
    if filters.category:
        orders = orders.filter(category__code=filters.category)
    if filters.community:
        orders = orders.filter(community_id=filters.community)
    if filters.since:
        orders = orders.filter(received_at__gte=filters.since)
    if filters.until:
        orders = orders.filter(received_at__lt=filters.until)
    newest_first = orders.order_by("-received_at", "-pk")
    return one_page(newest_first, filters, lambda order: order_out(order, user))


@router.get(
    "/orders/{order_id}", response={200: OrderOut, ERRORS: ErrorOut}, summary="Read an order"
)
def read_order(request: HttpRequest, order_id: Id):
    user = caller(request)
    return order_out(order_for(user, order_id), user)


def _create(user, data: OrderIn) -> tuple[int, dict]:
    category = Category.objects.filter(code=data.category, active=True).first()
    if category is None:
        raise ApiError(
            422, "invalid", _("There is no active category “%(code)s”.") % {"code": data.category}
        )
    community = None
    if data.community is not None:
        community = Community.objects.filter(pk=data.community).first()
        if community is None:
            raise ApiError(
                422, "invalid", _("There is no community %(id)s.") % {"id": data.community}
            )
    if community is None and not data.address:
        raise ApiError(422, "invalid", _("Give the community, or an address."))
    # A bad number raises Django's ValidationError: errors.django_invalid answers 422 "invalid".
    phone = clean_phone_value(data.caller_phone)
    order = do_create_order(
        by=user,
        channel=Channel.API,
        category=category,
        description=data.description,
        community=community,
        caller_name=data.caller_name,
        caller_phone=phone,
        address=data.address,
        priority=data.priority,
    )
    # The answer is made from the objects just written, inside the transaction that `once`
    # holds: a 201 is sent only for an order that is committed, and nothing read after the
    # commit can turn a saved order into an error.
    return 201, OrderOut.model_validate(order_out(order, user)).model_dump(mode="json")


@router.post("/orders", response={201: OrderOut, ERRORS: ErrorOut}, summary="Create an order")
def create_order(
    request: HttpRequest,
    response: HttpResponse,
    data: OrderIn,
    idempotency_key: Annotated[str, JsonPattern(NO_NUL)] | None = Header(
        None,
        alias="Idempotency-Key",
        max_length=200,
        description="Send the same key again to get the first answer instead of a second order.",
    ),
):
    """A new order on the API channel, routed like any other."""
    user = caller(request)
    if idempotency_key is not None and "\x00" in idempotency_key:
        raise ApiError(422, "invalid", _("The Idempotency-Key must not contain NUL characters."))
    if not may_take_calls(user):
        raise ApiError(403, "forbidden", _("Your role does not take orders."))
    status, body, replayed = once(
        request.auth,  # type: ignore[attr-defined]
        idempotency_key,
        data.model_dump(mode="json"),
        lambda: _create(user, data),
    )
    if replayed:
        response["Idempotent-Replayed"] = "true"
    return Status(status, body)
