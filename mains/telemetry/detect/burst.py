"""Burst: a sudden, sustained rise of flow with a drop of pressure (the night story).

- The flow reference at a reading is the median of the hourly median flows of the same
  clock hour on the previous ``BASELINE_DAYS`` days, when at least ``MIN_BASELINE_DAYS`` of
  them have readings; otherwise the median flow of the hour before the reading.
- The pressure reference is the median pressure of the hour before the reading.
- A burst begins at the first reading from which ``SUSTAINED_READINGS`` consecutive readings
  all have flow ≥ ``FLOW_RISE_RATIO`` × the flow reference and pressure at least
  ``PRESSURE_DROP_MPA`` below the pressure reference, both taken at the first of them.
- It clears at the first of ``SUSTAINED_READINGS`` consecutive readings back below the flow
  threshold and above the pressure threshold of its onset.
"""

import numpy as np
import pandas as pd

from mains.telemetry.detect.series import US_PER_HOUR, Finding, MeterSettings, Series, iso

KIND = "burst"
METER_KINDS = ("master", "inlet")

FLOW_RISE_RATIO = 1.30
PRESSURE_DROP_MPA = 0.05
SUSTAINED_READINGS = 3
BASELINE_DAYS = 7
MIN_BASELINE_DAYS = 3


def _previous_hour_median(series: Series, values: np.ndarray) -> np.ndarray:
    index = pd.to_datetime(series.ts_us, unit="us")
    rolled = pd.Series(values, index=index).rolling("1h", closed="left", min_periods=1).median()
    return rolled.to_numpy()


def _same_hour_reference(series: Series) -> np.ndarray:
    """Median of the same clock hour's medians on the previous days (NaN when too few)."""
    hours = series.ts_us // US_PER_HOUR
    first = int(hours[0])
    span = int(hours[-1]) - first + 1
    hourly = pd.Series(series.flow_m3h).groupby(hours - first).median()
    by_hour = np.full(span, np.nan)
    by_hour[hourly.index.to_numpy()] = hourly.to_numpy()
    padded = np.concatenate([np.full(24 * BASELINE_DAYS, np.nan), by_hour])
    offsets = 24 * BASELINE_DAYS - 24 * np.arange(1, BASELINE_DAYS + 1)
    stacked = np.stack([padded[o : o + span] for o in offsets], axis=1)
    enough = np.sum(~np.isnan(stacked), axis=1) >= MIN_BASELINE_DAYS
    with np.errstate(all="ignore"):
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            reference = np.nanmedian(stacked, axis=1)
    reference[~enough] = np.nan
    return reference[hours - first]


def _runs_start(mask: np.ndarray, length: int) -> np.ndarray:
    """Indices i where mask[i : i + length] are all true."""
    if len(mask) < length:
        return np.zeros(0, dtype=np.int64)
    window = np.lib.stride_tricks.sliding_window_view(mask, length)
    return np.flatnonzero(window.all(axis=1))


def find(series: Series, settings: MeterSettings) -> list[Finding]:
    flow, pressure = series.flow_m3h, series.pressure_mpa
    flow_ref = _same_hour_reference(series)
    missing = np.isnan(flow_ref)
    flow_ref[missing] = _previous_hour_median(series, flow)[missing]
    pressure_ref = _previous_hour_median(series, pressure)
    findings: list[Finding] = []
    start = 0
    n = len(series)
    while start <= n - SUSTAINED_READINGS:
        onset = _next_onset(flow, pressure, flow_ref, pressure_ref, start)
        if onset is None:
            break
        flow_threshold = float(flow_ref[onset] * FLOW_RISE_RATIO)
        pressure_threshold = float(pressure_ref[onset] - PRESSURE_DROP_MPA)
        run_end = onset + SUSTAINED_READINGS
        with np.errstate(invalid="ignore"):
            normal = (flow < flow_threshold) & (pressure > pressure_threshold)
        recovered = _runs_start(normal[run_end:], SUSTAINED_READINGS)
        cleared = int(recovered[0]) + run_end if len(recovered) else None
        findings.append(
            Finding(
                KIND,
                int(series.ts_us[onset]),
                None if cleared is None else int(series.ts_us[cleared]),
                {
                    "onset": iso(series.ts_us[onset]),
                    "reference_flow_m3h": round(float(flow_ref[onset]), 3),
                    "reference_pressure_mpa": round(float(pressure_ref[onset]), 4),
                    "flow_threshold_m3h": round(flow_threshold, 3),
                    "pressure_threshold_mpa": round(pressure_threshold, 4),
                    "readings": [
                        {
                            "ts": iso(series.ts_us[i]),
                            "flow_m3h": float(flow[i]),
                            "pressure_mpa": float(pressure[i]),
                        }
                        for i in range(onset, run_end)
                    ],
                },
            )
        )
        if cleared is None:
            break
        start = cleared + SUSTAINED_READINGS
    return findings


def _next_onset(flow, pressure, flow_ref, pressure_ref, start: int) -> int | None:
    """The first index ≥ start where a sustained burst run begins (thresholds at its first)."""
    with np.errstate(invalid="ignore"):
        high = flow[start:] >= flow_ref[start:] * FLOW_RISE_RATIO
        low = pressure[start:] <= pressure_ref[start:] - PRESSURE_DROP_MPA
        usable = (flow_ref[start:] > 0) & ~np.isnan(pressure_ref[start:])
    candidates = np.flatnonzero(high & low & usable)
    n = len(flow)
    for c in candidates:
        i = int(c) + start
        if i + SUSTAINED_READINGS > n:
            return None
        f_t = flow_ref[i] * FLOW_RISE_RATIO
        p_t = pressure_ref[i] - PRESSURE_DROP_MPA
        run_flow = flow[i : i + SUSTAINED_READINGS]
        run_pressure = pressure[i : i + SUSTAINED_READINGS]
        if np.all(run_flow >= f_t) and np.all(run_pressure <= p_t):
            return i
    return None
