"""Scenario families: districts that differ in what matters, so a detector cannot be fitted
to one kind of district (issue 13). ``python -m benchmarks.leaks.families [--quick]``.

A *family* (``Family``) is data: a network (with its own demand patterns where it has them),
demand noise (AR(1), φ per 15 minutes, σ, common to the district or per demand class),
day-to-day factors, weather spells, a holiday, flow-meter drift, gaps, the reading step and
whether leaks start in a meter's first three weeks. Each family is simulated (EPANET
toolkit, pressure-driven demand, as ``benchmarks.leaks``), its leak-free and leak telemetry
written as CSV, our detectors run through ``mains telemetry backtest`` and the baselines
in process, and every family is reported apart: burst detection within 1 h against size,
delay of gradual leaks against size, false alarms per district-month, beside the physical
limit of the family's noise (``physical_limit``). Some families are marked *tuning*
(thresholds may be chosen on them), the others *scored*; a detector is as good as its
worst scored family. See docs/leak-families.md.
"""

import argparse
import hashlib
import json
import os
import platform
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from benchmarks.leaks import demand, score
from benchmarks.leaks.hydraulics import Leak, Network

CACHE_VERSION = "f1"
START_US = 1735660800 * 1_000_000  # 2025-01-01T00:00+08:00 (simulation time 0)
BURST_SIZES = (0.05, 0.10, 0.20, 0.30, 0.50)  # of the district's mean inflow
GRADUAL_SIZES = (0.10, 0.20, 0.40, 0.80)  # of the district's minimum night flow
GRADUAL_RAMP_DAYS = (2, 7)
FIRST_LEAK_DAY = 28  # leaks start after four weeks of data, unless the family says early
EARLY_LEAK_DAYS = (1, 21)  # a new meter: leaks within its first three weeks
HISTORY_DAYS = 35
SENSOR_CANDIDATES = 30
SENSOR_FLOW_REL = 0.005  # of the reading
SENSOR_FLOW_ABS = 0.002  # of the mean flow
QUICK_DAYS = 90
FULL_DAYS = 365


@dataclass(frozen=True)
class Spell:
    """A smooth multi-day change of all demand: ``change`` (e.g. +0.15) held for ``days``,
    reached and left over ``ramp_days`` (raised cosine); repeats every ``every_days``."""

    start_day: float
    days: float
    change: float
    ramp_days: float = 1.5
    every_days: float = 91.0


@dataclass(frozen=True)
class Family:
    name: str
    role: str  # "tuning" | "scored"
    network: str
    own_patterns: bool  # the network's own demand patterns (else our generated classes)
    phi: float  # AR(1) coefficient of the demand noise per 15 minutes
    sigma: float  # its standard deviation, relative to demand
    noise: str  # "common" (one series for the district) | "class" (one per demand class)
    step_min: int = 15
    day_sigma: float = 0.03  # day-to-day factor (AR(1) over days, φ 0.7), common
    spells: tuple[Spell, ...] = ()  # weather spells and holidays
    drift_per_month: float = 0.0  # flow meter reads (1 + drift · months) times the truth
    gaps_per_month: float = 0.0  # blocks of missing readings (both channels)
    gap_hours: tuple[float, float] = (2.0, 12.0)
    early_leaks: bool = False
    note: str = ""

    def describe(self) -> str:
        parts = [
            f"{self.network} ({'own patterns' if self.own_patterns else 'generated classes'})",
            f"AR(1) φ {self.phi:g} σ {100 * self.sigma:g} % {self.noise}",
            f"{self.step_min}-min",
        ]
        for s in self.spells:
            parts.append(f"{100 * s.change:+.0f} % for {s.days:g} d")
        if self.drift_per_month:
            parts.append(f"drift {100 * self.drift_per_month:+g} %/month")
        if self.gaps_per_month:
            lo, hi = self.gap_hours
            parts.append(f"{self.gaps_per_month:g} gaps/month of {lo:g}–{hi:g} h")
        if self.early_leaks:
            parts.append("leaks in days 1–21")
        return ", ".join(parts)


WEEK_WARM = Spell(start_day=38, days=7, change=0.15)
WEEK_COOL = Spell(start_day=60, days=5, change=-0.10)
SPRING_FESTIVAL = Spell(start_day=45, days=7, change=-0.30, ramp_days=1.0)

FAMILIES = (
    Family(
        "A-generated",
        "tuning",
        "Net3",
        False,
        0.5,
        0.06,
        "class",
        note="close to the old benchmark: generated classes, fast small noise",
    ),
    Family(
        "B-net3-own",
        "scored",
        "Net3",
        True,
        0.85,
        0.05,
        "common",
        note="the issue's independent districts: own patterns, slow district-wide noise",
    ),
    Family(
        "C-ky4-weather",
        "tuning",
        "ky4",
        True,
        0.7,
        0.03,
        "class",
        spells=(WEEK_WARM, WEEK_COOL),
    ),
    Family(
        "D-ky10-festival",
        "scored",
        "ky10",
        True,
        0.9,
        0.04,
        "common",
        spells=(SPRING_FESTIVAL,),
    ),
    Family(
        "E-net1-5min",
        "scored",
        "Net1",
        True,
        0.3,
        0.08,
        "class",
        step_min=5,
        note="fast, large per-class noise read every 5 minutes",
    ),
    Family(
        "F-ky4-drift-gaps",
        "scored",
        "ky4",
        True,
        0.95,
        0.02,
        "common",
        step_min=5,
        drift_per_month=0.03,
        gaps_per_month=4,
    ),
    Family(
        "G-net3-new-meter",
        "scored",
        "Net3",
        True,
        0.85,
        0.05,
        "common",
        early_leaks=True,
        note="leaks within a meter's first three weeks",
    ),
    Family(
        "H-net3-hard",
        "scored",
        "Net3",
        True,
        0.95,
        0.08,
        "common",
        spells=(WEEK_WARM, SPRING_FESTIVAL),
        drift_per_month=0.03,
        gaps_per_month=4,
        note="everything at once, the noisiest",
    ),
)
BY_NAME = {f.name: f for f in FAMILIES}


# --- noise and the physical limit -----------------------------------------------------------


def phi_per_step(phi_15min: float, step_min: int) -> float:
    """The AR(1) coefficient per reading that gives ``phi_15min`` over 15 minutes."""
    return float(phi_15min ** (step_min / 15.0))


def ar1(rng: np.random.Generator, n: int, phi: float, sigma: float) -> np.ndarray:
    """Stationary AR(1): x[i] = φ·x[i−1] + e, Var x = σ²."""
    e = rng.normal(0.0, sigma * np.sqrt(1 - phi**2), n)
    out = np.empty(n)
    out[0] = rng.normal(0.0, sigma)
    for i in range(1, n):
        out[i] = phi * out[i - 1] + e[i]
    return out


def mean_variance_factor(phi: float, n: int) -> float:
    """Var(mean of n consecutive AR(1) readings) / σ² = (n + 2 Σ_{k<n} (n−k) φ^k) / n²."""
    return (n + 2 * sum((n - k) * phi**k for k in range(1, n))) / n**2


def physical_limit(
    sigma: float,
    phi_15min: float,
    step_min: int = 15,
    readings: int = 4,
    z: float = 3.0,
    sensor_sigma: float = SENSOR_FLOW_REL + SENSOR_FLOW_ABS,
) -> float:
    """The smallest step of flow (as a share of the flow) that a mean of ``readings``
    readings shows at ``z`` standard deviations against a known level, when the district's
    demand noise is AR(1) with ``sigma`` and ``phi_15min`` and each reading has independent
    meter noise ``sensor_sigma``:

        Δ = z · √(σ² · (n + 2 Σ_{k=1}^{n−1} (n−k) φᵏ) / n² + σₛ² / n),  φ per reading.
    """
    phi = phi_per_step(phi_15min, step_min)
    variance = sigma**2 * mean_variance_factor(phi, readings) + sensor_sigma**2 / readings
    return float(z * np.sqrt(variance))


def step_limit(
    sigma: float, phi_15min: float, step_min: int = 15, readings: int = 4,
    history_hours: float = 6.0, z: float = 3.0,
    sensor_sigma: float = SENSOR_FLOW_REL + SENSOR_FLOW_ABS,
) -> float:  # fmt: skip
    """The smallest step that the best test can show at ``z`` in the last ``readings``
    readings after ``history_hours`` of readings at an unknown level, the noise known
    (AR(1) demand noise plus white meter noise, covariance Σ): the generalised likelihood
    ratio test of a step s (0 before, 1 in the last readings) with a free level 1:

        Δ = z / √(sᵀ P s),  P = Σ⁻¹ − Σ⁻¹1 (1ᵀΣ⁻¹1)⁻¹ 1ᵀΣ⁻¹.

    Slow noise (φ near 1) is mostly carried over from the readings before and subtracted,
    so this limit falls far below ``physical_limit`` as φ → 1; for white noise it is
    ``physical_limit`` with a slightly uncertain level."""
    phi = phi_per_step(phi_15min, step_min)
    n = int(round(history_hours * 60 / step_min)) + readings
    lags = np.abs(np.subtract.outer(np.arange(n), np.arange(n)))
    cov = sigma**2 * phi**lags + sensor_sigma**2 * np.eye(n)
    inv = np.linalg.inv(cov)
    ones = np.ones(n)
    step = np.zeros(n)
    step[-readings:] = 1.0
    projected = inv - np.outer(inv @ ones, ones @ inv) / (ones @ inv @ ones)
    return float(z / np.sqrt(step @ projected @ step))


def district_sigma(family: Family, weights: np.ndarray) -> float:
    """The noise of the district's total: σ when common, σ·√Σw² over the classes' shares
    of demand when each class has its own."""
    if family.noise == "common":
        return family.sigma
    w = np.asarray(weights, dtype=float)
    w = w / w.sum()
    return float(family.sigma * np.sqrt(np.sum(w**2)))


# --- demand ----------------------------------------------------------------------------------


def _cyclic(values: np.ndarray, pattern_step_s: int, times_s: np.ndarray) -> np.ndarray:
    """A pattern looped and interpolated linearly between its points (no hourly steps)."""
    x = np.arange(len(values) + 1) * pattern_step_s
    period = len(values) * pattern_step_s
    return np.interp(times_s % period, x, np.concatenate([values, values[:1]]))


def _spell_factor(spells, days: np.ndarray) -> np.ndarray:
    out = np.ones_like(days)
    horizon = float(days.max()) + 1 if len(days) else 0.0
    for s in spells:
        start = s.start_day
        while start < horizon:
            ramp = max(s.ramp_days, 1e-6)
            rise = np.clip((days - (start - ramp)) / ramp, 0, 1)
            fall = np.clip(((start + s.days + ramp) - days) / ramp, 0, 1)
            level = np.minimum(rise, fall)
            out *= 1 + s.change * (0.5 - 0.5 * np.cos(np.pi * level))
            start += s.every_days
    return out


def multipliers(
    family: Family, seed: int, steps: int, base: list[np.ndarray], pattern_step_s: int
) -> np.ndarray:
    """(classes, steps) demand multipliers: each class's pattern × day-to-day factor ×
    spells × (1 + AR(1) noise), common or per class."""
    rng = np.random.default_rng(seed)
    step_s = family.step_min * 60
    times = np.arange(steps) * step_s
    days = times / 86400.0
    n_days = int(days[-1]) + 2
    day = np.exp(ar1(rng, n_days, 0.7, family.day_sigma)) if family.day_sigma else np.ones(n_days)
    common = np.interp(days, np.arange(n_days) + 0.5, day) * _spell_factor(family.spells, days)
    phi = phi_per_step(family.phi, family.step_min)
    shared = ar1(rng, steps, phi, family.sigma)
    out = np.empty((len(base), steps))
    for k, pattern in enumerate(base):
        noise = shared if family.noise == "common" else ar1(rng, steps, phi, family.sigma)
        out[k] = _cyclic(pattern, pattern_step_s, times) * common * np.clip(1 + noise, 0.2, None)
    return out


def generated_patterns() -> tuple[list[np.ndarray], int]:
    """Our classes' weekday shape (hourly), for networks without their own patterns; eight
    classes share it and differ by their noise."""
    return [demand.WEEKDAY / demand.WEEKDAY.mean()] * demand.CLASSES, 3600


# --- simulation ------------------------------------------------------------------------------


def night_minimum(flow: np.ndarray, per_day: int) -> np.ndarray:
    """Per day: the lowest 1-hour mean flow in 02:00–04:00."""
    days = len(flow) // per_day
    per_hour = per_day // 24
    night = flow[: days * per_day].reshape(days, per_day)[:, 2 * per_hour : 4 * per_hour]
    rolled = [night[:, i : i + per_hour].mean(axis=1) for i in range(per_hour + 1)]
    return np.min(np.stack(rolled, axis=1), axis=1)


def cache_dir() -> Path:
    root = Path(__file__).resolve().parents[2] / "var" / "leak-benchmark" / "cache"
    root.mkdir(parents=True, exist_ok=True)
    return root


@dataclass
class District:
    """One family's district over ``days``: leak-free base and leak events, cached."""

    family: Family
    seed: int
    days: int
    bursts_per_size: int
    gradual_per_size: int
    base_flow: np.ndarray = field(default=None, repr=False)
    base_pressure: np.ndarray = field(default=None, repr=False)
    events: list = field(default_factory=list, repr=False)
    windows: list = field(default_factory=list, repr=False)
    weights: np.ndarray = field(default=None, repr=False)

    @property
    def name(self) -> str:
        return f"{self.family.name}-s{self.seed}"

    @property
    def step_s(self) -> int:
        return self.family.step_min * 60

    @property
    def per_day(self) -> int:
        return 86400 // self.step_s

    @property
    def stream(self) -> int:
        return 1000 * (FAMILIES.index(self.family) + 1) + self.seed

    def load(self) -> "District":
        key = json.dumps(
            [
                CACHE_VERSION,
                asdict(self.family),
                self.seed,
                self.days,
                self.bursts_per_size,
                self.gradual_per_size,
            ],
            sort_keys=True,
        )
        digest = hashlib.sha1(key.encode()).hexdigest()[:10]
        path = cache_dir() / f"family-{self.name}-{digest}.npz"
        if path.exists():
            with np.load(path) as data:
                meta = json.loads(str(data["meta"]))
                self.base_flow, self.base_pressure = data["base_flow"], data["base_pressure"]
                self.weights = data["weights"]
                self.events = meta["events"]
                self.windows = [data[f"w{i}"] for i in range(len(self.events))]
        else:
            self._simulate()
            arrays = {f"w{i}": w for i, w in enumerate(self.windows)}
            np.savez_compressed(
                path,
                base_flow=self.base_flow,
                base_pressure=self.base_pressure,
                weights=self.weights,
                meta=np.array(json.dumps({"events": self.events})),
                **arrays,
            )
        self.mean_flow = float(np.mean(self.base_flow))
        self.mnf = float(np.mean(night_minimum(self.base_flow, self.per_day)))
        return self

    def _simulate(self) -> None:
        fam = self.family
        steps = self.days * self.per_day
        net = Network(fam.network, step_s=self.step_s)
        try:
            if fam.own_patterns:
                base, uses, pattern_step = net.own_patterns()
            else:
                base, pattern_step = generated_patterns()
                classes = np.random.default_rng(self.stream + 1).integers(
                    0, len(base), len(net.junctions)
                )
                uses = [
                    [int(k)] * len(row)
                    for k, row in zip(classes, net.own_patterns()[1], strict=True)
                ]
            weights = np.zeros(len(base))
            for q, row in zip(net.base_demand_m3h, uses, strict=True):
                for k in row:
                    weights[k] += max(q, 0.0) / max(len(row), 1)
            self.weights = weights
            net.set_demand_patterns(multipliers(fam, self.stream, steps, base, pattern_step), uses)
            rng = np.random.default_rng(self.stream + 3)
            served = [j for j, q in zip(net.junctions, net.base_demand_m3h, strict=True) if q > 0]
            candidates = [
                int(c)
                for c in rng.choice(served, size=min(SENSOR_CANDIDATES, len(served)), replace=False)
            ]
            run = net.run(0, steps, candidates)
            medians = np.median(run.pressure_m, axis=0)
            best = int(np.argsort(np.where(medians > 10.0, medians, np.inf))[0])
            sensor = candidates[best]
            self.base_flow = run.inflow_m3h
            self.base_pressure = run.pressure_m[:, best].copy()
            mean_flow = float(np.mean(self.base_flow))
            mnf = float(np.mean(night_minimum(self.base_flow, self.per_day)))
            plan = [("burst", s) for s in BURST_SIZES for _ in range(self.bursts_per_size)]
            plan += [("gradual", s) for s in GRADUAL_SIZES for _ in range(self.gradual_per_size)]
            for n, (kind, size) in enumerate(plan):
                event, window = self._event(
                    net, rng, run, sensor, served, kind, size, n, mean_flow, mnf, steps
                )
                self.events.append(event)
                self.windows.append(window)
        finally:
            net.close()

    def _event(self, net, rng, base, sensor, served, kind, size, n, mean_flow, mnf, steps):
        per_day, step_s = self.per_day, self.step_s
        per_hour = per_day // 24
        if kind == "burst":
            size_m3h = size * mean_flow
            on = int(rng.integers(12 * per_hour, 36 * per_hour))
            length = on + 12 * per_hour
        else:
            size_m3h = size * mnf
            ramp = int(rng.choice(GRADUAL_RAMP_DAYS)) * per_day
            on = length = ramp + 5 * per_day
        if self.family.early_leaks:
            lo, hi = EARLY_LEAK_DAYS[0] * per_day, EARLY_LEAK_DAYS[1] * per_day
        else:
            lo, hi = FIRST_LEAK_DAY * per_day, steps - length
        leak_step = min(int(rng.integers(lo, max(hi, lo + 1))), steps - length)
        if leak_step < 1:
            raise ValueError(f"{self.name}: {self.days} days cannot hold a {kind} leak")
        start_us = START_US + leak_step * step_s * 1_000_000 - int(rng.integers(1, step_s)) * 10**6
        node = int(rng.choice(served))
        warm = 8
        target = np.zeros(warm + length)
        if kind == "burst":
            target[warm : warm + on] = size_m3h
        else:
            target[warm:] = size_m3h * np.minimum((np.arange(length) + 1) / ramp, 1.0)
        first = leak_step - warm

        def window(leak):
            return net.run(
                first * step_s,
                warm + length,
                [sensor, node],
                tank_level_m=base.tank_level_m[first],
                link_status=base.link_status[first],
                leak=leak,
            )

        run, calm = window(Leak(node, target)), window(None)
        flow = run.leak_m3h[warm:]
        final = float(np.mean(flow[max(0, on - per_day) : on]))
        reach = min(0.2 * mnf, final)
        t20 = leak_step + int(np.argmax(flow >= reach - 1e-9))
        event = {
            "scenario": f"{self.name}-{kind[0]}{n:02d}",
            "district": self.name,
            "family": self.family.name,
            "kind": kind,
            "size_fraction": size,
            "size_m3h": round(size_m3h, 3),
            "leak_node": net.node_id(node),
            "start_us": start_us,
            "t20_us": start_us if kind == "burst" else START_US + t20 * step_s * 10**6,
            "end_us": START_US + (leak_step + on) * step_s * 10**6,
            "first_step": max(0, leak_step - HISTORY_DAYS * per_day),
            "leak_step": leak_step,
            "mean_leak_m3h": round(float(np.mean(flow[:on])), 3),
            "final_leak_m3h": round(final, 3),
            "window_end_us": START_US + (leak_step + length - 1) * step_s * 10**6,
        }
        delta = np.stack(
            [
                run.inflow_m3h[warm:] - calm.inflow_m3h[warm:],
                run.pressure_m[warm:, 0] - calm.pressure_m[warm:, 0],
            ]
        )
        return event, delta

    # --- telemetry ---------------------------------------------------------------------------

    def _sensor(self):
        """Meter noise, drift and gaps for the whole period, so a leak scenario reuses the
        leak-free telemetry's draws."""
        n = len(self.base_flow)
        rng = np.random.default_rng(self.stream + 2)
        flow_z, pressure_z = rng.standard_normal(n), rng.standard_normal(n)
        missing_f, missing_p = rng.random(n) < 0.005, rng.random(n) < 0.005
        months = self.days / 30.44
        for _ in range(rng.poisson(self.family.gaps_per_month * months)):
            lo, hi = self.family.gap_hours
            length = int(rng.uniform(lo, hi) * 3600 / self.step_s)
            at = int(rng.integers(0, n))
            missing_f[at : at + length] = True
            missing_p[at : at + length] = True
        return flow_z, pressure_z, missing_f, missing_p

    def telemetry(self, first: int, flow_m3h: np.ndarray, pressure_m: np.ndarray, meter: str):
        flow_z, pressure_z, missing_f, missing_p = self._sensor()
        window = slice(first, first + len(flow_m3h))
        days = np.arange(first, first + len(flow_m3h)) * self.step_s / 86400.0
        drift = 1 + self.family.drift_per_month * days / 30.44
        sigma = SENSOR_FLOW_REL * np.abs(flow_m3h) + SENSOR_FLOW_ABS * self.mean_flow
        flow = np.round((flow_m3h + sigma * flow_z[window]) * drift, 1)
        pressure = np.round(pressure_m * 0.00980665 + 0.003 * pressure_z[window], 3)
        flow[missing_f[window]] = np.nan
        pressure[missing_p[window]] = np.nan
        return Series(meter, first, self.step_s, flow, np.maximum(pressure, 0.0))

    def leak_free(self) -> "Series":
        return self.telemetry(0, self.base_flow, self.base_pressure, self.name)

    def scenario(self, i: int) -> "Series":
        e, w = self.events[i], self.windows[i]
        first, leak = e["first_step"], e["leak_step"]
        end = leak + w.shape[1]
        flow = self.base_flow[first:end].copy()
        pressure = self.base_pressure[first:end].copy()
        flow[leak - first :] += w[0]
        pressure[leak - first :] += w[1]
        return self.telemetry(first, flow, pressure, e["scenario"])


@dataclass
class Series:
    """One meter's telemetry, in the shape ``benchmarks.leaks.systems`` reads."""

    meter_id: str
    first_step: int
    step_s: int
    flow_m3h: np.ndarray
    pressure_mpa: np.ndarray

    @property
    def ts_us(self) -> np.ndarray:
        steps = np.arange(self.first_step, self.first_step + len(self.flow_m3h), dtype=np.int64)
        return START_US + steps * self.step_s * 1_000_000


# --- the run -----------------------------------------------------------------------------------


def plan_of(args) -> list[tuple[str, int]]:
    names = args.families.split(",") if args.families else [f.name for f in FAMILIES]
    seeds = [int(s) for s in args.seeds.split(",")] if args.seeds else None
    if seeds is None:
        seeds = [1] if args.quick else [1, 2, 3]
    return [(n, s) for n in names for s in seeds]


def _simulate(job) -> str:
    name, seed, days, bursts, gradual = job
    District(BY_NAME[name], seed, days, bursts, gradual).load()
    return f"{name}-s{seed}"


def parse(argv):
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.leaks.families", description=__doc__
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"1 district per family, {QUICK_DAYS} days, 4 bursts and 2 gradual leaks per size",
    )
    parser.add_argument("--families", help="comma-separated subset (default: all)")
    parser.add_argument("--seeds", help="comma-separated seeds (default: 1; full: 1,2,3)")
    parser.add_argument("--days", type=int, help=f"days per district ({QUICK_DAYS} / {FULL_DAYS})")
    parser.add_argument("--bursts-per-size", type=int)
    parser.add_argument("--gradual-per-size", type=int)
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--out", default="var/leak-benchmark/families")
    parser.add_argument("--chart", help="PNG to write (default: OUT/families.png)")
    parser.add_argument(
        "--use-backtest",
        choices=("auto", "yes", "no"),
        default="yes",
        help="our detectors through `mains telemetry backtest` (default yes)",
    )
    return parser.parse_args(argv)


def main(argv=None) -> int:
    from benchmarks.leaks import family_report
    from benchmarks.leaks.__main__ import write_telemetry
    from benchmarks.leaks.systems import SYSTEMS, run_system

    args = parse(argv)
    started = time.time()
    days = args.days or (QUICK_DAYS if args.quick else FULL_DAYS)
    bursts = args.bursts_per_size
    bursts = (4 if args.quick else 6) if bursts is None else bursts
    gradual = args.gradual_per_size
    gradual = (2 if args.quick else 3) if gradual is None else gradual
    plan = plan_of(args)
    jobs = [(n, s, days, bursts, gradual) for n, s in plan]
    jobs.sort(key=lambda j: {"ky10": 0, "ky4": 1}.get(BY_NAME[j[0]].network, 2))
    with ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for name in pool.map(_simulate, jobs):
            print(f"simulated {name} ({time.time() - started:.0f} s)", file=sys.stderr)
    simulated_s = time.time() - started
    out = Path(args.out)
    (out / "telemetry").mkdir(parents=True, exist_ok=True)
    for old in (out / "telemetry").glob("*.csv"):
        old.unlink()
    districts = [District(BY_NAME[n], s, days, bursts, gradual).load() for n, s in plan]
    meters, events = [], []
    for d in districts:
        series = [d.leak_free()] + [d.scenario(i) for i in range(len(d.events))]
        path = out / "telemetry" / f"{d.name}.csv"
        write_telemetry(path, series)
        meters.append((path, series))
        events.extend(d.events)
    (out / "truth.json").write_text(json.dumps(events, indent=1), encoding="utf-8")
    results = {}
    for system in SYSTEMS:
        path = out / f"alarms-{system}.csv"
        run_system(system, meters, path, args.use_backtest)
        results[system] = score.read_alarms(path)
        print(f"scored {system} ({time.time() - started:.0f} s)", file=sys.stderr)
    chart = Path(args.chart) if args.chart else out / "families.png"
    elapsed = time.time() - started
    command = " ".join(
        ["python -m benchmarks.leaks.families", *(sys.argv[1:] if argv is None else argv)]
    )
    text = family_report.markdown(
        districts,
        events,
        results,
        chart,
        header=(
            f"Command: `{command}` · {datetime.now(UTC):%Y-%m-%d %H:%M} UTC · "
            f"{platform.node()} ({os.cpu_count()} cores) · run time {elapsed:.0f} s "
            f"(simulation and cache {simulated_s:.0f} s)"
        ),
    )
    (out / "results.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
