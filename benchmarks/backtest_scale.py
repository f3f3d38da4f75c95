"""Time of a back-test at a utility's scale, beside DuckDB's plain scan of the same files.

    .venv/bin/python -m benchmarks.backtest_scale [--meters 5000] [--days 365] [--workers 2]
    .venv/bin/python -m benchmarks.backtest_scale --quick      # 500 meters, 90 days

Generates once (cached in var/bench/backtest-<meters>x<days>/, gitignored) 15-minute
readings with a daily pattern, noise, gaps and bursts (benchmarks/backtest_data.py), laid
out as mains stores them (one Parquet file per day, sorted by meter). Then, in the same run:

1. ``mains telemetry backtest`` over the folder, as a user runs it (wall clock, including
   the start of Django and of the worker processes);
2. DuckDB's per-meter-per-day minimum over the same files
   (``SELECT meter_id, day, min(flow_m3h) … GROUP BY ALL``), the storage's limit;
3. each detector's own time per meter-year, on a sample of the meters.

The goal (issue 4): 5,000 meters × one year (175,200,000 readings) in under two minutes on
a 2-core machine.
"""

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from benchmarks.backtest_data import generate, rewrite_as_compacted

ROOT = Path(__file__).resolve().parent.parent


def dataset(meters: int, days: int) -> Path:
    folder = ROOT / "var" / "bench" / f"backtest-{meters}x{days}"
    if (folder / "bursts.json").exists():
        return folder
    partial = folder.with_name(folder.name + ".tmp")
    shutil.rmtree(partial, ignore_errors=True)
    started = time.perf_counter()
    print(f"generating {meters} meters × {days} days into {folder} …", flush=True)
    generate(partial, meters, days)
    partial.rename(folder)
    print(f"  generated in {time.perf_counter() - started:.0f} s", flush=True)
    return folder


def compacted(folder: Path) -> Path:
    """The same readings as mains' compaction leaves them (row groups of 100,000 rows)."""
    from mains.telemetry.store.compaction import ROW_GROUP_ROWS

    target = folder.with_name(folder.name + "-compacted")
    if not (target / "bursts.json").exists():
        started = time.perf_counter()
        print(f"rewriting as compaction does into {target} …", flush=True)
        rewrite_as_compacted(folder, target, ROW_GROUP_ROWS)
        print(f"  rewritten in {time.perf_counter() - started:.0f} s", flush=True)
    return target


def time_backtest(folder: Path, workers: int, engine: str) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds of the command and its workers, its output)."""
    out = folder.with_name(folder.name + "-alarms.csv")
    command = [
        str(ROOT / ".venv" / "bin" / "mains"),
        "telemetry",
        "-v",
        "2",
        "backtest",
        "--input",
        str(folder),
        "--out",
        str(out),
        "--workers",
        str(workers),
        "--engine",
        engine,
    ]
    env = dict(os.environ, LANGUAGE="en", LANG="C.UTF-8")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode:
        sys.exit(done.stderr)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return seconds, cpu, done.stdout.strip()


def time_duckdb_minimum(folder: Path) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, groups) of the plain per-meter-per-day minimum."""
    con = duckdb.connect()
    cpu = time.process_time()
    started = time.perf_counter()
    rows = con.sql(
        "SELECT meter_id, epoch_us(ts) // 86400000000 AS day, min(flow_m3h) AS min_flow_m3h"
        f" FROM read_parquet('{folder}/*/*.parquet', hive_partitioning = false) GROUP BY ALL"
    ).to_arrow_table()
    return time.perf_counter() - started, time.process_time() - cpu, rows.num_rows


def time_detectors(folder: Path, sample: int) -> dict[str, float]:
    """Milliseconds per meter-year of each detector on the first ``sample`` meters."""
    from mains.telemetry.backtest.chunks import ChunkTask, _checked, _connection, chunk_query
    from mains.telemetry.detect import DETECTORS
    from mains.telemetry.detect.series import MeterSettings

    files = tuple(str(f) for f in sorted(folder.glob("*/*.parquet")))
    high = f"M{sample + 1:05d}"
    table = _connection(1).sql(chunk_query(ChunkTask(files, None, high))).to_arrow_table()
    ids, starts, ends, ts, flow, pressure, refused = _checked(table, Counter())
    from mains.telemetry.backtest.chunks import _series

    series = [
        _series(i, ts, flow, pressure, s, e, refused)
        for i, s, e in zip(ids, starts, ends, strict=True)
    ]
    years = sum(len(s) for s in series) / (365 * 96)
    settings = MeterSettings()  # the benchmark's meters are unknown: community master meters
    timings = {}
    for detector in DETECTORS:
        if settings.kind not in detector.METER_KINDS:
            continue
        started = time.process_time()  # CPU time: the machine may be shared
        for one in series:
            detector.find(one, settings)
        timings[detector.KIND] = (time.process_time() - started) * 1000 / years
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--meters", type=int, default=5000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--engine", choices=["local", "dask"], default="local")
    parser.add_argument("--quick", action="store_true", help="500 meters × 90 days")
    parser.add_argument(
        "--compacted",
        action="store_true",
        help="read the files as mains' compaction writes them (row groups of 100,000 rows)",
    )
    parser.add_argument("--sample", type=int, default=50, help="meters timed per detector")
    args = parser.parse_args()
    if args.quick:
        args.meters, args.days = 500, 90
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mains.settings")
    import django

    django.setup()
    folder = dataset(args.meters, args.days)
    if args.compacted:
        folder = compacted(folder)
    readings = args.meters * args.days * 96
    load = os.getloadavg()[0]
    backtest_s, cpu_s, output = time_backtest(folder, args.workers, args.engine)
    duckdb_s, duckdb_cpu_s, groups = time_duckdb_minimum(folder)
    detectors = time_detectors(folder, min(args.sample, args.meters))
    print(output)
    print()
    print(f"| when | {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, load average {load:.1f} before |")
    print("|---|---|")
    layout = "compacted day files" if args.compacted else "day files, 200 meters per row group"
    print(f"| data | {args.meters} meters × {args.days} days = {readings:,} readings, {layout} |")
    print(f"| backtest ({args.engine}, {args.workers} workers) | {backtest_s:.1f} s |")
    print(f"| backtest CPU time, command and workers | {cpu_s:.1f} s |")
    print(f"| DuckDB per-meter-day minimum ({groups:,} groups) | {duckdb_s:.1f} s |")
    print(f"| DuckDB CPU time | {duckdb_cpu_s:.1f} s |")
    print(f"| ratio backtest / DuckDB, wall | {backtest_s / duckdb_s:.1f} × |")
    print(f"| ratio backtest / DuckDB, CPU | {cpu_s / duckdb_cpu_s:.1f} × |")
    print(f"| readings per second (backtest) | {readings / backtest_s:,.0f} |")
    for kind, ms in detectors.items():
        print(f"| detector {kind}, ms per meter-year | {ms:.2f} |")
    print(f"| detectors for a master meter, ms per meter-year | {sum(detectors.values()):.1f} |")
    match = re.search(
        r"reading ([\d.]+) s \(CPU ([\d.]+) s\) and detecting ([\d.]+) s \(CPU ([\d.]+) s\)", output
    )
    if match:
        print(f"| reading, summed over workers: wall / CPU | {match[1]} s / {match[2]} s |")
        print(f"| detecting, summed over workers: wall / CPU | {match[3]} s / {match[4]} s |")
    print(f"| load average after | {os.getloadavg()[0]:.1f} |")


if __name__ == "__main__":
    main()
