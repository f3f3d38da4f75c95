"""The callback queue: resolved orders to call back, and called-back orders to archive.

Each row of the queue records its callback on `callback_record`. With htmx the row is
swapped: by a line saying what became of the order, or by itself with the error, the
choice made and the note typed. Without htmx an error re-shows the queue (400) with that
row as it was sent, and a success comes back to the queue with the same filters.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from mains.desk import actions, callback_queue, queries
from mains.desk.access import order_for, orders_for
from mains.desk.errors import OrderActionError, OrderConflict
from mains.desk.forms import CallbackForm
from mains.desk.models import WorkOrder
from mains.desk.states import State
from mains.lib.text import clean_line
from mains.org.decorators import role_required
from mains.org.http import AuthedRequest
from mains.org.models import Unit
from mains.org.pii import Purpose, needed
from mains.org.roles import CALLBACK_ROLES

PER_PAGE = 30


@dataclass
class Row:
    """One order of the queue and its callback form (bound when it was sent back)."""

    order: WorkOrder
    form: CallbackForm
    error: str = ""


def _blank(order: WorkOrder) -> Row:
    return Row(order, CallbackForm(prefix="callback"))


def _as_int(value: str) -> int | None:
    return int(value) if value.isdecimal() else None


@role_required(CALLBACK_ROLES)
def callbacks(request: AuthedRequest) -> HttpResponse:
    return _queue(request)


def _queue(request: AuthedRequest, failed: Row | None = None, status: int = 200) -> HttpResponse:
    scope = orders_for(request.user)
    get = request.GET
    now = timezone.now()
    # A row sent back is one to call back, whatever tab the address names.
    tab = "archive" if get.get("tab") == "archive" and failed is None else "due"
    if tab == "archive":
        orders = (
            scope.filter(state=State.CALLBACK_DONE)
            .select_related(*queries.LIST_RELATED)
            .order_by("callback_at")
        )
    else:
        orders = queries.callback_queue(scope)
    orders, text, unit, due = _narrowed(orders, get)
    due_counts = callback_queue.due_counts(orders, now) if tab == "due" else {}
    if tab == "due":
        orders = callback_queue.due_within(orders, due, now)
    page = Paginator(orders, PER_PAGE).get_page(get.get("page"))
    rows = [_blank(order) for order in page]
    if failed is not None:
        # The row sent back stays where the agent saw it, or on top if it moved meanwhile.
        at = next((i for i, row in enumerate(rows) if row.order.pk == failed.order.pk), None)
        if at is None:
            rows.insert(0, failed)
        else:
            rows[at] = failed
    counts = queries.state_counts(scope.filter(state__in=[State.RESOLVED, State.CALLBACK_DONE]))
    shown = [row.order for row in rows if row.order.state == State.RESOLVED]
    return render(
        request,
        "desk/callbacks.html",
        {
            # The agent calling the resident back needs the name and number.
            "sees_pii_of": needed(shown if tab == "due" else [], Purpose.CALLBACK),
            "page": page,
            "rows": rows,
            "tab": tab,
            "q": text,
            "unit": unit,
            "due": due,
            "units": Unit.objects.order_by("name"),
            **_pills(due_counts),
            "due_count": counts.get(State.RESOLVED, 0),
            "archive_count": counts.get(State.CALLBACK_DONE, 0),
        },
        status=status,
    )


def _narrowed(orders: QuerySet[WorkOrder], get: QueryDict) -> tuple[QuerySet, str, int | None, str]:
    """The queue's search and unit filter on `orders`, and the due window asked for."""
    text = clean_line(get.get("q", ""))[:50]
    orders = callback_queue.matching(orders, text)
    unit = _as_int(get.get("unit", ""))
    if unit is not None:
        orders = orders.filter(unit_id=unit)
    due = get.get("due", "") if get.get("due") in callback_queue.DUE_WINDOWS else ""
    return orders, text, unit, due


def _pills(due_counts: dict[str, int]) -> dict:
    return {
        "due_pills": [
            (name, label, due_counts.get(name, 0))
            for name, label in callback_queue.DUE_WINDOWS.items()
        ],
        "due_total": sum(due_counts.values()),
    }


@role_required(CALLBACK_ROLES)
@require_POST
def callback_record(request: AuthedRequest, pk: int) -> HttpResponse:
    """Record one queue row's callback (the order's pk); the queue's filters ride along."""
    order = order_for(request.user, pk)
    form = CallbackForm(request.POST, prefix="callback")
    version = request.POST.get("version", "")
    error = ""
    if form.is_valid():
        result = form.cleaned_data["result"]
        if version.isdecimal() and int(version) != order.version:
            error = str(OrderConflict())
        else:
            try:
                actions.do_callback(order, request.user, result, form.cleaned_data["note"])
            except OrderActionError as exc:
                error = str(exc)
        if not error:
            return _recorded(request, order, callback_queue.outcome(order, result))
    if error:
        # The row shows the order as it is now (a fresh version to send again, or no form
        # when someone else called back meanwhile), with what this agent chose and typed.
        order = order_for(request.user, pk)
    row = Row(order, form, error)
    if request.headers.get("HX-Request"):
        # htmx swaps only a successful answer: the row with its error is one.
        return render(
            request,
            "desk/partials/callback_row.html",
            {"row": row, "sees_pii_of": _needed(order)},
        )
    return _queue(request, failed=row, status=400)


def _needed(order: WorkOrder) -> dict[str, str]:
    return needed([order] if order.state == State.RESOLVED else [], Purpose.CALLBACK)


def _recorded(request: AuthedRequest, order: WorkOrder, told: str) -> HttpResponse:
    if request.headers.get("HX-Request"):
        scope = orders_for(request.user)
        # The due pills, over the queue's search and unit as the row's form carried them.
        left, text, unit, due = _narrowed(queries.callback_queue(scope), request.GET)
        return render(
            request,
            "desk/partials/callback_done.html",
            {
                "order": order,
                "told": told,
                "reopened": order.state == State.REOPENED,
                # The tab's count and the pills, swapped out of band: one fewer to call back.
                "due_count": scope.filter(state=State.RESOLVED).count(),
                **_pills(callback_queue.due_counts(left, timezone.now())),
                "q": text,
                "unit": unit,
                "due": due,
                "oob": True,
            },
        )
    messages.success(request, told)
    query = request.GET.urlencode()
    return redirect(reverse("desk:callbacks") + (f"?{query}" if query else ""))
