"""A meter's usual day, from the same kind of day in the previous weeks.

*Kind of day.* Households live one way on working days and another at the weekend, and the
change does not happen at the stroke of midnight: a Friday evening is already half a weekend
evening, a Monday's small hours still half Sunday's. A slot's kind is therefore whether its
own day is a weekend day, and — within ``EDGE_HOURS`` of midnight — whether the day on the
other side of that midnight is one. A Tuesday at noon is compared with every working day at
noon, a Friday at 23:00 only with Fridays at 23:00, a Saturday at noon with weekend noons.

*Profiles.* For every slot, the values at the same time of the ``PROFILE_DAYS`` previous days
of the same kind (at least ``MIN_DAYS`` of them), the highest and lowest dropped, averaged:

- ``shape``: each day divided by its own mean first, so the profile is the *shape* of the day
  (1 = the day's mean). A warm week raises every hour alike; the shape does not move.
  A day with fewer than ``MIN_DAY_SHARE`` of its readings gives no shape.
- ``level``: the values as they are (pressure: its daily swing with pumps and tanks).

Gaps of up to ``MAX_GAP_HOURS`` in a day are bridged (straight line) before, and gaps of the
profile itself as long are bridged after: one lost reading does not leave a hole in a month.
"""

import numpy as np

from mains.telemetry.detect import grid as grids

PROFILE_DAYS = 28
MIN_DAYS = 4
EDGE_HOURS = 3
MIN_DAY_SHARE = 5 / 6
MAX_GAP_HOURS = 1


def weekend_days(g: grids.Grid, days: int) -> np.ndarray:
    """Whether each local day of the grid (and one more on either side) is a Saturday or
    Sunday: index 0 is the day before the grid's first day."""
    numbers = g.first_day + np.arange(-1, days + 1)
    return ((numbers + 3) % 7) >= 5  # 1970-01-01 was a Thursday


def kinds(g: grids.Grid, days: int) -> np.ndarray:
    """(days, per_day) kind of each slot: bit 0 its day is a weekend day, bit 1 the day
    before is one (near the night before) or it is, bit 2 likewise with the day after."""
    weekend = weekend_days(g, days).astype(np.int8)
    before, own, after = weekend[:-2, None], weekend[1:-1, None], weekend[2:, None]
    edge = EDGE_HOURS * g.per_hour
    slot = np.arange(g.per_day)[None, :]
    near_before = slot < edge
    near_after = slot >= g.per_day - edge
    return own + 2 * np.where(near_before, before, own) + 4 * np.where(near_after, after, own)


def bridge(values: np.ndarray, longest: int) -> np.ndarray:
    """``values`` with inner gaps of at most ``longest`` slots filled by straight lines."""
    missing = np.isnan(values)
    if not missing.any() or longest < 1:
        return values
    present = np.flatnonzero(~missing)
    if len(present) < 2:
        return values
    gap_id = np.cumsum(~missing)
    gap_length = np.bincount(gap_id, weights=missing)[gap_id]
    inside = (np.arange(len(values)) > present[0]) & (np.arange(len(values)) < present[-1])
    fill = missing & inside & (gap_length <= longest)
    out = values.copy()
    out[fill] = np.interp(np.flatnonzero(fill), present, values[present])
    return out


def profiles(
    g: grids.Grid, shape_of: np.ndarray, *level_of: np.ndarray, min_days: int = MIN_DAYS
) -> list[np.ndarray]:
    """Per slot: the usual shape of ``shape_of``, then the usual level of each of ``level_of``
    (NaN where fewer than ``min_days`` days of the same kind have a value; with fewer than
    three, none is dropped as highest or lowest). The values may stop before the grid does:
    only earlier days count, so the profiles of the readings given do not change."""
    n = len(shape_of)
    if not g.per_day or n < min_days * g.per_day:
        return [np.full(n, np.nan) for _ in range(1 + len(level_of))]
    longest = MAX_GAP_HOURS * g.per_hour
    shape_days = g.by_day(bridge(shape_of, longest))
    present = np.sum(~np.isnan(shape_days), axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        day_mean = np.nansum(shape_days, axis=1) / present
        shape_days = shape_days / day_mean[:, None]
    shape_days[(present < MIN_DAY_SHARE * g.per_day) | ~(day_mean > 0)] = np.nan
    level_days = [g.by_day(bridge(values, longest)) for values in level_of]
    days = shape_days.shape[0]
    kind = kinds(g, days)
    values = np.concatenate([shape_days, *level_days], axis=1)
    parts = 1 + len(level_of)
    usual = mean_of_earlier_days(values, PROFILE_DAYS, min_days, np.tile(kind, parts)).astype(
        np.float64
    )
    usual = usual.reshape(days, parts, g.per_day).transpose(1, 0, 2)
    head = g.day_offset
    out = []
    for k in range(parts):
        flat = usual[k].reshape(-1)[head : head + n]
        out.append(bridge(flat, longest))
    return out


def recent(g: grids.Grid, values: np.ndarray, days: int = 7, min_days: int = 3) -> np.ndarray:
    """Per slot: the values at the same time of the previous ``days`` days, whatever their
    kind, the highest and lowest dropped and averaged (NaN with fewer than ``min_days``): the
    reference of a meter too young for ``profiles``. ``values`` may stop before the grid
    does (only earlier days count, so the rest would not change what is given)."""
    n = len(values)
    if not g.per_day:
        return np.full(n, np.nan)
    usual = mean_of_earlier_days(g.by_day(values), days, min_days)
    return usual.reshape(-1).astype(np.float64)[g.day_offset : g.day_offset + n]


def mean_of_earlier_days(
    values: np.ndarray,
    days: int,
    min_days: int,
    kind: np.ndarray | None = None,
    trim_from: int = 3,
) -> np.ndarray:
    """(days, slots) → per day and slot: the values of the same slot on the ``days`` days
    before (only those of the same ``kind`` when given), the highest and lowest dropped (when
    there are at least ``trim_from``) and the rest averaged; NaN with fewer than
    ``min_days``. In single precision: a profile needs no more, and the loop runs at twice
    the speed."""
    values = values.astype(np.float32)
    seen_values = ~np.isnan(values)
    zeroed = np.where(seen_values, values, np.float32(0))
    total = np.zeros(values.shape, dtype=np.float32)
    count = np.zeros(values.shape, dtype=np.int16)
    high = np.full(values.shape, np.nan, dtype=np.float32)
    low = np.full(values.shape, np.nan, dtype=np.float32)
    for lag in range(1, min(days, len(values) - 1) + 1):
        earlier = values[:-lag]
        seen = seen_values[:-lag]
        if kind is not None:
            same = kind[lag:] == kind[:-lag]
            seen = seen & same
            earlier = np.where(same, earlier, np.float32(np.nan))
        total[lag:] += np.where(seen, zeroed[:-lag], np.float32(0))
        count[lag:] += seen
        np.fmax(high[lag:], earlier, out=high[lag:])  # fmax, fmin: a missing value is no extreme
        np.fmin(low[lag:], earlier, out=low[lag:])
    with np.errstate(invalid="ignore", divide="ignore"):
        trimmed = (total - high - low) / (count - 2)
        usual = np.where(count >= trim_from, trimmed, total / count)
    usual[count < max(min_days, 1)] = np.nan
    return usual
