"""Synthetic 15-minute telemetry for the back-test: daily pattern, noise, gaps and bursts.

Written the way mains stores readings (docs/telemetry.md): ``day=YYYY-MM-DD/part-0.parquet``
with the columns ``meter_id, ts (timestamp UTC), flow_m3h, pressure_mpa``, each day's file
sorted by ``meter_id`` then ``ts`` with row groups of ``meters_per_group`` meters, so a
reader can skip to a range of meters.
"""

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from mains.telemetry.store.schema import SCHEMA  # the columns mains stores

READINGS_PER_DAY = 96  # every 15 minutes
STEP_US = 15 * 60 * 1_000_000


@dataclass(frozen=True)
class Burst:
    meter_id: str
    start_us: int
    readings: int
    extra_flow_m3h: float
    pressure_drop_mpa: float


def meter_ids(meters: int) -> list[str]:
    return [f"M{i:05d}" for i in range(1, meters + 1)]


def daily_shape(local_hour: np.ndarray) -> np.ndarray:
    """Relative demand over a day: low at night, peaks in the morning and evening."""
    morning = np.exp(-(((local_hour - 7.5) / 1.5) ** 2))
    evening = np.exp(-(((local_hour - 19.5) / 2.0) ** 2))
    return 0.35 + 0.75 * morning + 0.9 * evening + 0.25 * ((local_hour > 9) & (local_hour < 17))


def generate(
    folder: Path,
    meters: int,
    days: int,
    start: datetime = datetime(2025, 1, 1, tzinfo=UTC),
    seed: int = 4,
    burst_share: float = 0.2,
    meters_per_group: int = 200,
) -> list[Burst]:
    """Write ``days`` day files for ``meters`` meters into ``folder``; return the bursts."""
    rng = np.random.default_rng(seed)
    ids = np.array(meter_ids(meters), dtype=object)
    base = rng.lognormal(np.log(30.0), 0.6, meters)
    head = rng.uniform(0.28, 0.40, meters)
    total = days * READINGS_PER_DAY
    start_us = int((start - datetime(1970, 1, 1, tzinfo=UTC)) / timedelta(microseconds=1))
    bursts: list[Burst] = []
    burst_at = np.full(meters, -1, dtype=np.int64)
    burst_len = np.zeros(meters, dtype=np.int64)
    burst_flow = np.zeros(meters)
    burst_drop = np.zeros(meters)
    earliest = 10 * READINGS_PER_DAY  # after a baseline of ten days
    if total > earliest + READINGS_PER_DAY:
        for m in np.flatnonzero(rng.random(meters) < burst_share):
            burst_at[m] = rng.integers(earliest, total - READINGS_PER_DAY)
            burst_len[m] = rng.integers(16, 4 * READINGS_PER_DAY)
            burst_flow[m] = base[m] * rng.uniform(0.6, 1.5)
            burst_drop[m] = rng.uniform(0.07, 0.12)
            bursts.append(
                Burst(
                    str(ids[m]),
                    start_us + int(burst_at[m]) * STEP_US,
                    int(burst_len[m]),
                    round(float(burst_flow[m]), 3),
                    round(float(burst_drop[m]), 4),
                )
            )
    id_column = pa.array(np.repeat(ids, READINGS_PER_DAY), pa.string())
    for day in range(days):
        index = day * READINGS_PER_DAY + np.arange(READINGS_PER_DAY)
        ts = start_us + index * STEP_US
        local_hour = ((ts // 1_000_000 + 8 * 3600) % 86_400) / 3600.0
        weekday = 1.0 - 0.08 * (((ts // 86_400_000_000) + 3) % 7 >= 5)
        shape = daily_shape(local_hour) * weekday
        flow = base[:, None] * shape[None, :] * rng.normal(1.0, 0.05, (meters, len(index)))
        pressure = head[:, None] - 0.03 * shape[None, :] + rng.normal(0, 0.004, flow.shape)
        offset = index[None, :] - burst_at[:, None]
        on = (burst_at[:, None] >= 0) & (offset >= 0) & (offset < burst_len[:, None])
        flow += on * burst_flow[:, None]
        pressure -= on * burst_drop[:, None]
        flow[rng.random(flow.shape) < 0.001] = np.nan
        pressure[rng.random(flow.shape) < 0.001] = np.nan
        table = pa.table(
            [
                id_column,
                pa.array(np.tile(ts, meters), pa.timestamp("us", tz="UTC")),
                pa.array(np.round(flow, 3).ravel(), from_pandas=True),
                pa.array(np.round(pressure, 4).ravel(), from_pandas=True),
            ],
            schema=SCHEMA,
        )
        name = (start + timedelta(days=day)).date().isoformat()
        (folder / f"day={name}").mkdir(parents=True, exist_ok=True)
        pq.write_table(
            table,
            folder / f"day={name}" / "part-0.parquet",
            row_group_size=meters_per_group * READINGS_PER_DAY,
        )
    (folder / "bursts.json").write_text(json.dumps([b.__dict__ for b in bursts]))
    return bursts


def rewrite_as_compacted(source: Path, target: Path, row_group_rows: int) -> None:
    """The same days as mains' compaction writes them: sorted, zstd, row groups of a size."""
    import duckdb

    con = duckdb.connect()
    for day in sorted(source.glob("day=*")):
        (target / day.name).mkdir(parents=True, exist_ok=True)
        con.execute(
            f"COPY (SELECT * FROM read_parquet('{day}/*.parquet', hive_partitioning = false)"
            f" ORDER BY meter_id, ts) TO '{target / day.name / 'part-0.parquet'}'"
            f" (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE {row_group_rows})"
        )
    (target / "bursts.json").write_text((source / "bursts.json").read_text())
