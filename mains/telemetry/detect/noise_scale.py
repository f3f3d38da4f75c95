"""How large a statistic usually is at this time of day, from its own recent past.

A meter's noise is not the same all day: a pressure logger swings twice as much in the
evening as at night, a flow meter's own resolution weighs more at 03:00 than at 19:00. The
scale of a statistic at an hour of a day is 1.4826 × the median of its absolute values (the
standard deviation, for normal noise) over the ``DAYS`` days before, at that hour and the
``NEIGHBOUR_HOURS`` on either side — a few hundred values, so one odd evening does not move
it. At least ``MIN_DAYS`` days' worth (half the readings of those hours) are needed, else
the scale is NaN.

The median is read from histograms of the values (``BINS`` bins up to ``TOP`` × the
statistic's median over the whole series, linear within a bin), kept per day and hour and
summed over the window: the cost grows with the days, not with the days × the window.
"""

import numpy as np

from mains.telemetry.detect import grid as grids

DAYS = 14
NEIGHBOUR_HOURS = 2
MIN_DAYS = 7
BINS = 16
TOP = 4.0


def by_hour(
    g: grids.Grid, stat: np.ndarray, floor: float, min_days: float = MIN_DAYS
) -> np.ndarray:
    """Per slot: the scale of ``stat`` at that hour over the previous days (at least
    ``floor``; NaN while there are fewer than ``min_days`` days' worth)."""
    n = len(stat)
    if not g.per_day or g.per_day % 24:
        return np.full(n, np.nan)
    magnitude = np.abs(g.by_day(stat))
    days, per_day = magnitude.shape
    per_hour = per_day // 24
    seen = ~np.isnan(magnitude)
    if not seen.any():
        return np.full(n, np.nan)
    reference = float(np.median(magnitude[seen]))
    if not reference > 0:
        return np.full(n, np.nan)
    width = reference * TOP / BINS
    binned = np.minimum(magnitude[seen] * (1.0 / width), BINS).astype(np.int32)  # BINS: above
    hour = np.broadcast_to(np.arange(per_day, dtype=np.int32) // per_hour, (days, per_day))
    day = np.broadcast_to(np.arange(days, dtype=np.int32)[:, None], (days, per_day))
    cell = (day[seen] * 24 + hour[seen]) * (BINS + 1) + binned
    counts = np.bincount(cell, minlength=days * 24 * (BINS + 1)).astype(np.int32)
    running = np.zeros((days + 1, 24, BINS + 1), dtype=np.int32)
    np.cumsum(counts.reshape(days, 24, BINS + 1), axis=0, out=running[1:])
    index = np.arange(days)
    before = running[index] - running[np.maximum(index - DAYS, 0)]  # the days before each day
    reach = NEIGHBOUR_HOURS
    wrapped = np.concatenate([before[:, -reach:], before, before[:, :reach]], axis=1)
    window = wrapped[:, reach : reach + 24].copy()
    for shift in range(1, reach + 1):
        window += wrapped[:, reach - shift : reach - shift + 24]
        window += wrapped[:, reach + shift : reach + shift + 24]
    cumulative = np.cumsum(window, axis=2, dtype=np.int32)
    total = cumulative[..., -1]
    half = total * 0.5
    k = np.sum(cumulative < half[..., None], axis=2)  # the bin that holds the median
    k = np.minimum(k, BINS)
    in_bin = np.take_along_axis(window, k[..., None], 2)[..., 0]
    below = np.take_along_axis(cumulative, k[..., None], 2)[..., 0] - in_bin
    with np.errstate(invalid="ignore", divide="ignore"):
        median = (k + (half - below) / in_bin) * width
    scale = np.maximum(1.4826 * median, floor)
    enough = min_days * (2 * NEIGHBOUR_HOURS + 1) * per_hour / 2
    scale[total < enough] = np.nan
    per_slot = np.repeat(scale, per_hour, axis=1).reshape(-1)
    return per_slot[g.day_offset : g.day_offset + n]
