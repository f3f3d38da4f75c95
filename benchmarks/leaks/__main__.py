"""The leak benchmark: ``.venv/bin/python -m benchmarks.leaks [--quick]``.

Simulates (or reads from the cache) the district-years and leak events, writes their
15-minute telemetry and truth as CSV, runs the product's detectors and the baselines over
every meter, writes the alarms as CSV in the back-test's format, scores them and prints
(and writes) the Markdown table. See docs/leak-benchmark.md.
"""

import argparse
import csv
import json
import os
import platform
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

from tqdm import tqdm

from benchmarks.leaks import report, score
from benchmarks.leaks.scenarios import DistrictYear, Simulated, Telemetry
from benchmarks.leaks.systems import SYSTEMS, run_system

FULL = [("Net3", s) for s in (1, 2, 3, 4)] + [("ky4", s) for s in (1, 2, 3, 4)]
FULL += [("Net6", s) for s in (1, 2)]
QUICK = [("Net3", 1), ("ky4", 1)]


def parse(argv):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.leaks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="2 district-years, 1 event per size")
    parser.add_argument("--networks", help="comma-separated subset of Net3,ky4,Net6")
    parser.add_argument(
        "--seeds",
        help="comma-separated demand seeds instead of the scored ones (e.g. 5,6,7 to tune on "
        "district-years the standard run does not score)",
    )
    parser.add_argument("--bursts-per-size", type=int, default=None)
    parser.add_argument("--gradual-per-size", type=int, default=None)
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--out", default="var/leak-benchmark/out", help="output folder")
    parser.add_argument(
        "--use-backtest",
        choices=("auto", "yes", "no"),
        default="auto",
        help="score our detectors through `mains telemetry backtest` (auto: when it exists)",
    )
    return parser.parse_args(argv)


def _simulate(args: tuple) -> str:
    network, seed, bursts, gradual = args
    Simulated(DistrictYear(network, seed), bursts, gradual)
    return f"{network}-s{seed}"


def write_telemetry(path: Path, telemetry: list[Telemetry]) -> None:
    import numpy as np

    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write("meter_id,ts,flow_m3h,pressure_mpa\n")
        for t in telemetry:
            local = (
                (t.ts_us + 8 * 3600 * 1_000_000).astype("datetime64[us]").astype("datetime64[s]")
            )
            stamps = np.char.add(np.datetime_as_string(local, unit="s"), "+08:00")
            flow = np.where(np.isnan(t.flow_m3h), "", np.char.mod("%.1f", t.flow_m3h))
            pressure = np.where(np.isnan(t.pressure_mpa), "", np.char.mod("%.3f", t.pressure_mpa))
            rows = zip(stamps, flow, pressure, strict=True)
            handle.writelines(f"{t.meter_id},{a},{b},{c}\n" for a, b, c in rows)


def main(argv=None) -> int:
    args = parse(argv)
    started = time.time()
    plan = QUICK if args.quick else FULL
    if args.seeds:
        seeds = [int(s) for s in args.seeds.split(",")]
        plan = [(n, s) for n in dict.fromkeys(n for n, _ in plan) for s in seeds]
    if args.networks:
        wanted = set(args.networks.split(","))
        plan = [(n, s) for n, s in plan if n in wanted]
    bursts = args.bursts_per_size or (1 if args.quick else 4)
    gradual = args.gradual_per_size or (1 if args.quick else 3)
    out = Path(args.out)
    (out / "telemetry").mkdir(parents=True, exist_ok=True)
    for old in (out / "telemetry").glob("*.csv"):
        old.unlink()  # this run's files only

    jobs = [(n, s, bursts, gradual) for n, s in plan]
    # Slowest first (Net6), so the two workers finish together.
    jobs.sort(key=lambda j: {"Net6": 0, "ky4": 1}.get(j[0], 2))
    with ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for _ in tqdm(
            pool.map(_simulate, jobs), total=len(jobs), desc="simulate", unit="district-year"
        ):
            pass
    simulated_s = time.time() - started

    districts = [Simulated(DistrictYear(n, s), bursts, gradual) for n, s in plan]
    events, truth_rows, meters = [], [], []
    for d in tqdm(districts, desc="telemetry", unit="district-year"):
        series = [d.leak_free()] + [d.scenario(i) for i in range(len(d.events))]
        path = out / "telemetry" / f"{d.district.name}.csv"
        write_telemetry(path, series)
        meters.append((path, series))
        for e in d.events:
            row = asdict(e)
            events.append(row)
            truth_rows.append(row)
    with open(out / "truth.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(truth_rows[0]))
        writer.writeheader()
        writer.writerows(truth_rows)

    use_backtest = args.use_backtest
    results = {}
    for system in SYSTEMS:
        path = out / f"alarms-{system}.csv"
        run_system(system, meters, path, use_backtest)
        results[system] = score.read_alarms(path)
    leak_free = {d.district.name for d in districts}
    months = 12 * len(districts)
    mnfs = {d.district.name: d.mnf for d in districts}
    mean_flows = {d.district.name: d.mean_flow for d in districts}
    table = report.markdown(events, results, leak_free, months, mnfs, mean_flows)
    elapsed = time.time() - started
    header = report.header(
        command=" ".join(["python -m benchmarks.leaks", *(sys.argv[1:] if argv is None else argv)]),
        when=datetime.now(UTC),
        machine=f"{platform.node()} ({os.cpu_count()} cores)",
        seconds=elapsed,
        simulated_s=simulated_s,
        districts=districts,
    )
    text = header + "\n" + table
    (out / "results.md").write_text(text, encoding="utf-8")
    (out / "summary.json").write_text(
        json.dumps({"elapsed_s": elapsed, "months": months}), encoding="utf-8"
    )
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
