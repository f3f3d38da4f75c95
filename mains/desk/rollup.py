"""The KPI rollup: per-day counts that let the KPI page add up days instead of orders.

What it holds (tables in mains.desk.rollup_models)
    For every local day before today, every unit (the scope of a unit manager) and every
    group of each dimension (unit, grid, specialist, category, community), one KpiRollup
    row with the additive counts of mains.desk.kpis over the orders received that day
    (mains.desk.kpi_counts.COUNTS, the callback counts included). A month of the demo city at
    ten times its size is about 42,000 rows (all five groupings) against 170,000 orders
    with their callbacks.

Why it stays exact
    Every count of an order depends only on the order's own row and its callbacks, and an
    order belongs to the day it was received on for good. So a day's rows are right as
    long as none of that day's orders changed since they were counted. Each write to an
    order (the actions' UPDATEs call ``touch``; creating or deleting an order or a
    callback through the ORM does so by signal) bumps ``KpiDay.changes`` of the order's
    day in the same transaction. A rebuild reads ``changes`` before it counts and stores
    it as ``built``; a write it did not see commits a higher ``changes``, so the day stays
    dirty. Readers (``split``) use the rollup only for clean days (``built == changes``)
    and count the others, today always among them, directly from the orders, with the
    same queries as before. A callback, a re-do or a transfer on a February order makes
    February's day dirty until the next rebuild, never wrong.

When it is rebuilt
    ``refresh()`` rebuilds the dirty days before today: every five minutes (the Huey job
    in mains.desk.tasks), after the demo build, and with ``mains kpi_rollup``; each run of
    consecutive days is rebuilt in one transaction with ten grouped queries.
    ``refresh(everything=True)`` also finds the days that have orders but were never built
    (orders loaded in bulk, or from before the rollup existed): nightly, and by the
    command's ``--all``.

Which scopes it serves
    All orders, or the orders of a set of units (``orders_for`` of a unit manager); any
    other queryset (``scope_units`` does not recognise it) is counted directly.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import F, Q, QuerySet, Sum
from django.db.models.lookups import Exact, In
from django.utils import timezone

from mains.desk import kpi_counts
from mains.desk.models import Callback, WorkOrder
from mains.desk.rollup_models import KpiDay, KpiRollup

ALL = "all"
# dimension → the work order's field that names the group
DIMENSIONS = {
    "unit": "unit_id",
    "grid": "grid_id",
    "specialist": "specialist_id",
    "category": "category_id",
    "community": "community_id",
}
RUN_DAYS = 31  # days rebuilt in one transaction at most


@dataclass(frozen=True)
class Split:
    """A period cut into the days the rollup answers for and the runs counted directly."""

    units: frozenset[int] | str  # ALL, or the units in scope
    clean: tuple  # runs (first, last) of clean days
    live: tuple  # runs (first, last) of the other days


def runs(days: Iterable[date]) -> list[tuple[date, date]]:
    """Consecutive days as (first, last) pairs, in order."""
    found: list[list[date]] = []
    for day in sorted(set(days)):
        if found and day - found[-1][1] == timedelta(days=1):
            found[-1][1] = day
        else:
            found.append([day, day])
    return [(first, last) for first, last in found]


def scope_units(scope: QuerySet) -> frozenset[int] | str | None:
    """ALL for every order, the units for ``filter(unit_id__in=…)``, None for other scopes."""
    query = scope.query
    if (
        scope.model is not WorkOrder
        or query.combinator
        or query.distinct
        or query.is_sliced
        or query.annotations
        or query.extra
        or query.where.negated
        or query.where.connector != "AND"
    ):
        return None
    children = query.where.children
    if not children:
        return ALL
    if len(children) != 1 or not isinstance(children[0], In | Exact):
        return None
    lookup = children[0]
    target = getattr(lookup.lhs, "target", None)
    if target is not WorkOrder._meta.get_field("unit"):
        return None
    values = lookup.rhs if isinstance(lookup, In) else [lookup.rhs]
    if not isinstance(values, list | tuple | set | frozenset):
        return None
    if not all(isinstance(value, int) and not isinstance(value, bool) for value in values):
        return None
    return frozenset(values)


def local_today() -> date:
    return timezone.localdate(timezone=timezone.get_default_timezone())


def split(scope: QuerySet, start: date, end: date) -> Split | None:
    """How to count the days from start to end for this scope; None: count it all directly."""
    units = scope_units(scope)
    if units is None:
        return None
    last_built = min(end, local_today() - timedelta(days=1))
    clean = set()
    if start <= last_built:
        clean = set(
            KpiDay.objects.filter(day__gte=start, day__lte=last_built, built=F("changes"))
            .values_list("day", flat=True)
            .order_by()
        )
    if not clean:
        return None
    every = {start + timedelta(days=n) for n in range((end - start).days + 1)}
    return Split(units, tuple(runs(clean)), tuple(runs(every - clean)))


def _days_q(day_runs: Sequence[tuple[date, date]]) -> Q:
    q = Q(pk__in=[])
    for first, last in day_runs:
        q |= Q(day__gte=first, day__lte=last)
    return q


def sums(part: Split, dimension: str, by: Sequence[str], fields: Sequence[str]) -> QuerySet:
    """The rollup's counts of the clean days, summed per `by` (``key``, ``day``)."""
    rows = KpiRollup.objects.filter(_days_q(part.clean), dimension=dimension)
    if part.units != ALL:
        rows = rows.filter(unit_id__in=sorted(part.units))
    return rows.order_by().values(*by).annotate(**{name: Sum(name) for name in fields})


def count_orders(scope: QuerySet) -> int | None:
    """How many orders the scope holds, exactly: the rollup's ``received`` of the clean
    days plus the other days counted directly (an order list's "of 20,001 pages" without
    counting a million rows). None when the rollup cannot serve the scope."""

    units = scope_units(scope)
    if units is None:
        return None
    clean = KpiDay.objects.filter(day__lt=local_today(), built=F("changes")).values_list(
        "day", flat=True
    )
    clean_runs = runs(clean.order_by())
    if not clean_runs:
        return None
    rows = KpiRollup.objects.filter(_days_q(clean_runs), dimension="unit")
    if units != ALL:
        rows = rows.filter(unit_id__in=sorted(units))
    counted = rows.aggregate(n=Sum("received"))["n"] or 0
    # The orders outside the clean runs: before the first, between two, after the last.
    outside = Q(pk__in=[])
    lower = None
    for first, last in clean_runs:
        start, end = kpi_counts.Period(first, last).bounds()
        outside |= (
            Q(received_at__lt=start)
            if lower is None
            else Q(received_at__gte=lower, received_at__lt=start)
        )
        lower = end
    outside |= Q(received_at__gte=lower)
    return counted + scope.filter(outside).order_by().count()


# Building ---------------------------------------------------------------------------------


def _count_rows(first: date, last: date) -> list[KpiRollup]:
    """The rollup rows of the days first…last, counted from the orders and callbacks."""

    period = kpi_counts.Period(first, last)
    orders = kpi_counts.orders_in(WorkOrder.objects.all(), period)
    start, end = period.bounds()
    callbacks = Callback.objects.filter(
        order__received_at__gte=start, order__received_at__lt=end
    ).order_by()
    rows: list[KpiRollup] = []
    for dimension, field in DIMENSIONS.items():
        groups = {"r_unit": F("unit_id"), "r_key": F(field)}
        found: dict[tuple, dict] = {}
        for values in orders.values(
            day=kpi_counts.LocalDate("received_at", period), **groups
        ).annotate(**kpi_counts.order_aggregates()):
            row: dict = dict(values)
            found[(row.pop("day"), row.pop("r_unit"), row.pop("r_key"))] = row
        for values in callbacks.values(
            day=kpi_counts.LocalDate("order__received_at", period),
            r_unit=F("order__unit_id"),
            r_key=F(f"order__{field}"),
        ).annotate(**kpi_counts.callback_aggregates()):
            row = dict(values)
            group = (row.pop("day"), row.pop("r_unit"), row.pop("r_key"))
            found.setdefault(group, dict.fromkeys(kpi_counts.ORDER_COUNTS, 0)).update(row)
        rows.extend(
            KpiRollup(day=day, dimension=dimension, unit_id=unit, key=key, **counts)
            for (day, unit, key), counts in found.items()
        )
    return rows


def rebuild(first: date, last: date) -> int:
    """Count the days first…last anew; returns the rows written."""
    with transaction.atomic():
        seen = dict(
            KpiDay.objects.filter(day__gte=first, day__lte=last).values_list("day", "changes")
        )
        KpiRollup.objects.filter(day__gte=first, day__lte=last).delete()
        rows = _count_rows(first, last)
        KpiRollup.objects.bulk_create(rows, batch_size=2000)
        days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
        KpiDay.objects.bulk_create(
            [KpiDay(day=day, changes=0, built=seen.get(day, 0)) for day in days],
            update_conflicts=True,
            unique_fields=["day"],
            update_fields=["built"],
        )
    return len(rows)


def days_to_build(everything: bool = False) -> list[date]:
    """The dirty days before today; with `everything`, also the days never built."""

    today = local_today()
    days = set(
        KpiDay.objects.filter(day__lt=today)
        .exclude(built=F("changes"))
        .values_list("day", flat=True)
        .order_by()
    )
    if everything:
        built = set(KpiDay.objects.filter(built__isnull=False).values_list("day", flat=True))
        first = WorkOrder.objects.order_by("received_at").values_list("received_at", flat=True)
        oldest = first.first()
        if oldest is not None:
            period = kpi_counts.Period(timezone.localdate(oldest), today - timedelta(days=1))
            if period.start <= period.end:
                having = (
                    kpi_counts.orders_in(WorkOrder.objects.all(), period)
                    .values_list(kpi_counts.LocalDate("received_at", period), flat=True)
                    .distinct()
                )
                days |= set(having) - built
    return sorted(day for day in days if day < today)


def refresh(everything: bool = False, progress=None) -> int:
    """Rebuild what needs it (see the module docstring); returns the days rebuilt."""
    days = days_to_build(everything)
    chunks = []
    for first, last in runs(days):
        while first <= last:
            stop = min(last, first + timedelta(days=RUN_DAYS - 1))
            chunks.append((first, stop))
            first = stop + timedelta(days=1)
    for first, last in chunks:
        rebuild(first, last)
        if progress is not None:
            progress((last - first).days + 1)
    return len(days)
