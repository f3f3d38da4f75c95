"""The grid specialist's phone screens: my orders, filtered, grouped by urgency and paged,
and the accept / arrive / resolve buttons of each card.

A card's button posts with htmx and gets back just that card (so the page stays where the
specialist was); without JavaScript the same POST redirects to the same filter and page
with the card's #anchor. Errors (someone else got there first, a resolve without a note)
show on the card.
"""

from django.contrib import messages
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from mains.desk import worklist
from mains.desk.access import assignee_scope, order_for
from mains.desk.action_forms import ACTIONS
from mains.desk.errors import OrderActionError, OrderConflict
from mains.desk.models import WorkOrder
from mains.desk.states import Action, State
from mains.org.decorators import role_required
from mains.org.http import AuthedRequest
from mains.org.pii import Purpose, needed
from mains.org.roles import Role

CARD_ACTIONS = (Action.ACCEPT, Action.ARRIVE, Action.RESOLVE)
FILTER_KEYS = ("when", "community", "page")
CARD_TAG = "card-%s"  # a message's extra tag: shown on that order's card, not at the top


def _filters(data: QueryDict) -> dict[str, str]:
    """The list's filter and page as the request gave them (only plain short values)."""
    found = {}
    for key in FILTER_KEYS:
        value = data.get(key, "").strip()[:20]
        if value and value.isascii() and value.isalnum():
            found[key] = value
        elif value:
            found[key] = "-"  # not a value of ours: the list says so (community) or ignores it
    return found


def _list_url(filters: dict[str, str], order: WorkOrder | None = None) -> str:
    query = dict(filters)
    if order is not None:
        query["done"] = str(order.pk)
    url = reverse("desk:my_orders")
    if query:
        url += "?" + urlencode(query)
    return url + (f"#order-{order.number}" if order is not None else "")


def _mine(request: AuthedRequest):
    return WorkOrder.objects.filter(assignee_scope(request.user))


@role_required([Role.SPECIALIST])
def my_orders(request: AuthedRequest) -> HttpResponse:
    return _page(request, _filters(request.GET), done=request.GET.get("done", ""))


def _page(
    request: AuthedRequest,
    filters: dict[str, str],
    done: str = "",
    forms: dict | None = None,
    status: int = 200,
) -> HttpResponse:
    mine = _mine(request)
    listing = worklist.work_list(
        mine, filters.get("when", ""), filters.get("community", ""), filters.get("page", "")
    )
    shown = list(listing.page.object_list)
    # The order just acted on, when it left this page (resolved, or moved to another group).
    pinned = None
    if done.isdecimal() and int(done) not in {o.pk for o in shown}:
        pinned = worklist.card_order(mine, int(done))
    notes: dict[int, list] = {}
    top = []
    for message in messages.get_messages(request):
        tag = next((t for t in message.extra_tags.split() if t.startswith("card-")), "")
        if tag.removeprefix("card-").isdecimal():
            notes.setdefault(int(tag.removeprefix("card-")), []).append(message)
        else:
            top.append(message)
    recent = (
        mine.filter(state=State.RESOLVED)
        .select_related("category", "community")
        .order_by("-resolved_at")[:10]
    )
    working = shown + ([pinned] if pinned is not None else [])
    return render(
        request,
        "desk/my_orders.html",
        {
            "listing": listing,
            "orders": shown,
            "pinned": pinned,
            "filters": filters,
            "filter_query": urlencode({k: v for k, v in filters.items() if k != "page"}),
            "when_filters": _when_filters(listing),
            "urgency_labels": worklist.URGENCY_LABELS,
            "card_notes": notes,
            "card_forms": forms or {},
            "messages": top,
            "recent": recent,
            "sees_pii_of": needed(working, Purpose.WORKING),
        },
        status=status,
    )


def _when_filters(listing: worklist.WorkList) -> list[tuple[str, str, int]]:
    return [
        (key, str(label), listing.counts[key])
        for key, label in (
            ("", pgettext("worklist", "All open")),
            (worklist.OVERDUE, worklist.URGENCY_LABELS[worklist.OVERDUE]),
            (worklist.TODAY, worklist.URGENCY_LABELS[worklist.TODAY]),
        )
    ]


@role_required([Role.SPECIALIST])
@require_POST
def card_act(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    """Accept, arrive or resolve from a card: the card back (htmx), else the list again."""
    order = order_for(request.user, pk)
    if action not in CARD_ACTIONS:
        raise Http404
    filters = _filters(request.POST)
    form_class, perform = ACTIONS[action]
    form = form_class(request.POST, request.FILES, prefix=action)
    error = ""
    version = request.POST.get("version", "")
    if version.isdecimal() and int(version) != order.version:
        error = str(OrderConflict())
    elif form.is_valid():
        try:
            perform(order, request.user, form.cleaned_data)
        except OrderActionError as exc:
            error = str(exc)
    else:
        if action == Action.RESOLVE and request.FILES:
            form.add_error(
                "files", _("The photos were not kept: choose them again before resolving.")
            )
        return _refused_form(request, order, filters, action, form)
    done = _("%(action)s: order %(number)s.") % {
        "action": Action(action).label,
        "number": order.number,
    }
    if request.headers.get("HX-Request"):
        return _card(request, order, filters, error=error, done="" if error else done)
    if error:
        messages.error(request, error, extra_tags=CARD_TAG % order.pk)
    else:
        messages.success(request, done, extra_tags=CARD_TAG % order.pk)
    return redirect(_list_url(filters, order))


def _refused_form(request, order, filters, action, form) -> HttpResponse:
    """A form the card shows again with its errors and what was typed."""
    forms = {order.pk: {action: form}}
    if request.headers.get("HX-Request"):
        # htmx swaps only a success; the card with its errors is one.
        return _card(request, order, filters, forms=forms[order.pk])
    return _page(request, filters, done=str(order.pk), forms=forms, status=400)


def _card(
    request: AuthedRequest,
    order: WorkOrder,
    filters: dict[str, str],
    error: str = "",
    done: str = "",
    forms: dict | None = None,
) -> HttpResponse:
    mine = _mine(request)
    card = worklist.card_order(mine, order.pk)
    if card is None:  # one they see but do not work (the action said no): as it is now
        order.refresh_from_db()
        card = worklist.Clock.read().mark(order)
    listing = worklist.work_list(
        mine, filters.get("when", ""), filters.get("community", ""), filters.get("page", "")
    )
    return render(
        request,
        "desk/partials/field_card.html",
        {
            "o": card,
            "filters": filters,
            "card_error": error,
            "card_done": done,
            "forms": forms or {},
            "sees_pii_of": needed([card], Purpose.WORKING),
            # The counts of the pills and the select change too: swapped in out of band.
            "oob_listing": listing,
            "when_filters": _when_filters(listing),
        },
    )
