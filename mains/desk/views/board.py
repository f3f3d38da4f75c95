"""The dispatcher's board: what needs a person now first, with filters and a poll for news.

A unit manager gets their unit's own board: the same sort and counts over their unit's
orders, titled with the unit's name, without the unit filter and the dispatch buttons.
"""

import json

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext as _

from mains.areas.models import Grid
from mains.desk import queries
from mains.desk.access import orders_for, unit_and_descendant_ids
from mains.desk.models import Category, SlaLevel, WorkOrder
from mains.desk.states import OPEN_STATES, State
from mains.org.decorators import role_required
from mains.org.http import AuthedRequest
from mains.org.models import Unit
from mains.org.roles import DISPATCH_ROLES, ORDER_BOARD_ROLES, Role

PAGE_SIZE = 50
# The header's groups: (key, label, the filter its link sets, its colour).
GROUPS = (
    ("undispatched", "need", "undispatched", "primary"),
    ("urgent", "need", "urgent", "danger"),
    ("red", "sla", SlaLevel.RED, "danger"),
    ("yellow", "sla", SlaLevel.YELLOW, "warning"),
)


def _as_int(value: str) -> int | None:
    return int(value) if value.isdecimal() else None


def _filtered(orders: QuerySet[WorkOrder], get: QueryDict) -> QuerySet[WorkOrder]:
    if get.get("state") in OPEN_STATES:
        orders = orders.filter(state=get["state"])
    for name in ("unit", "grid", "category"):
        value = _as_int(get.get(name, ""))
        if value is not None:
            orders = orders.filter(**{f"{name}_id": value})
    if get.get("sla") in SlaLevel.values:
        orders = orders.filter(sla_level=get["sla"])
    need = get.get("need", "")
    if need in ("undispatched", "urgent"):
        orders = orders.filter(queries.BOARD_GROUPS[need])
    if get.get("escalated") == "1":
        orders = orders.filter(escalated=True)
    return orders


def _query(get: QueryDict, **changes: str | int) -> str:
    """The current filters with some changed (a value of "" drops one), as a query string."""
    query = get.copy()
    for name in ("page", "since", *changes):
        query.pop(name, None)
    for name, value in changes.items():
        if value != "":
            query[name] = str(value)
    return query.urlencode()


def _group_labels() -> dict[str, str]:
    return {
        "undispatched": _("Awaiting dispatch"),
        "urgent": _("Tier 1"),
        "red": _("Overdue"),
        "yellow": _("Warning"),
    }


def _board(request: AuthedRequest) -> dict:
    """What the board and its poll share: the user's open orders, filtered, and the counts."""
    user = request.user
    get = request.GET
    visible = orders_for(user)
    scope = visible.filter(state__in=OPEN_STATES)
    orders = _filtered(scope, get)
    counts = queries.board_counts(orders)
    labels = _group_labels()
    return {
        "visible": visible,
        "scope": scope,
        "orders": orders,
        "counts": counts,
        "groups": [
            {
                "key": key,
                "label": labels[key],
                "n": counts[key],
                "query": _query(get, **{"need": "", "sla": "", field: value}),
                "active": get.get(field) == value,
                "colour": colour,
            }
            for key, field, value, colour in GROUPS
        ],
        "filters": get,
        "can_dispatch": user.role in DISPATCH_ROLES,
    }


def _page(context: dict, get: QueryDict):
    ordered = queries.board_order(context["orders"]).select_related(*queries.LIST_RELATED)
    return Paginator(ordered, PAGE_SIZE).get_page(get.get("page"))


def _poll_url_query(get: QueryDict, since: int) -> str:
    query = get.copy()
    query.pop("since", None)
    query["since"] = str(since)
    return query.urlencode()


@role_required(ORDER_BOARD_ROLES)
def board(request: AuthedRequest) -> HttpResponse:
    user = request.user
    context = _board(request)
    scope = context["scope"]
    get = request.GET
    if user.role == Role.UNIT_MANAGER:
        unit_ids = unit_and_descendant_ids(user.unit_id)
        unit = user.unit
        title = (
            _("Order board of %(unit)s") % {"unit": unit.name} if unit else _("Unit order board")
        )
        units = Unit.objects.filter(pk__in=unit_ids) if len(unit_ids) > 1 else Unit.objects.none()
        grids = Grid.objects.filter(unit_id__in=unit_ids)
    else:
        title = _("Dispatch board")
        units = Unit.objects.all()
        grids = Grid.objects.all()
    state_counts = queries.state_counts(scope)
    since = queries.newest_id(context["visible"])
    context.update(
        {
            "title": title,
            "page": _page(context, get),
            "state_counts": [(s, State(s).label, state_counts.get(s, 0)) for s in OPEN_STATES],
            "units": units,
            "grids": grids,
            "categories": Category.objects.all(),
            "sla_levels": SlaLevel.choices,
            "total": sum(state_counts.values()),
            "since": since,
            "poll_query": _poll_url_query(get, since),
            "poll_seconds": settings.BOARD_POLL_SECONDS,
            "fresh_after": None,
        }
    )
    return render(request, "desk/board.html", context)


@role_required(ORDER_BOARD_ROLES)
def board_poll(request: AuthedRequest) -> HttpResponse:
    """Polled by the board: fresh counts, and the list again when new orders arrived.

    `since` is the newest order id the page knew; orders of the filter with a larger id are
    new. Without a `since` the answer only sets the baseline.
    """
    context = _board(request)
    get = request.GET
    since = _as_int(get.get("since", ""))
    newest = queries.newest_id(context["visible"])
    fresh = 0
    if since is not None and since < newest:
        fresh = context["orders"].filter(pk__gt=since, pk__lte=newest).count()
    context.update(
        {
            "fresh": fresh,
            "fresh_after": since,
            "since": newest,
            "poll_query": _poll_url_query(get, newest),
            "poll_seconds": settings.BOARD_POLL_SECONDS,
        }
    )
    if fresh:
        context["page"] = _page(context, get)
    response = render(request, "desk/partials/board_poll.html", context)
    if fresh:
        response["HX-Trigger"] = json.dumps({"board-arrivals": {"count": fresh}})
    return response
