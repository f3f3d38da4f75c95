"""Readings on disk: Parquet files partitioned by day, written with pyarrow, read with DuckDB.

Layout: ``<TELEMETRY_DIR>/day=YYYY-MM-DD/part-<uuid>.parquet``, one file per import per
day, merged by compaction into ``compact-<uuid>.parquet`` (docs/telemetry-storage.md).
Times are UTC; flows in m³/h, pressures in MPa, either may be null.

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
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from django.conf import settings

from mains.telemetry.detect.series import EPOCH, US_PER_DAY, from_us, to_us

SCHEMA = pa.schema(
    [
        ("meter_id", pa.string()),
        ("ts", pa.timestamp("us", tz="UTC")),
        ("flow_m3h", pa.float64()),
        ("pressure_mpa", pa.float64()),
    ]
)


@dataclass(frozen=True)
class Reading:
    meter_id: str
    ts: datetime  # aware, UTC
    flow_m3h: float | None
    pressure_mpa: float | None


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
    """The Parquet files of these days, as paths for ``sql_list``."""
    return [str(path) for day in days for path in parts_of(day)]


def sql_list(paths: Sequence[str | Path]) -> str:
    """Paths as a DuckDB list literal, for ``read_parquet``."""
    return "[" + ", ".join("'" + str(p).replace("'", "''") + "'" for p in paths) + "]"


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
    table = pa.table(
        {
            "meter_id": [r.meter_id for r in readings],
            "ts": pa.array(ts_us, pa.int64()).cast(pa.timestamp("us", tz="UTC")),
            "flow_m3h": [r.flow_m3h for r in readings],
            "pressure_mpa": [r.pressure_mpa for r in readings],
        },
        schema=SCHEMA,
    )
    return write_table(table, ts_us)


def _query(sql: str, params: list) -> list[tuple]:
    root = telemetry_dir()
    if not root.is_dir():
        return []
    with readers_lock():
        if not any(root.glob("day=*/*.parquet")):
            return []
        quoted = str(root / "day=*" / "*.parquet").replace("'", "''")
        source = f"read_parquet('{quoted}', hive_partitioning = true)"
        with duckdb.connect() as con:
            con.execute("SET TimeZone = 'UTC'")
            return con.execute(sql.format(source=source), params).fetchall()


def read_readings(meter_ids: list[str], start: datetime, end: datetime) -> list[Reading]:
    """Readings of these meters with ``start <= ts < end``, ordered by meter and time."""
    if not meter_ids:
        return []
    rows = _query(
        "SELECT meter_id, epoch_us(ts), flow_m3h, pressure_mpa FROM {source}"
        " WHERE meter_id IN (SELECT unnest(?)) AND ts >= ? AND ts < ?"
        " AND day BETWEEN ? AND ? ORDER BY meter_id, ts",
        [
            list(meter_ids),
            start.astimezone(UTC),
            end.astimezone(UTC),
            start.astimezone(UTC).date(),
            end.astimezone(UTC).date(),
        ],
    )
    return [Reading(m, from_us(us), f, p) for m, us, f, p in rows]


LATEST_CHUNKS_DAYS = (1, 7, 30)  # look-back steps of latest_us, then the rest


def latest_us(meter_ids: Sequence[str]) -> dict[str, int]:
    """The last stored reading time (UTC epoch µs) of each of these meters, meters without
    one left out.

    Reads the day partitions from the newest backwards (1 day, 7, 30, then the rest) and
    stops once every meter is found: meters that report cost one day's files, not years.
    """
    found: dict[str, int] = {}
    pending = set(meter_ids)
    days = stored_days()[::-1]
    start = 0
    with duckdb.connect() as con:
        for size in (*LATEST_CHUNKS_DAYS, len(days)):
            chunk, start = days[start : start + size], start + size
            if not pending or not chunk:
                break
            with readers_lock():
                files = day_files(chunk)
                if not files:
                    continue
                con.register("wanted", pa.table({"meter_id": sorted(pending)}))
                rows = con.execute(
                    f"SELECT meter_id, max(epoch_us(ts)) FROM read_parquet({sql_list(files)})"
                    " WHERE meter_id IN (SELECT meter_id FROM wanted) GROUP BY meter_id"
                ).fetchall()
            for meter_id, us in rows:
                found[meter_id] = us
                pending.discard(meter_id)
    return found


def latest_timestamps(meter_ids: list[str]) -> dict[str, datetime]:
    """The last stored reading time of each of these meters (meters without one left out)."""
    return {meter: from_us(us) for meter, us in latest_us(meter_ids).items()}
