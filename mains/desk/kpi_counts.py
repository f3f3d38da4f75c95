"""What the KPIs count, over which orders and days: the one definition the KPI pages,
the exports and the rollup (mains.desk.rollup) share.

Which orders count
    An order belongs to a range by the local date it was received on: ``received_at``
    from ``start`` 00:00 up to, not including, 00:00 of the day after ``end``, in
    settings.TIME_ZONE (Asia/Shanghai). The scope (all orders, or a unit manager's unit)
    is the queryset the caller passes in, normally ``access.orders_for(user)``.
    Timestamps are those of an order's latest pass: a transfer or a return clears
    ``accepted_at``; a re-do (重办) clears the accept, arrive and resolve times and sets
    new deadlines.

Counts, per group and in total (all are additive, so a total is a sum of groups)
    received             every order in the range, cancelled ones included
    not_cancelled        received, less the cancelled (invalid or duplicate) orders
    accepted             orders with ``accepted_at`` and ``accept_due`` set
    accepted_on_time     … of which ``accepted_at <= accept_due``
    visited              orders that needed a site visit (``arrive_due`` set, from a
                         category that needs one) and arrived (``arrived_at`` set)
    visited_on_time      … of which ``arrived_at <= arrive_due``
    resolved             orders resolved or later: state resolved, callback_done or closed
    resolved_on_time     … of which ``resolved_at <= resolve_due``
    called_back          resolved orders with at least one valid Callback
    worked               orders resolved at least once: resolved or later, or re-done
                         (a re-done order was resolved before the unsatisfied callback)
    redone               orders with ``redo_count > 0``, whatever their state now
    answered_directly    calls the agent answered on the spot (直接答复) from the knowledge base
    callbacks            valid Callback rows (satisfied, fairly satisfied, unsatisfied;
                         models.VALID_CALLBACK_RESULTS) of the orders, whenever made;
                         "not reached" is not a valid callback
    satisfied_callbacks  … of which satisfied or fairly satisfied

Rates (None when the denominator is 0; the pages show "—")
    on_time_acceptance   accepted_on_time ÷ accepted
    timeliness           visited_on_time ÷ visited
    closure_rate         resolved ÷ not_cancelled
    on_time_closure      resolved_on_time ÷ resolved
    callback_rate        called_back ÷ resolved
    satisfaction         satisfied_callbacks ÷ callbacks
    redo_rate            redone ÷ worked
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from mains.desk.models import VALID_CALLBACK_RESULTS, Satisfaction, WorkOrder
from mains.desk.states import DONE_STATES, State

SATISFIED_RESULTS = [Satisfaction.SATISFIED, Satisfaction.FAIRLY]
PRESETS = ("this_month", "last_month", "last_7_days")
MAX_DAYS = 366

# grouping → (the key field, the fields that name a group)
GROUPINGS: dict[str, tuple[str, tuple[str, ...]]] = {
    "unit": ("unit_id", ("unit__name",)),
    "grid": ("grid_id", ("grid__code", "grid__name")),
    "specialist": ("specialist_id", ("specialist__name",)),
    "category": ("category_id", ("category__name",)),
}

# rate → (numerator, denominator)
RATES: dict[str, tuple[str, str]] = {
    "on_time_acceptance": ("accepted_on_time", "accepted"),
    "timeliness": ("visited_on_time", "visited"),
    "closure_rate": ("resolved", "not_cancelled"),
    "on_time_closure": ("resolved_on_time", "resolved"),
    "callback_rate": ("called_back", "resolved"),
    "satisfaction": ("satisfied_callbacks", "callbacks"),
    "redo_rate": ("redone", "worked"),
}
ORDER_COUNTS = (
    "received",
    "not_cancelled",
    "accepted",
    "accepted_on_time",
    "visited",
    "visited_on_time",
    "resolved",
    "resolved_on_time",
    "worked",
    "redone",
    "answered_directly",
)
CALLBACK_COUNTS = ("called_back", "callbacks", "satisfied_callbacks")
COUNTS = ORDER_COUNTS + CALLBACK_COUNTS


@dataclass(frozen=True)
class Period:
    """A range of local dates, both ends included."""

    start: date
    end: date

    def bounds(self) -> tuple[datetime, datetime]:
        zone = timezone.get_default_timezone()
        return (
            datetime.combine(self.start, time.min, tzinfo=zone),
            datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=zone),
        )

    def days(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range((self.end - self.start).days + 1)]


def preset_period(name: str, today: date | None = None) -> Period:
    """This month (to today), last month, or the last 7 days (today included)."""
    today = today or timezone.localdate(timezone=timezone.get_default_timezone())
    if name == "last_month":
        end = today.replace(day=1) - timedelta(days=1)
        return Period(end.replace(day=1), end)
    if name == "last_7_days":
        return Period(today - timedelta(days=6), today)
    if name == "this_month":
        return Period(today.replace(day=1), today)
    raise ValueError(name)


class LocalDate(TruncDate):
    """The local date of a timestamp, for grouping by day.

    Django's TruncDate makes SQLite call back into Python for every row. When the time
    zone keeps one UTC offset over the whole period (Asia/Shanghai always does), SQLite
    shifts the stored UTC text by that offset in SQL instead: date(ts, '+480 minutes').
    """

    def __init__(self, expression: str, period: Period):
        zone = timezone.get_default_timezone()
        offsets = {
            datetime.combine(day, time.min, tzinfo=zone).utcoffset()
            for day in [*period.days(), period.end + timedelta(days=1)]
        }
        offset = offsets.pop() if len(offsets) == 1 else None
        self.offset_minutes = None if offset is None else int(offset.total_seconds() // 60)
        super().__init__(expression, tzinfo=zone)

    def as_sqlite(self, compiler, connection, **extra_context):
        if self.offset_minutes is None:
            return self.as_sql(compiler, connection, **extra_context)
        sql, params = compiler.compile(self.lhs)
        return f"date({sql}, %s)", (*params, f"{self.offset_minutes:+d} minutes")


def orders_in(orders: QuerySet[WorkOrder], period: Period) -> QuerySet[WorkOrder]:
    start, end = period.bounds()
    return orders.filter(received_at__gte=start, received_at__lt=end).order_by()


def order_aggregates() -> dict:
    """The order counts as conditional aggregates over work orders."""
    done = Q(state__in=DONE_STATES)
    return {
        "received": Count("pk"),
        "not_cancelled": Count("pk", filter=~Q(state=State.CANCELLED)),
        "accepted": Count("pk", filter=Q(accepted_at__isnull=False, accept_due__isnull=False)),
        "accepted_on_time": Count("pk", filter=Q(accepted_at__lte=F("accept_due"))),
        "visited": Count("pk", filter=Q(arrived_at__isnull=False, arrive_due__isnull=False)),
        "visited_on_time": Count("pk", filter=Q(arrived_at__lte=F("arrive_due"))),
        "resolved": Count("pk", filter=done),
        "resolved_on_time": Count("pk", filter=done & Q(resolved_at__lte=F("resolve_due"))),
        "worked": Count("pk", filter=done | Q(redo_count__gt=0)),
        "answered_directly": Count("pk", filter=Q(answered_directly=True)),
        "redone": Count("pk", filter=Q(redo_count__gt=0)),
    }


def callback_aggregates() -> dict:
    """The callback counts as conditional aggregates over callbacks."""
    valid = Q(result__in=VALID_CALLBACK_RESULTS)
    return {
        "called_back": Count(
            "order", distinct=True, filter=valid & Q(order__state__in=DONE_STATES)
        ),
        "callbacks": Count("pk", filter=valid),
        "satisfied_callbacks": Count("pk", filter=Q(result__in=SATISFIED_RESULTS)),
    }
