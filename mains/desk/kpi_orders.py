"""The orders behind a KPI figure: the order list's drill-down filters.

Every figure of the KPI page links to the order list filtered to the orders it counts:
the period (by the local date received, as mains.desk.kpis counts it), the group of its
row (unit, grid, specialist or category; ``none`` for the orders without one) and a KPI
condition. Each condition is the order-level reading of a count of mains.desk.kpis, so
that the list shows as many orders as the figure says (tests/desk/test_kpi_drilldown.py):

    accepted_late     accepted − accepted_on_time          (on-time acceptance)
    visited_late      visited − visited_on_time            (timeliness)
    not_resolved      not_cancelled − resolved             (closure rate)
    resolved_late     resolved − resolved_on_time          (on-time closure)
    not_called_back   resolved − called_back               (callback rate)
    unsatisfied       orders with an unsatisfied callback  (satisfaction; an order called
                      back unsatisfied twice is one order, two callbacks)
    redone            redone                               (re-do rate)
    and the denominators: accepted, visited, not_cancelled, resolved, worked, called_back,
    answered_directly.
"""

from datetime import date

from django import forms
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.expressions import Combinable
from django.utils.translation import gettext_lazy as _

from mains.desk import kpis as kpi
from mains.desk import rollup
from mains.desk.models import VALID_CALLBACK_RESULTS, Callback, Satisfaction, WorkOrder
from mains.desk.states import DONE_STATES, State
from mains.lib.fields import IdentifierField

NONE = "none"  # a group filter for the orders without a unit, grid, specialist or category


def _callback(**lookups) -> Exists:
    return Exists(Callback.objects.filter(order=OuterRef("pk"), **lookups))


def _conditions() -> dict[str, Q | Exists | Combinable]:
    done = Q(state__in=DONE_STATES)
    called_back = _callback(result__in=VALID_CALLBACK_RESULTS)
    return {
        "accepted": Q(accepted_at__isnull=False, accept_due__isnull=False),
        "accepted_late": Q(accepted_at__gt=F("accept_due")),
        "visited": Q(arrived_at__isnull=False, arrive_due__isnull=False),
        "visited_late": Q(arrived_at__gt=F("arrive_due")),
        "not_cancelled": ~Q(state=State.CANCELLED),
        "not_resolved": ~Q(state=State.CANCELLED) & ~done,
        "resolved": done,
        "resolved_late": done
        & (
            Q(resolved_at__isnull=True)
            | Q(resolve_due__isnull=True)
            | Q(resolved_at__gt=F("resolve_due"))
        ),
        "called_back": done & called_back,
        "not_called_back": done & ~called_back,
        "unsatisfied": _callback(result=Satisfaction.UNSATISFIED),
        "worked": done | Q(redo_count__gt=0),
        "redone": Q(redo_count__gt=0),
        "answered_directly": Q(answered_directly=True),
    }


CONDITION_LABELS = {
    "accepted": _("accepted"),
    "accepted_late": _("accepted late"),
    "visited": _("visited"),
    "visited_late": _("on site late"),
    "not_cancelled": _("not cancelled"),
    "not_resolved": _("not resolved"),
    "resolved": _("resolved"),
    "resolved_late": _("resolved late"),
    "called_back": _("called back"),
    "not_called_back": _("not called back"),
    "unsatisfied": _("with an unsatisfied callback"),
    "worked": _("resolved at least once"),
    "redone": _("re-done"),
    "answered_directly": _("answered directly"),
}
# rate → the condition of the orders that miss it (its drill-down) and of its denominator
MISSES = {
    "on_time_acceptance": "accepted_late",
    "timeliness": "visited_late",
    "closure_rate": "not_resolved",
    "on_time_closure": "resolved_late",
    "callback_rate": "not_called_back",
    "satisfaction": "unsatisfied",
    "redo_rate": "redone",
}
OUT_OF = {
    "on_time_acceptance": "accepted",
    "timeliness": "visited",
    "closure_rate": "not_cancelled",
    "on_time_closure": "resolved",
    "callback_rate": "resolved",
    "redo_rate": "worked",
}  # satisfaction counts callbacks, not orders: its denominator has no list
GROUP_PARAMS = ("unit", "grid", "specialist", "category")


def misses(row: dict, rate: str) -> int:
    """How many orders the drill-down of a rate lists (but for satisfaction, see above)."""
    numerator, denominator = kpi.RATES[rate]
    if rate == "redo_rate":
        return row[numerator]
    return row[denominator] - row[numerator]


class GroupField(IdentifierField):
    """The id of a unit, grid, specialist or category, or `none` for orders without one."""

    default_error_messages = {"invalid": _("Choose a group from the KPI page.")}

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values or value == NONE:
            return value
        if not value.isdecimal() or len(value) > 12:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return int(value)


class DrillDownForm(forms.Form):
    """The drill-down filters of the order list, as the KPI page's links send them."""

    received_from = forms.DateField(
        label=_("Received from"),
        required=False,
        error_messages={"invalid": _("Enter the first day received as 2026-11-01.")},
    )
    received_to = forms.DateField(
        label=_("Received to"),
        required=False,
        error_messages={"invalid": _("Enter the last day received as 2026-11-30.")},
    )
    unit = GroupField(required=False)
    grid = GroupField(required=False)
    specialist = GroupField(required=False)
    category = GroupField(required=False)
    kpi = IdentifierField(required=False)

    def clean_kpi(self) -> str:
        value = self.cleaned_data.get("kpi") or ""
        if value and value not in CONDITION_LABELS:
            raise forms.ValidationError(_("This KPI filter is unknown: open it from the KPI page."))
        return value

    def clean(self):
        data = super().clean()
        start, end = data.get("received_from"), data.get("received_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The first day must not be after the last day."))
        return data


def is_drill_down(params) -> bool:
    return any(params.get(name) for name in DrillDownForm.base_fields)


def filtered(orders: QuerySet[WorkOrder], data: dict) -> QuerySet[WorkOrder]:
    """The orders that match valid drill-down filters (`data` is a form's cleaned_data)."""
    start: date | None = data.get("received_from")
    end: date | None = data.get("received_to")
    if start:
        orders = orders.filter(received_at__gte=kpi.Period(start, start).bounds()[0])
    if end:
        orders = orders.filter(received_at__lt=kpi.Period(end, end).bounds()[1])
    for name in GROUP_PARAMS:
        value = data.get(name)
        if value == NONE:
            orders = orders.filter(**{f"{name}__isnull": True})
        elif value:
            orders = orders.filter(**{f"{name}_id": value})
    if data.get("kpi"):
        orders = orders.filter(_conditions()[data["kpi"]])
    return orders


def unsatisfied_orders(scope: QuerySet[WorkOrder], period: kpi.Period) -> int:
    """How many orders of the period had an unsatisfied callback (the satisfaction card's
    drill-down), counted from the callbacks side: they are few beside the orders."""
    start, end = period.bounds()
    callbacks = Callback.objects.filter(
        result=Satisfaction.UNSATISFIED,
        order__received_at__gte=start,
        order__received_at__lt=end,
    )
    # "All orders" or a unit manager's units as a plain condition: an IN (all orders)
    # subquery would have SQLite walk every order.
    units = rollup.scope_units(scope)
    if units is None:
        callbacks = callbacks.filter(order__in=scope)
    elif units != rollup.ALL:
        callbacks = callbacks.filter(order__unit_id__in=sorted(units))
    return callbacks.values("order").distinct().count()
