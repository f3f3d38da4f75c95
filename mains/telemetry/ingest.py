"""Ingestion of meter readings from CSV: every row validated, refused rows quarantined.

Format (docs/telemetry.md): ``meter_id,ts,flow_m3h,pressure_mpa`` with a header line,
ISO-8601 times with a zone, either value may be empty but not both.
"""

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyarrow.parquet as pq
from django.utils.translation import gettext as _

from mains.telemetry.models import Meter, QuarantinedReading
from mains.telemetry.storage import Reading, latest_timestamps, stored_keys, write_readings

COLUMNS = ["meter_id", "ts", "flow_m3h", "pressure_mpa"]
MAX_FLOW_M3H = 100_000.0
MAX_PRESSURE_MPA = 2.0


class RowError(ValueError):
    pass


@dataclass
class ImportResult:
    stored: list[Reading] = field(default_factory=list)
    quarantined: int = 0

    @property
    def meter_ids(self) -> list[str]:
        return sorted({r.meter_id for r in self.stored})


def _value(text: str, name: str) -> float | None:
    text = text.strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise RowError(_("%(name)s is not a number") % {"name": name}) from None
    if value != value or value in (float("inf"), float("-inf")):
        raise RowError(_("%(name)s is not a number") % {"name": name})
    return value


def parse_row(cells: list[str], known_meters: set[str]) -> Reading:
    """One CSV row as a Reading, or RowError with the reason."""
    if len(cells) != len(COLUMNS):
        raise RowError(_("expected 4 columns, found %(n)d") % {"n": len(cells)})
    meter_id, ts_text, flow_text, pressure_text = (c.strip() for c in cells)
    if meter_id not in known_meters:
        raise RowError(_("unknown meter"))
    try:
        ts = datetime.fromisoformat(ts_text)
    except ValueError:
        raise RowError(_("unparsable time")) from None
    if ts.tzinfo is None:
        raise RowError(_("time without a zone"))
    flow = _value(flow_text, "flow_m3h")
    pressure = _value(pressure_text, "pressure_mpa")
    if flow is None and pressure is None:
        raise RowError(_("neither flow nor pressure"))
    if flow is not None and not 0 <= flow <= MAX_FLOW_M3H:
        raise RowError(_("impossible flow"))
    if pressure is not None and not 0 <= pressure <= MAX_PRESSURE_MPA:
        raise RowError(_("impossible pressure"))
    return Reading(meter_id, ts.astimezone(UTC), flow, pressure)


def read_csv(path: Path) -> Iterator[tuple[int, str, list[str]]]:
    """(line number, raw line, cells) of each data line; the header is checked and skipped."""
    with open(path, newline="", encoding="utf-8-sig") as handle:
        lines = handle.read().splitlines()
    if not lines or [c.strip() for c in lines[0].split(",")] != COLUMNS:
        raise ValueError(_("The first line must be: %(header)s") % {"header": ",".join(COLUMNS)})
    for number, raw in enumerate(lines[1:], start=2):
        if raw.strip():
            yield number, raw, next(csv.reader([raw]))


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def read_parquet_rows(path: Path) -> Iterator[tuple[int, str, list[str]]]:
    """(row number, row as CSV text, cells) of a Parquet file with the four columns.

    ``ts`` may be a timestamp with a zone or ISO-8601 text; a timestamp without a zone is
    refused row by row, like a zone-less time in a CSV file. Rows are numbered from 1.
    """
    schema = pq.read_schema(path)
    missing = [name for name in COLUMNS if name not in schema.names]
    if missing:
        raise ValueError(_("Missing columns: %(columns)s") % {"columns": ", ".join(missing)})
    table = pq.read_table(path, columns=COLUMNS)
    for number, row in enumerate(table.to_pylist(), start=1):
        cells = [_cell(row[name]) for name in COLUMNS]
        yield number, ",".join(cells), cells


def read_any(path: Path) -> Iterator[tuple[int, str, list[str]]]:
    """Rows of a CSV or (by its suffix) Parquet file."""
    if path.suffix.lower() == ".parquet":
        return read_parquet_rows(path)
    return read_csv(path)


def import_rows(rows: Iterable[tuple[int, str, list[str]]], source: str) -> ImportResult:
    """Validate rows, store the good ones, quarantine the others with their reasons."""
    known = set(Meter.objects.filter(active=True).values_list("code", flat=True))
    parsed: list[tuple[int, str, Reading]] = []
    refused: list[QuarantinedReading] = []

    def refuse(number: int, raw: str, reason: str) -> None:
        refused.append(
            QuarantinedReading(source=source, line_number=number, raw=raw, reason=reason)
        )

    for number, raw, cells in rows:
        try:
            parsed.append((number, raw, parse_row(cells, known)))
        except RowError as error:
            refuse(number, raw, str(error))
    meters = sorted({r.meter_id for _n, _raw, r in parsed})
    last = latest_timestamps(meters)
    existing: set[tuple[str, datetime]] = set()
    if parsed:
        times = [r.ts for _n, _raw, r in parsed]
        existing = stored_keys(meters, min(times), max(times) + timedelta(microseconds=1))
    result = ImportResult()
    seen: set[tuple[str, datetime]] = set()
    for number, raw, reading in parsed:
        key = (reading.meter_id, reading.ts)
        if key in seen or key in existing:
            refuse(number, raw, _("duplicate reading"))
        elif reading.meter_id in last and reading.ts < last[reading.meter_id]:
            refuse(number, raw, _("out of order"))
        else:
            seen.add(key)
            last[reading.meter_id] = reading.ts
            result.stored.append(reading)
    write_readings(result.stored)
    QuarantinedReading.objects.bulk_create(refused, batch_size=500)
    result.quarantined = len(refused)
    return result
