"""Cutting the meters of sorted Parquet files into ranges, from the footers' statistics."""

import numpy as np

from mains.telemetry.store.schema import read_parquet, sql_list

MAX_READ_AMPLIFICATION = 2.5  # rows read / rows: above this a sorted copy is cheaper
MAX_CHUNK_ROWS = 40_000_000  # ~5 GB in a worker at its peak (~130 bytes a reading)


def plan_ranges(con, files: list[str], chunk_rows: int, min_chunks: int = 1):
    """([(low, high)], rows, rows without meter_id or None) cutting the meters into ranges.

    Ranges are first cut where row groups begin; a row group that straddles two ranges is
    read by both, and ranges grow (up to ``MAX_CHUNK_ROWS``) until that re-reading stays
    under ``MAX_READ_AMPLIFICATION`` — None when no size does (the files are not sorted by
    meter: the caller then makes a sorted copy). Files sorted in wide row groups (as
    compaction writes them) are then cut again into ranges of about ``chunk_rows``.
    """
    groups = con.execute(
        "SELECT stats_min_value, stats_max_value, row_group_num_rows, stats_null_count"
        f" FROM parquet_metadata({sql_list(files)}) WHERE path_in_schema = 'meter_id'"
    ).fetchall()
    rows = sum(g[2] for g in groups)
    nulls = None if any(g[3] is None for g in groups) else sum(g[3] for g in groups)
    if not groups or any(g[0] is None or g[1] is None for g in groups if g[2]):
        return None
    groups = [g for g in groups if g[2]]
    if not groups:
        return [(None, None)], 0, nulls
    lows = np.array([g[0] for g in groups], dtype=object)
    highs = np.array([g[1] for g in groups], dtype=object)
    sizes = np.array([g[2] for g in groups], dtype=np.int64)
    per_low: dict[str, int] = {}
    for low, size in zip(lows, sizes, strict=True):
        per_low[low] = per_low.get(low, 0) + int(size)
    target = max(1, min(chunk_rows, rows // max(min_chunks, 1)))
    size = target
    while True:
        ranges = _cut(per_low, size)
        if len(ranges) == 1:
            return (ranges, rows, nulls) if rows <= MAX_CHUNK_ROWS else None
        if _read(ranges, lows, highs, sizes) <= MAX_READ_AMPLIFICATION * rows:
            break
        if size >= MAX_CHUNK_ROWS:
            return None
        size = min(size * 2, MAX_CHUNK_ROWS)
    if rows > 2 * target * len(ranges):
        ranges = _split(con, files, ranges, target)
    return ranges, rows, nulls


def _split(con, files: list[str], ranges, target: int):
    """Ranges of wide row groups (files sorted by meter) cut again at meters, by row counts.

    DuckDB reads a narrow range out of a wide row group at little more than the cost of
    its rows (it filters on meter_id before it decodes the other columns), so the cuts no
    longer need to fall on row groups; the counts take one scan of meter_id (~1 s).
    """
    counts = con.execute(
        "SELECT meter_id, count(*) FROM"
        f" {read_parquet(files)}"
        " WHERE meter_id IS NOT NULL GROUP BY 1 ORDER BY 1"
    ).fetchall()
    cuts: list[str] = []
    total = 0
    for meter_id, count in counts:
        if total >= target:
            cuts.append(meter_id)
            total = 0
        total += count
    bounds: list[str | None] = [None, *cuts, None]
    return list(zip(bounds[:-1], bounds[1:], strict=True))


def _cut(per_low: dict[str, int], chunk_rows: int) -> list[tuple[str | None, str | None]]:
    """Ranges cut at row groups' first meters, each with about ``chunk_rows`` rows."""
    cuts: list[str] = []
    total = 0
    for low in sorted(per_low):
        if total >= chunk_rows:
            cuts.append(low)
            total = 0
        total += per_low[low]
    bounds: list[str | None] = [None, *cuts, None]
    return list(zip(bounds[:-1], bounds[1:], strict=True))


def _read(ranges, lows, highs, sizes) -> int:
    """Rows the ranges read in all: a row group is read by every range it overlaps."""
    read = 0
    for low, high in ranges:
        overlap = np.ones(len(sizes), dtype=bool)
        if low is not None:
            overlap &= highs >= low
        if high is not None:
            overlap &= lows < high
        read += int(sizes[overlap].sum())
    return read
