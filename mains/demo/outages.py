"""The demo city's outages: a burst main now, a planned cut in two days and past ones.

Written through the model layer (nobody is notified); the ended outage of the outage
day covers the communities whose calls the history already holds, with those callers.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from mains.areas.models import Community
from mains.demo import names
from mains.demo.calls import OUTAGE_GRID
from mains.demo.grids import Areas, GridPlan
from mains.demo.names import REAL_COMMUNITIES
from mains.desk.models import WorkOrder
from mains.org.models import User, Utility
from mains.outages.models import Outage, OutageCaller, OutageEvent

OUTAGE_DAY_CALLERS = 8
BURST_REASON = "{street}DN300供水主管道突发爆管，正在抢修，抢修期间{names}停水。"
PLANNED_REASONS = [
    "{street}供水管网改造，更换DN200阀门，施工期间暂停供水。",
    "二次供水水箱清洗消毒，清洗期间暂停供水。",
    "配合市政道路施工迁改{street}供水管道，暂停供水。",
]
OUTAGE_DAY_REASON = "{street}DN400供水主管道爆管，抢修期间周边小区停水。"


@dataclass
class OutageStats:
    active: int = 0
    planned: int = 0
    ended: int = 0
    callers: int = 0


def _local(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


class _Writer:
    def __init__(self, rng: random.Random, by: User | None):
        self.rng, self.by_id = rng, by.pk if by else None
        self.stats = OutageStats()

    def outage(self, kind, communities, starts, ends, reason, announced, ended=None) -> Outage:
        outage = Outage.objects.create(
            kind=kind,
            utility=Utility.WATER,
            starts_at=starts,
            ends_at=ends,
            reason=reason,
            status=Outage.Status.ENDED if ended else Outage.Status.ANNOUNCED,
            ended_at=ended,
            created_by_id=self.by_id,
        )
        outage.communities.set(communities)
        Outage.objects.filter(pk=outage.pk).update(
            created_at=announced, changed_at=ended or announced
        )
        events = [
            OutageEvent(
                outage=outage, kind=OutageEvent.Kind.ANNOUNCED, at=announced, by_id=self.by_id
            )
        ]
        if ended:
            events.append(
                OutageEvent(outage=outage, kind=OutageEvent.Kind.ENDED, at=ended, by_id=self.by_id)
            )
        OutageEvent.objects.bulk_create(events)
        if ended:
            self.stats.ended += 1
        elif kind == Outage.Kind.EMERGENCY:
            self.stats.active += 1
        else:
            self.stats.planned += 1
        return outage

    def callers(self, outage: Outage, people: list[tuple[str, str, int | None, datetime]]) -> None:
        """Attach (name, phone, order id, when) callers, told of the end if it came."""
        seen, callers, events = set(), [], []
        for name, phone, order_id, at in people:
            if not phone or phone in seen:
                continue
            seen.add(phone)
            callers.append(
                OutageCaller(
                    outage=outage,
                    name=name,
                    phone=phone,
                    order_id=order_id,
                    attached_by_id=self.by_id,
                    attached_at=at,
                    notified_at=outage.ended_at,
                )
            )
            events.append(
                OutageEvent(outage=outage, kind=OutageEvent.Kind.ATTACHED, at=at, by_id=self.by_id)
            )
        OutageCaller.objects.bulk_create(callers)
        OutageEvent.objects.bulk_create(events)
        self.stats.callers += len(callers)

    def invented_callers(self, outage: Outage, count: int, first: datetime, last: datetime) -> None:
        rng = self.rng
        people = [
            (names.caller_name(rng), names.mobile(rng), None, first + (last - first) * rng.random())
            for _ in range(count)
        ]
        self.callers(outage, sorted(people, key=lambda p: p[3]))


def _water(plan: GridPlan) -> list[Community]:
    return [c for c in plan.communities if c.utility == Utility.WATER]


def _street(rng: random.Random) -> str:
    return rng.choice(names.STREETS)


def _outage_day(writer: _Writer, areas: Areas, day: date) -> None:
    """The burst the history simulates: the same communities, 13:52 to 19:20, its callers."""
    rng = writer.rng
    grid = next((g for g in areas.grids if g.grid.code == OUTAGE_GRID), areas.grids[0])
    affected = sorted(grid.communities, key=lambda c: -c.households)[:4]
    burst, restored = _local(day, 13, 52), _local(day, 19, 20)
    outage = writer.outage(
        Outage.Kind.EMERGENCY,
        affected,
        burst,
        _local(day, 19, 0),
        OUTAGE_DAY_REASON.format(street=_street(rng)),
        announced=burst + timedelta(minutes=14),
        ended=restored,
    )
    calls = WorkOrder.objects.filter(
        community__in=[c.pk for c in affected],
        received_at__range=(burst, restored),
        category__code="W-NOWATER",
    ).order_by("received_at")
    people: list[tuple[str, str, int | None, datetime]] = [
        (name, phone, pk, max(at, burst + timedelta(minutes=15)) + timedelta(minutes=2))
        for pk, name, phone, at in calls.values_list(
            "pk", "caller_name", "caller_phone", "received_at"
        )[:OUTAGE_DAY_CALLERS]
    ]
    writer.callers(outage, people)


def build_outages(
    rng: random.Random,
    now: datetime,
    start: datetime,
    areas: Areas,
    by: User | None,
    outage_day: date | None,
) -> OutageStats:
    writer = _Writer(rng, by)
    # Now: a main burst on the demo grid 95 minutes ago.
    homes = [c for c in _water(areas.demo_grid) if c.name not in REAL_COMMUNITIES]
    burst_homes = sorted(homes, key=lambda c: -c.households)[:3]
    if burst_homes:
        burst = now - timedelta(minutes=95)
        outage = writer.outage(
            Outage.Kind.EMERGENCY,
            burst_homes,
            burst,
            now + timedelta(hours=3),
            BURST_REASON.format(street=_street(rng), names="、".join(c.name for c in burst_homes)),
            announced=burst + timedelta(minutes=12),
        )
        writer.invented_callers(
            outage, 3, burst + timedelta(minutes=15), now - timedelta(minutes=5)
        )
    # In two days: valve works announced yesterday.
    water_grids = [g for g in areas.grids if _water(g) and g is not areas.demo_grid]
    day = timezone.localdate(now) + timedelta(days=2)
    planned_grid = rng.choice(water_grids)
    writer.outage(
        Outage.Kind.PLANNED,
        rng.sample(_water(planned_grid), min(4, len(_water(planned_grid)))),
        _local(day, 9),
        _local(day, 17),
        PLANNED_REASONS[0].format(street=_street(rng)),
        announced=now - timedelta(hours=20),
    )
    # Ended: planned works earlier in the period, and the outage day.
    span = now - start
    for share, reason in zip((0.2, 0.6), PLANNED_REASONS[1:], strict=True):
        day = timezone.localdate(start + span * share)
        while day.weekday() >= 5 or day == outage_day:
            day += timedelta(days=1)
        plan = rng.choice(water_grids)
        if _local(day, 16) >= now:  # a very short period has no room for past works
            continue
        outage = writer.outage(
            Outage.Kind.PLANNED,
            rng.sample(_water(plan), min(3, len(_water(plan)))),
            _local(day, 8, 30),
            _local(day, 16),
            reason.format(street=_street(rng)),
            announced=_local(day - timedelta(days=3), 10),
            ended=_local(day, 15, rng.randint(10, 50)),
        )
        writer.invented_callers(outage, 2, _local(day, 9), _local(day, 14))
    if outage_day is not None and start <= _local(outage_day, 13, 52) < now:
        _outage_day(writer, areas, outage_day)
    return writer.stats
