"""One meter's readings laid on a regular time grid, for detectors that compare like times.

Meters report on a fixed interval (15 minutes in practice). The grid's step is the most
common interval between readings; each reading goes to the nearest grid slot, slots
without a reading hold NaN. Two readings in one slot (an irregular meter): the later one
is kept. Profiles by time of day need the step to divide a day; when it does not (or the
grid would be absurdly sparse), ``per_day`` is 0 and detectors fall back to rules that
need no profile.
"""

from dataclasses import dataclass

import numpy as np

from mains.telemetry.detect.series import US_PER_DAY, US_PER_HOUR, MeterSettings, Series

MAX_SPARSITY = 8  # more than 8 slots per reading: too irregular for a grid


@dataclass(frozen=True)
class Grid:
    start_us: int  # UTC time of slot 0
    step_us: int
    slot: np.ndarray  # grid slot of each reading
    flow: np.ndarray  # per slot, NaN where no reading
    pressure: np.ndarray
    per_day: int  # slots per day, 0 when the step does not divide a day
    day_offset: int  # slots from the local midnight before slot 0 to slot 0
    first_day: int = 0  # local day number (days since 1970-01-01) of that midnight

    @property
    def per_hour(self) -> int:
        return max(1, int(round(US_PER_HOUR / self.step_us)))

    def __len__(self) -> int:
        return len(self.flow)

    def ts_us(self, slot: int) -> int:
        return self.start_us + int(slot) * self.step_us

    def by_day(self, values: np.ndarray) -> np.ndarray:
        """(local days, per_day) view of per-slot values, NaN-padded at both ends."""
        head = self.day_offset
        days = -(-(head + len(values)) // self.per_day)
        out = np.full(days * self.per_day, np.nan)
        out[head : head + len(values)] = values
        return out.reshape(days, self.per_day)


_last: tuple = (None, None, None)  # (series, utc offset, grid): detectors share one grid


def of(series: Series, settings: MeterSettings) -> Grid:
    """The grid of these readings (the last one is kept: every detector of a meter uses it)."""
    global _last
    cached_series, cached_offset, cached = _last
    if cached_series is series and cached_offset == settings.utc_offset_hours:
        return cached
    grid = _of(series, settings)
    _last = (series, settings.utc_offset_hours, grid)
    return grid


def _of(series: Series, settings: MeterSettings) -> Grid:
    ts = series.ts_us
    start = int(ts[0])
    if len(ts) > 1:
        gaps = np.diff(ts)
        middle = len(gaps) // 2
        step = max(int(np.partition(gaps, middle)[middle]), 1)  # the usual interval
        regular = bool(np.all(gaps == step))
    else:
        step, regular = 15 * 60 * 1_000_000, True
    if regular:
        slot = np.arange(len(ts), dtype=np.int64)
    else:
        slot = np.rint((ts - start) / step).astype(np.int64)
    span = int(slot[-1]) + 1
    if span > MAX_SPARSITY * len(ts) + 14 * 96:
        # Too irregular: one slot per reading, in order, and no profiles.
        slot = np.arange(len(ts), dtype=np.int64)
        span = len(ts)
        per_day = 0
    else:
        per_day = US_PER_DAY // step if US_PER_DAY % step == 0 else 0
    if regular and span == len(ts):
        flow = series.flow_m3h.copy()
        pressure = series.pressure_mpa.copy()
    else:
        flow = np.full(span, np.nan)
        pressure = np.full(span, np.nan)
        flow[slot] = series.flow_m3h
        pressure[slot] = series.pressure_mpa
    day_offset = first_day = 0
    if per_day:
        local_start = start + int(settings.utc_offset_hours * US_PER_HOUR)
        day_offset = int((local_start % US_PER_DAY) // step)
        first_day = int(local_start // US_PER_DAY)
    return Grid(start, step, slot, flow, pressure, per_day, day_offset, first_day)


def shifted(values: np.ndarray, by: int) -> np.ndarray:
    """values[i - by] at i (NaN before the start)."""
    out = np.full(len(values), np.nan)
    if by < len(values):
        out[by:] = values[: len(values) - by]
    return out


class Sums:
    """Running sums of one series, for several window means at the cost of two cumsums."""

    def __init__(self, values: np.ndarray):
        self.n = len(values)
        missing = np.isnan(values)
        self.total = np.zeros(self.n + 1)
        np.cumsum(np.where(missing, 0.0, values), out=self.total[1:])
        self.count = np.zeros(self.n + 1, dtype=np.int64)
        np.cumsum(~missing, out=self.count[1:])

    def before(self, width: int, min_count: int) -> np.ndarray:
        """Mean of values[i - width : i], NaN with fewer than ``min_count`` present."""
        n = self.n
        window_total = self.total[:n].copy()
        window_count = self.count[:n].copy()
        if n > width:
            window_total[width:] -= self.total[: n - width]
            window_count[width:] -= self.count[: n - width]
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = window_total / window_count
        mean[window_count < max(min_count, 1)] = np.nan
        return mean

    def after(self, width: int, max_missing: int = 0) -> np.ndarray:
        """Mean of values[i : i + width], NaN with more than ``max_missing`` missing."""
        n = self.n
        out = np.full(n, np.nan)
        if n >= width:
            present = self.count[width:] - self.count[: n - width + 1]
            with np.errstate(invalid="ignore", divide="ignore"):
                mean = (self.total[width:] - self.total[: n - width + 1]) / present
            out[: n - width + 1] = np.where(width - present <= max_missing, mean, np.nan)
        return out


def row_median(rows: np.ndarray) -> np.ndarray:
    """NaN-ignoring median of each row (NaN for an empty row); faster than np.nanmedian."""
    ordered = np.sort(np.where(np.isnan(rows), np.inf, rows), axis=1)
    count = np.sum(~np.isnan(rows), axis=1)
    lo = np.maximum((count - 1) // 2, 0)
    hi = np.maximum(count // 2, 0)
    picked = 0.5 * (
        np.take_along_axis(ordered, lo[:, None], 1)[:, 0]
        + np.take_along_axis(ordered, hi[:, None], 1)[:, 0]
    )
    picked[count == 0] = np.nan
    return picked
