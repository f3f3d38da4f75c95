"""Service KPIs of work orders over a range of dates, computed in the database.

What is counted, and over which orders: mains.desk.kpi_counts.

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
from time import monotonic
from typing import Any

from django.db.models import Count, F, Q, QuerySet

from mains.areas.models import Community
from mains.desk import rollup
from mains.desk.kpi_counts import (
    CALLBACK_COUNTS,
    COUNTS,
    GROUPINGS,
    ORDER_COUNTS,
    RATES,
    LocalDate,
    Period,
    callback_aggregates,
    order_aggregates,
    orders_in,
)
from mains.desk.models import Callback, WorkOrder


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
