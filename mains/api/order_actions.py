"""POST /api/v1/orders/{id}/actions/{action}: one operation per action of the order page.

Each action has its own request schema (mains.api.action_schemas), so the OpenAPI schema
says which fields it needs. Every action requires the `version` the client read: an order
that changed since is refused with 409 and nothing is written, so two clients acting on
what they read never overwrite each other silently.
"""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema

from mains.api.action_schemas import SCHEMA_OF_FORM, form_data
from mains.api.auth import caller
from mains.api.errors import ApiError, status_of_action_error
from mains.api.present import order_out
from mains.api.schemas import ERRORS, ErrorOut, Id, OrderOut
from mains.desk.access import may, order_for
from mains.desk.action_forms import ACTIONS
from mains.desk.errors import OrderActionError, OrderConflict
from mains.desk.states import Action, can

router = Router(tags=["order actions"])


def act(request: HttpRequest, order_id: int, name: str, data: Schema) -> dict:
    """403 if the role may not, 409 if the state does not allow it or the order changed since
    `version`, 422 if a field is missing or wrong."""
    user = caller(request)
    order = order_for(user, order_id)
    check = Action.DENY_EXTENSION if name == Action.APPROVE_EXTENSION else name
    # The role first: someone who may not act learns nothing of the order's state or fields.
    if not may(user, check, order):
        raise ApiError(403, "forbidden", _("You may not do that with this order."))
    if data.version != order.version:  # type: ignore[attr-defined]
        raise ApiError(409, OrderConflict.code, str(OrderConflict()))
    form_class, perform = ACTIONS[name]
    form = form_class(data=form_data(data))
    if not form.is_valid():
        errors = {field: [str(m) for m in msgs] for field, msgs in form.errors.items()}
        first = next(iter(errors.values()))[0]
        raise ApiError(422, "invalid", first, fields=errors)
    try:
        # The action's UPDATE matches the version read above, so a write in between is a 409.
        perform(order, user, form.cleaned_data)
    except OrderActionError as exc:
        status = status_of_action_error(exc, can(check, order.state))
        raise ApiError(status, exc.code, str(exc)) from exc
    return order_out(order_for(user, order_id), user)


def _operation(name: str, body: type[Schema]):
    def operation(request: HttpRequest, order_id: Id, data: body):  # type: ignore[valid-type]
        return act(request, order_id, name, data)

    operation.__name__ = f"act_{name}"
    operation.__doc__ = (
        f"The `{name}` action of the order page, with the fields of its form. "
        "403 if your role may not, 409 if the order's state does not allow it or its "
        "`version` changed since you read it, 422 if a field is missing or wrong."
    )
    return operation


for _name, (_form, _perform) in ACTIONS.items():
    router.post(
        f"/orders/{{order_id}}/actions/{_name}",
        response={200: OrderOut, ERRORS: ErrorOut},
        summary=f"Order action: {_name}",
        operation_id=f"act_{_name}",
    )(_operation(_name, SCHEMA_OF_FORM[_form]))
