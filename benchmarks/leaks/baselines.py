"""The baselines scored beside the product's detectors, on the same telemetry.

- ``mnf_fixed``: minimum night flow (the same 02:00–04:00 rolling 1-hour minimum as the
  product) against the median of the previous ``REFERENCE_NIGHTS`` nights; an alarm on
  every night more than ``ratio`` (10 %, 20 %) above it, cleared on the first night back.
- ``cusum``: a one-sided CUSUM on the inflow residual: flow minus the mean flow of the
  same 15 minutes on the previous 7 days (at least 3), divided by the residual's standard
  deviation over the previous 7 days; S = max(0, S + z − k), an alarm when S > h, cleared
  when S is back to 0.

Each returns alarms as (kind, raised_at_us, cleared_at_us | None, detail) with
``detail["confirmed_at"]``, the same shape the product's back-test writes.
"""

import numpy as np

from mains.telemetry.detect import grid as grids
from mains.telemetry.detect.night_flow import night_minima
from mains.telemetry.detect.series import MeterSettings, Series, iso

REFERENCE_NIGHTS = 14
MIN_REFERENCE_NIGHTS = 7
SETTINGS = MeterSettings(kind="inlet")


def mnf_fixed(series: Series, ratio: float) -> list[tuple]:
    g = grids.of(series, SETTINGS)
    minimum, last = night_minima(g)
    stack = np.stack([grids.shifted(minimum, k) for k in range(1, REFERENCE_NIGHTS + 1)], axis=1)
    reference = grids.row_median(stack)
    reference[np.sum(~np.isnan(stack), axis=1) < MIN_REFERENCE_NIGHTS] = np.nan
    with np.errstate(invalid="ignore"):
        high = (minimum > (1 + ratio) * reference) & (last >= 0) & (last < len(g))
    alarms: list[tuple] = []
    open_at = None
    for night in range(len(minimum)):
        if high[night] and open_at is None:
            open_at = night
        elif not high[night] and open_at is not None and 0 <= last[night] < len(g):
            alarms.append(_alarm(g, f"mnf_{round(ratio * 100)}", open_at, last, night))
            open_at = None
    if open_at is not None:
        alarms.append(_alarm(g, f"mnf_{round(ratio * 100)}", open_at, last, None))
    return alarms


def _alarm(g, kind, night, last, cleared_night):
    raised = g.ts_us(int(last[night]))
    cleared = None if cleared_night is None else g.ts_us(int(last[cleared_night]))
    return (kind, raised, cleared, {"confirmed_at": iso(raised)})


def cusum(series: Series, k: float = 0.5, h: float = 10.0) -> list[tuple]:
    g = grids.of(series, SETTINGS)
    flow, per_day = g.flow, g.per_day
    stack = np.stack([grids.shifted(flow, d * per_day) for d in range(1, 8)])
    valid = ~np.isnan(stack)
    count = valid.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        profile = np.where(valid, stack, 0.0).sum(axis=0) / count
    profile[count < 3] = np.nan
    residual = flow - profile
    week = 7 * per_day
    mean = grids.Sums(residual).before(week, per_day)
    square = grids.Sums(residual**2).before(week, per_day)
    sigma = np.sqrt(np.maximum(square - mean**2, 1e-12))
    z = (residual - mean) / sigma
    z = np.where(np.isnan(z), 0.0, z)
    alarms: list[tuple] = []
    s, raised = 0.0, None
    for i, zi in enumerate(z.tolist()):
        s = max(0.0, s + zi - k)
        if raised is None and s > h:
            raised = i
        elif raised is not None and s == 0.0:
            alarms.append(
                ("cusum", g.ts_us(raised), g.ts_us(i), {"confirmed_at": iso(g.ts_us(raised))})
            )
            raised = None
    if raised is not None:
        alarms.append(("cusum", g.ts_us(raised), None, {"confirmed_at": iso(g.ts_us(raised))}))
    return alarms
