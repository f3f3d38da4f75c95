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
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
from django.conf import settings

SCHEMA = pa.schema(
    [
        ("meter_id", pa.string()),
        ("ts", pa.timestamp("us", tz="UTC")),
        ("flow_m3h", pa.float64()),
        ("pressure_mpa", pa.float64()),
    ]
)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Reading:
    meter_id: str
    ts: datetime  # aware, UTC
    flow_m3h: float | None
    pressure_mpa: float | None


def telemetry_dir() -> Path:
    return Path(settings.TELEMETRY_DIR)


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


def write_readings(readings: list[Reading]) -> list[Path]:
    """Write one Parquet file per UTC day covered by ``readings``; return their paths."""
    by_day: dict[str, list[Reading]] = {}
    for reading in readings:
        day = reading.ts.astimezone(UTC).date().isoformat()
        by_day.setdefault(day, []).append(reading)
    paths = []
    for day, rows in sorted(by_day.items()):
        folder = telemetry_dir() / f"day={day}"
        folder.mkdir(parents=True, exist_ok=True)
        table = pa.table(
            {
                "meter_id": [r.meter_id for r in rows],
                "ts": [r.ts.astimezone(UTC) for r in rows],
                "flow_m3h": [r.flow_m3h for r in rows],
                "pressure_mpa": [r.pressure_mpa for r in rows],
            },
            schema=SCHEMA,
        )
        name = uuid.uuid4().hex
        temporary = folder / f".part-{name}.tmp"
        path = folder / f"part-{name}.parquet"
        pq.write_table(table, temporary)
        publish(temporary, path)
        paths.append(path)
    return paths


def _from_us(microseconds: int) -> datetime:
    # DuckDB would need pytz to hand back aware datetimes; epoch microseconds do not.
    return EPOCH + timedelta(microseconds=microseconds)


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
    return [Reading(m, _from_us(us), f, p) for m, us, f, p in rows]


LATEST_CHUNKS_DAYS = (1, 7, 30)  # look-back steps of latest_timestamps, then the rest


def latest_timestamps(meter_ids: list[str]) -> dict[str, datetime]:
    """The last stored reading time of each of these meters (meters without one left out).

    Reads the day partitions from the newest backwards (1 day, 7, 30, then the rest) and
    stops once every meter is found: meters that report cost one day's files, not years.
    """
    root = telemetry_dir()
    if not meter_ids or not root.is_dir():
        return {}
    found: dict[str, datetime] = {}
    pending = set(meter_ids)
    with readers_lock(), duckdb.connect() as con:
        con.execute("SET TimeZone = 'UTC'")
        days = sorted((d for d in root.glob("day=*") if d.is_dir()), reverse=True)
        start = 0
        for size in (*LATEST_CHUNKS_DAYS, len(days)):
            chunk, start = days[start : start + size], start + size
            if not pending or not chunk:
                break
            files = [str(f).replace("'", "''") for d in chunk for f in sorted(d.glob("*.parquet"))]
            if not files:
                continue
            source = "read_parquet([" + ", ".join(f"'{f}'" for f in files) + "])"
            rows = con.execute(
                f"SELECT meter_id, epoch_us(max(ts)) FROM {source}"
                " WHERE meter_id IN (SELECT unnest(?)) GROUP BY meter_id",
                [sorted(pending)],
            ).fetchall()
            for meter_id, us in rows:
                found[meter_id] = _from_us(us)
                pending.discard(meter_id)
    return found


def stored_keys(meter_ids: list[str], start: datetime, end: datetime) -> set[tuple[str, datetime]]:
    """(meter, ts) pairs already stored in the window, to refuse duplicates."""
    return {(r.meter_id, r.ts) for r in read_readings(meter_ids, start, end)}
