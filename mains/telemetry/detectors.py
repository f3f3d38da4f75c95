"""Detectors over one meter's readings: pure functions, no database, no clock.

Burst (the night story: a master meter "spinning very fast with no pressure behind it").

Assumptions:
- Readings are one meter's, sorted by time, every few minutes to every 15 minutes.
- The flow reference at a time t is the median flow of the same clock hour (UTC) on the
  previous ``BASELINE_DAYS`` days when at least ``MIN_BASELINE_DAYS`` days have readings
  at that hour; otherwise the median flow of the hour before t (a meter new to mains).
- The pressure reference at t is the median pressure of the hour before t.
- A burst begins at the first reading from which ``SUSTAINED_READINGS`` consecutive
  readings all have flow ≥ ``FLOW_RISE_RATIO`` × the flow reference *and* pressure at
  least ``PRESSURE_DROP_MPA`` below the pressure reference, both references taken at the
  first of those readings. A reading without flow or pressure breaks the run.
- It has recovered once ``SUSTAINED_READINGS`` consecutive readings are back below the
  flow threshold and above the pressure threshold of its onset.
"""

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median

from mains.telemetry.storage import Reading

FLOW_RISE_RATIO = 1.30  # flow ≥ 130 % of its reference
PRESSURE_DROP_MPA = 0.05  # pressure ≥ 0.05 MPa below its reference
SUSTAINED_READINGS = 3  # consecutive readings needed to raise, and to clear
BASELINE_DAYS = 7  # days of same-hour history the flow reference looks at
MIN_BASELINE_DAYS = 3  # fewer days than this: the previous hour is the reference
REFERENCE_WINDOW = timedelta(hours=1)


@dataclass(frozen=True)
class Burst:
    onset: datetime
    reference_flow_m3h: float
    reference_pressure_mpa: float
    readings: tuple[Reading, ...]  # the sustained run that raised it

    @property
    def flow_threshold_m3h(self) -> float:
        return self.reference_flow_m3h * FLOW_RISE_RATIO

    @property
    def pressure_threshold_mpa(self) -> float:
        return self.reference_pressure_mpa - PRESSURE_DROP_MPA

    def evidence(self) -> dict:
        return {
            "onset": self.onset.isoformat(),
            "reference_flow_m3h": round(self.reference_flow_m3h, 3),
            "reference_pressure_mpa": round(self.reference_pressure_mpa, 4),
            "flow_threshold_m3h": round(self.flow_threshold_m3h, 3),
            "pressure_threshold_mpa": round(self.pressure_threshold_mpa, 4),
            "readings": [
                {"ts": r.ts.isoformat(), "flow_m3h": r.flow_m3h, "pressure_mpa": r.pressure_mpa}
                for r in self.readings
            ],
        }


def _times(readings: Sequence[Reading]) -> list[datetime]:
    return [r.ts for r in readings]


def same_hour_flows_m3h(
    readings: Sequence[Reading], index: int, times: list[datetime] | None = None
) -> dict:
    """Flows of the same UTC clock hour on each of the previous BASELINE_DAYS days."""
    times = times if times is not None else _times(readings)
    t = readings[index].ts
    by_day: dict = {}
    for days_back in range(1, BASELINE_DAYS + 1):
        hour_start = t.replace(minute=0, second=0, microsecond=0) - timedelta(days=days_back)
        lo = bisect_left(times, hour_start, 0, index)
        hi = bisect_left(times, hour_start + timedelta(hours=1), lo, index)
        flows = [r.flow_m3h for r in readings[lo:hi] if r.flow_m3h is not None]
        if flows:
            by_day[hour_start.date()] = flows
    return by_day


def references_at(
    readings: Sequence[Reading], index: int, times: list[datetime] | None = None
) -> tuple[float, float] | None:
    """(flow m³/h, pressure MPa) references at ``readings[index]``; None without history."""
    times = times if times is not None else _times(readings)
    hour = readings[bisect_left(times, readings[index].ts - REFERENCE_WINDOW, 0, index) : index]
    pressures = [r.pressure_mpa for r in hour if r.pressure_mpa is not None]
    if not pressures:
        return None
    by_day = same_hour_flows_m3h(readings, index, times)
    if len(by_day) >= MIN_BASELINE_DAYS:
        flow = median(f for flows in by_day.values() for f in flows)
    else:
        flows = [r.flow_m3h for r in hour if r.flow_m3h is not None]
        if not flows:
            return None
        flow = median(flows)
    return flow, median(pressures)


def _is_burst_reading(r: Reading, flow_threshold: float, pressure_threshold: float) -> bool:
    return (
        r.flow_m3h is not None
        and r.pressure_mpa is not None
        and r.flow_m3h >= flow_threshold
        and r.pressure_mpa <= pressure_threshold
    )


def _is_normal_reading(r: Reading, flow_threshold: float, pressure_threshold: float) -> bool:
    return (
        r.flow_m3h is not None
        and r.pressure_mpa is not None
        and r.flow_m3h < flow_threshold
        and r.pressure_mpa > pressure_threshold
    )


def find_burst(readings: Sequence[Reading], since: datetime) -> Burst | None:
    """The first burst beginning at or after ``since`` (history before it is the baseline)."""
    times = _times(readings)
    for i in range(bisect_left(times, since), len(readings) - SUSTAINED_READINGS + 1):
        reading = readings[i]
        refs = references_at(readings, i, times)
        if refs is None or refs[0] <= 0:
            continue
        flow_ref, pressure_ref = refs
        flow_threshold = flow_ref * FLOW_RISE_RATIO
        pressure_threshold = pressure_ref - PRESSURE_DROP_MPA
        run = readings[i : i + SUSTAINED_READINGS]
        if all(_is_burst_reading(r, flow_threshold, pressure_threshold) for r in run):
            return Burst(reading.ts, flow_ref, pressure_ref, tuple(run))
    return None


def recovery_time(
    readings: Sequence[Reading], after: datetime, flow_threshold: float, pressure_threshold: float
) -> datetime | None:
    """When readings after ``after`` became normal again for SUSTAINED_READINGS in a row."""
    run: list[Reading] = []
    for r in readings:
        if r.ts <= after:
            continue
        if _is_normal_reading(r, flow_threshold, pressure_threshold):
            run.append(r)
            if len(run) >= SUSTAINED_READINGS:
                return run[0].ts
        else:
            run = []
    return None
