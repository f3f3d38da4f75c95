"""Demand and sensor noise, after LeakDB (Vrachimis et al., 2018): every junction follows
one of a few demand classes, each the product of

- a daily shape (hourly, interpolated to 15 minutes; a weekday and a later weekend shape,
  low at night: residential districts in a Chinese city),
- a yearly seasonal factor (±12 %, summer high),
- a day factor common to the whole district (weather, AR(1), σ 5 %),
- the class's own day factor (σ 3 %) and 15-minute noise (AR(1), σ 6 %).

Day factors are drawn per day and interpolated from noon to noon, and the weekday and
weekend shapes blend over six hours around midnight: real demand has no step at 00:00.

Sensor noise: flow σ = 0.5 % of the reading + 0.2 % of the mean flow, resolution
0.1 m³/h; pressure σ = 0.003 MPa, resolution 0.001 MPa; 0.5 % of readings missing.
Everything is drawn from ``numpy.random.default_rng(seed)``: fixed seeds, same files.
"""

import numpy as np

STEPS_PER_DAY = 96
STEPS_PER_YEAR = 365 * STEPS_PER_DAY
CLASSES = 8

WEEKDAY = np.array(
    [0.45, 0.38, 0.35, 0.34, 0.36, 0.50, 0.95, 1.55, 1.50, 1.20, 1.05, 1.10,
     1.25, 1.15, 0.95, 0.90, 0.95, 1.10, 1.45, 1.65, 1.55, 1.30, 0.95, 0.65]
)  # fmt: skip
WEEKEND = np.array(
    [0.55, 0.42, 0.37, 0.35, 0.35, 0.40, 0.60, 0.95, 1.30, 1.45, 1.40, 1.30,
     1.35, 1.20, 1.05, 1.00, 1.00, 1.15, 1.45, 1.60, 1.50, 1.30, 1.00, 0.72]
)  # fmt: skip
START_WEEKDAY = 2  # 2025-01-01, the first simulated day, is a Wednesday (Monday = 0)


def _shape_15min(hourly: np.ndarray) -> np.ndarray:
    hours = np.arange(STEPS_PER_DAY) / 4.0
    looped = np.concatenate([hourly, hourly[:1]])
    return np.interp(hours, np.arange(25), looped) / hourly.mean()


def _ar1(rng: np.random.Generator, n: int, phi: float, sigma: float) -> np.ndarray:
    e = rng.normal(0.0, sigma * np.sqrt(1 - phi**2), n)
    out = np.empty(n)
    out[0] = rng.normal(0.0, sigma)
    for i in range(1, n):
        out[i] = phi * out[i - 1] + e[i]
    return out


def _daily(values: np.ndarray, steps: int) -> np.ndarray:
    """Day factors drawn for each noon, linearly in between (no jump at midnight)."""
    t = np.arange(steps) / STEPS_PER_DAY
    return np.interp(t, np.arange(len(values)) + 0.5, values)


def demand_classes(seed: int, days: int = 366) -> np.ndarray:
    """(CLASSES, days·96) multipliers of the base demands, mean ≈ 1."""
    rng = np.random.default_rng(seed)
    steps = days * STEPS_PER_DAY
    day = np.arange(steps) // STEPS_PER_DAY
    weekend = (((day + START_WEEKDAY) % 7) >= 5).astype(float)
    # Households do not switch habits at the stroke of midnight: blend over ±3 hours.
    kernel = np.ones(24) / 24
    weekend = np.convolve(np.concatenate([weekend[:12], weekend, weekend[-11:]]), kernel, "valid")
    shape = (1 - weekend) * np.tile(_shape_15min(WEEKDAY), days) + weekend * np.tile(
        _shape_15min(WEEKEND), days
    )
    seasonal = 1 + 0.12 * np.sin(2 * np.pi * (day - 110) / 365)
    common_day = _daily(np.exp(_ar1(rng, days, 0.7, 0.05)), steps)
    out = np.empty((CLASSES, steps))
    for k in range(CLASSES):
        own_day = _daily(np.exp(rng.normal(0.0, 0.03, days)), steps)
        noise = 1 + _ar1(rng, steps, 0.5, 0.06)
        out[k] = shape * seasonal * common_day * own_day * np.clip(noise, 0.2, None)
    return out


def assign_classes(seed: int, junctions: int) -> np.ndarray:
    return np.random.default_rng(seed + 1).integers(0, CLASSES, junctions)


class SensorNoise:
    """Standard-normal draws for a whole year, so a spliced leak window reuses the base's."""

    def __init__(self, seed: int, steps: int):
        rng = np.random.default_rng(seed + 2)
        self.flow_z = rng.standard_normal(steps)
        self.pressure_z = rng.standard_normal(steps)
        self.flow_missing = rng.random(steps) < 0.005
        self.pressure_missing = rng.random(steps) < 0.005

    def apply(
        self, start: int, flow_m3h: np.ndarray, pressure_m: np.ndarray, mean_flow_m3h: float
    ) -> tuple[np.ndarray, np.ndarray]:
        n = len(flow_m3h)
        window = slice(start, start + n)
        sigma = 0.005 * np.abs(flow_m3h) + 0.002 * mean_flow_m3h
        flow = np.round(flow_m3h + sigma * self.flow_z[window], 1)
        pressure = np.round(pressure_m * 0.00980665 + 0.003 * self.pressure_z[window], 3)
        flow[self.flow_missing[window]] = np.nan
        pressure[self.pressure_missing[window]] = np.nan
        return flow, np.maximum(pressure, 0.0)
