"""One unit of back-test work: the detectors over a range of meters read from sorted Parquet.

Runs in a worker process (local engine) or on a Dask worker, so it needs no database and no
Django: a task carries the file list, the meter range, the settings of the meters the
database knows and the alarm window; the result carries the alarms as plain tuples.
"""

import ctypes
import json
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from mains.telemetry.detect import detect
from mains.telemetry.detect.series import MeterSettings, Series
from mains.telemetry.store.schema import MAX_FLOW_M3H, MAX_PRESSURE_MPA, quote, read_parquet

# (meter_id, kind, raised_at_us, cleared_at_us or None, detail as JSON text)
Alarm = tuple[str, str, int, int | None, str]


@dataclass(frozen=True)
class ChunkTask:
    files: tuple[str, ...]
    low: str | None  # meter_id >= low (None: from the first)
    high: str | None  # meter_id < high (None: to the last)
    settings: dict[str, MeterSettings] = field(default_factory=dict)
    raised_from_us: int | None = None
    raised_to_us: int | None = None
    duckdb_threads: int = 1


@dataclass
class ChunkResult:
    alarms: list[Alarm]
    meters: int
    readings: int
    bad: Counter
    read_s: float
    detect_s: float
    read_cpu_s: float = 0.0  # CPU time of this thread: what the wall times would be alone
    detect_cpu_s: float = 0.0


_local = threading.local()
M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3  # glibc mallopt parameters


def _keep_freed_memory() -> None:
    """Let glibc keep large freed blocks for the next chunk instead of unmapping them.

    A chunk allocates arrays of tens of MB; glibc maps each afresh and the kernel then
    faults in every page, which cost more than the work on them (measured: grouping a
    chunk took 1.0 s, 0.3 s without). The worker's memory stays at its peak instead
    (~0.9 GB for 7 million readings).
    """
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(M_MMAP_THRESHOLD, 1 << 30)
        libc.mallopt(M_TRIM_THRESHOLD, 1 << 30)
    except (OSError, AttributeError):  # not glibc: nothing to tune
        pass


def _connection(threads: int) -> duckdb.DuckDBPyConnection:
    con = getattr(_local, "con", None)
    if con is None:
        _keep_freed_memory()
        con = duckdb.connect(config={"threads": threads})
        con.execute("SET parquet_metadata_cache = true")  # every chunk opens the same files
        _local.con = con
    return con


def chunk_query(task: ChunkTask) -> str:
    where = []
    if task.low is not None:
        where.append(f"meter_id >= {quote(task.low)}")
    if task.high is not None:
        where.append(f"meter_id < {quote(task.high)}")
    condition = " AND ".join(where) or "meter_id IS NOT NULL"
    return (
        "SELECT meter_id, epoch_us(ts) AS ts_us, flow_m3h::DOUBLE AS flow,"
        " pressure_mpa::DOUBLE AS pressure"
        f" FROM {read_parquet(task.files)}"
        f" WHERE {condition}"
    )


def _runs(keys: np.ndarray) -> np.ndarray:
    """Start index of each run of equal keys."""
    change = np.ones(len(keys), dtype=bool)
    change[1:] = keys[1:] != keys[:-1]
    return np.flatnonzero(change)


def _grouped(table: pa.Table):
    """(codes, ids, ts, flow, pressure, no_time) with each meter's rows together, in time order.

    The rows come as the files hold them (each file sorted by meter, the files in time
    order): a stable sort on the meter's code groups them and keeps their time order; a
    full sort by meter and time is made only when that order turns out to be broken.
    """
    encoded = pc.dictionary_encode(table.column("meter_id")).combine_chunks()
    names = encoded.dictionary.to_pylist()
    ids = sorted(names)  # codes numbered in the meters' order: output comes meter by meter
    rank = np.empty(len(names), dtype=np.int32)
    rank[np.argsort(np.array(names, dtype=object))] = np.arange(len(names), dtype=np.int32)
    codes = rank[encoded.indices.to_numpy(zero_copy_only=False)]
    ts_column = table.column("ts_us")
    no_time = None
    if ts_column.null_count:
        no_time = ts_column.is_null().to_numpy(zero_copy_only=False)
        ts_column = ts_column.fill_null(0)
    ts = ts_column.to_numpy()
    flow = table.column("flow").to_numpy()  # nulls become NaN
    pressure = table.column("pressure").to_numpy()
    order = None
    if len(codes) > 1 and (codes[1:] < codes[:-1]).any():
        order = np.argsort(codes, kind="stable")
        codes, ts = codes[order], ts[order]
    if len(ts) > 1:
        back = ts[1:] < ts[:-1]
        if back.any() and (back & (codes[1:] == codes[:-1])).any():
            again = np.lexsort((ts, codes))
            order = again if order is None else order[again]
            codes, ts = codes[again], ts[again]
    if order is not None:
        flow, pressure = flow[order], pressure[order]
        no_time = None if no_time is None else no_time[order]
    return codes, ids, ts, flow, pressure, no_time


def _checked(table: pa.Table, bad: Counter):
    """(ids, starts, ends, ts, flow, pressure, refused) with the bad rows counted by reason.

    ``refused`` marks the rows to leave out (None when there are none).
    """
    codes, all_ids, ts, flow, pressure, no_time = _grouped(table)
    n = len(ts)
    with np.errstate(invalid="ignore"):
        reasons = [
            ("time", no_time),
            ("neither", np.isnan(flow) & np.isnan(pressure)),
            ("flow_range", (flow < 0) | (flow > MAX_FLOW_M3H)),
            ("pressure_range", (pressure < 0) | (pressure > MAX_PRESSURE_MPA)),
        ]
    refused = np.zeros(n, dtype=bool)
    for reason, mask in reasons:
        if mask is not None and mask.any():
            mask = mask & ~refused
            bad[reason] += int(mask.sum())
            refused |= mask
    # a duplicate: the same meter and time as the previous good reading
    kept = np.flatnonzero(~refused) if refused.any() else None
    k_ts = ts if kept is None else ts[kept]
    k_codes = codes if kept is None else codes[kept]
    if len(k_ts) > 1:
        duplicate = np.zeros(len(k_ts), dtype=bool)
        duplicate[1:] = (k_ts[1:] == k_ts[:-1]) & (k_codes[1:] == k_codes[:-1])
        if duplicate.any():
            bad["duplicate"] += int(duplicate.sum())
            refused[np.flatnonzero(duplicate) if kept is None else kept[duplicate]] = True
    starts = _runs(codes)
    ends = np.append(starts[1:], n) if n else starts
    ids = [all_ids[int(c)] for c in codes[starts]]
    return ids, starts, ends, ts, flow, pressure, (refused if refused.any() else None)


def _series(meter_id, ts, flow, pressure, start: int, end: int, refused) -> Series:
    if refused is not None and refused[start:end].any():
        keep = ~refused[start:end]
        return Series(
            meter_id, ts[start:end][keep], flow[start:end][keep], pressure[start:end][keep]
        )
    return Series(meter_id, ts[start:end], flow[start:end], pressure[start:end])


def detect_chunk(task: ChunkTask) -> ChunkResult:
    started, started_cpu = time.perf_counter(), time.thread_time()
    con = _connection(task.duckdb_threads)
    table = con.sql(chunk_query(task)).to_arrow_table()
    bad: Counter = Counter()
    ids, starts, ends, ts, flow, pressure, refused = _checked(table, bad)
    del table
    read_s, read_cpu_s = time.perf_counter() - started, time.thread_time() - started_cpu
    default = MeterSettings()
    alarms: list[Alarm] = []
    low, high = task.raised_from_us, task.raised_to_us
    meters = 0
    readings = 0
    for meter_id, start, end in zip(ids, starts.tolist(), ends.tolist(), strict=True):
        series = _series(meter_id, ts, flow, pressure, start, end, refused)
        if not len(series):
            continue
        meters += 1
        readings += len(series)
        for finding in detect(series, task.settings.get(meter_id, default)):
            if low is not None and finding.raised_at_us < low:
                continue
            if high is not None and finding.raised_at_us >= high:
                continue
            alarms.append(
                (
                    meter_id,
                    finding.kind,
                    finding.raised_at_us,
                    finding.cleared_at_us,
                    json.dumps(finding.detail, ensure_ascii=False, separators=(",", ":")),
                )
            )
    return ChunkResult(
        alarms=alarms,
        meters=meters,
        readings=readings,
        bad=bad,
        read_s=read_s,
        detect_s=time.perf_counter() - started - read_s,
        read_cpu_s=read_cpu_s,
        detect_cpu_s=time.thread_time() - started_cpu - read_cpu_s,
    )
