"""The demo city's meters and several weeks of 15-minute readings, with four stories in them.

- the night story: at 22:00 last night (local) the master meter of 星光水晶城 spun fast with
  no pressure behind it, a burst still running now;
- a background leak at 水岸新城: its minimum night flow has crept up over ten days;
- a low-pressure area: the district inlet and the master meters of 望湖小区's grid have
  sat below the service pressure since the day before yesterday, worst at peak hours;
- a special-group household (an elderly resident living alone, on the demo grid) that
  used under 10 L a day for the last two days: a welfare visit;
and a burst four days ago at 光彩小区, mended within three hours (a cleared alarm).

Readings go through ``store.days.write_readings``; then the detectors run over them, so the
demo has open alarms with their work orders exactly as live data would give them.
"""

import random
import shutil
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import numpy as np
from django.utils import timezone

from mains.areas.models import Community
from mains.care.models import Resident
from mains.demo.grids import Areas
from mains.demo.names import REAL_COMMUNITIES
from mains.notify.service import muted
from mains.telemetry.alarms.live_detection import run_detectors
from mains.telemetry.models import Alarm, Meter, QuarantinedReading
from mains.telemetry.store.days import telemetry_dir, write_readings
from mains.telemetry.store.schema import Reading

DAYS = 28
STEP = timedelta(minutes=15)
MASTERS = 40  # the nine communities of the sources, and others drawn at random
INLETS = 4
HOUSEHOLDS = 12
NIGHT_STORY = "星光水晶城"
NIGHT_FLOW_STORY = "水岸新城"
LOW_PRESSURE_STORY = "望湖小区"
MENDED_BURST_STORY = "光彩小区"
LITRES_PER_HOUSEHOLD_DAY = 450.0
# Share of the day's mean flow by local hour: low at night, peaks at 07–08 and 19–20.
HOURLY = np.array(
    [0.35, 0.3, 0.28, 0.28, 0.32, 0.5, 0.95, 1.55, 1.6, 1.25, 1.05, 1.1,
     1.2, 1.05, 0.95, 0.95, 1.05, 1.25, 1.5, 1.6, 1.45, 1.1, 0.8, 0.5]
)  # fmt: skip
HOURLY = HOURLY / HOURLY.mean()


@dataclass
class TelemetryStats:
    meters: int = 0
    readings: int = 0
    alarms: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def wipe_telemetry() -> None:
    """Remove the meters, their alarms, the refused readings and the stored readings."""
    Alarm.objects.all().delete()
    Meter.objects.all().delete()
    QuarantinedReading.objects.all().delete()
    root = telemetry_dir()
    for folder in root.glob("day=*") if root.is_dir() else []:
        shutil.rmtree(folder)


def _code(community: Community, suffix: str, taken: set[str]) -> str:
    stem = (community.initials or f"C{community.pk}").upper()
    code = f"{stem}-{suffix}"
    n = 2
    while code in taken:
        code = f"{stem}{n}-{suffix}"
        n += 1
    taken.add(code)
    return code


def _local_hours(times: np.ndarray) -> np.ndarray:
    """Local clock hour (with fraction) of each UTC epoch second."""
    offset = timezone.localtime(datetime.fromtimestamp(int(times[-1]), UTC)).utcoffset()
    seconds = offset.total_seconds() if offset is not None else 0.0
    return ((times + seconds) % 86400) / 3600.0


def _profile(hours: np.ndarray) -> np.ndarray:
    """The diurnal shape, interpolated between the hourly shares."""
    lo = np.floor(hours).astype(int) % 24
    frac = hours - np.floor(hours)
    return HOURLY[lo] * (1 - frac) + HOURLY[(lo + 1) % 24] * frac


@dataclass
class _Series:
    code: str
    flow: np.ndarray
    pressure: np.ndarray | None


def _network_meter(rng, code: str, mean_m3h: float, times: np.ndarray, hours) -> _Series:
    shape = _profile(hours)
    flow = mean_m3h * shape * rng.normal(1.0, 0.07, len(times))
    base = rng.uniform(0.30, 0.34)
    pressure = base - 0.012 * (shape - 1.0) + rng.normal(0.0, 0.003, len(times))
    return _Series(code, np.maximum(flow, 0.0), pressure)


def _burst(series: _Series, times: np.ndarray, start: datetime, end: datetime | None) -> None:
    at = (times >= start.timestamp()) & (times < (end.timestamp() if end else np.inf))
    series.flow[at] = series.flow[at] * 1.6 + np.median(series.flow) * 1.4
    assert series.pressure is not None
    series.pressure[at] -= 0.11


def _last_22h(now: datetime) -> datetime:
    """The latest 22:00 (local) at least an hour before now."""
    local = timezone.localtime(now - timedelta(hours=1))
    evening = local.replace(hour=22, minute=0, second=0, microsecond=0)
    return evening if evening <= local else evening - timedelta(days=1)


def _household(rng, code: str, times: np.ndarray, hours, litres_a_day: float) -> _Series:
    """Hourly readings of a household: use in the morning and evening, little at night."""
    shape = _profile(hours) ** 2
    flow = litres_a_day / 1000 / 24 * shape / shape.mean() * rng.uniform(0.6, 1.4, len(times))
    return _Series(code, flow, None)


def build_telemetry(rng: random.Random, now: datetime, areas: Areas) -> TelemetryStats:
    began = time.perf_counter()
    stats = TelemetryStats()
    nrng = np.random.default_rng(rng.randrange(2**32))
    utc_now = now.astimezone(UTC)
    end = utc_now.replace(minute=utc_now.minute - utc_now.minute % 15, second=0, microsecond=0)
    start = end - timedelta(days=DAYS)
    times = np.arange(start.timestamp(), end.timestamp() + 1, STEP.total_seconds())
    hours = _local_hours(times)
    by_name = {c.name: c for c in areas.communities}
    story = [NIGHT_STORY, NIGHT_FLOW_STORY, LOW_PRESSURE_STORY, MENDED_BURST_STORY]
    real = [by_name[n] for n in story + [n for n in REAL_COMMUNITIES if n not in story]]
    others = [c for c in areas.communities if c not in real and c.utility == "water"]
    masters = real + rng.sample(others, MASTERS - len(real))
    low_grid = by_name[LOW_PRESSURE_STORY].grid_id
    masters += [c for c in areas.communities if c.grid_id == low_grid and c not in masters][:3]
    taken: set[str] = set()
    meters, series = [], []
    for community in masters:
        code = _code(community, "M1", taken)
        meters.append(Meter(code=code, kind=Meter.Kind.MASTER, community=community))
        mean = max(community.households, 200) * LITRES_PER_HOUSEHOLD_DAY / 1000 / 24
        series.append(_network_meter(nrng, code, mean, times, hours))
    low_plan = areas.by_id[low_grid or 0]
    others_plans = [p for p in rng.sample(areas.grids, INLETS + 1) if p is not low_plan]
    grids = [p.grid for p in [low_plan, *others_plans][:INLETS]]
    for grid in grids:
        head = min((c for c in areas.communities if c.grid_id == grid.pk), key=lambda c: c.name)
        code = f"{grid.code}-IN"
        meters.append(Meter(code=code, kind=Meter.Kind.INLET, community=head))
        series.append(_network_meter(nrng, code, rng.uniform(300, 600), times, hours))
    by_code = {s.code: s for s in series}

    # The stories.
    night = by_code[meters[0].code]
    _burst(night, times, _last_22h(now), None)
    mended_at = _last_22h(now) - timedelta(days=4, hours=11)
    _burst(by_code[meters[3].code], times, mended_at, mended_at + timedelta(hours=3))
    leak = by_code[meters[1].code]
    night_min = float(np.median(leak.flow)) * HOURLY.min()
    growth = np.clip((times - (end - timedelta(days=10)).timestamp()) / (10 * 86400), 0, 1)
    leak.flow += growth * night_min * 0.6
    low_from = (end - timedelta(days=2)).timestamp()
    at = times >= low_from
    ramp = np.clip((times[at] - low_from) / 7200, 0, 1)  # it sank over two hours
    for meter, s in zip(meters, series, strict=True):
        if meter.community.grid_id == low_grid and s.pressure is not None:
            peak = _profile(hours[at]) > 1.2
            sunk = 0.128 - 0.025 * peak + nrng.normal(0.0, 0.003, int(at.sum()))
            s.pressure[at] = s.pressure[at] * (1 - ramp) + sunk * ramp

    # Households of special-group residents, read every hour.
    hourly_times = times[::4]
    hourly_hours = hours[::4]
    residents = list(Resident.objects.select_related("community").order_by("pk"))
    demo_grid = areas.demo_grid.grid.pk
    alone = [
        r
        for r in residents
        if r.community.grid_id == demo_grid and r.group == Resident.Group.ELDERLY_ALONE
    ]
    chosen = alone[:1] + rng.sample([r for r in residents if r not in alone[:1]], HOUSEHOLDS - 1)
    midnight = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    low_since = (midnight - timedelta(days=2)).timestamp()  # two whole local days
    for i, resident in enumerate(chosen):
        code = _code(resident.community, f"H{resident.pk}", taken)
        meters.append(
            Meter(
                code=code,
                kind=Meter.Kind.HOUSEHOLD,
                community=resident.community,
                resident=resident,
            )
        )
        home = _household(nrng, code, hourly_times, hourly_hours, rng.uniform(90, 260))
        if i == 0:
            home.flow[hourly_times >= low_since] *= 0.02  # about 3 L a day
        series.append(home)

    Meter.objects.bulk_create(meters)
    readings = []
    for s in series:
        stamps = hourly_times if s.pressure is None else times
        moments = [datetime.fromtimestamp(t, UTC) for t in stamps.tolist()]
        flows = np.round(s.flow, 4).tolist()
        pressures = np.round(s.pressure, 4).tolist() if s.pressure is not None else None
        for j, ts in enumerate(moments):
            readings.append(Reading(s.code, ts, flows[j], pressures[j] if pressures else None))
    write_readings(readings)
    with muted():
        raised = run_detectors([m.code for m in meters], since=start)
    stats.meters = len(meters)
    stats.readings = len(readings)
    for alarm in raised:
        stats.alarms[alarm.kind] = stats.alarms.get(alarm.kind, 0) + 1
    stats.seconds = time.perf_counter() - began
    return stats
