"""One order: its page, and every action on it as a small form posted to `order_act`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mains.desk import callback_queue, queries, rollup
from mains.desk.access import is_assignee, order_for, orders_for
from mains.desk.action_forms import ACTIONS, available_actions
from mains.desk.errors import OrderActionError, OrderConflict
from mains.desk.kpi_orders import DrillDownForm, filtered, is_drill_down
from mains.desk.models import WorkOrder
from mains.desk.states import OPEN_STATES, Action, State
from mains.desk.views.kpi_drilldown import drill_down_context
from mains.desk.visibility import reads_special_group_details
from mains.lib.phones import normalise_phone
from mains.lib.text import clean_identifier, clean_line
from mains.org.http import AuthedRequest
from mains.org.pii import Purpose, may_reveal, needed


@login_required
def order_list(request: AuthedRequest) -> HttpResponse:
    scope = orders_for(request.user)
    orders = scope.select_related(*queries.LIST_RELATED)
    text = clean_line(request.GET.get("q", ""))
    if text:
        number = clean_identifier(text)
        orders = (
            orders.filter(number__startswith=number)
            | orders.filter(caller_phone=normalise_phone(text))
            | orders.filter(community__name__icontains=text)
        )
    state = request.GET.get("state", "")
    if state == "open":
        orders = orders.filter(state__in=OPEN_STATES)
    elif state in State.values:
        orders = orders.filter(state=state)
    drill_down = DrillDownForm(request.GET) if is_drill_down(request.GET) else None
    if drill_down is not None and drill_down.is_valid():
        orders = filtered(orders, drill_down.cleaned_data)
    unfiltered = not (text or state or drill_down)
    page = queries.DeferredJoinPaginator(
        orders.order_by(*queries.NEWEST_FIRST),
        50,
        count=rollup.count_orders(scope) if unfiltered else None,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "desk/order_list.html",
        {
            "page": page,
            "states": State.choices,
            "filters": request.GET,
            "drill_down": drill_down and drill_down_context(drill_down, orders),
        },
    )


@login_required
def order_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    order = order_for(request.user, pk)
    context = _detail_context(request, order)
    context["open_action"] = request.GET.get("act", "")
    return render(request, "desk/order_detail.html", context)


def _initial(action: str) -> dict:
    if action == Action.REMIND:
        # Most reminders are a resident ringing again; the agent adds what they said.
        return {"note": _("The caller rang again about this order.")}
    return {}


def _detail_context(request: AuthedRequest, order: WorkOrder, errors: dict | None = None) -> dict:
    allowed = available_actions(request.user, order)
    works_it = is_assignee(request.user, order)
    reads_details = reads_special_group_details(request.user, order)
    forms = {a: ACTIONS[a][0](prefix=a, initial=_initial(a)) for a in allowed}
    if errors:
        forms.update(errors)
    return {
        "order": order,
        "events": order.events.select_related("actor").prefetch_related("attachments"),
        "attachments": order.attachments.all(),
        "callbacks": order.callbacks.select_related("agent"),
        "forms": forms,
        "sees_pii_of": needed([order] if works_it else [], Purpose.WORKING),
        "reads_details": reads_details,
        "offer_reveal": may_reveal(request.user) and not works_it and reads_details,
    }


@login_required
@require_POST
def order_act(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    order = order_for(request.user, pk)
    if action not in ACTIONS:
        messages.error(request, _("Unknown action."))
        return redirect("desk:order", pk=order.pk)
    form_class, perform = ACTIONS[action]
    form = form_class(request.POST, request.FILES, prefix=action)
    version = request.POST.get("version", "")
    if version.isdecimal() and int(version) != order.version:
        # The page was out of date: say so, rather than judge the action by today's state.
        messages.error(request, str(OrderConflict()))
        return _back(request, order)
    if form.is_valid():
        try:
            perform(order, request.user, form.cleaned_data)
        except OrderActionError as exc:
            messages.error(request, str(exc))
            return _back(request, order)
        if action == Action.CALLBACK:
            # Say what became of the order: re-opened, and to whom it went.
            told = callback_queue.outcome(order, form.cleaned_data["result"])
        else:
            told = _("%(action)s: order %(number)s.") % {
                "action": Action(action).label,
                "number": order.number,
            }
        messages.success(request, told)
        return _back(request, order)
    context = _detail_context(request, order, errors={action: form})
    context["open_action"] = action
    return render(request, "desk/order_detail.html", context, status=400)


def _back(request: AuthedRequest, order: WorkOrder) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("desk:order", pk=order.pk)
