"""Service KPIs of work orders over a range of dates, computed in the database.

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

How it is computed
    Every function takes the orders in scope (a queryset) and the period, and returns
    plain dicts. The database does the counting with conditional aggregation
    (``Count(filter=Q(…))``): per table one query over the orders for the order counts
    and one over their callbacks (``Callback.order in orders``) for the three callback
    counts, merged by group. The number of queries does not depend on the number of
    orders. A totals row is the sum of a table's rows: every order falls in exactly one
    row (orders without a unit, grid or specialist in a row of their own), so the sum is
    the count over all orders and needs no query of its own.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from time import monotonic
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from mains.desk.models import VALID_CALLBACK_RESULTS, Callback, Satisfaction, WorkOrder
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


def _pick(row: Mapping[str, Any], names: tuple[str, ...]) -> dict:
    return {name: row[name] for name in names}


def _received_q(day_runs, prefix: str = "") -> Q:
    """Orders received on the days of these runs of (first, last) days."""
    q = Q(pk__in=[])
    for first, last in day_runs:
        start, end = Period(first, last).bounds()
        q |= Q(**{f"{prefix}received_at__gte": start, f"{prefix}received_at__lt": end})
    return q


def _direct(scope: QuerySet[WorkOrder], period: Period, day_runs) -> QuerySet[WorkOrder]:
    """The orders of the scope received on these days of the period, for direct counting."""
    if day_runs is None:
        return orders_in(scope, period)
    # The runs lie inside the period; naming the period's bounds too would let SQLite
    # range over the whole period in the index instead of over the runs.
    return scope.filter(_received_q(day_runs)).order_by()


def _callback_counts(orders: QuerySet[WorkOrder], period: Period, key, day_runs=None) -> dict:
    """{group key: callback counts} for the callbacks of these orders, grouped by `key`.

    The period is repeated on the joined order (it is already in `orders`) so that the
    database reads only the period's orders, not the whole table, for the group key.
    """
    start, end = period.bounds()
    if day_runs is None:
        rows = Callback.objects.filter(
            order__in=orders, order__received_at__gte=start, order__received_at__lt=end
        )
    else:
        rows = Callback.objects.filter(order__in=orders).filter(_received_q(day_runs, "order__"))
    counted = rows.order_by().values(group=key).annotate(**callback_aggregates())
    return {row["group"]: _pick(row, CALLBACK_COUNTS) for row in counted}


def with_rates(row: dict) -> dict:
    for name, (numerator, denominator) in RATES.items():
        row[name] = row[numerator] / row[denominator] if row[denominator] else None
    return row


def _complete(row: dict, callback_counts: dict | None) -> dict:
    row.update(callback_counts or dict.fromkeys(CALLBACK_COUNTS, 0))
    return with_rates(row)


def summed(rows: list[dict]) -> dict:
    """The totals row of a table: its counts summed, and the rates of those sums."""
    return with_rates({name: sum(row[name] for row in rows) for name in COUNTS})


def _add(into: dict, counts: Mapping[str, Any], names=COUNTS) -> None:
    for name in names:
        into[name] = into.get(name, 0) + (counts.get(name) or 0)


SPLIT_REUSE_SECONDS = 5.0


def _rollup_part(scope: QuerySet[WorkOrder], period: Period):
    """Which days the rollup answers for; read once per scope object for a page's tables.

    A page passes the same scope to each function: the split is kept on that queryset for
    a few seconds, so the page's tables agree on one set of clean days.
    """
    from mains.desk import rollup

    now = monotonic()
    kept = getattr(scope, "_kpi_splits", None)
    if kept is None:
        kept = scope._kpi_splits = {}  # type: ignore[attr-defined]
    found = kept.get((period.start, period.end))
    if found is not None and now - found[0] < SPLIT_REUSE_SECONDS:
        return found[1]
    part = rollup.split(scope, period.start, period.end)
    kept[(period.start, period.end)] = (now, part)
    return part


def _kpis_by_direct(scope, period: Period, grouping: str, day_runs=None) -> list[dict]:
    key, label_fields = GROUPINGS[grouping]
    orders = _direct(scope, period, day_runs)
    rows = (
        orders.values(key, *label_fields)
        .annotate(**order_aggregates())
        .order_by(*(F(name).asc(nulls_last=True) for name in label_fields))
    )
    callbacks = _callback_counts(orders, period, F(f"order__{key}"), day_runs)
    result = []
    for row in rows:
        labels = [row.pop(name) for name in label_fields]
        group = row.pop(key)
        row.update(key=group, label=" ".join(str(text) for text in labels if text) or None)
        result.append(_complete(row, callbacks.get(group)))
    return result


def _labels(grouping: str, keys) -> list[tuple[Any, str | None]]:
    """(key, label) of these groups in the order the direct query sorts them."""
    key, label_fields = GROUPINGS[grouping]
    model: Any = WorkOrder._meta.get_field(key.removesuffix("_id")).related_model
    local = [name.split("__", 1)[1] for name in label_fields]
    rows = (
        model.objects.filter(pk__in=[k for k in keys if k is not None])
        .order_by(*(F(name).asc(nulls_last=True) for name in local), "pk")
        .values_list("pk", *local)
    )
    found = [(pk, " ".join(str(text) for text in labels if text) or None) for pk, *labels in rows]
    return found + ([(None, None)] if None in keys else [])


def kpis_by(scope: QuerySet[WorkOrder], period: Period, grouping: str) -> list[dict]:
    """One row per unit, grid, specialist or category; orders without one come last."""
    part = _rollup_part(scope, period)
    if part is None:
        return _kpis_by_direct(scope, period, grouping)
    from mains.desk import rollup

    counts: dict[Any, dict] = {}
    for row in rollup.sums(part, grouping, ["key"], COUNTS):
        _add(counts.setdefault(row["key"], {}), row)
    if part.live:
        for row in _kpis_by_direct(scope, period, grouping, part.live):
            _add(counts.setdefault(row["key"], {}), row)
    return [
        with_rates({**counts[group], "key": group, "label": label})
        for group, label in _labels(grouping, counts)
    ]


def _kpis_by_day_direct(scope, period: Period, day_runs=None) -> dict:
    orders = _direct(scope, period, day_runs)
    rows = orders.values(day=LocalDate("received_at", period)).annotate(**order_aggregates())
    by_day = {row["day"]: _pick(row, ORDER_COUNTS) for row in rows}
    callbacks = _callback_counts(orders, period, LocalDate("order__received_at", period), day_runs)
    for day, counts in callbacks.items():
        by_day.setdefault(day, dict.fromkeys(ORDER_COUNTS, 0)).update(counts)
    return by_day


def kpis_by_day(scope: QuerySet[WorkOrder], period: Period) -> list[dict]:
    """One row per day of the period, days without orders included."""
    part = _rollup_part(scope, period)
    if part is None:
        by_day = _kpis_by_day_direct(scope, period)
    else:
        from mains.desk import rollup

        by_day = _kpis_by_day_direct(scope, period, part.live) if part.live else {}
        for row in rollup.sums(part, "unit", ["day"], COUNTS):
            _add(by_day.setdefault(row["day"], {}), row)
    return [
        with_rates({"day": day, **dict.fromkeys(COUNTS, 0), **by_day.get(day, {})})
        for day in period.days()
    ]


def _per_day_by_category_direct(scope, period: Period, day_runs=None):
    return (
        _direct(scope, period, day_runs)
        .values("category_id", "category__name", day=LocalDate("received_at", period))
        .annotate(n=Count("pk"))
        .order_by("category__name")
    )


def orders_per_day_by_category(scope: QuerySet[WorkOrder], period: Period) -> list[dict]:
    """[{"category": name, "counts": [orders on each day of the period]}], by category."""
    index = {day: n for n, day in enumerate(period.days())}
    part = _rollup_part(scope, period)
    if part is None:
        rows = list(_per_day_by_category_direct(scope, period))
    else:
        from mains.desk import rollup

        rows = [
            {"category_id": row["key"], "day": row["day"], "n": row["received"]}
            for row in rollup.sums(part, "category", ["key", "day"], ["received"])
        ]
        if part.live:
            rows += list(_per_day_by_category_direct(scope, period, part.live))
        names = dict(_labels("category", {row["category_id"] for row in rows}))
        order = {key: n for n, key in enumerate(names)}
        rows = [{**row, "category__name": names[row["category_id"]]} for row in rows]
        rows.sort(key=lambda row: order[row["category_id"]])
    series: dict[int, dict] = {}
    for row in rows:
        entry = series.setdefault(
            row["category_id"], {"category": row["category__name"], "counts": [0] * len(index)}
        )
        if row["day"] in index:
            entry["counts"][index[row["day"]]] += row["n"]
    return list(series.values())


def _communities_direct(scope, period: Period, day_runs=None):
    return (
        _direct(scope, period, day_runs)
        .filter(community__isnull=False)
        .values("community_id", "community__name")
        .annotate(received=Count("pk"))
    )


def top_communities(scope: QuerySet[WorkOrder], period: Period, limit: int = 10) -> list[dict]:
    """The communities with the most orders: [{"community": name, "received": n}]."""
    part = _rollup_part(scope, period)
    if part is None:
        rows = _communities_direct(scope, period).order_by("-received", "community__name")
        return [
            {"community": row["community__name"], "received": row["received"]}
            for row in rows[:limit]
        ]
    from mains.areas.models import Community
    from mains.desk import rollup

    received: dict[int, int] = {}
    for row in rollup.sums(part, "community", ["key"], ["received"]):
        if row["key"] is not None:
            received[row["key"]] = received.get(row["key"], 0) + row["received"]
    if part.live:
        for row in _communities_direct(scope, period, part.live):
            received[row["community_id"]] = received.get(row["community_id"], 0) + row["received"]
    if not received:
        return []
    # The communities that can be in the top `limit` (ties at the last place included),
    # ranked by count and then by name as the database sorts names.
    cut = sorted(received.values(), reverse=True)[:limit][-1]
    names = list(
        Community.objects.filter(pk__in=[pk for pk, n in received.items() if n >= cut])
        .order_by("name", "pk")
        .values_list("pk", "name")
    )
    rank = {pk: n for n, (pk, _name) in enumerate(names)}
    names_of = dict(names)
    top = sorted(rank, key=lambda pk: (-received[pk], rank[pk]))[:limit]
    return [{"community": names_of[pk], "received": received[pk]} for pk in top]
