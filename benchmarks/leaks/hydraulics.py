"""Extended-period hydraulics in the EPANET toolkit (owa-epanet), pressure-driven demand.

A run takes the network's own .inp (shipped with WNTR), replaces every junction demand
pattern by one of the generated demand classes (15-minute multipliers, see ``demand``),
and records every 15 minutes:

- ``inflow_m3h``: the district inflow, what a meter on the source links reads: the net
  outflow of every reservoir and tank (= delivered demand + emitter leak flow);
- ``pressure_m``: pressure head at the chosen sensor junctions;
- ``tank_level_m`` and ``link_status``: the state needed to start a shorter window later
  at any time of the year from the base run (tank levels, pump and valve status);
- ``leak_m3h``: the emitter flow at the leak junction (0 without a leak).

A leak is an emitter (flow = C·p^0.5) whose coefficient is set between steps, so sudden
bursts and growing leaks work mid-run (WNTR's own leak model needs WNTR's simulator).
"""

import os
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import wntr
from epanet import toolkit as en

STEP_S = 900
NETWORKS_DIR = Path(wntr.__file__).parent / "library" / "networks"
PDA_PMIN_M = 0.0
PDA_PREQ_M = 15.0
PDA_PEXP = 0.5
DESIGN_MULTIPLIER = {"Net6": 0.41}


@dataclass
class Run:
    inflow_m3h: np.ndarray
    pressure_m: np.ndarray  # (steps, sensors)
    tank_level_m: np.ndarray  # (steps, tanks)
    link_status: np.ndarray  # (steps, controlled links)
    leak_m3h: np.ndarray


@dataclass
class Leak:
    """An emitter whose size follows ``target_m3h`` (one value per step): the coefficient
    is the target over the square root of the junction's pressure just before the leak
    began, corrected once when the leak has grown to a quarter of its size (the leak lowers
    the pressure it runs at, and EPANET linearises emitters near zero flow), so the leak
    flow is near the target and follows the pressure after."""

    node_index: int
    target_m3h: np.ndarray


class Network:
    """One .inp opened in the toolkit; runs can be repeated with different inputs."""

    def __init__(self, name: str, step_s: int = STEP_S):
        self.name = name
        self.step_s = step_s  # hydraulic, pattern and reading step (15 or 5 minutes)
        self.ph = en.createproject()
        en.open(self.ph, str(NETWORKS_DIR / f"{name}.inp"), os.devnull, "")
        en.setflowunits(self.ph, en.CMH)
        en.setdemandmodel(self.ph, en.PDA, PDA_PMIN_M, PDA_PREQ_M, PDA_PEXP)
        # Net6 says "Unbalanced stop": a year of noisy demand must not end at one bad step.
        en.setoption(self.ph, en.UNBALANCED, 10)
        n_nodes = en.getcount(self.ph, en.NODECOUNT)
        n_links = en.getcount(self.ph, en.LINKCOUNT)
        self.junctions: list[int] = []
        self.sources: list[int] = []
        self.tanks: list[int] = []
        for i in range(1, n_nodes + 1):
            kind = en.getnodetype(self.ph, i)
            if kind == en.JUNCTION:
                self.junctions.append(i)
            else:
                self.sources.append(i)
                if kind == en.TANK:
                    self.tanks.append(i)
        # Pumps and valves (not check valves or general-purpose valves: their status is
        # not set from outside) and every link a control switches.
        settable = {en.PUMP, en.PRV, en.PSV, en.PBV, en.FCV, en.TCV}
        kinds = {i: en.getlinktype(self.ph, i) for i in range(1, n_links + 1)}
        controlled = {i for i, kind in kinds.items() if kind in settable}
        for c in range(1, en.getcount(self.ph, en.CONTROLCOUNT) + 1):
            kind, link, setting, node, level = en.getcontrol(self.ph, c)
            if kinds[link] not in (en.CVPIPE, en.GPV):
                controlled.add(link)
            if kind == en.TIMER:
                # Timed controls are written for one week (Net3); repeat them every day.
                en.setcontrol(self.ph, c, en.TIMEOFDAY, link, setting, 0, level % 86400)
        self.controlled = sorted(controlled)
        self.base_demand_m3h = np.array(
            [
                sum(
                    en.getbasedemand(self.ph, j, d)
                    for d in range(1, en.getnumdemands(self.ph, j) + 1)
                )
                for j in self.junctions
            ]
        )
        self.elevation_m = np.array(
            [en.getnodevalue(self.ph, j, en.ELEVATION) for j in self.junctions]
        )
        # The generated patterns average 1; Net6's own average 0.41 (its PATTERN-0), so its
        # base demands are scaled to carry the demand the network was built for.
        self.design_multiplier = DESIGN_MULTIPLIER.get(name, 1.0)
        en.setoption(self.ph, en.DEMANDMULT, self.design_multiplier)
        self.tank_init_m = np.array([en.getnodevalue(self.ph, t, en.TANKLEVEL) for t in self.tanks])
        self._patterns: list[int] = []

    def node_id(self, index: int) -> str:
        return en.getnodeid(self.ph, index)

    def own_patterns(self) -> tuple[list[np.ndarray], list[list[int]], int]:
        """The network's own demand patterns (as its .inp gives them, often from metering),
        which of them each junction demand follows (a demand without one follows the
        default pattern "1", as EPANET does; none: a constant 1, returned as an extra
        pattern) and the pattern step in seconds."""
        ph = self.ph
        patterns = []
        for p in range(1, en.getcount(ph, en.PATCOUNT) + 1):
            length = en.getpatternlen(ph, p)
            patterns.append(np.array([en.getpatternvalue(ph, p, i) for i in range(1, length + 1)]))
        try:
            default = en.getpatternindex(ph, "1")
        except Exception:  # noqa: BLE001 — no pattern "1": demands without one are constant
            default = 0
        constant = len(patterns)
        uses = []
        for j in self.junctions:
            row = []
            for d in range(1, en.getnumdemands(ph, j) + 1):
                k = en.getdemandpattern(ph, j, d) or default
                row.append(k - 1 if k else constant)
            uses.append(row)
        if any(constant in row for row in uses):
            patterns.append(np.ones(1))
        return patterns, uses, int(en.gettimeparam(ph, en.PATTERNSTEP))

    def set_demand_patterns(self, multipliers: np.ndarray, uses: list[list[int]]) -> None:
        """Junction demand ``d`` of junction ``j`` follows row ``uses[j][d]`` of
        ``multipliers`` (one value per step)."""
        with tempfile.TemporaryDirectory() as tmp:
            indices = []
            for k, row in enumerate(multipliers):
                path = Path(tmp) / f"{k}.pat"
                np.savetxt(path, row, fmt="%.5f")
                en.loadpatternfile(self.ph, str(path), f"FAM{k}")
                indices.append(en.getpatternindex(self.ph, f"FAM{k}"))
        for j, row in zip(self.junctions, uses, strict=True):
            for d, k in enumerate(row, start=1):
                en.setdemandpattern(self.ph, j, d, indices[int(k)])

    def set_demand_classes(self, multipliers: np.ndarray, class_of_junction: np.ndarray) -> None:
        """Every junction's demands follow pattern ``class_of_junction[j]`` (15-minute steps)."""
        # The SWIG binding cannot pass an array to EN_setpattern; a pattern file can.
        with tempfile.TemporaryDirectory() as tmp:
            for k, row in enumerate(multipliers):
                path = Path(tmp) / f"{k}.pat"
                np.savetxt(path, row, fmt="%.5f")
                en.loadpatternfile(self.ph, str(path), f"MAINS{k}")
                index = en.getpatternindex(self.ph, f"MAINS{k}")
                if k >= len(self._patterns):
                    self._patterns.append(index)
        for j, k in zip(self.junctions, class_of_junction, strict=True):
            for d in range(1, en.getnumdemands(self.ph, j) + 1):
                en.setdemandpattern(self.ph, j, d, self._patterns[int(k)])

    def run(
        self,
        start_s: int,
        steps: int,
        sensors: list[int],
        tank_level_m: np.ndarray | None = None,
        link_status: np.ndarray | None = None,
        leak: Leak | None = None,
    ) -> Run:
        ph = self.ph
        step_s = self.step_s
        en.settimeparam(ph, en.HYDSTEP, step_s)
        en.settimeparam(ph, en.PATTERNSTEP, step_s)
        en.settimeparam(ph, en.REPORTSTEP, step_s)
        en.settimeparam(ph, en.PATTERNSTART, start_s)
        en.settimeparam(ph, en.STARTTIME, start_s % 86400)
        en.settimeparam(ph, en.DURATION, (steps - 1) * step_s)
        levels = self.tank_init_m if tank_level_m is None else tank_level_m
        for t, level in zip(self.tanks, levels, strict=True):
            # A level read back from a run can lie a hair outside the tank's range (ky10).
            low = en.getnodevalue(ph, t, en.MINLEVEL)
            high = en.getnodevalue(ph, t, en.MAXLEVEL)
            en.setnodevalue(ph, t, en.TANKLEVEL, float(min(max(level, low), high)))
        if link_status is not None:
            for link, status in zip(self.controlled, link_status, strict=True):
                if status in (0.0, 1.0):  # closed or open; an active valve keeps its setting
                    en.setlinkvalue(ph, link, en.INITSTATUS, float(status))
        if leak is not None:
            en.setnodevalue(ph, leak.node_index, en.EMITTER, 0.0)
        inflow = np.zeros(steps)
        pressure = np.zeros((steps, len(sensors)))
        tanks = np.zeros((steps, len(self.tanks)))
        status = np.zeros((steps, len(self.controlled)))
        leak_flow = np.zeros(steps)
        # EPANET returns warning codes in some hours (pumps beyond their curve, negative
        # pressures); the run goes on with its solution, so the warnings are kept quiet.
        warnings.filterwarnings("ignore", message="WARNING", category=Warning)
        en.openH(ph)
        en.initH(ph, 0)
        tank_elevation = [en.getnodevalue(ph, t, en.ELEVATION) for t in self.tanks]
        k = 0
        reference_head: float = 0.0
        calibrated = False
        # Emitters are linearised near zero flow: calibrate once the leak is a quarter grown.
        calibrate_at = 0.25 * float(np.max(leak.target_m3h)) if leak is not None else 0.0
        try:
            while True:
                t = en.runH(ph)
                if t % step_s == 0 and k < steps and t == k * step_s:
                    inflow[k] = -sum(en.getnodevalue(ph, s, en.DEMAND) for s in self.sources)
                    for c, s in enumerate(sensors):
                        pressure[k, c] = en.getnodevalue(ph, s, en.PRESSURE)
                    for c, tank in enumerate(self.tanks):
                        # EN_TANKLEVEL reads back the initial level; head − elevation is now's.
                        tanks[k, c] = en.getnodevalue(ph, tank, en.HEAD) - tank_elevation[c]
                    for c, link in enumerate(self.controlled):
                        status[k, c] = en.getlinkvalue(ph, link, en.STATUS)
                    if leak is not None:
                        leak_flow[k] = en.getnodevalue(ph, leak.node_index, en.EMITTERFLOW)
                        target_now = float(leak.target_m3h[k])
                        if not calibrated and leak_flow[k] > 0 and target_now >= calibrate_at:
                            # The leak lowers its own pressure: correct the coefficient
                            # once, so that the leak runs at its target size.
                            reference_head *= leak_flow[k] / float(leak.target_m3h[k])
                            calibrated = True
                        if k + 1 < steps and leak.target_m3h[k + 1] > 0:
                            if not reference_head:
                                node_pressure = en.getnodevalue(ph, leak.node_index, en.PRESSURE)
                                reference_head = max(node_pressure, 1.0) ** 0.5
                            coefficient = float(leak.target_m3h[k + 1]) / reference_head
                            en.setnodevalue(ph, leak.node_index, en.EMITTER, coefficient)
                        elif k + 1 < steps:
                            en.setnodevalue(ph, leak.node_index, en.EMITTER, 0.0)
                    k += 1
                if en.nextH(ph) <= 0:
                    break
        finally:
            en.closeH(ph)
            if leak is not None:
                en.setnodevalue(ph, leak.node_index, en.EMITTER, 0.0)
        if k < steps:
            raise RuntimeError(f"{self.name}: the hydraulics stopped after {k} of {steps} steps")
        return Run(inflow, pressure, tanks, status, leak_flow)

    def close(self) -> None:
        en.close(self.ph)
        en.deleteproject(self.ph)
