"""The dispatcher's board: open orders, overdue first, with filters."""

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from mains.areas.models import Grid
from mains.desk import queries
from mains.desk.access import orders_for
from mains.desk.models import Category, SlaLevel
from mains.desk.states import OPEN_STATES, State
from mains.org.decorators import role_required
from mains.org.http import AuthedRequest
from mains.org.models import Unit
from mains.org.roles import Role

BOARD_ROLES = {Role.DISPATCHER, Role.UNIT_MANAGER, Role.MANAGER, Role.ADMIN}


def _as_int(value: str) -> int | None:
    return int(value) if value.isdecimal() else None


@role_required(BOARD_ROLES)
def board(request: AuthedRequest) -> HttpResponse:
    scope = orders_for(request.user).filter(state__in=OPEN_STATES)
    orders = scope
    get = request.GET
    if get.get("state") in OPEN_STATES:
        orders = orders.filter(state=get["state"])
    for name in ("unit", "grid", "category"):
        value = _as_int(get.get(name, ""))
        if value is not None:
            orders = orders.filter(**{f"{name}_id": value})
    if get.get("sla") in SlaLevel.values:
        orders = orders.filter(sla_level=get["sla"])
    if get.get("escalated") == "1":
        orders = orders.filter(escalated=True)
    page = Paginator(
        queries.overdue_first(orders).select_related(*queries.LIST_RELATED), 50
    ).get_page(get.get("page"))
    counts = queries.state_counts(scope)
    return render(
        request,
        "desk/board.html",
        {
            "page": page,
            "state_counts": [(s, State(s).label, counts.get(s, 0)) for s in OPEN_STATES],
            "sla_counts": queries.sla_counts(scope),
            "units": Unit.objects.all(),
            "grids": Grid.objects.all(),
            "categories": Category.objects.all(),
            "sla_levels": SlaLevel.choices,
            "filters": get,
            "total": sum(counts.values()),
        },
    )
