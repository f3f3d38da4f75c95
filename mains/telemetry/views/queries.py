"""Reads the telemetry pages share."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from mains.org.models import User
from mains.org.roles import HOUSEHOLD_ALARM_ROLES
from mains.telemetry.alarms.actions import LIVE_STATES
from mains.telemetry.models import Alarm, Meter
from mains.telemetry.store.reader import latest_timestamps, read_readings

WINDOW_HOURS = (6, 24, 72, 168)
DEFAULT_WINDOW_HOURS = 24
MAX_WINDOW_DAYS = 31  # a chosen from–to window; longer ones would draw too many points
CLEARED_DAYS = 7  # cleared alarms listed under the open ones
AROUND_ALARM = timedelta(hours=12)  # the alarm page charts this much before its onset


def sees_households(user: User) -> bool:
    return user.is_authenticated and user.role in HOUSEHOLD_ALARM_ROLES


def meters_for(user: User):
    """The meters this watch user sees: household meters only to HOUSEHOLD_ALARM_ROLES."""
    meters = Meter.objects.all()
    return meters if sees_households(user) else meters.exclude(kind=Meter.Kind.HOUSEHOLD)


def alarms_for(user: User):
    """The alarms of the meters this watch user sees."""
    alarms = Alarm.objects.all()
    if sees_households(user):
        return alarms
    return alarms.exclude(meter__kind=Meter.Kind.HOUSEHOLD)


def meter_for(user: User, code: str) -> Meter:
    """The meter with this code, if the user sees it; missing and not theirs answer 404."""
    return get_object_or_404(meters_for(user).select_related("community__grid"), code=code)


def alarm_for(user: User, pk: int) -> Alarm:
    """The alarm with this id, if the user sees it; missing and not theirs answer 404."""
    return get_object_or_404(
        alarms_for(user).select_related("meter__community__grid", "work_order"), pk=pk
    )


def _ordered(alarms):
    return alarms.select_related("meter__community__grid", "work_order").order_by(
        "meter__community__grid__code", "meter__community__name", "-raised_at"
    )


def open_alarms(user: User, kind: str = ""):
    alarms = alarms_for(user).filter(state__in=LIVE_STATES)
    return _ordered(alarms.filter(kind=kind) if kind else alarms)


def recently_cleared_alarms(user: User, kind: str = "", days: int = CLEARED_DAYS):
    since = timezone.now() - timedelta(days=days)
    alarms = alarms_for(user).filter(state=Alarm.State.CLEARED, cleared_at__gte=since)
    alarms = alarms.filter(kind=kind) if kind else alarms
    return alarms.select_related("meter__community__grid", "work_order").order_by("-cleared_at")


@dataclass
class GridCount:
    code: str
    name: str
    communities: int = 0
    by_kind: Counter = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.by_kind.values())


def open_alarms_by_grid(alarms: list[Alarm]) -> list[GridCount]:
    """Per grid (in grid order; no grid last): open alarms per kind and communities hit,
    counted from the alarms already loaded with their meter's community and grid."""
    grids: dict[str, GridCount] = {}
    communities: dict[str, set[int]] = {}
    for alarm in alarms:
        community = alarm.meter.community
        code = community.grid.code if community.grid else ""
        name = community.grid.name if community.grid else ""
        grid = grids.setdefault(code, GridCount(code, name))
        grid.by_kind[alarm.kind] += 1
        communities.setdefault(code, set()).add(community.pk)
    for code, grid in grids.items():
        grid.communities = len(communities[code])
    return sorted(grids.values(), key=lambda g: (g.code == "", g.code))


def overview_chart(grids: list[GridCount]) -> dict:
    """Bar chart data: one category per grid, one stacked series per alarm kind."""
    kinds = [k for k in Alarm.Kind if any(g.by_kind[k] for g in grids)]
    return {
        "grids": [g.code for g in grids],
        "names": [g.name for g in grids],
        "series": [
            {"kind": k.value, "name": str(k.label), "data": [g.by_kind[k] for g in grids]}
            for k in kinds
        ],
    }


def meters_with_latest(meters: list[Meter]) -> list[tuple[Meter, datetime | None, int]]:
    """Each meter with its last reading time and its number of open alarms."""
    latest = latest_timestamps([m.code for m in meters])
    live = dict(
        Alarm.objects.filter(meter__in=meters, state__in=LIVE_STATES)
        .values_list("meter")
        .annotate(n=Count("id"))
    )
    return [(m, latest.get(m.code), live.get(m.pk, 0)) for m in meters]


def meter_list(user: User, query: str = ""):
    meters = meters_for(user).select_related("community__grid").order_by("community__name", "code")
    if query:
        meters = meters.filter(
            Q(code__icontains=query)
            | Q(community__name__icontains=query)
            | Q(community__pinyin__icontains=query.lower())
        )
    return meters


def last_window(meter: Meter, hours: int) -> tuple[datetime, datetime]:
    """The last ``hours`` up to the meter's latest reading (or now), end exclusive."""
    last = latest_timestamps([meter.code]).get(meter.code) or datetime.now(UTC)
    end = last + timedelta(microseconds=1)
    return end - timedelta(hours=hours), end


def alarm_window(alarm: Alarm) -> tuple[datetime, datetime]:
    """From half a day before the onset to half a day after it cleared (or its last reading)."""
    start = alarm.raised_at - AROUND_ALARM
    if alarm.cleared_at is not None:
        return start, alarm.cleared_at + AROUND_ALARM
    last = latest_timestamps([alarm.meter.code]).get(alarm.meter.code) or alarm.raised_at
    end = min(max(last, alarm.raised_at) + timedelta(microseconds=1), start + timedelta(days=7))
    return start, max(end, alarm.raised_at + AROUND_ALARM)


def wall_clock(moment: datetime) -> str:
    """A time as the site's clock reads it, without offset: the chart shows the same hours
    as the tables whatever the browser's time zone."""
    return timezone.localtime(moment).replace(tzinfo=None).isoformat()


def meter_chart(meter: Meter, start: datetime, end: datetime, onset: Alarm | None = None) -> dict:
    """Flow and pressure of the meter in ``[start, end)``, with its alarms in that window.

    Times are on the site's clock (``wall_clock``); a household meter's flow is in L/h.
    """
    readings = read_readings([meter.code], start, end)
    last = readings[-1].ts if readings else end
    alarms = meter.alarms.filter(raised_at__lt=end).exclude(cleared_at__lt=start)
    household = meter.kind == Meter.Kind.HOUSEHOLD
    scale = 1000.0 if household else 1.0
    return {
        "start": wall_clock(start),
        "end": wall_clock(end),
        "flow_unit": "L/h" if household else "m3/h",
        "flow": [
            [wall_clock(r.ts), None if r.flow_m3h is None else round(r.flow_m3h * scale, 6)]
            for r in readings
        ],
        "pressure": [] if household else [[wall_clock(r.ts), r.pressure_mpa] for r in readings],
        "service_pressure_mpa": None if household else meter.effective_service_pressure_mpa,
        "alarms": [
            {
                "kind": str(a.get_kind_display()),
                "from": wall_clock(a.raised_at),
                "to": wall_clock(a.cleared_at or max(last, a.raised_at)),
            }
            for a in alarms
        ],
        "onset": wall_clock(onset.raised_at) if onset is not None else None,
        "confirmed": _confirmed(onset),
    }


def _confirmed(alarm: Alarm | None) -> str | None:
    """When the alarm could be known (the last reading of its onset run), if it says."""
    moment = (alarm.detail or {}).get("confirmed_at") if alarm is not None else None
    if not isinstance(moment, str):
        return None
    try:
        return wall_clock(datetime.fromisoformat(moment))
    except ValueError:
        return None
