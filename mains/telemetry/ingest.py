"""Ingestion of meter readings: every row validated, refused rows quarantined with a reason.

Format (docs/telemetry.md): ``meter_id,ts,flow_m3h,pressure_mpa``, ISO-8601 times with a
zone, either value may be empty but not both. Files (CSV, Parquet), the HTTP batches and
the MQTT subscriber all go through ``ingest_columns`` (checks over whole columns, in
``ingest_fast``) and end with ``after_ingest``, which starts the detectors.
"""

import csv
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from django.utils.translation import gettext as _
from huey.contrib.djhuey import HUEY

from mains.telemetry import ingest_fast as fast
from mains.telemetry import ingest_store as store
from mains.telemetry import tasks
from mains.telemetry.detect.series import from_us
from mains.telemetry.detection import run_detectors
from mains.telemetry.limits import COLUMNS, MAX_FLOW_M3H, MAX_PRESSURE_MPA
from mains.telemetry.models import Meter, QuarantinedReading
from mains.telemetry.storage import write_table

CHUNK_ROWS = 2_000_000
Progress = Callable[[int], object]


@dataclass
class ImportResult:
    stored: int = 0
    quarantined: int = 0
    meter_ids: set[str] = field(default_factory=set)
    first_ts: datetime | None = None
    # (line or item number, reason) of each refused row, in the order of the input.
    refused: list[tuple[int | None, str]] = field(default_factory=list)


def known_meters(state: store.StoreState) -> set[str]:
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
    state: store.StoreState,
) -> None:
    """Check rows given as the four columns; store the good, quarantine the others."""
    meters = fast._strings(columns.column("meter_id").combine_chunks())
    ts_us, ts_status = fast.parse_times(columns.column("ts").combine_chunks())
    flow = fast.parse_values(columns.column("flow_m3h").combine_chunks())
    pressure = fast.parse_values(columns.column("pressure_mpa").combine_chunks())
    reason = fast.first_reasons(
        meters, known_meters(state), ts_status, flow, pressure, MAX_FLOW_M3H, MAX_PRESSURE_MPA
    )
    good = reason == 0
    verdict = store.order_and_duplicates(meters, ts_us, good, state)
    reason[good] = verdict[good]
    good = reason == 0
    if good.any():
        mask = pa.array(good)
        table = store.readings_table(
            meters.filter(mask),
            ts_us[good],
            (flow[0][good], flow[1][good], None),
            (pressure[0][good], pressure[1][good], None),
        )
        write_table(table, ts_us[good])
        state.wrote(np.unique(ts_us[good] // store.DAY_US).tolist())
        result.stored += int(good.sum())
        result.meter_ids.update(pa.compute.unique(table.column("meter_id")).to_pylist())
        first = from_us(ts_us[good].min())
        result.first_ts = first if result.first_ts is None else min(result.first_ts, first)
    bad = np.flatnonzero(~good)
    if len(bad):
        raws = raw_of(bad)
        texts = {code: fast.reason_text(int(code)) for code in np.unique(reason[bad])}
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


# --- files ---------------------------------------------------------------------------


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def _columns_of(cells: list[list[str]]) -> pa.Table:
    return pa.table({name: pa.array(cells[i], pa.string()) for i, name in enumerate(COLUMNS)})


def _lookup(raws: list[str]) -> Callable[[np.ndarray], list[str]]:
    return lambda idx: [raws[i] for i in idx]


# Bytes after which Python's str.splitlines() also breaks a line, and the quote.
ODD_BYTES: tuple[bytes, ...] = (b'"', b"\r", b"\x0b", b"\x0c", b"\x1c", b"\x1d", b"\x1e")
ODD_BYTES += (b"\xc2\x85", b"\xe2\x80\xa8", b"\xe2\x80\xa9")


def _check_header(line: str) -> None:
    if [c.strip() for c in line.split(",")] != COLUMNS:
        raise ValueError(_("The first line must be: %(header)s") % {"header": ",".join(COLUMNS)})


def _plain_csv(body: bytes) -> tuple[pa.Table, np.ndarray, np.ndarray] | None:
    """(table, line starts, line ends) of data lines read by pyarrow, when the file is plain:
    no quotes, no line breaks but newlines, no blank lines, four cells a line, valid UTF-8.
    None otherwise, and the lines are read one by one in Python."""
    if any(odd in body for odd in ODD_BYTES):
        return None
    if body and not body.endswith(b"\n"):
        body += b"\n"
    ends = np.flatnonzero(np.frombuffer(body, np.uint8) == ord("\n"))
    starts = np.concatenate([[0], ends[:-1] + 1]).astype(np.int64)
    if (ends == starts).any():
        return None
    if not len(ends):
        return pa.table({c: pa.array([], pa.string()) for c in COLUMNS}), starts, ends
    try:
        table = pacsv.read_csv(
            pa.BufferReader(body),
            read_options=pacsv.ReadOptions(column_names=COLUMNS),
            parse_options=pacsv.ParseOptions(quote_char=False, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(COLUMNS, pa.string()), strings_can_be_null=False
            ),
        )
    except pa.ArrowInvalid:
        return None
    return (table, starts, ends) if table.num_rows == len(ends) else None


def import_csv(path: Path, source: str, progress: Progress | None = None) -> ImportResult:
    """Rows of a CSV file; the header is checked, data lines are numbered from 2."""
    with open(path, "rb") as handle:
        data = handle.read()
    data = data.removeprefix(b"\xef\xbb\xbf")
    cut = data.find(b"\n")
    if cut < 0 or b"\r" in data[:cut]:
        return _import_csv_lines(data, source, progress)
    _check_header(data[:cut].decode("utf-8"))
    body = data[cut + 1 :]
    plain = _plain_csv(body)
    if plain is None:
        return _import_csv_lines(data, source, progress)
    table, starts, ends = plain
    result, state = ImportResult(), store.StoreState()

    def raw_of(idx: np.ndarray, offset: int = 0) -> list[str]:
        return [body[starts[i] : ends[i]].decode("utf-8") for i in idx + offset]

    for start in range(0, table.num_rows, CHUNK_ROWS):
        chunk = table.slice(start, CHUNK_ROWS)
        numbers = np.arange(start + 2, start + 2 + chunk.num_rows, dtype=np.int64)
        ingest_columns(chunk, numbers, source, partial(raw_of, offset=start), result, state)
        if progress:
            progress(chunk.num_rows)
    return result


def _import_csv_lines(data: bytes, source: str, progress: Progress | None) -> ImportResult:
    """A CSV file line by line: quoted cells, blank lines, rows of the wrong width."""
    lines = data.decode("utf-8").splitlines()
    if not lines:
        raise ValueError(_("The first line must be: %(header)s") % {"header": ",".join(COLUMNS)})
    _check_header(lines[0])
    result, state = ImportResult(), store.StoreState()
    for start in range(1, len(lines), CHUNK_ROWS):
        chunk = lines[start : start + CHUNK_ROWS]
        cells: list[list[str]] = [[], [], [], []]
        numbers: list[int] = []
        raws: list[str] = []
        misshapen: list[QuarantinedReading] = []
        for number, raw in enumerate(chunk, start=start + 1):
            if not raw.strip():
                continue
            row = raw.split(",") if '"' not in raw else next(csv.reader([raw]))
            if len(row) != len(COLUMNS):
                reason = _("expected 4 columns, found %(n)d") % {"n": len(row)}
                misshapen.append(
                    QuarantinedReading(source=source, line_number=number, raw=raw, reason=reason)
                )
                continue
            for column, cell in zip(cells, row, strict=True):
                column.append(cell)
            numbers.append(number)
            raws.append(raw)
        quarantine(misshapen, result)
        ingest_columns(
            _columns_of(cells),
            np.array(numbers, np.int64),
            source,
            _lookup(raws),
            result,
            state,
        )
        if progress:
            progress(len(chunk))
    return result


def import_parquet(path: Path, source: str, progress: Progress | None = None) -> ImportResult:
    """Rows of a Parquet file with the four columns, numbered from 1."""
    parquet = pq.ParquetFile(path)
    missing = [name for name in COLUMNS if name not in parquet.schema_arrow.names]
    if missing:
        raise ValueError(_("Missing columns: %(columns)s") % {"columns": ", ".join(missing)})
    result, state = ImportResult(), store.StoreState()
    offset = 0
    for batch in parquet.iter_batches(batch_size=CHUNK_ROWS, columns=COLUMNS):
        table = pa.Table.from_batches([batch])

        def raw_of(idx: np.ndarray, table=table) -> list[str]:
            rows = table.take(pa.array(idx)).to_pylist()
            return [",".join(_cell(row[name]) for name in COLUMNS) for row in rows]

        numbers = np.arange(offset + 1, offset + len(table) + 1, dtype=np.int64)
        ingest_columns(table, numbers, source, raw_of, result, state)
        offset += len(table)
        if progress:
            progress(len(table))
    return result


def row_count(path: Path) -> int:
    """Rows in the file, for a progress bar (lines after the header for CSV)."""
    if path.suffix.lower() == ".parquet":
        return pq.ParquetFile(path).metadata.num_rows
    with open(path, "rb") as handle:
        return max(sum(1 for _line in handle) - 1, 0)


def import_file(path: Path, source: str, progress: Progress | None = None) -> ImportResult:
    """A CSV or (by its suffix) Parquet file; ValueError or OSError if it cannot be read."""
    if path.suffix.lower() == ".parquet":
        return import_parquet(path, source, progress)
    return import_csv(path, source, progress)


# --- records (HTTP batches, MQTT) ------------------------------------------------------


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
    records: list[Record], result: ImportResult, state: store.StoreState | None = None
) -> ImportResult:
    """Check and store readings given one by one (each with its own source and raw text)."""
    if not records:
        return result
    columns = _columns_of([[r.cells[i] for r in records] for i in range(len(COLUMNS))])
    numbers = np.array([-1 if r.number is None else r.number for r in records], np.int64)
    ingest_columns(
        columns,
        numbers,
        [r.source for r in records],
        lambda idx: [records[i].raw for i in idx],
        result,
        state or store.StoreState(),
    )
    return result


# --- afterwards ------------------------------------------------------------------------


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
