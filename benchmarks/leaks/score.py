"""Scoring: detection rate, delay and false alarms, from alarm CSVs and the truth file.

- An event is detected by a system when the system raises an alarm on the scenario's meter
  that is confirmed (``detail.confirmed_at``, else ``raised_at``) at or after the leak's true
  start and before the end of its window. Alarms confirmed before the start belong to the
  leak-free history, which is scored once, in the leak-free years.
- Delay: for a burst, from its true start (between two readings); for a gradual leak, from
  the moment it reaches 20 % of the district's minimum night flow (or its full size, when
  smaller); a detection before that counts as delay 0.
- False alarms: every alarm raised on a leak-free district-year, per district-month
  (a year is 12 district-months).
"""

import csv
import json
from dataclasses import dataclass
from datetime import datetime

import numpy as np

BURST_WITHIN_S = 3600
GRADUAL_WITHIN_S = 7 * 86400


@dataclass
class Alarm:
    meter_id: str
    kind: str
    raised_us: int
    confirmed_us: int


def _us(text: str) -> int:
    moment = datetime.fromisoformat(text)
    return int(moment.timestamp()) * 1_000_000 + moment.microsecond


def read_alarms(path) -> list[Alarm]:
    out = []
    with open(path, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            detail = json.loads(row["detail"]) if row["detail"] else {}
            raised = _us(row["raised_at"])
            confirmed = _us(detail["confirmed_at"]) if "confirmed_at" in detail else raised
            out.append(Alarm(row["meter_id"], row["kind"], raised, confirmed))
    return out


@dataclass
class Outcome:
    detected: bool
    delay_s: float | None


def outcomes(events: list[dict], alarms: list[Alarm]) -> list[Outcome]:
    by_meter: dict[str, list[Alarm]] = {}
    for alarm in alarms:
        by_meter.setdefault(alarm.meter_id, []).append(alarm)
    result = []
    for event in events:
        hits = [
            a.confirmed_us
            for a in by_meter.get(event["scenario"], [])
            if event["start_us"] <= a.confirmed_us <= event["window_end_us"]
        ]
        if not hits:
            result.append(Outcome(False, None))
            continue
        reference = event["start_us"] if event["kind"] == "burst" else event["t20_us"]
        result.append(Outcome(True, max(0.0, (min(hits) - reference) / 1e6)))
    return result


def summarise(events: list[dict], found: list[Outcome]) -> dict:
    """Per (kind, size): count, detected within the goal's time, median and p90 delay."""
    groups: dict[tuple[str, float], list[tuple[dict, Outcome]]] = {}
    for event, outcome in zip(events, found, strict=True):
        groups.setdefault((event["kind"], event["size_fraction"]), []).append((event, outcome))
    summary = {}
    for key, rows in sorted(groups.items()):
        within = BURST_WITHIN_S if key[0] == "burst" else GRADUAL_WITHIN_S
        delays = [o.delay_s for _, o in rows if o.delay_s is not None]
        summary[key] = {
            "n": len(rows),
            "detected": len(delays),
            "within": sum(1 for d in delays if d <= within),
            "median_s": float(np.median(delays)) if delays else None,
            "p90_s": float(np.percentile(delays, 90)) if delays else None,
        }
    return summary


def goal_rates(events: list[dict], found: list[Outcome], mnfs: dict, mean_flows: dict) -> dict:
    """The issue's goals, each leak counted at the size it reached in the simulation (the
    network's hydraulics can hold a leak well below its design: a weak main cannot carry it):
    bursts whose simulated flow was ≥ 10 % of the mean inflow found within an hour, gradual
    leaks that reached ≥ 20 % of the minimum night flow found within 7 days of reaching it.
    ``burst_1h_designed`` counts the bursts by their designed size instead, whatever they
    delivered."""
    burst: list[bool] = []
    designed: list[bool] = []
    gradual: list[bool] = []
    for event, outcome in zip(events, found, strict=True):
        delay = outcome.delay_s
        if event["kind"] == "burst":
            in_time = delay is not None and delay <= BURST_WITHIN_S
            if event["mean_leak_m3h"] >= 0.10 * mean_flows[event["district"]]:
                burst.append(in_time)
            if event["size_fraction"] >= 0.10:
                designed.append(in_time)
        reached = event["final_leak_m3h"] >= 0.20 * mnfs[event["district"]]
        if event["kind"] == "gradual" and reached:
            gradual.append(delay is not None and delay <= GRADUAL_WITHIN_S)
    return {
        "burst_1h": (sum(burst), len(burst)),
        "burst_1h_designed": (sum(designed), len(designed)),
        "gradual_7d": (sum(gradual), len(gradual)),
    }
