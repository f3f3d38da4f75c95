"""Speed of ingestion: a Parquet file, a CSV file and the MQTT subscriber, end to end.

    .venv/bin/python -m benchmarks.telemetry_ingest [--readings 5000000] [--meters 5000]
        [--csv-readings 1000000] [--mqtt-messages 100000] [--skip-mqtt]

Runs against a temporary database and a temporary store made for the run. The file holds
15-minute readings of ``--meters`` meters (in time order, as a utility's export comes),
0.1 % of them refused (unknown meter, impossible flow). Times the whole import (read,
check, write Parquet, quarantine), then a second file with the following days (the store
is no longer empty, so the meters' last readings are looked up). The MQTT part starts a
publisher process that sends one JSON message per reading to Mosquitto on 127.0.0.1:1883
(QoS 0) and times the subscriber until every reading is stored.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mains.settings")

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
import pyarrow as pa  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402

from mains.areas.models import Community, Grid  # noqa: E402
from mains.org.models import Unit  # noqa: E402
from mains.telemetry.ingest import import_file  # noqa: E402
from mains.telemetry.models import Meter, QuarantinedReading  # noqa: E402

START = datetime(2026, 3, 1, tzinfo=UTC)
STEP_US = 15 * 60 * 1_000_000


def readings(meters: int, count: int, first_step: int = 0, seed: int = 1) -> pa.Table:
    """``count`` readings of ``meters`` meters, time-major, 0.1 % of them bad."""
    rng = np.random.default_rng(seed)
    steps = count // meters
    step = np.repeat(np.arange(first_step, first_step + steps), meters)
    meter = np.tile(np.arange(meters), steps)
    names = np.array([f"BM-{m:05d}" for m in range(meters)], dtype=object)[meter]
    flow = rng.gamma(4.0, 5.0, len(step))
    pressure = rng.normal(0.3, 0.02, len(step))
    bad = rng.random(len(step)) < 0.001
    names[bad & (rng.random(len(step)) < 0.5)] = "NOPE"
    flow[bad & (names != "NOPE")] = -1.0
    ts_us = int(START.timestamp() * 1_000_000) + step * STEP_US
    return pa.table(
        {
            "meter_id": pa.array(names, pa.string()),
            "ts": pa.array(ts_us, pa.int64()).cast(pa.timestamp("us", tz="UTC")),
            "flow_m3h": flow,
            "pressure_mpa": pressure,
        }
    )


def make_meters(meters: int) -> None:
    unit = Unit.objects.create(name="Bench unit")
    grid = Grid.objects.create(code="BM", name="Bench grid", unit=unit)
    community = Community.objects.create(name="Bench community", address="Bench road 1", grid=grid)
    Meter.objects.bulk_create(
        [Meter(code=f"BM-{m:05d}", community=community) for m in range(meters)], batch_size=1000
    )


def timed_import(path: Path) -> tuple[float, int, int]:
    began = time.perf_counter()
    result = import_file(path, source=path.name)
    return time.perf_counter() - began, result.stored, result.quarantined


def report(label: str, rows: int, seconds: float, stored: int, refused: int) -> None:
    print(
        f"| {label} | {rows:,} | {seconds:.2f} s | {rows / seconds:,.0f} readings/s"
        f" | {stored:,} stored, {refused:,} quarantined |"
    )


def run_files(folder: Path, args) -> None:
    first = folder / "readings-1.parquet"
    pq.write_table(readings(args.meters, args.readings), first)
    steps = args.readings // args.meters
    second = folder / "readings-2.parquet"
    pq.write_table(readings(args.meters, args.readings, first_step=steps, seed=2), second)
    csv_path = folder / "readings-3.csv"
    table = readings(args.meters, args.csv_readings, first_step=2 * steps, seed=3)
    with open(csv_path, "w", encoding="utf-8") as handle:
        handle.write("meter_id,ts,flow_m3h,pressure_mpa\n")
        columns = [table.column(i).to_pylist() for i in range(4)]
        for meter, ts, flow, pressure in zip(*columns, strict=True):
            handle.write(f"{meter},{ts.isoformat()},{flow:.3f},{pressure:.4f}\n")
    print("| input | readings | time | speed | result |")
    print("|---|---:|---:|---:|---|")
    for label, path, rows in (
        ("Parquet, empty store", first, args.readings),
        ("Parquet, the following days", second, args.readings),
        ("CSV, the following days", csv_path, args.csv_readings),
    ):
        seconds, stored, refused = timed_import(path)
        report(label, rows, seconds, stored, refused)


def run_mqtt(args) -> None:
    from mains.telemetry.mqtt import Subscriber

    prefix = f"bench/{uuid.uuid4().hex[:8]}"
    meters = min(args.meters, 1000)
    per_meter = args.mqtt_messages // meters
    subscriber = Subscriber(host="127.0.0.1", port=1883, topic_prefix=prefix, qos=0)
    subscriber.start()
    try:
        publisher = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "benchmarks.telemetry_publish",
                prefix,
                str(meters),
                str(per_meter),
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        total = meters * per_meter
        began = time.perf_counter()
        deadline = began + 120
        while subscriber.stored + subscriber.quarantined < total and time.perf_counter() < deadline:
            subscriber.flush_if_due()
            time.sleep(0.01)
        subscriber.flush()
        seconds = time.perf_counter() - began
        publisher.wait(timeout=30)
        sent = publisher.stdout.read().strip() if publisher.stdout else ""
    finally:
        subscriber.stop()
    print()
    print("| MQTT (QoS 0) | messages | time | speed | result |")
    print("|---|---:|---:|---:|---|")
    print(
        f"| publisher process → Mosquitto → `mains telemetry mqtt` | {total:,} | {seconds:.2f} s"
        f" | {subscriber.stored / seconds:,.0f} messages/s stored"
        f" | {subscriber.stored:,} stored, {subscriber.quarantined:,} quarantined ({sent}) |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readings", type=int, default=5_000_000)
    parser.add_argument("--meters", type=int, default=5_000)
    parser.add_argument("--csv-readings", type=int, default=1_000_000)
    parser.add_argument("--mqtt-messages", type=int, default=100_000)
    parser.add_argument("--skip-mqtt", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        settings.TELEMETRY_DIR = folder / "telemetry"
        database = settings.DATABASES["default"]
        if database["ENGINE"].endswith("sqlite3"):
            database.setdefault("TEST", {})["NAME"] = str(folder / "bench.sqlite3")
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            make_meters(args.meters)
            print(f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} CPUs")
            run_files(folder, args)
            if not args.skip_mqtt:
                run_mqtt(args)
            assert QuarantinedReading.objects.exists()
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
