"""Files of readings (CSV, Parquet) from the command line or the upload page, read in chunks.

A plain CSV file (no quotes, newlines only) is read by pyarrow; any other one line by line
in Python, with the same answers. Every chunk goes through ``intake.ingest_columns``.
"""

import csv
from collections.abc import Callable
from datetime import datetime
from functools import partial
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from django.utils.translation import gettext as _

from mains.telemetry.ingest import duplicates
from mains.telemetry.ingest.intake import ImportResult, columns_of, ingest_columns, quarantine
from mains.telemetry.models import QuarantinedReading
from mains.telemetry.store.schema import COLUMNS

CHUNK_ROWS = 2_000_000
Progress = Callable[[int], object]


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


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
    result, state = ImportResult(), duplicates.StoreState()

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
    result, state = ImportResult(), duplicates.StoreState()
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
            columns_of(cells),
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
    result, state = ImportResult(), duplicates.StoreState()
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
