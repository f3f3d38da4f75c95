"""District-years and leak events: simulated once, cached under var/leak-benchmark/cache.

A district is one network's metered inflow (the net outflow of all its reservoirs and
tanks) with one pressure logger (the sampled junction with the lowest median pressure,
where a burst's head loss shows most). A district-year is one network with one demand
seed: a leak-free base year, plus leak events simulated in short windows that start from
the base run's tank levels and pump status and are spliced into the base year.
"""

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from benchmarks.leaks import demand
from benchmarks.leaks.hydraulics import STEP_S, Leak, Network

CACHE_VERSION = "10"
YEAR_START_US = 1735660800 * 1_000_000  # 2025-01-01T00:00+08:00 (simulation time 0)
STEPS_PER_DAY = demand.STEPS_PER_DAY
HISTORY_DAYS = 35  # readings before a leak given to the detectors
FIRST_LEAK_DAY = 42
BURST_SIZES = (0.05, 0.10, 0.20, 0.40)  # of the district's mean inflow
GRADUAL_SIZES = (0.10, 0.20, 0.40, 0.80)  # of the district's minimum night flow
GRADUAL_RAMP_DAYS = (2, 7, 14)
SENSOR_CANDIDATES = 30
# Net3 keeps the seeds as they are; each other network draws from its own range.
NETWORK_STREAMS = {"Net3": 0, "ky4": 100, "Net6": 200}


@dataclass(frozen=True)
class DistrictYear:
    network: str
    seed: int

    @property
    def name(self) -> str:
        return f"{self.network}-s{self.seed}"

    @property
    def stream(self) -> int:
        """The seed of this district-year's random draws (demand, classes, sensors, events):
        its own for each network, so two networks' district-years of one seed are as
        independent as two districts are (same seed, same draws, would put their demand
        surges and their leaks at the same moments)."""
        return NETWORK_STREAMS.get(self.network, 0) + self.seed


@dataclass
class Event:
    scenario: str
    district: str
    kind: str  # "burst" | "gradual"
    size_fraction: float  # burst: of mean inflow; gradual: of minimum night flow
    size_m3h: float
    leak_node: str
    start_us: int  # true start, between two readings
    t20_us: int  # gradual: when the leak reaches 20 % of MNF (or its full size); burst: start
    end_us: int  # repaired (burst) or end of the window (gradual)
    first_step: int  # first reading of the scenario's telemetry (index in the year)
    leak_step: int  # first reading with the leak
    mean_leak_m3h: float  # simulated emitter flow while on
    final_leak_m3h: float  # simulated emitter flow over its last day on
    window_end_us: int  # the scenario's last reading


@dataclass
class Telemetry:
    meter_id: str
    first_step: int
    flow_m3h: np.ndarray
    pressure_mpa: np.ndarray

    @property
    def ts_us(self) -> np.ndarray:
        steps = np.arange(self.first_step, self.first_step + len(self.flow_m3h), dtype=np.int64)
        return YEAR_START_US + steps * STEP_S * 1_000_000


def cache_dir() -> Path:
    root = Path(__file__).resolve().parents[2] / "var" / "leak-benchmark" / "cache"
    root.mkdir(parents=True, exist_ok=True)
    return root


def night_minimum(flow_m3h: np.ndarray) -> np.ndarray:
    """Per day: the lowest 1-hour mean flow in 02:00–04:00 (simulation time is local)."""
    days = len(flow_m3h) // STEPS_PER_DAY
    night = flow_m3h[: days * STEPS_PER_DAY].reshape(days, STEPS_PER_DAY)[:, 8:16]
    rolled = np.stack([night[:, i : i + 4].mean(axis=1) for i in range(5)], axis=1)
    return rolled.min(axis=1)


class Simulated:
    """One district-year: base year and events, from the cache or simulated now."""

    def __init__(self, district: DistrictYear, bursts_per_size: int, gradual_per_size: int):
        self.district = district
        key = f"{CACHE_VERSION}-{district.name}-{bursts_per_size}-{gradual_per_size}"
        digest = hashlib.sha1(key.encode()).hexdigest()[:10]
        path = cache_dir() / f"{district.name}-{digest}.npz"
        if path.exists():
            self._load(path)
        else:
            self._simulate(bursts_per_size, gradual_per_size)
            self._save(path)
        self.noise = demand.SensorNoise(district.stream, len(self.base_flow))
        self.mean_flow = float(np.mean(self.base_flow))
        self.mnf = float(np.mean(night_minimum(self.base_flow)))

    def _simulate(self, bursts_per_size: int, gradual_per_size: int) -> None:
        d = self.district
        net = Network(d.network)
        try:
            net.set_demand_classes(
                demand.demand_classes(d.stream), demand.assign_classes(d.stream, len(net.junctions))
            )
            rng = np.random.default_rng(d.stream + 3)
            served = [j for j, q in zip(net.junctions, net.base_demand_m3h, strict=True) if q > 0]
            candidates = list(
                rng.choice(served, size=min(SENSOR_CANDIDATES, len(served)), replace=False)
            )
            steps = demand.STEPS_PER_YEAR
            base = net.run(0, steps, [int(c) for c in candidates])
            medians = np.median(base.pressure_m, axis=0)
            order = np.argsort(np.where(medians > 10.0, medians, np.inf))
            sensor = int(candidates[int(order[0])])
            self.sensor = net.node_id(sensor)
            self.base_flow = base.inflow_m3h
            self.base_pressure = base.pressure_m[:, int(order[0])].copy()
            mean_flow = float(np.mean(self.base_flow))
            mnf = float(np.mean(night_minimum(self.base_flow)))
            events, windows = [], []
            plan = [("burst", s) for s in BURST_SIZES for _ in range(bursts_per_size)]
            plan += [("gradual", s) for s in GRADUAL_SIZES for _ in range(gradual_per_size)]
            for n, (kind, size) in enumerate(plan):
                event, window = self._event(
                    net, rng, base, sensor, served, kind, size, mean_flow, mnf, n
                )
                events.append(event)
                windows.append(window)
            self.events = events
            self.windows = windows
        finally:
            net.close()

    def _event(self, net, rng, base, sensor, served, kind, size, mean_flow, mnf, n):
        d = self.district
        if kind == "burst":
            size_m3h = size * mean_flow
            on_steps = int(rng.integers(12 * 4, 48 * 4))
            length = on_steps + 12 * 4
            ramp = 0
        else:
            size_m3h = size * mnf
            ramp = int(rng.choice(GRADUAL_RAMP_DAYS)) * STEPS_PER_DAY
            on_steps = length = ramp + 10 * STEPS_PER_DAY
        leak_step = int(
            rng.integers(FIRST_LEAK_DAY * STEPS_PER_DAY, demand.STEPS_PER_YEAR - length)
        )
        offset_us = int(rng.integers(1, STEP_S)) * 1_000_000
        start_us = YEAR_START_US + leak_step * STEP_S * 1_000_000 - offset_us
        node = int(rng.choice(served))
        warm = 8
        window_start = leak_step - warm
        target = np.zeros(warm + length)
        if kind == "burst":
            target[warm : warm + on_steps] = size_m3h
        else:
            grow = np.minimum((np.arange(length) + 1) / ramp, 1.0)
            target[warm:] = size_m3h * grow

        def window(leak: Leak | None):
            return net.run(
                window_start * STEP_S,
                warm + length,
                [sensor, node],
                tank_level_m=base.tank_level_m[window_start],
                link_status=base.link_status[window_start],
                leak=leak,
            )

        run = window(Leak(node, target))
        # The same window without the leak: its difference to the leak run is the leak's
        # effect, added to the base year (a window restarted mid-year does not reproduce the
        # base run exactly: controls and pump states settle differently).
        calm = window(None)
        leak_flow = run.leak_m3h[warm:]
        final = float(np.mean(leak_flow[max(0, on_steps - STEPS_PER_DAY) : on_steps]))
        reach = min(0.2 * mnf, final)
        t20_step = leak_step + int(np.argmax(leak_flow >= reach - 1e-9))
        t20_us = start_us if kind == "burst" else YEAR_START_US + t20_step * STEP_S * 1_000_000
        end_step = leak_step + on_steps
        leak_on = run.leak_m3h[warm : warm + on_steps]
        event = Event(
            scenario=f"{d.name}-{kind[0]}{n:02d}",
            district=d.name,
            kind=kind,
            size_fraction=size,
            size_m3h=round(size_m3h, 3),
            leak_node=net.node_id(node),
            start_us=start_us,
            t20_us=t20_us,
            end_us=YEAR_START_US + end_step * STEP_S * 1_000_000,
            first_step=leak_step - HISTORY_DAYS * STEPS_PER_DAY,
            leak_step=leak_step,
            mean_leak_m3h=round(float(np.mean(leak_on)), 3),
            final_leak_m3h=round(final, 3),
            window_end_us=YEAR_START_US + (leak_step + length - 1) * STEP_S * 1_000_000,
        )
        window = np.stack(
            [
                run.inflow_m3h[warm:] - calm.inflow_m3h[warm:],
                run.pressure_m[warm:, 0] - calm.pressure_m[warm:, 0],
            ]
        )
        return event, window

    def _save(self, path: Path) -> None:
        arrays = {f"w{i}": w for i, w in enumerate(self.windows)}
        np.savez_compressed(
            path,
            base_flow=self.base_flow,
            base_pressure=self.base_pressure,
            meta=np.array(
                json.dumps({"sensor": self.sensor, "events": [asdict(e) for e in self.events]})
            ),
            **arrays,
        )

    def _load(self, path: Path) -> None:
        with np.load(path) as data:
            meta = json.loads(str(data["meta"]))
            self.base_flow = data["base_flow"]
            self.base_pressure = data["base_pressure"]
            self.sensor = meta["sensor"]
            self.events = [Event(**e) for e in meta["events"]]
            self.windows = [data[f"w{i}"] for i in range(len(self.events))]

    def leak_free(self) -> Telemetry:
        flow, pressure = self.noise.apply(0, self.base_flow, self.base_pressure, self.mean_flow)
        return Telemetry(self.district.name, 0, flow, pressure)

    def scenario(self, index: int) -> Telemetry:
        event, window = self.events[index], self.windows[index]
        first, leak = event.first_step, event.leak_step
        end = leak + window.shape[1]
        flow = self.base_flow[first:end].copy()
        pressure = self.base_pressure[first:end].copy()
        flow[leak - first :] += window[0]
        pressure[leak - first :] += window[1]
        flow, pressure = self.noise.apply(first, flow, pressure, self.mean_flow)
        assert len(flow) == end - first
        return Telemetry(event.scenario, first, flow, pressure)
