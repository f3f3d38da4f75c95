"""The intake every reading goes through: checked, stored or quarantined, then detected on.

Format (docs/telemetry.md): ``meter_id,ts,flow_m3h,pressure_mpa``, ISO-8601 times with a
zone, either value may be empty but not both. Files (``files``: CSV, Parquet), the HTTP
batches and the MQTT subscriber (``messages``) all go through ``ingest_columns`` (checks
over whole columns, in ``cell_checks``; duplicates and order in ``duplicates``) and end
with ``after_ingest``, which starts the detectors.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import pyarrow as pa
from huey.contrib.djhuey import HUEY

from mains.telemetry import tasks
from mains.telemetry.alarms.live_detection import run_detectors
from mains.telemetry.detect.series import from_us
from mains.telemetry.ingest import cell_checks, duplicates
from mains.telemetry.models import Meter, QuarantinedReading
from mains.telemetry.store.days import write_table
from mains.telemetry.store.schema import COLUMNS, MAX_FLOW_M3H, MAX_PRESSURE_MPA, readings_table


@dataclass
class ImportResult:
    stored: int = 0
    quarantined: int = 0
    meter_ids: set[str] = field(default_factory=set)
    first_ts: datetime | None = None
    # (line or item number, reason) of each refused row, in the order of the input.
    refused: list[tuple[int | None, str]] = field(default_factory=list)


def known_meters(state: duplicates.StoreState) -> set[str]:
    """The codes of the active meters, asked once per import (``state.forget`` asks again)."""
    if state.known is None:
        state.known = set(Meter.objects.filter(active=True).values_list("code", flat=True))
    return state.known


def ingest_columns(
    columns: pa.Table,
    lines: np.ndarray,
    sources: str | list[str],
    raw_of: Callable[[np.ndarray], list[str]],
    result: ImportResult,
    state: duplicates.StoreState,
) -> None:
    """Check rows given as the four columns; store the good, quarantine the others."""
    meters = cell_checks._strings(columns.column("meter_id").combine_chunks())
    ts_us, ts_status = cell_checks.parse_times(columns.column("ts").combine_chunks())
    flow = cell_checks.parse_values(columns.column("flow_m3h").combine_chunks())
    pressure = cell_checks.parse_values(columns.column("pressure_mpa").combine_chunks())
    reason = cell_checks.first_reasons(
        meters, known_meters(state), ts_status, flow, pressure, MAX_FLOW_M3H, MAX_PRESSURE_MPA
    )
    good = reason == 0
    verdict = duplicates.order_and_duplicates(meters, ts_us, good, state)
    reason[good] = verdict[good]
    good = reason == 0
    if good.any():
        mask = pa.array(good)
        table = readings_table(
            meters.filter(mask),
            ts_us[good],
            flow[0][good],
            pressure[0][good],
            flow_empty=flow[1][good],
            pressure_empty=pressure[1][good],
        )
        write_table(table, ts_us[good])
        state.wrote(np.unique(ts_us[good] // duplicates.DAY_US).tolist())
        result.stored += int(good.sum())
        result.meter_ids.update(pa.compute.unique(table.column("meter_id")).to_pylist())
        first = from_us(ts_us[good].min())
        result.first_ts = first if result.first_ts is None else min(result.first_ts, first)
    bad = np.flatnonzero(~good)
    if len(bad):
        raws = raw_of(bad)
        texts = {code: cell_checks.reason_text(int(code)) for code in np.unique(reason[bad])}
        rows = [
            QuarantinedReading(
                source=sources if isinstance(sources, str) else sources[i],
                line_number=None if lines[i] < 0 else int(lines[i]),
                raw=raw,
                reason=texts[reason[i]],
            )
            for i, raw in zip(bad, raws, strict=True)
        ]
        quarantine(rows, result)


def quarantine(rows: list[QuarantinedReading], result: ImportResult) -> None:
    for row in rows:  # PostgreSQL keeps no NUL in text; the source column has a limit.
        row.raw = row.raw.replace("\x00", "\ufffd")
        row.source = row.source.replace("\x00", "\ufffd")[:255]
    QuarantinedReading.objects.bulk_create(rows, batch_size=1000)
    result.quarantined += len(rows)
    result.refused.extend((q.line_number, q.reason) for q in rows)


def columns_of(cells: list[list[str]]) -> pa.Table:
    """Cells given as text, one list per column of the reading format, as a table."""
    return pa.table({name: pa.array(cells[i], pa.string()) for i, name in enumerate(COLUMNS)})


def after_ingest(result: ImportResult) -> list | None:
    """Start the detectors over the meters that got readings.

    Runs them here (and answers the alarms raised) when jobs run immediately (tests,
    ``HUEY_IMMEDIATE``); otherwise queues ``tasks.detect_after_ingest`` and answers None.
    """
    if not result.stored or result.first_ts is None:
        return []
    meters = sorted(result.meter_ids)
    if not HUEY.immediate:
        tasks.detect_after_ingest(meters, result.first_ts.isoformat())
        return None
    return run_detectors(meters, since=result.first_ts)
