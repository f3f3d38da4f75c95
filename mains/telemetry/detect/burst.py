"""Burst: a sudden, sustained rise of flow, with a drop of pressure behind it (the night story).

The readings are laid on the meter's own time grid (``grid``). A burst is looked for as a
*step*: ``SUSTAINED_READINGS`` consecutive readings against the ``BASELINE_HOURS`` before
them. Two ways to judge the step, chosen per reading:

**Statistical** (the same weekday has readings in at least ``MIN_PROFILE_DAYS`` of the
previous ``PROFILE_WEEKS`` weeks, and the meter has a noise scale):

- The profile at a reading is the trimmed mean (highest and lowest dropped) of the flow at the
  same time on the same weekday of the previous ``PROFILE_WEEKS`` weeks. The usual morning and
  evening peaks, and the later weekend mornings, are therefore not steps.
- A burst adds a flow, so it must step up both ways the flow is compared with the profile:
  the flow above it (m³/h) and the flow relative to it (the ratio), each against its mean
  over the baseline hours (for the ratio: or over the day before, whichever is higher). A
  day a few per cent busier than usual steps up the first at the morning rise but not the
  second; a leak already running steps up the second as the demand falls at night but not
  the first.
- The size of each step is estimated with the matched filter of a step in noise that carries
  ``CARRY`` (one half) of a reading's deviation from the profile on to the next, as
  15-minute demand does (a busy quarter of an hour is followed by a busier than usual one):
  the run's readings and the one before it are weighted so that this carried-over noise
  cancels (``_step_weights``: -1/3, 1/2, 1/6, 1/3 for a run of three), instead of a plain mean
  of the run. ``CARRY`` is fixed, not estimated per meter: a meter whose noise carries less
  loses a little power, not its false-alarm rate (the noise scale below is measured on this
  very estimate). See docs/leak-benchmark.md for what it gained there.
- Both steps are divided by the usual flow and by the meter's own noise (1.4826 × the median
  absolute step of each local day, the median of the previous ``NOISE_DAYS`` days); the
  smaller is the flow's *z*.
- The pressure step is the drop of the pressure *against its own profile* (the same days,
  the same trimmed mean): the baseline hours' mean residual minus the run's, divided the
  same way by its own noise. The logger's daily swing (demand, pumps, tanks on their
  schedules) is thus not a step; a burst's head loss is.
- A burst begins where the flow's z reaches ``Z_FLOW``, or ``Z_FLOW_WITH_PRESSURE`` with a
  pressure drop of at least ``Z_PRESSURE`` behind it, and every reading of the run is at least
  half that far up. A run may miss ``MAX_MISSING_IN_RUN`` reading (not its first).
- It clears at the first of ``SUSTAINED_READINGS`` consecutive readings whose flow above the
  profile is back under the baseline's plus half the rise the burst began with (m³/h),
  whatever the demand does meanwhile.

**Ratio** (a meter younger than three weeks, or without a noise scale yet — the product's
first nights, the night story):

- The flow reference is a profile when there is one (the latest days of the same kind,
  weekday or weekend, in the previous two weeks, else the previous ``PROFILE_DAYS`` days, at
  least ``MIN_PROFILE_DAYS`` of them), else the mean flow of the hour before the reading; the
  pressure reference is the mean pressure of the hour before.
- A burst begins at the first reading from which ``SUSTAINED_READINGS`` consecutive readings all
  have flow ≥ ``FLOW_RISE_RATIO`` × the flow reference and pressure at least
  ``PRESSURE_DROP_MPA`` below the pressure reference, both taken at the first of them; a
  missing reading breaks the run.
- It clears at the first of ``SUSTAINED_READINGS`` consecutive readings back below the flow
  threshold and above the pressure threshold of its onset.

``detail["confirmed_at"]`` is the last reading of the onset run: the moment the alarm could
be known (``raised_at`` is its first). Overrides in ``MeterSettings.extra``:
``burst_z_flow``, ``burst_z_flow_with_pressure``, ``burst_z_pressure``.
"""

import numpy as np

from mains.telemetry.detect import grid as grids
from mains.telemetry.detect.series import Finding, MeterSettings, Series, iso

KIND = "burst"
METER_KINDS = ("master", "inlet")

HISTORY_DAYS = 36  # 4 weeks of profile behind the 7 days of noise scale, and a day
SUSTAINED_READINGS = 3
BASELINE_HOURS = 2
PROFILE_WEEKS = 4
PROFILE_DAYS = 7
PROFILE_DAYS_USED = 4
MIN_PROFILE_DAYS = 3
NOISE_DAYS = 7
MIN_NOISE_DAYS = 2
MAX_MISSING_IN_RUN = 1
Z_FLOW = 3.5
Z_FLOW_WITH_PRESSURE = 3.0
Z_PRESSURE = 4.0
CARRY = 0.5  # share of one reading's deviation from the profile still there at the next
MIN_RELATIVE_NOISE = 0.003  # 0.3 % of the flow: no meter is quieter than its resolution
MIN_PRESSURE_NOISE_MPA = 0.001
FLOW_RISE_RATIO = 1.30
PRESSURE_DROP_MPA = 0.05


def _previous_days(g: grids.Grid, has_data: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(days, PROFILE_DAYS_USED) indices of the earlier days a day's profile is made of, -1
    for none: the same weekday of the previous PROFILE_WEEKS weeks when at least
    MIN_PROFILE_DAYS of them have readings; else the most recent days of the same kind
    (weekday or weekend) in the previous two weeks; else the previous PROFILE_DAYS days.
    Also whether the day's profile is of its own kind of day (one of the first two)."""
    days = len(has_data)
    index = np.arange(days)
    weekend = ((g.first_day + index + 3) % 7) >= 5  # 1970-01-01 was a Thursday
    choices = []
    for lags in (
        [7 * k for k in range(1, PROFILE_WEEKS + 1)],
        list(range(1, 15)),
        list(range(1, PROFILE_DAYS + 1)),
    ):
        lag = np.array(lags)
        source = index[:, None] - lag[None, :]
        ok = (source >= 0) & has_data[np.clip(source, 0, None)]
        if len(lags) == 14:
            ok &= weekend[np.clip(source, 0, None)] == weekend[:, None]
        order = np.argsort(~ok, axis=1, kind="stable")[:, :PROFILE_DAYS_USED]
        picked = np.take_along_axis(source, order, 1)
        picked[~np.take_along_axis(ok, order, 1)] = -1
        choices.append(picked)
    chosen = choices[-1].copy()
    enough = np.zeros(days, dtype=bool)
    for picked in reversed(choices[:-1]):
        enough = np.sum(picked >= 0, axis=1) >= MIN_PROFILE_DAYS
        chosen[enough] = picked[enough]
    typed = enough  # the last round: the same weekday of earlier weeks
    return chosen, typed


def profile(g: grids.Grid, *others: np.ndarray) -> tuple[list[np.ndarray], np.ndarray]:
    """Expected flow of each slot from the same time on earlier days (NaN where too few):
    the trimmed mean (highest and lowest dropped) of the days ``_previous_days`` picks for
    the flow; the same for each of ``others`` (e.g. the pressure), from the same days; and
    whether the profiles were made of the same kind of day (weekday or weekend)."""
    n = len(g)
    if not g.per_day or n <= MIN_PROFILE_DAYS * g.per_day:
        return [np.full(n, np.nan) for _ in range(1 + len(others))], np.zeros(n, dtype=bool)
    flow_by_day = g.by_day(g.flow)
    sources, typed = _previous_days(g, np.any(~np.isnan(flow_by_day), axis=1))
    width = g.per_day * (1 + len(others))
    by_day = np.concatenate([flow_by_day, *(g.by_day(v) for v in others)], axis=1)
    padded = np.concatenate([by_day, np.full((1, width), np.nan)])  # -1: no day
    valid = ~np.isnan(padded)
    filled = np.where(valid, padded, 0.0)
    first = sources[:, 0]
    total, count = filled[first], valid[first].astype(np.int8)
    high = padded[first]
    low = high.copy()
    for j in range(1, sources.shape[1]):
        day = sources[:, j]
        total += filled[day]
        count += valid[day]
        np.fmax(high, padded[day], out=high)  # fmax, fmin: a missing value is not an extreme
        np.fmin(low, padded[day], out=low)
    with np.errstate(invalid="ignore", divide="ignore"):
        trimmed = (total - high - low) / (count - 2)
    trimmed[count < MIN_PROFILE_DAYS] = np.nan
    by_slot = np.repeat(typed, g.per_day)[g.day_offset : g.day_offset + n]
    expected = [
        trimmed[:, k * g.per_day : (k + 1) * g.per_day].reshape(-1)[g.day_offset : g.day_offset + n]
        for k in range(1 + len(others))
    ]
    return expected, by_slot


def noise(g: grids.Grid, step: np.ndarray, floor: np.ndarray | float) -> np.ndarray:
    """Per slot: the robust scale of ``step`` over the previous NOISE_DAYS local days."""
    n = len(step)
    if not g.per_day:
        return np.full(n, np.nan)
    per_day = 1.4826 * grids.row_median(np.abs(g.by_day(step)))
    days = len(per_day)
    stack = np.stack([grids.shifted(per_day, k) for k in range(1, NOISE_DAYS + 1)], axis=1)
    scale = grids.row_median(stack)
    scale[np.sum(~np.isnan(stack), axis=1) < MIN_NOISE_DAYS] = np.nan
    by_slot = np.repeat(scale, g.per_day)[g.day_offset : g.day_offset + n]
    assert len(by_slot) == n and days > 0
    return np.maximum(by_slot, floor)


def _runs(mask: np.ndarray, length: int) -> np.ndarray:
    """Slots i where mask[i : i + length] are all true."""
    n = len(mask)
    if n < length:
        return np.zeros(0, dtype=np.int64)
    counts = np.concatenate([[0], np.cumsum(mask)])
    return np.flatnonzero(counts[length:] - counts[: n - length + 1] == length)


def find(series: Series, settings: MeterSettings) -> list[Finding]:
    if len(series) < SUSTAINED_READINGS:
        return []
    g = grids.of(series, settings)
    n, run = len(g), SUSTAINED_READINGS
    flow, pressure = g.flow, g.pressure
    extra = settings.extra
    z_flow = float(extra.get("burst_z_flow", Z_FLOW))
    z_flow_p = float(extra.get("burst_z_flow_with_pressure", Z_FLOW_WITH_PRESSURE))
    z_pressure = float(extra.get("burst_z_pressure", Z_PRESSURE))
    base_width = BASELINE_HOURS * g.per_hour

    # The pressure against its own profile: the logger's daily swing (demand, pumps and
    # tanks on their schedules) is not a step.
    (expected, expected_pressure), typed = profile(g, pressure)
    # A burst adds a flow: a step up both of the flow above the profile (m³/h) and of the
    # flow relative to it. A demand a few per cent above the usual all day steps up the
    # first at the morning rise, not the second; a leak already running steps up the second
    # as demand falls at night, not the first. Both steps are taken relative to the profile.
    with np.errstate(invalid="ignore", divide="ignore"):
        known = expected > 0
        excess = np.where(known, flow - expected, np.nan)
        ratio = np.where(known, flow / expected, np.nan)
    excess_sums, ratio_sums = grids.Sums(excess), grids.Sums(ratio)
    base = excess_sums.before(base_width, base_width // 2)
    ratio_base = np.fmax(
        ratio_sums.before(base_width, base_width // 2),
        ratio_sums.before(24 * g.per_hour, 6 * g.per_hour),
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        present = ~np.isnan(excess)
        whole = ~np.isnan(excess_sums.after(run, MAX_MISSING_IN_RUN)) & present
        additive = _step_estimate(excess, base, run) / expected
        additive_low = (_min_filter(excess, run) - base) / expected
        relative = _step_estimate(ratio, ratio_base, run)
        relative_low = _min_filter(ratio, run) - ratio_base
    additive[~whole] = np.nan
    relative[~whole] = np.nan
    pressure_sums = grids.Sums(pressure - expected_pressure)
    p_base = pressure_sums.before(base_width, base_width // 2)
    pressure_step = p_base - pressure_sums.after(run, MAX_MISSING_IN_RUN)
    additive_noise = noise(g, additive, MIN_RELATIVE_NOISE)
    relative_noise = noise(g, relative, MIN_RELATIVE_NOISE)
    pressure_noise = noise(g, pressure_step, MIN_PRESSURE_NOISE_MPA)
    with np.errstate(invalid="ignore", divide="ignore"):
        z_f = np.fmin(additive / additive_noise, relative / relative_noise)
        z_f[np.isnan(additive) | np.isnan(relative)] = np.nan
        z_p = pressure_step / pressure_noise
        need = np.where((z_p >= z_pressure), z_flow_p, z_flow)
        sustained = (additive_low >= 0.5 * need * additive_noise) & (
            relative_low >= 0.5 * need * relative_noise
        )
    statistical = typed & ~np.isnan(z_f)
    with np.errstate(invalid="ignore", divide="ignore"):
        stat_onset = statistical & (z_f >= need) & sustained

    # The ratio rule where the statistical one cannot judge: in practice the first weeks of a
    # meter, so it is worked out up to the last such reading only.
    ratio_onset = np.zeros(n, dtype=bool)
    judged = ~statistical & ~np.isnan(flow) & ~np.isnan(pressure)
    judged[n - run + 1 :] = False  # too near the end for a run
    open_slots = np.flatnonzero(judged)
    m = min(n, int(open_slots[-1]) + run) if len(open_slots) else 0
    with np.errstate(invalid="ignore", divide="ignore"):
        hour_flow = grids.Sums(flow[:m]).before(g.per_hour, 1)
        hour_pressure = grids.Sums(pressure[:m]).before(g.per_hour, 1)
        flow_ref = np.where(np.isnan(expected[:m]), hour_flow, expected[:m])
        high = flow[:m] >= flow_ref * FLOW_RISE_RATIO
        low = pressure[:m] <= hour_pressure - PRESSURE_DROP_MPA
        usable = (flow_ref > 0) & ~np.isnan(hour_pressure)
    ratio_onset[:m] = high & low & usable & ~statistical[:m]
    # The thresholds are those of the first reading: the rest of the run must meet them too.
    for i in np.flatnonzero(ratio_onset):
        f_t = flow_ref[i] * FLOW_RISE_RATIO
        p_t = hour_pressure[i] - PRESSURE_DROP_MPA
        ratio_onset[i] = (
            i + run <= n
            and bool(np.all(flow[i : i + run] >= f_t))
            and bool(np.all(pressure[i : i + run] <= p_t))
        )
    candidates = np.flatnonzero(stat_onset | ratio_onset)

    findings: list[Finding] = []
    start = 0
    while True:
        k = int(np.searchsorted(candidates, start))
        if k >= len(candidates):
            break
        onset = int(candidates[k])
        after = onset + run
        if statistical[onset] and stat_onset[onset]:
            # A burst is an added flow: it is over when the flow above the expected level
            # falls under half the rise it began with (however the demand moves meanwhile).
            rise = additive[onset] * expected[onset]
            with np.errstate(invalid="ignore"):
                normal = excess[after:] - base[onset] < 0.5 * rise
            detail = {
                "method": "statistical",
                "reference_flow_m3h": round(float(expected[onset] + base[onset]), 3),
                "reference_pressure_mpa": _round(
                    _mean(pressure[max(0, onset - base_width) : onset]), 4
                ),
                "flow_rise_m3h": round(float(rise), 3),
                "flow_z": round(float(z_f[onset]), 2),
                "pressure_drop_mpa": _round(pressure_step[onset], 4),
                "pressure_z": _round(z_p[onset], 2),
            }
        else:
            f_t = float(flow_ref[onset] * FLOW_RISE_RATIO)
            p_t = float(hour_pressure[onset] - PRESSURE_DROP_MPA)
            with np.errstate(invalid="ignore"):
                normal = (flow[after:] < f_t) & (pressure[after:] > p_t)
            detail = {
                "method": "ratio",
                "reference_flow_m3h": round(float(flow_ref[onset]), 3),
                "reference_pressure_mpa": round(float(hour_pressure[onset]), 4),
                "flow_threshold_m3h": round(f_t, 3),
                "pressure_threshold_mpa": round(p_t, 4),
            }
        recovered = _runs(normal, run)
        cleared = int(recovered[0]) + after if len(recovered) else None
        detail["onset"] = iso(g.ts_us(onset))
        detail["confirmed_at"] = iso(g.ts_us(onset + run - 1))
        detail["readings"] = [
            {
                "ts": iso(g.ts_us(i)),
                "flow_m3h": float(flow[i]),
                "pressure_mpa": None if np.isnan(pressure[i]) else float(pressure[i]),
            }
            for i in range(onset, onset + run)
        ]
        findings.append(
            Finding(
                KIND,
                g.ts_us(onset),
                None if cleared is None else g.ts_us(cleared),
                detail,
            )
        )
        if cleared is None:
            break
        start = cleared + run
    return findings


def _step_weights(length: int) -> np.ndarray:
    """Weights of the readings i - 1 … i + length - 1 in the estimate of a step up at i: the
    matched filter for a step in noise of which ``CARRY`` of a reading's deviation is still
    there at the next (first-order autoregressive, as 15-minute demand is). Whitened, the
    noise is d(t) - CARRY·d(t - 1); a step s adds s to the first such difference and
    (1 - CARRY)·s to each later one; the weights sum to one over the run."""
    whiten = np.zeros((length, length + 1))
    for t in range(length):
        whiten[t, t + 1] = 1.0
        whiten[t, t] = -CARRY
    gain = np.array([1.0] + [1.0 - CARRY] * (length - 1))
    weights = gain @ whiten
    return weights / weights[1:].sum()


def _step_estimate(values: np.ndarray, level: np.ndarray, length: int) -> np.ndarray:
    """The step up of ``values`` at each reading i, over the ``length`` readings from i, from
    ``level`` (their mean before i), by ``_step_weights``; a missing reading counts as the
    one before it (NaN where the run runs off the end)."""
    n = len(values)
    out = np.full(n, np.nan)
    if n < length + 1:
        return out
    missing = np.isnan(values)
    first = int(np.argmax(~missing))  # a leading gap (no profile yet) stays missing
    if missing[first:].any():
        index = np.where(missing, 0, np.arange(n))
        np.maximum.accumulate(index, out=index)
        values = np.where(np.arange(n) < first, np.nan, values[index])
    weights = _step_weights(length)
    total = weights[0] * values[: n - length]
    for j in range(1, length + 1):  # reading i - 1 + j
        total += weights[j] * values[j : n - length + j]
    out[1 : n - length + 1] = total
    out -= level * weights.sum()
    return out


def _min_filter(values: np.ndarray, width: int) -> np.ndarray:
    """min(values[i : i + width]) over the values present (NaN past the end)."""
    out = values.copy()
    for k in range(1, width):
        out[: len(out) - k] = np.fmin(out[: len(out) - k], values[k:])
    out[len(out) - width + 1 :] = np.nan
    return out


def _mean(values: np.ndarray) -> float:
    present = values[~np.isnan(values)]
    return float(present.mean()) if len(present) else float("nan")


def _round(value, digits: int):
    return None if np.isnan(value) else round(float(value), digits)
