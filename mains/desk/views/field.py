"""The grid specialist's phone screens: my orders by deadline."""

from django.http import HttpResponse
from django.shortcuts import render

from mains.desk import queries
from mains.desk.access import assignee_scope
from mains.desk.models import WorkOrder
from mains.desk.states import State
from mains.org.decorators import role_required
from mains.org.http import AuthedRequest
from mains.org.pii import Purpose, needed
from mains.org.roles import Role

FIELD_STATES = [State.DISPATCHED, State.REOPENED, State.ACCEPTED, State.ON_SITE, State.SUSPENDED]


@role_required([Role.SPECIALIST])
def my_orders(request: AuthedRequest) -> HttpResponse:
    mine = WorkOrder.objects.filter(assignee_scope(request.user))
    open_orders = queries.overdue_first(mine.filter(state__in=FIELD_STATES)).select_related(
        *queries.LIST_RELATED
    )
    recent = (
        mine.filter(state=State.RESOLVED)
        .select_related("category", "community")
        .order_by("-resolved_at")[:10]
    )
    return render(
        request,
        "desk/my_orders.html",
        {
            "orders": open_orders,
            "recent": recent,
            "sees_pii_of": needed(open_orders, Purpose.WORKING),
        },
    )
