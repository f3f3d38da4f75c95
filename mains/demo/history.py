"""Six months of work orders, their histories and callbacks, written in bulk."""

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.management.color import no_style
from django.db import connection
from django.db.models import Max
from django.utils import timezone
from tqdm import tqdm

from mains.demo.bulk import BATCH, insert_rows
from mains.demo.calls import plan_calls
from mains.demo.grids import Areas
from mains.demo.lifecycle import Cast, Kind, Lifecycle
from mains.demo.organisation import Staff
from mains.demo.patterns import HEAT_SHARE, WATER_SHARE, Window
from mains.desk.calendars import spec_for, special_days
from mains.desk.models import Calendar, Callback, Category, OrderCounter, OrderEvent, WorkOrder
from mains.desk.sla import CalendarSpec, local_zone
from mains.org.roles import Role

CHUNK = 5000  # orders simulated and written at a time
# The work-order fields the demo's stories fill in (see mains.demo.lifecycle).
ORDER_FIELDS = set(
    "id number channel category_id priority community_id caller_name caller_phone address "
    "description state state_before_suspend unit_id grid_id specialist_id created_by_id "
    "duplicate_of_id received_at dispatched_at accepted_at arrived_at resolved_at callback_at "
    "closed_at accept_due arrive_due resolve_due callback_due current_due warn_at sla_level "
    "paused_at extension_requested_until redo_count reminder_count call_count "
    "supervised_until escalated satisfaction resolution version".split()
)


@dataclass
class HistoryStats:
    orders: int = 0
    events: int = 0
    callbacks: int = 0
    states: Counter = field(default_factory=Counter)
    cold_snap: list = field(default_factory=list)
    outage_day: object = None


def kinds_of_categories() -> dict[str, Kind]:
    """The categories the demo uses, each with its calendar read once."""
    days = special_days()
    specs = {cal.pk: spec_for(cal, days) for cal in Calendar.objects.prefetch_related("windows")}
    wanted = list(WATER_SHARE) + list(HEAT_SHARE)
    return {
        cat.code: Kind(cat, specs[cat.calendar_id])
        for cat in Category.objects.filter(active=True, code__in=wanted)
    }


def cast_of(staff: Staff, areas: Areas) -> Cast:
    user_of: dict[int, int] = {}
    name_of: dict[int, str] = {}
    by_unit: dict[int, set[int]] = {}
    for plan in areas.grids:
        for _start, _end, spec in plan.periods:
            user_of[spec.pk] = spec.user_id
            name_of[spec.pk] = spec.name
            by_unit.setdefault(plan.unit_id, set()).add(spec.pk)
    colleagues = {}
    for members in by_unit.values():
        for pk in members:
            colleagues[pk] = sorted(members - {pk})
    network = staff.units.get("管网所")
    supervisor = staff.by_role.get(Role.SUPERVISOR.value)
    return Cast(
        agents=[u.pk for u in staff.agents],
        dispatchers=[u.pk for u in staff.dispatchers],
        manager=staff.by_role[Role.MANAGER.value].pk,
        supervisor=supervisor.pk if supervisor else None,
        user_of=user_of,
        name_of=name_of,
        colleagues=colleagues,
        network_unit=network.pk if network else None,
    )


ORDER_COLUMNS = [f.attname for f in WorkOrder._meta.concrete_fields if f.attname in ORDER_FIELDS]
EVENT_COLUMNS = ["order_id", "at", "actor_id", "action", "from_state", "to_state", "note", "data"]
CALLBACK_COLUMNS = ["order_id", "at", "agent_id", "result", "note"]


def _write(orders: list[tuple], events: list[tuple], callbacks: list[tuple]) -> None:
    insert_rows(WorkOrder, ORDER_COLUMNS, orders)  # fields added later get their defaults
    insert_rows(OrderEvent, EVENT_COLUMNS, events)
    insert_rows(Callback, CALLBACK_COLUMNS, callbacks)


def build_history(
    rng: random.Random,
    now: datetime,
    areas: Areas,
    staff: Staff,
    count: int,
    months: float,
    progress: bool = False,
) -> HistoryStats:
    tz = local_zone()
    window = Window.ending(timezone.localdate(now), max(1, round(months * 30.44)))
    kinds = kinds_of_categories()
    office = CalendarSpec(round_the_clock=False, special_days=special_days())
    working = {day: office.is_working_day(day) for day in window.days}
    calls, restored = plan_calls(rng, areas, window, now, tz, sorted(kinds), working, count)
    life = Lifecycle(
        rng,
        now,
        kinds,
        areas,
        cast_of(staff, areas),
        restored,
        settings.AUTO_DISPATCH,
        settings.REDO_ESCALATION_THRESHOLD,
    )
    stats = HistoryStats(cold_snap=window.cold_snap, outage_day=window.outage_day)
    next_id = (WorkOrder.objects.aggregate(top=Max("id"))["top"] or 0) + 1
    daily: Counter = Counter()
    orders: list[tuple] = []
    events: list[tuple] = []
    callbacks: list[tuple] = []
    bar = tqdm(
        total=len(calls), desc="Work orders", unit=" orders", disable=not progress, mininterval=0.5
    )
    for call in calls:
        day = timezone.localdate(call.at)
        daily[day] += 1
        rec = life.run(call, next_id, f"{day:%Y%m%d}{daily[day]:05d}")
        fields = rec.fields
        orders.append(tuple(fields[name] for name in ORDER_COLUMNS))
        events.extend((next_id, *event) for event in sorted(rec.events, key=lambda e: e[0]))
        callbacks.extend((next_id, *row) for row in rec.callbacks)
        stats.states[rec.state] += 1
        next_id += 1
        if len(orders) >= CHUNK:
            _write(orders, events, callbacks)
            stats.orders += len(orders)
            stats.events += len(events)
            stats.callbacks += len(callbacks)
            bar.update(len(orders))
            orders, events, callbacks = [], [], []
    _write(orders, events, callbacks)
    stats.orders += len(orders)
    stats.events += len(events)
    stats.callbacks += len(callbacks)
    bar.update(len(orders))
    bar.close()
    _reset_sequences()
    OrderCounter.objects.filter(day__in=list(daily)).delete()
    OrderCounter.objects.bulk_create(
        [OrderCounter(day=day, last=last) for day, last in sorted(daily.items())],
        batch_size=BATCH,
    )
    return stats


def _reset_sequences() -> None:
    """Order ids were given explicitly; PostgreSQL's sequence must move past them."""
    statements = connection.ops.sequence_reset_sql(no_style(), [WorkOrder])
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
