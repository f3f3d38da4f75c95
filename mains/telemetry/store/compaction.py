"""Compaction of a day's small files of readings into one.

Compaction merges the part files of one UTC day into one file sorted by (meter_id, ts),
in row groups of ``ROW_GROUP_ROWS`` rows, so a read of a few meters skips most of the
file. The day's files are listed once at the start: a writer adding a part meanwhile
is not disturbed, its file stays beside the compacted one and is merged the next time.
The merged file is written under a hidden name, checked (same number of rows), made
visible and the old parts removed in one step under the readers' exclusive lock; a
journal lets the next run finish a swap that a crash interrupted. Only one upkeep
(compaction or retention) runs at a time: ``UpkeepBusy`` otherwise.
"""

import json
import time
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import duckdb

from mains.telemetry.store.days import (
    day_folder,
    parts_of,
    publish,
    readers_lock,
    stored_days,
)
from mains.telemetry.store.schema import COLUMNS, quote, read_parquet
from mains.telemetry.store.upkeep import today_utc, upkeep_lock

ROW_GROUP_ROWS = 100_000  # a day of 5,000 meters at 15 minutes is 480,000 rows: 5 groups
STALE_TEMPORARY = timedelta(hours=6)  # hidden files older than this are a crashed write


@dataclass(frozen=True)
class Compacted:
    day: date
    files_before: int
    rows: int
    seconds: float


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
    source = read_parquet(parts)
    target = quote(str(temporary))
    try:
        with duckdb.connect() as con:
            con.execute("SET TimeZone = 'UTC'")
            row = con.execute(f"SELECT count(*) FROM {source}").fetchone()
            rows = row[0] if row else 0
            con.execute(
                f"COPY (SELECT {', '.join(COLUMNS)} FROM {source}"
                f" ORDER BY meter_id, ts) TO {target}"
                f" (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE {ROW_GROUP_ROWS})"
            )
            written = con.execute(f"SELECT count(*) FROM read_parquet({target})").fetchone()
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
