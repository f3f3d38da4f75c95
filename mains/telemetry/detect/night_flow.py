"""Background leak: the minimum night flow rising above the meter's own baseline.

- A night's minimum flow is the lowest 1-hour mean flow (a rolling mean over the meter's
  grid, see ``grid``) among the windows inside 02:00–04:00 local time, each with at least
  ``MIN_WINDOW_READINGS_SHARE`` of its readings. A night with no such window has no minimum.
- The baseline is the meter's own: its usual *night share*, the median over the nights
  ``BASELINE_SKIP`` to ``BASELINE_NIGHTS`` before of the same kind (weekend nights — Saturday
  and Sunday mornings — apart from the others; at least ``MIN_BASELINE_NIGHTS``) of the
  night's minimum divided by the mean flow of the day before it (a day with at least
  ``MIN_DAY_READINGS_SHARE`` of its readings). The last week is left out, so that a leak
  growing slowly does not raise its own baseline.
- Tonight's expected minimum is that share × the day before's mean flow: a hot week or a
  holiday moves day and night together and is not a leak. A leak adds the same flow to
  both, so the flow it adds is estimated as (minimum − expected) / (1 − share).
- A night is *high* when that added flow exceeds ``K_SPREAD`` × its spread over the baseline
  nights (1.4826 × the median absolute deviation, at least ``MIN_SPREAD`` of the expected
  minimum) and at least ``MIN_RISE`` of the expected minimum.
- Where the night is hardly lower than the day (a usual share of ``LEVEL_SHARE`` or more:
  a flat industrial district, a main feeding tanks), (1 − share) is small and the estimate
  above carries the noise of the night many times over. There the *level path* judges
  instead, wherever its limit is the lower one: tonight's minimum against the median of
  the baseline nights' minima, high above ``LEVEL_K_SPREAD`` × their spread (a higher bar:
  a warm week raises it too), and only when the share's estimate agrees flow was added.
- The alarm is raised after ``SUSTAINED_NIGHTS`` high nights in a row, at the last night
  reading of the last of them (the moment it is known); the share and the limit of the first
  high night hold while it is open. It clears at the last night reading of the first of
  ``SUSTAINED_NIGHTS`` nights in a row back within that limit. A night without a minimum
  breaks a run.

Overrides in ``MeterSettings.extra``: ``night_flow_k_spread``, ``night_flow_min_rise``,
``night_flow_sustained_nights``.
"""

import numpy as np

from mains.telemetry.detect import grid as grids
from mains.telemetry.detect.series import Finding, MeterSettings, Series, iso

KIND = "night_flow"
METER_KINDS = ("master", "inlet")
HISTORY_DAYS = 30  # the baseline nights (28 back) and the day before the first of them

NIGHT_START_HOUR = 2
NIGHT_END_HOUR = 4
MIN_WINDOW_READINGS_SHARE = 0.75
MIN_DAY_READINGS_SHARE = 0.75
BASELINE_SKIP = 7
BASELINE_NIGHTS = 28
MIN_BASELINE_NIGHTS = 5
MIN_SPREAD = 0.02
K_SPREAD = 3.0
LEVEL_K_SPREAD = 4.0
LEVEL_SHARE = 0.7
MIN_RISE = 0.08
SUSTAINED_NIGHTS = 2
# The settings a site may override (TELEMETRY_DETECTOR_OPTIONS, MeterSettings.extra).
DEFAULTS = {
    "night_flow_k_spread": K_SPREAD,
    "night_flow_min_rise": MIN_RISE,
    "night_flow_sustained_nights": SUSTAINED_NIGHTS,
}


def night_minima(g: grids.Grid) -> tuple[np.ndarray, np.ndarray]:
    """Per local day: the night's minimum 1-hour mean flow and the slot of its last reading."""
    per_hour = g.per_hour
    lo, hi = NIGHT_START_HOUR * per_hour, NIGHT_END_HOUR * per_hour
    by_day = g.by_day(g.flow)[:, lo:hi]
    valid = ~np.isnan(by_day)
    total = np.concatenate(
        [np.zeros((len(by_day), 1)), np.cumsum(np.where(valid, by_day, 0.0), axis=1)], axis=1
    )
    count = np.concatenate([np.zeros((len(by_day), 1)), np.cumsum(valid, axis=1)], axis=1)
    window_total = total[:, per_hour:] - total[:, :-per_hour]
    window_count = count[:, per_hour:] - count[:, :-per_hour]
    with np.errstate(invalid="ignore", divide="ignore"):
        means = window_total / window_count
    means[window_count < MIN_WINDOW_READINGS_SHARE * per_hour] = np.inf
    minimum = means.min(axis=1)
    minimum[np.isinf(minimum)] = np.nan
    day_slot0 = np.arange(len(by_day)) * g.per_day - g.day_offset
    last = day_slot0 + hi - 1
    return minimum, last


def day_mean(g: grids.Grid) -> np.ndarray:
    """Mean flow of each local day; NaN when fewer than MIN_DAY_READINGS_SHARE of its readings."""
    by_day = g.by_day(g.flow)
    valid = ~np.isnan(by_day)
    count = valid.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(valid, by_day, 0.0).sum(axis=1) / count
    mean[count < MIN_DAY_READINGS_SHARE * g.per_day] = np.nan
    return mean


def find(series: Series, settings: MeterSettings) -> list[Finding]:
    if len(series) == 0:
        return []
    g = grids.of(series, settings)
    if not g.per_day or g.per_hour * NIGHT_END_HOUR > g.per_day:
        return []
    k_spread = float(settings.option("night_flow_k_spread", DEFAULTS))
    min_rise = float(settings.option("night_flow_min_rise", DEFAULTS))
    sustained = int(settings.option("night_flow_sustained_nights", DEFAULTS))
    minimum, last = night_minima(g)
    nights = len(minimum)
    if nights <= MIN_BASELINE_NIGHTS + BASELINE_SKIP:
        return []
    before = grids.shifted(day_mean(g), 1)  # the use of the day before each night
    with np.errstate(invalid="ignore", divide="ignore"):
        share = minimum / before
    lags = range(BASELINE_SKIP, BASELINE_NIGHTS + 1)
    # Weekend nights (Saturday and Sunday mornings) are judged against weekend nights.
    weekend = (((g.first_day + np.arange(nights) + 3) % 7) >= 5).astype(float)
    other_kind = np.stack([grids.shifted(weekend, k) for k in lags], axis=1) != weekend[:, None]
    share_stack = np.stack([grids.shifted(share, k) for k in lags], axis=1)
    share_stack[other_kind] = np.nan
    usual = grids.row_median(share_stack)
    usual[np.sum(~np.isnan(share_stack), axis=1) < MIN_BASELINE_NIGHTS] = np.nan
    usual[usual >= 0.995] = np.nan  # a meter whose night is its day: nothing to compare
    expected = usual * before
    min_stack = np.stack([grids.shifted(minimum, k) for k in lags], axis=1)
    before_stack = np.stack([grids.shifted(before, k) for k in lags], axis=1)
    min_stack[other_kind] = np.nan
    with np.errstate(invalid="ignore", divide="ignore"):
        added = (minimum - expected) / (1 - usual)
        usual_added = (min_stack - usual[:, None] * before_stack) / (1 - usual[:, None])
    centre = grids.row_median(usual_added)
    spread = 1.4826 * grids.row_median(np.abs(usual_added - centre[:, None]))
    spread = np.maximum(spread, MIN_SPREAD * expected)
    limit = np.maximum(k_spread * spread, min_rise * expected)
    # The level path: tonight's minimum against the baseline nights' own minima.
    usual_min = grids.row_median(min_stack)
    level_spread = 1.4826 * grids.row_median(np.abs(min_stack - usual_min[:, None]))
    level_spread = np.maximum(level_spread, MIN_SPREAD * usual_min)
    level_limit = np.maximum(LEVEL_K_SPREAD * level_spread, min_rise * usual_min)
    with np.errstate(invalid="ignore"):
        # Where the night is hardly lower than the day, the share's estimate is too noisy.
        by_level = (usual >= LEVEL_SHARE) & (level_limit < limit)
    limit = np.where(by_level, level_limit, limit)
    judged_added = np.where(by_level, minimum - usual_min, added)
    # Nights whose window lies outside the readings do not count.
    seen = (last >= 0) & (last < len(g))
    with np.errstate(invalid="ignore"):
        # The level path also asks the share's estimate to agree that flow was added.
        high = (judged_added > limit) & (~by_level | (added > 0)) & seen

    findings: list[Finding] = []
    night = 0
    while night + sustained <= nights:
        run = _first_run(high, night, sustained)
        if run is None:
            break
        frozen_share, frozen_limit = float(usual[run]), float(limit[run])
        # The nights of the alarm are told the way its first night was judged.
        expected_of = usual_min if by_level[run] else expected
        added_of = minimum - usual_min if by_level[run] else added
        confirm = run + sustained - 1
        with np.errstate(invalid="ignore"):
            if by_level[run]:
                frozen_added = minimum - float(usual_min[run])
            else:
                frozen_added = (minimum - frozen_share * before) / (1 - frozen_share)
            normal = (frozen_added <= frozen_limit) & seen
        back = _first_run(normal, confirm + 1, sustained)
        raised_slot = int(last[confirm])
        cleared_slot = None if back is None else int(last[back])
        findings.append(
            Finding(
                KIND,
                g.ts_us(raised_slot),
                None if cleared_slot is None else g.ts_us(cleared_slot),
                {
                    "confirmed_at": iso(g.ts_us(raised_slot)),
                    "usual_night_share": round(frozen_share, 4),
                    "judged_by": "level" if by_level[run] else "share",
                    "expected_min_night_flow_m3h": round(float(expected_of[run]), 3),
                    "added_flow_limit_m3h": round(frozen_limit, 3),
                    "nights": [
                        {
                            "night_end": iso(g.ts_us(int(last[d])) + g.step_us),
                            "min_night_flow_m3h": round(float(minimum[d]), 3),
                            "expected_m3h": round(float(expected_of[d]), 3),
                            "added_flow_m3h": round(float(added_of[d]), 3),
                        }
                        for d in range(run, confirm + 1)
                    ],
                },
            )
        )
        if back is None:
            break
        night = back + sustained
    return findings


def _first_run(mask: np.ndarray, start: int, length: int) -> int | None:
    """The first night ≥ start beginning ``length`` true nights in a row."""
    sub = mask[start:]
    if len(sub) < length:
        return None
    counts = np.concatenate([[0], np.cumsum(sub)])
    hits = np.flatnonzero(counts[length:] - counts[: len(sub) - length + 1] == length)
    return None if len(hits) == 0 else int(hits[0]) + start
