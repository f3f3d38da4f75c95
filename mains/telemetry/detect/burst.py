"""Burst: a sudden, sustained rise of flow, with a drop of pressure behind it (the night story).

The readings are laid on the meter's own time grid (``grid``). Two ways to judge, chosen per
reading:

**Statistical** (from the meter's ``STATISTICAL_AFTER_DAYS``-th day on, where the usual day
and the noise scales are known):

- The flow is divided by the usual *shape* of the day, from the previous four weeks' days of
  the same kind (``profile``: working days, weekend days, and the evenings and small hours
  around a weekend apart). What is left is the day's level with noise on it.
- At each reading, the step test (``step.flow``) of an added flow against the level of the
  ``BASELINE_HOURS`` before, over runs of ``RUNS`` readings: a run of three confirms at its
  third reading, a run of four — a smaller burst, surer with one more reading — at its
  fourth, still within the hour of a burst that began just before the first. The test
  whitens the noise a 15-minute reading carries on to the next and weighs each reading as a
  burst shows in it (more at night, when the flow is low).
- Its *z* is the statistic over its own usual size at that hour of the day in the previous
  two weeks (``noise_scale``). Likewise the pressure's drop against its own usual day
  (``step.pressure_drop``, against the ``PRESSURE_BASELINE_HOURS`` before).
- A burst begins where the flow's z reaches ``Z_FLOW``, or ``Z_FLOW_WITH_PRESSURE`` with a
  pressure drop of z ``Z_PRESSURE`` behind it, and every reading of the run shows at least
  ``SUSTAINED_SHARE`` of the added flow (a run high only at its end is a later step), and
  at least ``NEW_SHARE`` of it remains when a leak already running before is allowed for
  (``step``: the evening fall of demand makes an old leak look new in the ratio). The
  thresholds were set on the leak benchmark's tuning district-years (docs/leak-benchmark.md),
  not on the scored ones.
- It clears at the first of ``SUSTAINED_READINGS`` consecutive readings whose flow above the
  usual (the level before the onset × the shape) is back under half the flow the burst
  added, whatever the demand does meanwhile.

**Young statistical** (from the meter's ``YOUNG_AFTER_DAYS``-th day to its
``STATISTICAL_AFTER_DAYS``-th): the same test against the shape of the days of the same kind
it has seen (``YOUNG_SHAPE_MIN_DAYS`` are enough, none dropped as highest or lowest below
three), its noise scale from the days it has (``YOUNG_SCALE_DAYS``' worth, at least
``YOUNG_RELATIVE_NOISE`` of the flow), both z thresholds raised by ``YOUNG_Z_MARGIN``. These
were chosen on the unit tests' districts with weekends and on the tuning families' first
weeks (false alarms); scored on the families benchmark's G (leaks in a meter's first three
weeks): bursts ≥ 10 % found within the hour 24 → 46 % (docs/leak-families.md).

**Ratio** (a meter younger than ``STATISTICAL_AFTER_DAYS`` days, or without a usual day or a
noise scale yet — the product's first nights, the night story):

- The flow reference is the flow at the same time of the previous days when there are at
  least three (``profile.recent``), else the highest flow of the hour before the reading (a
  burst steps up at once; the morning's rise of demand climbs a little each reading); the
  pressure reference is the mean pressure of the hour before.
- A burst begins at the first reading from which ``SUSTAINED_READINGS`` consecutive readings
  all have flow ≥ ``FLOW_RISE_RATIO`` × the flow reference and pressure at least
  ``PRESSURE_DROP_MPA`` below the pressure reference, both taken at the first of them; a
  missing reading breaks the run.
- It clears at the first of ``SUSTAINED_READINGS`` consecutive readings back below the flow
  threshold of its onset (the pressure of that hour may not come back when demand grows
  back after a holiday).

``detail["confirmed_at"]`` is the last reading of the onset run: the moment the alarm could
be known (``raised_at`` is its first). Overrides in ``MeterSettings.extra``:
``burst_z_flow``, ``burst_z_flow_with_pressure``, ``burst_z_pressure``.
"""

import numpy as np

from mains.telemetry.detect import floor, noise_scale, profile, step
from mains.telemetry.detect import grid as grids
from mains.telemetry.detect.series import US_PER_DAY, Finding, MeterSettings, Series, iso

KIND = "burst"
METER_KINDS = ("master", "inlet")

# The usual day (4 weeks) of every reading of the noise scales' 2 weeks, and a day.
HISTORY_DAYS = profile.PROFILE_DAYS + noise_scale.DAYS + 1
STATISTICAL_AFTER_DAYS = 21
YOUNG_AFTER_DAYS = 3
YOUNG_SHAPE_MIN_DAYS = 2
YOUNG_SCALE_DAYS = 1
YOUNG_Z_MARGIN = 1.0
YOUNG_RELATIVE_NOISE = 0.01  # a day or two of readings does not know a quieter meter
SUSTAINED_READINGS = 3
RUNS = (3, 4)
BASELINE_HOURS = 6
PRESSURE_BASELINE_HOURS = 2
SUSTAINED_SHARE = 0.25
NEW_SHARE = 0.5
Z_FLOW = 4.75
Z_FLOW_WITH_PRESSURE = 3.25
Z_PRESSURE = 3.5
MIN_RELATIVE_NOISE = 0.003  # 0.3 % of the flow: no meter is quieter than its resolution
MIN_PRESSURE_NOISE_MPA = 0.001
FLOW_RISE_RATIO = 1.30
PRESSURE_DROP_MPA = 0.05
# The settings a site may override (TELEMETRY_DETECTOR_OPTIONS, MeterSettings.extra).
DEFAULTS = {
    "burst_z_flow": Z_FLOW,
    "burst_z_flow_with_pressure": Z_FLOW_WITH_PRESSURE,
    "burst_z_pressure": Z_PRESSURE,
}


class _Statistical:
    """The step tests of every run length at every reading, and the onsets they find."""

    def __init__(self, g: grids.Grid, series: Series, settings: MeterSettings):
        z_flow = float(settings.option("burst_z_flow", DEFAULTS))
        z_flow_p = float(settings.option("burst_z_flow_with_pressure", DEFAULTS))
        z_pressure = float(settings.option("burst_z_pressure", DEFAULTS))
        n = len(g)
        shape, usual_pressure = profile.profiles(g, g.flow, g.pressure)
        old_enough = self._from_day(g, series, STATISTICAL_AFTER_DAYS)
        # A young meter: the shape of the days of the same kind it has seen (two are enough),
        # its noise from the days it has, and a higher bar for both being less known.
        young = self._from_day(g, series, YOUNG_AFTER_DAYS) & ~old_enough
        # Worked out over the young weeks only: a meter has them once.
        self.young_end = int(np.argmax(old_enough)) if old_enough.any() else n
        (young_shape,) = profile.profiles(
            g, g.flow[: self.young_end], min_days=YOUNG_SHAPE_MIN_DAYS
        )
        self.shape = np.where(old_enough, shape, np.nan)
        self.shape[: self.young_end] = np.where(young[: self.young_end], young_shape, np.nan)
        margin = np.where(young, YOUNG_Z_MARGIN, 0.0)
        self.judged = np.zeros(n, dtype=bool)
        self.onset = {}
        self.z = {}
        flow_steps = step.flow(g.flow, self.shape, RUNS, BASELINE_HOURS * g.per_hour, g.per_hour)
        for run in RUNS:
            stat, size, least, beside_running, level = flow_steps[run]
            drop = step.pressure_drop(
                g.pressure, usual_pressure, run, PRESSURE_BASELINE_HOURS * g.per_hour
            )
            with np.errstate(invalid="ignore", divide="ignore"):
                z_f = stat / self._scale(g, stat, MIN_RELATIVE_NOISE, YOUNG_RELATIVE_NOISE)
                z_p = drop / self._scale(g, drop, MIN_PRESSURE_NOISE_MPA, MIN_PRESSURE_NOISE_MPA)
                judged = (old_enough | young) & ~np.isnan(z_f)
                sustained = least >= SUSTAINED_SHARE * size
                # A leak already running shows in the ratio as the evening demand falls.
                sustained &= beside_running >= NEW_SHARE * size * level
                strong = (z_f >= z_flow + margin) | (
                    (z_f >= z_flow_p + margin) & (z_p >= z_pressure)
                )
                hit = judged & sustained & strong
            self.judged |= judged
            self.onset[run] = hit
            self.z[run] = (z_f, z_p, size, level, drop)

    @staticmethod
    def _from_day(g: grids.Grid, series: Series, days: int) -> np.ndarray:
        """Whether each slot is at least ``days`` days after the meter's first reading."""
        since = np.zeros(len(g), dtype=bool)
        if g.per_day:
            grown = int(series.ts_us[0]) + days * US_PER_DAY
            since[max(0, -(-(grown - g.start_us) // g.step_us)) :] = True
        return since

    def _scale(
        self, g: grids.Grid, stat: np.ndarray, floor: float, young_floor: float
    ) -> np.ndarray:
        """The statistic's usual size: from two weeks once the meter is grown, from the days
        it has before (only the young weeks' statistics are needed for that)."""
        scale = noise_scale.by_hour(g, stat, floor)
        end = self.young_end
        if end:
            early = noise_scale.by_hour(g, stat[:end], young_floor, min_days=YOUNG_SCALE_DAYS)
            scale[:end] = early
        return scale

    def onsets(self) -> np.ndarray:
        """Onset of the alarm confirmed at each reading (-1: none): the earliest run's first
        reading among the runs that end there."""
        n = len(self.judged)
        onset = np.full(n, -1, dtype=np.int64)
        for run in sorted(RUNS):  # shorter runs first: a longer one ending there began earlier
            first = np.flatnonzero(self.onset[run])
            onset[first + run - 1] = first
        return onset

    def detail(self, g: grids.Grid, first: int, run: int) -> tuple[dict, np.ndarray]:
        z_f, z_p, size, level, drop = self.z[run]
        usual = level[first] * self.shape
        rise = float(size[first] * level[first])
        base_width = PRESSURE_BASELINE_HOURS * g.per_hour
        detail = {
            "method": "statistical",
            "reference_flow_m3h": round(float(usual[first]), 3),
            "reference_pressure_mpa": _round(
                _mean(g.pressure[max(0, first - base_width) : first]), 4
            ),
            "flow_rise_m3h": round(rise, 3),
            "flow_z": round(float(z_f[first]), 2),
            "pressure_drop_mpa": _round(drop[first], 4),
            "pressure_z": _round(z_p[first], 2),
        }
        after = first + run
        with np.errstate(invalid="ignore"):
            normal = g.flow[after:] - usual[after:] < 0.5 * rise
        return detail, normal


def find(series: Series, settings: MeterSettings) -> list[Finding]:
    if len(series) < SUSTAINED_READINGS:
        return []
    g = grids.of(series, settings)
    n, run = len(g), SUSTAINED_READINGS
    flow, pressure = g.flow, g.pressure
    statistical = _Statistical(g, series, settings)
    stat_onset = statistical.onsets()

    # The ratio rule where the statistical one cannot judge: in practice the first weeks of a
    # meter, so it is worked out up to the last such reading only.
    ratio_onset = np.zeros(n, dtype=bool)
    judged = ~statistical.judged & ~np.isnan(flow) & ~np.isnan(pressure)
    judged[n - run + 1 :] = False  # too near the end for a run
    open_slots = np.flatnonzero(judged)
    m = min(n, int(open_slots[-1]) + run) if len(open_slots) else 0
    with np.errstate(invalid="ignore", divide="ignore"):
        hour_flow = _highest_before(flow[:m], g.per_hour)
        hour_pressure = grids.Sums(pressure[:m]).before(g.per_hour, 1)
        usual = profile.recent(g, flow[:m])
        flow_ref = np.where(np.isnan(usual), hour_flow, usual)
        high = flow[:m] >= flow_ref * FLOW_RISE_RATIO
        low = pressure[:m] <= hour_pressure - PRESSURE_DROP_MPA
        usable = (flow_ref > 0) & ~np.isnan(hour_pressure)
    ratio_onset[:m] = high & low & usable & ~statistical.judged[:m]
    # The thresholds are those of the first reading: the rest of the run must meet them too.
    for i in np.flatnonzero(ratio_onset):
        f_t = flow_ref[i] * FLOW_RISE_RATIO
        p_t = hour_pressure[i] - PRESSURE_DROP_MPA
        ratio_onset[i] = (
            i + run <= n
            and bool(np.all(flow[i : i + run] >= f_t))
            and bool(np.all(pressure[i : i + run] <= p_t))
        )
    bottom = floor.of(g, int(series.ts_us[0]))
    floor_onset = bottom.onsets(flow) if bottom is not None else np.zeros(0, dtype=np.int64)
    # Every way an alarm can be confirmed at a reading: (reading, onset, rule); at one
    # reading the statistical test's account is preferred, then the floor's.
    confirmations = sorted(
        [(int(c), int(stat_onset[c]), 0) for c in np.flatnonzero(stat_onset >= 0)]
        + [(int(i) + bottom.run - 1, int(i), 1) for i in floor_onset if bottom is not None]
        + [(int(i) + run - 1, int(i), 2) for i in np.flatnonzero(ratio_onset)]
    )

    findings: list[Finding] = []
    start = 0
    for confirmed, onset, rule in confirmations:
        if onset < start:
            continue
        length = confirmed - onset + 1
        after = confirmed + 1
        if rule == 0:
            detail, normal = statistical.detail(g, onset, length)
        elif rule == 1 and bottom is not None:
            detail, normal = _floor_detail(g, bottom, onset, after)
        else:
            f_t = float(flow_ref[onset] * FLOW_RISE_RATIO)
            p_t = float(hour_pressure[onset] - PRESSURE_DROP_MPA)
            with np.errstate(invalid="ignore"):
                # The flow alone says the leak is repaired: the pressure of the onset's hour
                # may not come back (demand grows back after a holiday).
                normal = flow[after:] < f_t
            detail = {
                "method": "ratio",
                "reference_flow_m3h": round(float(flow_ref[onset]), 3),
                "reference_pressure_mpa": round(float(hour_pressure[onset]), 4),
                "flow_threshold_m3h": round(f_t, 3),
                "pressure_threshold_mpa": round(p_t, 4),
            }
        _what_was_seen(g, detail, onset, confirmed)
        recovered = _runs(normal, run)
        cleared = int(recovered[0]) + after if len(recovered) else None
        detail["onset"] = iso(g.ts_us(onset))
        detail["confirmed_at"] = iso(g.ts_us(confirmed))
        detail["readings"] = [
            {
                "ts": iso(g.ts_us(i)),
                "flow_m3h": None if np.isnan(flow[i]) else float(flow[i]),
                "pressure_mpa": None if np.isnan(pressure[i]) else float(pressure[i]),
            }
            for i in range(onset, confirmed + 1)
        ]
        findings.append(
            Finding(KIND, g.ts_us(onset), None if cleared is None else g.ts_us(cleared), detail)
        )
        if cleared is None:
            break
        start = cleared + run
    return findings


def _what_was_seen(g: grids.Grid, detail: dict, onset: int, confirmed: int) -> None:
    """What an engineer is told, whichever rule found it: the flow above the usual for that
    time of day (m³/h and share), the pressure's drop, and how long it had lasted."""
    run = slice(onset, confirmed + 1)
    reference = detail["reference_flow_m3h"]
    if "flow_rise_m3h" not in detail:
        detail["flow_rise_m3h"] = _round(_mean(g.flow[run]) - reference, 3)
    rise = detail["flow_rise_m3h"]
    if "flow_rise_share" not in detail and rise is not None and reference:
        detail["flow_rise_share"] = round(rise / reference, 3)
    if "pressure_drop_mpa" not in detail and detail.get("reference_pressure_mpa") is not None:
        detail["pressure_drop_mpa"] = _round(
            detail["reference_pressure_mpa"] - _mean(g.pressure[run]), 4
        )
    detail["held_minutes"] = int((confirmed - onset) * g.step_us // 60_000_000)


def _floor_detail(g: grids.Grid, bottom: floor.Floor, onset: int, after: int):
    rise = bottom.rise(g.flow, onset)
    usual = float(bottom.usual[onset])
    added = float(rise[0])
    base_width = PRESSURE_BASELINE_HOURS * g.per_hour
    before = _mean(g.pressure[max(0, onset - base_width) : onset])
    detail = {
        "method": "floor",
        "reference_flow_m3h": round(usual + float(bottom.before[onset]), 3),
        "reference_pressure_mpa": _round(before, 4),
        "flow_rise_m3h": round(added, 3),
        "flow_rise_share": round(added / usual, 3),
    }
    with np.errstate(invalid="ignore"):
        normal = rise[after - onset :] < 0.5 * added
    return detail, normal


def _highest_before(values: np.ndarray, width: int) -> np.ndarray:
    """Per slot, the highest of the ``width`` values before it (NaN when none is there)."""
    n = len(values)
    out = np.full(n, np.nan)
    for by in range(1, min(width, n - 1) + 1):
        np.fmax(out[by:], values[:-by], out=out[by:])
    return out


def _runs(mask: np.ndarray, length: int) -> np.ndarray:
    """Slots i where mask[i : i + length] are all true."""
    n = len(mask)
    if n < length:
        return np.zeros(0, dtype=np.int64)
    counts = np.concatenate([[0], np.cumsum(mask)])
    return np.flatnonzero(counts[length:] - counts[: n - length + 1] == length)


def _mean(values: np.ndarray) -> float:
    present = values[~np.isnan(values)]
    return float(present.mean()) if len(present) else float("nan")


def _round(value, digits: int):
    return None if np.isnan(value) else round(float(value), digits)
