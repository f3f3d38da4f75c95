"""Low pressure: below the service pressure at a given share of readings, peak hours apart.

- The service pressure is the meter's (``MeterSettings.service_pressure_mpa``, 0.14 MPa by
  default). A reading is *low* when its pressure is below it; a reading without pressure
  does not count either way.
- At each low reading, the trailing window of ``WINDOW_HOURS`` (readings in
  ``(t - window, t]``) is looked at: when it holds at least ``MIN_READINGS`` readings with
  pressure and at least ``SHARE`` of them are low, the alarm is raised at that reading.
- It clears at the first reading from which pressure stays at or above the service
  pressure for ``RECOVERY_HOURS`` (every reading with pressure in ``[t, t + recovery)`` and
  at least one reading at or after ``t + recovery``, so the whole stretch was seen).
  After a clear, only readings from the clearing one on count towards the next alarm.
- The evidence splits the raising window into peak hours (local 06:00–09:00 and
  17:00–21:00 by default) and the rest: readings, low readings, share and lowest pressure
  of each, and, once cleared, the same split over the whole episode.

Overrides in ``MeterSettings.extra``: ``low_pressure_window_hours``,
``low_pressure_share``, ``low_pressure_min_readings``, ``low_pressure_recovery_hours``,
``peak_hours`` (a list of ``[start_hour, end_hour)`` pairs on the local clock).
"""

import numpy as np

from mains.telemetry.detect.series import (
    US_PER_HOUR,
    Finding,
    MeterSettings,
    Series,
    iso,
    local_minute_of_day,
)

KIND = "low_pressure"
METER_KINDS = ("master", "inlet")

WINDOW_HOURS = 3.0
SHARE = 0.25
MIN_READINGS = 4
RECOVERY_HOURS = 1.0
PEAK_HOURS = ((6, 9), (17, 21))
HISTORY_DAYS = 1
# The settings a site may override (TELEMETRY_DETECTOR_OPTIONS, MeterSettings.extra).
DEFAULTS = {
    "low_pressure_window_hours": WINDOW_HOURS,
    "low_pressure_recovery_hours": RECOVERY_HOURS,
    "low_pressure_share": SHARE,
    "low_pressure_min_readings": MIN_READINGS,
    "peak_hours": PEAK_HOURS,
}


def peak_mask(ts_us: np.ndarray, settings: MeterSettings, peaks) -> np.ndarray:
    minute = local_minute_of_day(ts_us, settings)
    mask = np.zeros(len(ts_us), dtype=bool)
    for start, end in peaks:
        mask |= (minute >= int(start * 60)) & (minute < int(end * 60))
    return mask


def _split(series: Series, settings: MeterSettings, peaks, service, lo: int, hi: int) -> dict:
    """Readings, low readings, share and lowest pressure of [lo, hi), peak hours apart."""
    pressure = series.pressure_mpa[lo:hi]
    valid = ~np.isnan(pressure)
    with np.errstate(invalid="ignore"):
        low = valid & (pressure < service)
    peak = peak_mask(series.ts_us[lo:hi], settings, peaks)
    parts = {}
    for name, where in (("peak", peak), ("off_peak", ~peak)):
        counted = valid & where
        n = int(counted.sum())
        n_low = int((low & where).sum())
        parts[name] = {
            "readings": n,
            "low_readings": n_low,
            "low_share": round(n_low / n, 3) if n else None,
            "min_pressure_mpa": round(float(pressure[counted].min()), 4) if n else None,
        }
    return parts


class _Counts:
    """Readings with pressure and low readings in index ranges, from the low ones only."""

    def __init__(self, valid: np.ndarray, lows: np.ndarray):
        self.lows = lows
        self.all_valid = bool(valid.all())
        self.c_valid = None if self.all_valid else np.concatenate([[0], np.cumsum(valid)])

    def valid(self, lo, at):
        """Readings with pressure in [lo, at] (arrays or ints)."""
        if self.all_valid:
            return at + 1 - lo
        return self.c_valid[at + 1] - self.c_valid[lo]

    def low(self, lo, at):
        return np.searchsorted(self.lows, at, side="right") - np.searchsorted(
            self.lows, lo, side="left"
        )


def find(series: Series, settings: MeterSettings) -> list[Finding]:
    window_us = int(float(settings.option("low_pressure_window_hours", DEFAULTS)) * US_PER_HOUR)
    recovery_us = int(float(settings.option("low_pressure_recovery_hours", DEFAULTS)) * US_PER_HOUR)
    share = float(settings.option("low_pressure_share", DEFAULTS))
    min_readings = int(settings.option("low_pressure_min_readings", DEFAULTS))
    peaks = settings.option("peak_hours", DEFAULTS)
    service = float(settings.service_pressure_mpa)

    ts, pressure = series.ts_us, series.pressure_mpa
    n = len(series)
    valid = ~np.isnan(pressure)
    with np.errstate(invalid="ignore"):
        low = valid & (pressure < service)
    lows = np.flatnonzero(low)
    if len(lows) == 0:
        return []
    counts = _Counts(valid, lows)

    def raising(lo: np.ndarray, at: np.ndarray) -> np.ndarray:
        """Whether the window [lo, at] raises at each low reading ``at``."""
        counted = counts.valid(lo, at)
        return (counted >= min_readings) & (counts.low(lo, at) >= share * counted)

    window_lo = np.searchsorted(ts, ts[lows] - window_us, side="right")
    raise_at = lows[raising(window_lo, lows)]
    # Recovery: the first reading with good pressure after a low one, when no low reading
    # follows within the recovery time and a reading at or after its end was seen.
    good = np.append(np.flatnonzero(valid & ~low), n)  # n: none
    first_good = good[np.searchsorted(good, lows, side="right")]
    has_good = first_good < n
    next_low = np.append(lows[1:], n)
    seen_until = np.where(next_low < n, ts[np.minimum(next_low, n - 1)], ts[-1])
    enough = seen_until >= ts[np.minimum(first_good, n - 1)] + recovery_us
    recovers = has_good & (first_good < next_low) & enough
    recover_after = lows[recovers]  # the low reading before each recovery
    recover_at = first_good[recovers]

    findings: list[Finding] = []
    floor = 0  # readings before this one belong to the previous alarm
    while True:
        onset = _next_raise(raising, raise_at, lows, ts, window_us, floor)
        if onset is None:
            break
        lo = max(int(np.searchsorted(ts, ts[onset] - window_us, side="right")), floor)
        r = int(np.searchsorted(recover_after, onset, side="left"))
        cleared = int(recover_at[r]) if r < len(recover_at) else None
        counted = int(counts.valid(lo, onset))
        n_low = int(counts.low(lo, onset))
        first_low = int(lows[np.searchsorted(lows, lo, side="left")])
        detail = {
            "service_pressure_mpa": service,
            "window_hours": window_us / US_PER_HOUR,
            "share_threshold": share,
            "window_start": iso(ts[lo]),
            "first_low_at": iso(ts[first_low]),
            "readings": counted,
            "low_readings": n_low,
            "low_share": round(n_low / counted, 3),
            "min_pressure_mpa": round(float(np.nanmin(pressure[lo : onset + 1])), 4),
            "peak_hours": [[float(a), float(b)] for a, b in peaks],
            "window": _split(series, settings, peaks, service, lo, onset + 1),
        }
        if cleared is not None:
            detail["episode"] = _split(series, settings, peaks, service, lo, cleared)
        findings.append(
            Finding(
                KIND,
                int(ts[onset]),
                None if cleared is None else int(ts[cleared]),
                detail,
            )
        )
        if cleared is None:
            break
        floor = cleared
    return findings


def _next_raise(raising, raise_at, lows, ts, window_us, floor: int) -> int | None:
    """The first low reading ≥ floor that raises, counting only readings from floor on."""
    if floor > 0:
        # Windows reaching back before the floor: recount them without the older readings.
        end = int(np.searchsorted(ts, ts[floor] + window_us, side="right"))
        at = lows[(lows >= floor) & (lows < end)]
        if len(at):
            lo = np.searchsorted(ts, ts[at] - window_us, side="right")
            hits = np.flatnonzero(raising(np.maximum(lo, floor), at))
            if len(hits):
                return int(at[hits[0]])
        floor = end
    k = int(np.searchsorted(raise_at, floor, side="left"))
    return int(raise_at[k]) if k < len(raise_at) else None
