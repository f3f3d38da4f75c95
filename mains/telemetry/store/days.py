"""Readings on disk: Parquet files partitioned by day, written with pyarrow (read with DuckDB
in ``reader``).

Layout: ``<TELEMETRY_DIR>/day=YYYY-MM-DD/part-<uuid>.parquet``, one file per import per
day, merged by compaction into ``compact-<uuid>.parquet`` (docs/telemetry-storage.md).
The columns and their types are ``schema.SCHEMA``.

A file appears under its final name only once it is complete (written under a hidden
temporary name, then renamed). Readers hold a shared lock on ``.readers.lock`` while they
query; compaction and retention swap files under the exclusive lock, so a query sees each
day exactly once: either its old parts or the compacted file, never both, never neither.
"""

import fcntl
import os
import uuid
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from django.conf import settings

from mains.telemetry.detect.series import EPOCH, US_PER_DAY, to_us
from mains.telemetry.store.schema import Reading, readings_table


def telemetry_dir() -> Path:
    return Path(settings.TELEMETRY_DIR)


def day_folder(day: date) -> Path:
    return telemetry_dir() / f"day={day.isoformat()}"


def epoch_day(days: int) -> date:
    """The UTC day ``days`` after 1 January 1970 (a time in µs // ``US_PER_DAY``)."""
    return EPOCH.date() + timedelta(days=int(days))


def stored_days() -> list[date]:
    """The days that have a partition, oldest first."""
    root = telemetry_dir()
    days = []
    if root.is_dir():
        for entry in os.scandir(root):
            if entry.name.startswith("day=") and entry.is_dir():
                try:
                    days.append(date.fromisoformat(entry.name.removeprefix("day=")))
                except ValueError:
                    continue
    return sorted(days)


def parts_of(day: date) -> list[Path]:
    """The Parquet files of a day (none when it has no partition)."""
    return sorted(day_folder(day).glob("*.parquet"))


def day_files(days: Sequence[date]) -> list[str]:
    """The Parquet files of these days, as paths for ``schema.read_parquet``."""
    return [str(path) for day in days for path in parts_of(day)]


@contextmanager
def readers_lock(exclusive: bool = False) -> Iterator[None]:
    """Shared for queries; exclusive while files of a day are swapped or removed."""
    root = telemetry_dir()
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".readers.lock", "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def publish(temporary: Path, final: Path) -> None:
    """Make a completely written file visible under its final name (atomic rename)."""
    with open(temporary, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(temporary, final)


def write_table(table: pa.Table, ts_us: np.ndarray) -> list[Path]:
    """Write readings (a table of ``SCHEMA``; ``ts_us`` its times in epoch µs), one Parquet
    file per UTC day, each atomically (temporary file, rename); return their paths."""
    if not len(table):
        return []
    day = ts_us // US_PER_DAY
    order = np.argsort(day, kind="stable")
    day_sorted = day[order]
    cuts = np.flatnonzero(np.diff(day_sorted)) + 1
    bounds = zip(np.concatenate([[0], cuts]), np.concatenate([cuts, [len(order)]]), strict=True)
    jobs = [(epoch_day(day_sorted[lo]), order[lo:hi]) for lo, hi in bounds]

    def write(job: tuple[date, np.ndarray]) -> Path:
        label, idx = job
        folder = day_folder(label)
        folder.mkdir(parents=True, exist_ok=True)
        name = uuid.uuid4().hex
        temporary, path = folder / f".part-{name}.tmp", folder / f"part-{name}.parquet"
        # Dictionary pages for the meter codes only: floats and times rarely repeat.
        pq.write_table(table.take(pa.array(idx)), temporary, use_dictionary=["meter_id"])
        publish(temporary, path)
        return path

    if len(jobs) == 1:
        return [write(jobs[0])]
    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(write, jobs))


def write_readings(readings: list[Reading]) -> list[Path]:
    """Write one Parquet file per UTC day covered by ``readings``; return their paths."""
    ts_us = np.array([to_us(r.ts) for r in readings], np.int64)
    table = readings_table(
        [r.meter_id for r in readings],
        ts_us,
        [r.flow_m3h for r in readings],
        [r.pressure_mpa for r in readings],
    )
    return write_table(table, ts_us)
