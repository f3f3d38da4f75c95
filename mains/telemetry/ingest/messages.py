"""Readings given one by one, each with its own source and raw text (HTTP batches, MQTT)."""

import json
from dataclasses import dataclass

import numpy as np

from mains.telemetry.ingest import duplicates
from mains.telemetry.ingest.intake import ImportResult, columns_of, ingest_columns
from mains.telemetry.store.schema import COLUMNS


def cell_text(value) -> str:
    """A JSON value as the text of a CSV cell, so it is checked like one."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool | int | float):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


@dataclass
class Record:
    """One reading from a message or request, before it is checked."""

    source: str
    number: int | None
    raw: str
    cells: list[str]  # meter_id, ts, flow_m3h, pressure_mpa as text


def import_records(
    records: list[Record], result: ImportResult, state: duplicates.StoreState | None = None
) -> ImportResult:
    """Check and store readings given one by one (each with its own source and raw text)."""
    if not records:
        return result
    columns = columns_of([[r.cells[i] for r in records] for i in range(len(COLUMNS))])
    numbers = np.array([-1 if r.number is None else r.number for r in records], np.int64)
    ingest_columns(
        columns,
        numbers,
        [r.source for r in records],
        lambda idx: [records[i].raw for i in idx],
        result,
        state or duplicates.StoreState(),
    )
    return result
