"""The callback queue: resolved orders to call back, and called-back orders to archive."""

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from mains.desk import queries
from mains.desk.access import orders_for
from mains.desk.forms import CallbackForm
from mains.desk.states import State
from mains.org.decorators import role_required
from mains.org.http import AuthedRequest
from mains.org.pii import Purpose, needed
from mains.org.roles import CALLBACK_ROLES


@role_required(CALLBACK_ROLES)
def callbacks(request: AuthedRequest) -> HttpResponse:
    scope = orders_for(request.user)
    tab = request.GET.get("tab", "due")
    if tab == "archive":
        orders = (
            scope.filter(state=State.CALLBACK_DONE)
            .select_related(*queries.LIST_RELATED)
            .order_by("callback_at")
        )
    else:
        tab = "due"
        orders = queries.callback_queue(scope)
    page = Paginator(orders, 30).get_page(request.GET.get("page"))
    counts = queries.state_counts(scope.filter(state__in=[State.RESOLVED, State.CALLBACK_DONE]))
    return render(
        request,
        "desk/callbacks.html",
        {
            # The agent calling the resident back needs the name and number.
            "sees_pii_of": needed(page if tab == "due" else [], Purpose.CALLBACK),
            "page": page,
            "tab": tab,
            "form": CallbackForm(prefix="callback"),
            "due_count": counts.get(State.RESOLVED, 0),
            "archive_count": counts.get(State.CALLBACK_DONE, 0),
        },
    )
