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
from mains.telemetry.ingest.files import import_file  # noqa: E402
from mains.telemetry.models import Meter  # noqa: E402

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


PUBLISHER = """
import json, sys, time
from datetime import datetime, timedelta, UTC
import paho.mqtt.client as mqtt
prefix, meters, per_meter, qos, rate = sys.argv[1], *map(int, sys.argv[2:6])
client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
client.max_inflight_messages_set(1000)
client.connect("127.0.0.1", 1883)
client.loop_start()
start = datetime(2026, 4, 1, tzinfo=UTC)
began = time.perf_counter()
sent = 0
for step in range(per_meter):
    ts = (start + timedelta(minutes=15 * step)).isoformat()
    for m in range(meters):
        body = json.dumps({"ts": ts, "flow_m3h": 10.0 + m % 7, "pressure_mpa": 0.3})
        info = client.publish(f"{prefix}/BM-{m:05d}", body, qos=qos)
        sent += 1
        if rate and sent % 100 == 0:
            ahead = sent / rate - (time.perf_counter() - began)
            if ahead > 0:
                time.sleep(ahead)
info.wait_for_publish(60)
seconds = time.perf_counter() - began
client.disconnect()
client.loop_stop()
print(f"published in {seconds:.2f} s, {sent / seconds:,.0f}/s")
"""


def run_mqtt(args) -> None:
    from mains.telemetry.ingest.mqtt import Subscriber

    prefix = f"bench/{uuid.uuid4().hex[:8]}"
    meters = min(args.meters, 1000)
    per_meter = max(args.mqtt_messages // meters, 1)
    total = meters * per_meter
    subscriber = Subscriber(
        topic_prefix=prefix,
        qos=args.qos,
        detect=False,
        say=print if args.verbose else None,
        process=True,
    )
    subscriber.start()
    assert subscriber.connected.wait(10), "no MQTT broker on 127.0.0.1:1883"
    time.sleep(0.3)
    command = [sys.executable, "-c", PUBLISHER, prefix, str(meters), str(per_meter)]
    publisher = subprocess.Popen(
        [*command, str(args.qos), str(args.mqtt_rate)], stdout=subprocess.PIPE, text=True
    )
    quiet_since = time.perf_counter()
    seen = 0
    while subscriber.received < total:
        subscriber.flush_if_due()
        time.sleep(0.01)
        if subscriber.received != seen:
            seen, quiet_since = subscriber.received, time.perf_counter()
        elif publisher.poll() is not None and time.perf_counter() - quiet_since > 3:
            break  # the publisher is done and nothing more arrives
    subscriber.stop()
    publisher.wait(timeout=60)
    sent = publisher.stdout.read().strip() if publisher.stdout else ""
    first = subscriber.first_message_at or 0.0
    seconds = (subscriber.last_stored_at or first) - first
    print()
    offered = f"offered at {args.mqtt_rate:,}/s" if args.mqtt_rate else "as fast as it can"
    print(f"| MQTT, QoS {args.qos}, publisher {offered} | messages | time | speed | result |")
    print("|---|---:|---:|---:|---|")
    print(
        f"| publisher process → Mosquitto → `Subscriber` (storing process) | {total:,}"
        f" | {seconds:.2f} s | {subscriber.stored / seconds:,.0f} readings/s stored"
        f" | {subscriber.stored:,} stored, {subscriber.quarantined:,} quarantined,"
        f" {total - subscriber.received:,} not received ({sent}) |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readings", type=int, default=5_000_000)
    parser.add_argument("--meters", type=int, default=5_000)
    parser.add_argument("--csv-readings", type=int, default=1_000_000)
    parser.add_argument("--mqtt-messages", type=int, default=100_000)
    parser.add_argument("--skip-mqtt", action="store_true")
    parser.add_argument("--skip-files", action="store_true")
    parser.add_argument("--verbose", action="store_true", help="a line per MQTT flush")
    parser.add_argument("--qos", type=int, choices=[0, 1], default=0)
    parser.add_argument(
        "--mqtt-rate", type=int, default=0, help="messages/s the publisher offers (0: no limit)"
    )
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
            if not args.skip_files:
                run_files(folder, args)
            if not args.skip_mqtt:
                run_mqtt(args)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
