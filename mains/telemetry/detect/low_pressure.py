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


def _option(settings: MeterSettings, name: str, default):
    return settings.extra.get(name, default)


def peak_mask(series: Series, settings: MeterSettings, peaks) -> np.ndarray:
    minute = local_minute_of_day(series.ts_us, settings)
    mask = np.zeros(len(series), dtype=bool)
    for start, end in peaks:
        mask |= (minute >= int(start * 60)) & (minute < int(end * 60))
    return mask


def _split(pressure, low, valid, peak, lo: int, hi: int) -> dict:
    """Readings, low readings, share and lowest pressure of [lo, hi), peak hours apart."""
    parts = {}
    for name, where in (("peak", peak[lo:hi]), ("off_peak", ~peak[lo:hi])):
        counted = valid[lo:hi] & where
        n = int(counted.sum())
        n_low = int((low[lo:hi] & where).sum())
        parts[name] = {
            "readings": n,
            "low_readings": n_low,
            "low_share": round(n_low / n, 3) if n else None,
            "min_pressure_mpa": round(float(pressure[lo:hi][counted].min()), 4) if n else None,
        }
    return parts


def find(series: Series, settings: MeterSettings) -> list[Finding]:
    window_us = int(
        float(_option(settings, "low_pressure_window_hours", WINDOW_HOURS)) * US_PER_HOUR
    )
    recovery_us = int(
        float(_option(settings, "low_pressure_recovery_hours", RECOVERY_HOURS)) * US_PER_HOUR
    )
    share = float(_option(settings, "low_pressure_share", SHARE))
    min_readings = int(_option(settings, "low_pressure_min_readings", MIN_READINGS))
    peaks = _option(settings, "peak_hours", PEAK_HOURS)
    service = float(settings.service_pressure_mpa)

    ts, pressure = series.ts_us, series.pressure_mpa
    n = len(series)
    valid = ~np.isnan(pressure)
    with np.errstate(invalid="ignore"):
        low = valid & (pressure < service)
    good = valid & ~low
    c_valid = np.concatenate([[0], np.cumsum(valid)])
    c_low = np.concatenate([[0], np.cumsum(low)])
    window_lo = np.searchsorted(ts, ts - window_us, side="right")
    index = np.arange(n)

    def raising(lo: np.ndarray, at: np.ndarray) -> np.ndarray:
        counted = c_valid[at + 1] - c_valid[lo]
        lows = c_low[at + 1] - c_low[lo]
        return low[at] & (counted >= min_readings) & (lows >= share * counted)

    raise_at = np.flatnonzero(raising(window_lo, index))
    # Recovered from j: no low reading in [t_j, t_j + recovery), a reading after it.
    recovery_hi = np.searchsorted(ts, ts + recovery_us, side="left")
    lows_ahead = c_low[recovery_hi] - c_low[index]
    recover_at = np.flatnonzero(good & (lows_ahead == 0) & (recovery_hi < n))
    peak = peak_mask(series, settings, peaks)

    findings: list[Finding] = []
    floor = 0  # readings before this one belong to the previous alarm
    while True:
        onset = _next_raise(raising, raise_at, window_lo, ts, window_us, floor, n)
        if onset is None:
            break
        lo = max(int(window_lo[onset]), floor)
        k = int(np.searchsorted(recover_at, onset, side="right"))
        cleared = int(recover_at[k]) if k < len(recover_at) else None
        counted = int(c_valid[onset + 1] - c_valid[lo])
        lows = int(c_low[onset + 1] - c_low[lo])
        first_low = lo + int(np.argmax(low[lo : onset + 1]))
        detail = {
            "service_pressure_mpa": service,
            "window_hours": window_us / US_PER_HOUR,
            "share_threshold": share,
            "window_start": iso(ts[lo]),
            "first_low_at": iso(ts[first_low]),
            "readings": counted,
            "low_readings": lows,
            "low_share": round(lows / counted, 3),
            "min_pressure_mpa": round(float(np.nanmin(pressure[lo : onset + 1])), 4),
            "peak_hours": [[float(a), float(b)] for a, b in peaks],
            "window": _split(pressure, low, valid, peak, lo, onset + 1),
        }
        if cleared is not None:
            detail["episode"] = _split(pressure, low, valid, peak, lo, cleared)
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


def _next_raise(raising, raise_at, window_lo, ts, window_us, floor: int, n: int) -> int | None:
    """The first reading ≥ floor that raises, counting only readings from floor on."""
    if floor > 0:
        # Windows reaching back before the floor: recount them without the older readings.
        end = int(np.searchsorted(ts, ts[floor] + window_us, side="right"))
        at = np.arange(floor, min(end, n))
        if len(at):
            hits = np.flatnonzero(raising(np.maximum(window_lo[at], floor), at))
            if len(hits):
                return int(at[hits[0]])
        floor = end
    k = int(np.searchsorted(raise_at, floor, side="left"))
    return int(raise_at[k]) if k < len(raise_at) else None
