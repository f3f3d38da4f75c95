"""The size of a step at each reading, and how sure it is: the burst detector's statistics.

**Flow.** Divided by the usual shape of the day (``profile``), the flow of a district is its
level of the day times noise: the morning and evening peaks are gone. A burst adds a flow
B, which in that ratio is B / shape — large at night, small at the peaks. At each reading i
the step test compares the ``run`` readings from i with the level of the ``baseline`` slots
before it:

- x(t) = ratio(t) / level − 1, the readings' relative excess; the burst's signature is
  h(t) = 1 / shape(t) from i on (0 before), times its size β = B / level;
- demand noise carries a share φ of a reading's deviation on to the next: both are
  whitened, u(t) = x(t) − φ·x(t − 1), likewise h. φ is the meter's own: the lag-one
  regression of its relative excess over the ``CARRY_DAYS`` before (``_carry``), between 0
  and ``CARRY_MAX``; ``CARRY`` (one half) until it has ``CARRY_MIN_PAIRS`` pairs. Slow,
  district-wide noise (weather, φ ≈ 0.85–0.95 per 15 minutes) is whitened as it is, so a
  burst's step stands out against the noise's innovation rather than its whole swing;
- the matched filter: ``stat`` = Σ u·h / √Σ h² (in noise units once divided by its scale),
  ``size`` = Σ u·h / Σ h², the least-squares β;
- ``least``: the smallest size any one reading of the run shows, x(t) / h(t). A burst is
  sustained: every reading carries it. A run that is high only at its end is a step later.
- ``beside_running``: the size again, allowing for a leak already running before the run.
  Such a leak A is in the ratio as A / shape too, so as the demand falls in the evening it
  looks like a burst starting now. The baseline is fitted as level + A·h (A ≥ 0, least
  squares) and the run's excess over that fit gives the size; for a new burst it is about
  the same as ``size``, for a leak that was there already about nothing.

**Pressure** (``pressure_drop``): the drop of the pressure against its own usual day
(``profile``): the mean of the baseline slots before i minus the mean of the run.

A run may miss ``MAX_MISSING`` reading, not its first (a missing reading counts as the one
before it); NaN where there is no judging.
"""

import numpy as np

from mains.telemetry.detect import grid as grids

CARRY = 0.5  # until the meter's own readings tell
CARRY_DAYS = 14
CARRY_MIN_PAIRS = 200  # about two days of 15-minute readings
CARRY_MAX = 0.9
MAX_MISSING = 1


def _forward_filled(values: np.ndarray) -> np.ndarray:
    missing = np.isnan(values)
    if not missing.any():
        return values
    index = np.where(missing, 0, np.arange(len(values)))
    np.maximum.accumulate(index, out=index)
    filled = values[index]
    filled[: int(np.argmax(~missing))] = np.nan  # nothing to carry before the first value
    return filled


def _judged(values: np.ndarray, run: int) -> np.ndarray:
    """Whether a run of ``run`` readings from i has its first reading and all but MAX_MISSING."""
    n = len(values)
    ok = np.zeros(n, dtype=bool)
    if n < run:
        return ok
    present = ~np.isnan(values)
    counts = np.concatenate([[0], np.cumsum(present)])
    whole = counts[run:] - counts[: n - run + 1] >= run - MAX_MISSING
    ok[: n - run + 1] = whole & present[: n - run + 1]
    return ok


def flow(values: np.ndarray, shape: np.ndarray, runs, baseline: int, per_hour: int) -> dict:
    """Per run length: (stat, size, least, beside_running, level) of an added flow starting at
    each reading (sizes relative to the level, beside_running in the ratio's units), NaN
    where unjudged. What the run lengths share (the ratio, its level, the fit of a leak
    already running) is worked out once."""
    n = len(values)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(shape > 0, values / shape, np.nan)
        h = 1.0 / shape
    level = grids.Sums(ratio).before(baseline, baseline // 2)
    filled = _forward_filled(ratio)
    carry = _carry(filled, level, CARRY_DAYS * 24 * per_hour)
    fit_level, fit_running = _fit_with_running_leak(ratio, h, baseline)
    out = {}
    for run in runs:
        stat = np.full(n, np.nan)
        size = np.full(n, np.nan)
        least = np.full(n, np.nan)
        beside = np.full(n, np.nan)
        out[run] = (stat, size, least, beside, level)
        if n <= run:
            continue
        first = np.arange(1, n - run + 1)  # the reading before the run is needed too
        base = level[first]
        with np.errstate(invalid="ignore", divide="ignore"):
            previous_x = filled[first - 1] / base - 1
            previous_h = np.zeros(len(first))
            phi = carry[first]
            cross = np.zeros(len(first))
            energy = np.zeros(len(first))
            smallest = np.full(len(first), np.inf)
            # The run's excess over the baseline fitted with a running leak (see the module).
            cross_beside = np.zeros(len(first))
            energy_beside = np.zeros(len(first))
            fitted_level, running = fit_level[first], fit_running[first]
            for j in range(run):
                ratio_j = filled[first + j]
                h_j = h[first + j]
                x = ratio_j / base - 1
                u = x - phi * previous_x
                w = h_j - phi * previous_h
                cross += u * w
                energy += w * w
                np.fmin(smallest, x / h_j, out=smallest)
                cross_beside += (ratio_j - fitted_level - running * h_j) * h_j
                energy_beside += h_j * h_j
                previous_x, previous_h = x, h_j
            stat[first] = cross / np.sqrt(energy)
            size[first] = cross / energy
            least[first] = smallest
            beside[first] = cross_beside / energy_beside
        unjudged = ~_judged(ratio, run)
        for values_ in (stat, size, least, beside):
            values_[unjudged] = np.nan
    return out


def _carry(filled: np.ndarray, level: np.ndarray, width: int) -> np.ndarray:
    """Per slot: how much of a reading's deviation the meter's own noise carries on to the
    next, from the lag-one pairs of its relative excess over the ``CARRY_DAYS`` before (at
    least ``CARRY_MIN_PAIRS``, else ``CARRY``), between 0 and ``CARRY_MAX``."""
    n = len(filled)
    with np.errstate(invalid="ignore", divide="ignore"):
        x = filled / level - 1
    prev = np.concatenate([[np.nan], x[:-1]])
    usable = ~np.isnan(x) & ~np.isnan(prev)

    def window(values):
        sums = np.concatenate([[0.0], np.cumsum(np.where(usable, values, 0.0))])
        end = np.arange(n)
        return sums[end] - sums[np.maximum(end - width, 0)]

    with np.errstate(invalid="ignore", divide="ignore"):
        pairs = window(np.ones(n))
        phi = window(x * prev) / window(prev * prev)
    phi = np.clip(np.where(pairs >= CARRY_MIN_PAIRS, phi, CARRY), 0.0, CARRY_MAX)
    return np.where(np.isnan(phi), CARRY, phi)


def _fit_with_running_leak(ratio: np.ndarray, h: np.ndarray, baseline: int):
    """Per slot: (level, A) of the least-squares fit level + A·h, A ≥ 0, of the ratio over the
    ``baseline`` slots before it."""
    usable = ~np.isnan(ratio) & ~np.isnan(h)
    n = len(ratio)

    def window(values):
        sums = np.concatenate([[0.0], np.cumsum(np.where(usable, values, 0.0))])
        end = np.arange(n)
        return sums[end] - sums[np.maximum(end - baseline, 0)]

    with np.errstate(invalid="ignore", divide="ignore"):
        count = window(np.ones(n))
        mean_h = window(h) / count
        mean_r = window(ratio) / count
        spread = window(h * h) - count * mean_h * mean_h
        together = window(ratio * h) - count * mean_h * mean_r
        running = np.maximum(together / spread, 0.0)
        return mean_r - running * mean_h, running


def pressure_drop(values: np.ndarray, usual: np.ndarray, run: int, baseline: int) -> np.ndarray:
    """The mean pressure (against its usual day) of the baseline before each reading minus
    that of the run from it; NaN where unjudged."""
    residual = values - usual
    before = grids.Sums(residual).before(baseline, baseline // 2)
    after = grids.Sums(_forward_filled(residual)).after(run)
    drop = before - after
    drop[~_judged(residual, run)] = np.nan
    return drop
