"""Upkeep of the reading store: compaction of a day's small files, and retention.

Compaction merges the part files of one UTC day into one file sorted by (meter_id, ts),
in row groups of ``ROW_GROUP_ROWS`` rows, so a read of a few meters skips most of the
file. The day's files are listed once at the start: a writer adding a part meanwhile
is not disturbed, its file stays beside the compacted one and is merged the next time.
The merged file is written under a hidden name, checked (same number of rows), made
visible and the old parts removed in one step under the readers' exclusive lock; a
journal lets the next run finish a swap that a crash interrupted.

Retention removes the day partitions older than ``TELEMETRY_RETENTION_DAYS`` days.
Only one upkeep (compaction or retention) runs at a time: ``UpkeepBusy`` otherwise.
"""

import fcntl
import json
import shutil
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from mains.telemetry.storage import (
    day_folder,
    parts_of,
    publish,
    readers_lock,
    sql_list,
    stored_days,
    telemetry_dir,
)

ROW_GROUP_ROWS = 100_000  # a day of 5,000 meters at 15 minutes is 480,000 rows: 5 groups
STALE_TEMPORARY = timedelta(hours=6)  # hidden files older than this are a crashed write


class UpkeepBusy(Exception):
    """Another compaction or retention run holds the store."""


@dataclass(frozen=True)
class Compacted:
    day: date
    files_before: int
    rows: int
    seconds: float


def today_utc() -> date:
    return datetime.now(UTC).date()


@contextmanager
def upkeep_lock() -> Iterator[None]:
    root = telemetry_dir()
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".upkeep.lock", "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise UpkeepBusy from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def days_to_compact(force: bool = False) -> list[date]:
    """Days with more than one file; today's growing partition (and later) only if forced."""
    today = today_utc()
    return [d for d in stored_days() if (force or d < today) and len(parts_of(d)) > 1]


def _remove_stale_temporaries(folder: Path) -> None:
    cutoff = time.time() - STALE_TEMPORARY.total_seconds()
    for leftover in folder.glob(".*.tmp"):
        if leftover.stat().st_mtime < cutoff:
            leftover.unlink(missing_ok=True)


def compact_day(day: date, force: bool = False) -> Compacted | None:
    """Merge the files of ``day`` into one; None when there was nothing to merge.

    Today's partition (or a later one) is still being written: it is merged only if forced.
    """
    done = compact([day], force)
    return done[0] if done else None


def _compact(day: date) -> Compacted | None:
    started = time.perf_counter()
    folder = day_folder(day)
    if not folder.is_dir():
        return None
    _finish_swaps(folder)
    _remove_stale_temporaries(folder)
    parts = parts_of(day)
    if len(parts) < 2:
        return None
    name = uuid.uuid4().hex
    temporary = folder / f".compact-{name}.tmp"
    final = folder / f"compact-{name}.parquet"
    source = f"read_parquet({sql_list(parts)}, hive_partitioning = false)"
    target = str(temporary).replace("'", "''")
    try:
        with duckdb.connect() as con:
            con.execute("SET TimeZone = 'UTC'")
            row = con.execute(f"SELECT count(*) FROM {source}").fetchone()
            rows = row[0] if row else 0
            con.execute(
                f"COPY (SELECT meter_id, ts, flow_m3h, pressure_mpa FROM {source}"
                f" ORDER BY meter_id, ts) TO '{target}'"
                f" (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE {ROW_GROUP_ROWS})"
            )
            written = con.execute(f"SELECT count(*) FROM read_parquet('{target}')").fetchone()
        if written is None or written[0] != rows:
            raise RuntimeError(f"compaction of {day} wrote {written} rows instead of {rows}")
        _swap(folder, temporary, final, parts)
    finally:
        temporary.unlink(missing_ok=True)
    return Compacted(day, len(parts), rows, time.perf_counter() - started)


def _swap(folder: Path, temporary: Path, final: Path, parts: list[Path]) -> None:
    """Publish the merged file and remove the parts it holds, journalled: a run that dies
    between the two leaves a journal, and the next run on the day finishes the removal."""
    journal = folder / f".swap-{final.stem}.json"
    journal.write_text(json.dumps({"final": final.name, "parts": [p.name for p in parts]}))
    with readers_lock(exclusive=True):
        publish(temporary, final)
        remove_parts(parts)
    journal.unlink()


def remove_parts(parts: list[Path]) -> None:
    for part in parts:
        part.unlink(missing_ok=True)


def _finish_swaps(folder: Path) -> None:
    """Complete the swaps a crashed run left half done (see ``_swap``)."""
    for journal in folder.glob(".swap-*.json"):
        entry = json.loads(journal.read_text())
        if (folder / entry["final"]).exists():  # published: its parts must go
            with readers_lock(exclusive=True):
                remove_parts([folder / name for name in entry["parts"]])
        journal.unlink()  # not published: the parts are still the day's data


def compact(days: list[date], force: bool = False, progress=None) -> list[Compacted]:
    """Compact each of ``days`` in one upkeep run; ``progress`` wraps the iteration."""
    done = []
    today = today_utc()
    with upkeep_lock():
        for day in progress(days) if progress else days:
            if day >= today and not force:
                continue
            result = _compact(day)
            if result is not None:
                done.append(result)
    return done


def retention_days() -> int:
    days = settings.TELEMETRY_RETENTION_DAYS
    if days < 0:
        raise ImproperlyConfigured("TELEMETRY_RETENTION_DAYS must be 0 (keep) or more")
    return days


def expired_days(keep_days: int | None = None) -> list[date]:
    """Days older than the retention (none when it is 0: kept forever)."""
    keep = retention_days() if keep_days is None else keep_days
    if keep == 0:
        return []
    oldest_kept = today_utc() - timedelta(days=keep)
    return [d for d in stored_days() if d < oldest_kept]


def drop_days(days: list[date], progress=None) -> list[date]:
    """Remove these day partitions; a query sees a day whole or not at all."""
    dropped = []
    with upkeep_lock():
        for day in progress(days) if progress else days:
            folder = day_folder(day)
            if not folder.is_dir():
                continue
            trash = telemetry_dir() / f".dropped-{day.isoformat()}-{uuid.uuid4().hex}"
            with readers_lock(exclusive=True):
                folder.rename(trash)
            shutil.rmtree(trash)
            dropped.append(day)
    return dropped


def apply_retention(keep_days: int | None = None) -> list[date]:
    """Remove the days older than the retention; the days removed."""
    return drop_days(expired_days(keep_days))
