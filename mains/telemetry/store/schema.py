"""A reading: its columns, their types in Arrow and in DuckDB, and the limits of a plausible one.

The one definition that ingestion, the store, live detection and the back-test share
(docs/telemetry.md). Without Django, so the back-test's workers use it as they are.
Times are UTC; flows in m³/h, pressures in MPa, either may be null.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

COLUMNS = ["meter_id", "ts", "flow_m3h", "pressure_mpa"]
TIMESTAMP = pa.timestamp("us", tz="UTC")
SCHEMA = pa.schema(
    [
        ("meter_id", pa.string()),
        ("ts", TIMESTAMP),
        ("flow_m3h", pa.float64()),
        ("pressure_mpa", pa.float64()),
    ]
)
# How DuckDB names the types of SCHEMA (a Parquet file written with it reads back so).
DUCKDB_TYPES = {
    "meter_id": "VARCHAR",
    "ts": "TIMESTAMP WITH TIME ZONE",
    "flow_m3h": "DOUBLE",
    "pressure_mpa": "DOUBLE",
}
MAX_FLOW_M3H = 100_000.0
MAX_PRESSURE_MPA = 2.0


@dataclass(frozen=True)
class Reading:
    meter_id: str
    ts: datetime  # aware, UTC
    flow_m3h: float | None
    pressure_mpa: float | None


def readings_table(
    meters: pa.Array | Sequence[str],
    ts_us: np.ndarray,
    flow: np.ndarray | Sequence[float | None],
    pressure: np.ndarray | Sequence[float | None],
    flow_empty: np.ndarray | None = None,
    pressure_empty: np.ndarray | None = None,
) -> pa.Table:
    """Readings as a table of ``SCHEMA``: times in UTC epoch µs, values masked where empty
    (or None in a list)."""
    return pa.table(
        {
            "meter_id": pc.cast(meters, pa.string()) if isinstance(meters, pa.Array) else meters,
            "ts": pa.array(ts_us, pa.int64()).cast(TIMESTAMP),
            "flow_m3h": pa.array(flow, pa.float64(), mask=flow_empty),
            "pressure_mpa": pa.array(pressure, pa.float64(), mask=pressure_empty),
        },
        schema=SCHEMA,
    )


def quote(text: str) -> str:
    """A string as a DuckDB literal."""
    return "'" + text.replace("'", "''") + "'"


def sql_list(paths: Sequence[str | Path]) -> str:
    """Paths as a DuckDB list literal, for ``read_parquet``."""
    return "[" + ", ".join(quote(str(p)) for p in paths) + "]"


def read_parquet(paths: Sequence[str | Path], hive: bool = False) -> str:
    """The DuckDB relation of readings in these Parquet files."""
    return f"read_parquet({sql_list(paths)}, hive_partitioning = {'true' if hive else 'false'})"
