"""Speed of compaction: one day of 15-minute readings of many meters, one file per import.

    .venv/bin/python -m benchmarks.telemetry_compaction [--meters 5000] [--imports 96]

Writes the day into a temporary store as ``--imports`` part files (every 15 minutes, each
holding one reading of every meter), reads one meter's day, compacts the day, reads the
meter again and checks the readings are the same. Prints the times and sizes.
"""

import argparse
import os
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mains.settings")

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
import pyarrow as pa  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402
from django.conf import settings  # noqa: E402

from mains.telemetry.store.compaction import compact_day  # noqa: E402
from mains.telemetry.store.days import parts_of  # noqa: E402
from mains.telemetry.store.reader import read_readings  # noqa: E402
from mains.telemetry.store.schema import SCHEMA  # noqa: E402

DAY = date(2026, 3, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--meters", type=int, default=5000)
    parser.add_argument("--imports", type=int, default=96)
    args = parser.parse_args()
    rng = np.random.default_rng(1)
    with tempfile.TemporaryDirectory() as tmp:
        settings.TELEMETRY_DIR = Path(tmp)
        folder = Path(tmp) / f"day={DAY.isoformat()}"
        folder.mkdir()
        meters = np.array([f"M{i:05d}" for i in range(args.meters)])
        start = datetime(2026, 3, 1, tzinfo=UTC)
        for k in range(args.imports):
            at = start + timedelta(minutes=15 * k)
            table = pa.table(
                {
                    "meter_id": meters,
                    "ts": pa.array([at] * args.meters, pa.timestamp("us", tz="UTC")),
                    "flow_m3h": np.round(rng.gamma(4.0, 10.0, args.meters), 3),
                    "pressure_mpa": np.round(rng.normal(0.3, 0.01, args.meters), 4),
                },
                schema=SCHEMA,
            )
            pq.write_table(table, folder / f"part-{k:04d}.parquet")
        size = sum(p.stat().st_size for p in parts_of(DAY))
        one = [str(meters[len(meters) // 2])]
        began = time.perf_counter()
        before = read_readings(one, start, start + timedelta(days=1))
        read_before = time.perf_counter() - began
        result = compact_day(DAY)
        assert result is not None
        began = time.perf_counter()
        after = read_readings(one, start, start + timedelta(days=1))
        read_after = time.perf_counter() - began
        assert after == before
        (merged,) = parts_of(DAY)
        groups = pq.ParquetFile(merged).metadata.num_row_groups
        print(
            f"{result.rows:,} readings in {result.files_before} files ({size / 1e6:.1f} MB) "
            f"compacted in {result.seconds:.2f} s into one file of {groups} row groups "
            f"({merged.stat().st_size / 1e6:.1f} MB); one meter's day read in "
            f"{read_before * 1000:.0f} ms before, {read_after * 1000:.0f} ms after"
        )


if __name__ == "__main__":
    main()
