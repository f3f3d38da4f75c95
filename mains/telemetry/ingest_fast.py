"""The checks of ingestion over whole columns: pyarrow, numpy and DuckDB instead of a row loop.

The rules and reasons are those of one row at a time (docs/telemetry.md), in the same order:
a cell that the fast path does not recognise (an unusual ISO-8601 form, "1_000") is handed
to the row-by-row parser of ``ingest_rows``, so every path answers exactly alike.

Duplicates and order are decided per meter in file order: a reading is stored when it is
later than the meter's last stored or accepted reading; otherwise it is a duplicate when the
same (meter, time) was accepted before or is already stored, else it is out of order. The
stored side is read with DuckDB from the day partitions the suspects fall on, never the
whole store.
"""

import os
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from django.utils.translation import gettext as _

from mains.telemetry.storage import SCHEMA, publish, readers_lock, telemetry_dir

DAY_US = 86_400_000_000
NO_TIME = np.iinfo(np.int64).min
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
ISO = (
    r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?P<frac>\.\d{1,6})?"
    r"(?P<tz>Z|[+-]\d{2}:\d{2})?$"
)
NUMBER = r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"

# Reasons in the order a row is checked; 0 is a good row.
(OK, UNKNOWN, UNPARSABLE, NO_ZONE, FLOW_NAN, PRESSURE_NAN, NEITHER, BAD_FLOW, BAD_PRESSURE) = range(
    9
)
DUPLICATE, OUT_OF_ORDER = 9, 10


class RowError(ValueError):
    def __init__(self, code: int):
        super().__init__(reason_text(code))
        self.code = code


def parse_time(text: str) -> datetime:
    """One ISO-8601 time with a zone, as Python reads it; RowError otherwise."""
    try:
        ts = datetime.fromisoformat(text.strip())
    except ValueError:
        raise RowError(UNPARSABLE) from None
    if ts.tzinfo is None:
        raise RowError(NO_ZONE)
    try:
        return ts.astimezone(UTC)
    except OverflowError:
        raise RowError(UNPARSABLE) from None


def parse_number(text: str) -> float | None:
    """A finite number as Python reads it, or None."""
    try:
        value = float(text)
    except ValueError:
        return None
    return value if np.isfinite(value) else None


def reason_text(code: int) -> str:
    return {
        UNKNOWN: _("unknown meter"),
        UNPARSABLE: _("unparsable time"),
        NO_ZONE: _("time without a zone"),
        FLOW_NAN: _("%(name)s is not a number") % {"name": "flow_m3h"},
        PRESSURE_NAN: _("%(name)s is not a number") % {"name": "pressure_mpa"},
        NEITHER: _("neither flow nor pressure"),
        BAD_FLOW: _("impossible flow"),
        BAD_PRESSURE: _("impossible pressure"),
        DUPLICATE: _("duplicate reading"),
        OUT_OF_ORDER: _("out of order"),
    }[code]


def _strings(array: pa.Array) -> pa.Array:
    if not pa.types.is_string(array.type) and not pa.types.is_large_string(array.type):
        try:
            array = pc.cast(array, pa.string())
        except pa.ArrowException:
            array = pa.array([None if v is None else str(v) for v in array.to_pylist()])
    return pc.utf8_trim_whitespace(array)


def _ints(array: pa.Array, start: int, stop: int) -> np.ndarray:
    part = pc.utf8_slice_codeunits(array, start, stop)
    return pc.cast(part, pa.int64()).to_numpy(zero_copy_only=False)


def _days_from_civil(y: np.ndarray, m: np.ndarray, d: np.ndarray) -> np.ndarray:
    y = y - (m <= 2)
    era = y // 400
    yoe = y - era * 400
    doy = (153 * np.where(m > 2, m - 3, m + 9) + 2) // 5 + d - 1
    return era * 146097 + yoe * 365 + yoe // 4 - yoe // 100 + doy - 719468


def _iso_strings(text: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(UTC microseconds, status) of ISO-8601 text; status 0, UNPARSABLE or NO_ZONE."""
    n = len(text)
    us = np.zeros(n, np.int64)
    status = np.full(n, UNPARSABLE, np.int8)
    parts = pc.extract_regex(pc.fill_null(text, ""), pattern=ISO)
    fast = np.flatnonzero(parts.is_valid().to_numpy(zero_copy_only=False))
    slow = np.flatnonzero(~parts.is_valid().to_numpy(zero_copy_only=False))
    if len(fast):
        t = text.take(pa.array(fast))
        got = parts.take(pa.array(fast))
        y, mo, d = _ints(t, 0, 4), _ints(t, 5, 7), _ints(t, 8, 10)
        h, mi, s = _ints(t, 11, 13), _ints(t, 14, 16), _ints(t, 17, 19)
        frac = got.field("frac")
        frac_us = pc.cast(
            pc.utf8_rpad(pc.utf8_slice_codeunits(frac, 1, 7), width=6, padding="0"), pa.int64()
        ).to_numpy(zero_copy_only=False)
        zone = got.field("tz")
        has_zone = pc.not_equal(zone, "").to_numpy(zero_copy_only=False)
        utc = pc.equal(zone, "Z").to_numpy(zero_copy_only=False)
        offset = pc.if_else(pc.greater(pc.utf8_length(zone), 1), zone, "+00:00")
        sign = np.where(pc.starts_with(offset, "-").to_numpy(zero_copy_only=False), -1, 1)
        oh, om = _ints(offset, 1, 3), _ints(offset, 4, 6)
        leap = (y % 4 == 0) & ((y % 100 != 0) | (y % 400 == 0))
        month_days = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
        dim = month_days[np.clip(mo, 0, 12)] + ((mo == 2) & leap)
        sane = (
            (y >= 2)
            & (y <= 9998)
            & (mo >= 1)
            & (mo <= 12)
            & (d >= 1)
            & (d <= dim)
            & (h <= 23)
            & (mi <= 59)
            & (s <= 59)
            & (utc | ~has_zone | ((oh <= 23) & (om <= 59)))
        )
        days = _days_from_civil(y, mo, d)
        local = ((days * 24 + h) * 60 + mi) * 60 + s
        shift = np.where(utc | ~has_zone, 0, sign * (oh * 3600 + om * 60))
        us[fast] = (local - shift) * 1_000_000 + frac_us
        status[fast] = np.where(has_zone, OK, NO_ZONE)
        slow = np.concatenate([slow, fast[~sane]])
    for i, value in zip(slow, text.take(pa.array(slow, pa.int64())).to_pylist(), strict=True):
        try:
            ts = parse_time(value or "")
        except RowError as error:
            status[i] = error.code
        else:
            us[i] = (ts - EPOCH) // timedelta(microseconds=1)
            status[i] = OK
    return us, status


def parse_times(array: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(UTC microseconds, status) of a ``ts`` column of any type."""
    kind = array.type
    if pa.types.is_timestamp(kind):
        valid = array.is_valid().to_numpy(zero_copy_only=False)
        if kind.tz is None:
            return np.zeros(len(array), np.int64), np.where(valid, NO_ZONE, UNPARSABLE).astype(
                np.int8
            )
        us = pc.cast(array, pa.timestamp("us", tz="UTC"), safe=False)
        values = pc.fill_null(pc.cast(us, pa.int64()), 0).to_numpy(zero_copy_only=False)
        return values, np.where(valid, OK, UNPARSABLE).astype(np.int8)
    return _iso_strings(_strings(array))


def parse_values(array: pa.Array) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(values, empty, not a number) of a flow or pressure column of any type."""
    n = len(array)
    if pa.types.is_integer(array.type) or pa.types.is_floating(array.type):
        values = pc.cast(array, pa.float64()).to_numpy(zero_copy_only=False)
        empty = array.is_null().to_numpy(zero_copy_only=False)
        bad = ~empty & ~np.isfinite(values)
        return values, empty, bad
    text = _strings(array)
    text = pc.fill_null(text, "")
    empty = pc.equal(text, "").to_numpy(zero_copy_only=False)
    simple = pc.match_substring_regex(text, NUMBER).to_numpy(zero_copy_only=False)
    values = np.full(n, np.nan)
    if simple.any():
        idx = np.flatnonzero(simple)
        values[idx] = pc.cast(text.take(pa.array(idx)), pa.float64()).to_numpy()
    bad = np.zeros(n, bool)
    slow = np.flatnonzero(~simple & ~empty)
    for i, value in zip(slow, text.take(pa.array(slow, pa.int64())).to_pylist(), strict=True):
        number = parse_number(value)
        if number is None:
            bad[i] = True
        else:
            values[i] = number
    bad |= ~empty & ~np.isfinite(values)
    return values, empty, bad


def first_reasons(
    meters: pa.Array, known: set[str], ts_status: np.ndarray, flow, pressure, max_flow, max_p
) -> np.ndarray:
    """The reason code of each row from its own cells (0 when it is good so far)."""
    reason = np.zeros(len(meters), np.int8)

    def mark(code: int, bad: np.ndarray) -> None:
        reason[(reason == 0) & bad] = code

    known_set = pa.array(sorted(known), pa.string())
    is_known = pc.fill_null(pc.is_in(meters, value_set=known_set), False)
    mark(UNKNOWN, ~is_known.to_numpy(zero_copy_only=False))
    mark(UNPARSABLE, ts_status == UNPARSABLE)
    mark(NO_ZONE, ts_status == NO_ZONE)
    (fv, fe, fb), (pv, pe, pb) = flow, pressure
    mark(FLOW_NAN, fb)
    mark(PRESSURE_NAN, pb)
    mark(NEITHER, fe & pe)
    with np.errstate(invalid="ignore"):
        mark(BAD_FLOW, ~fe & ~((fv >= 0) & (fv <= max_flow)))
        mark(BAD_PRESSURE, ~pe & ~((pv >= 0) & (pv <= max_p)))
    return reason


def _files(days: Sequence[int]) -> list[str]:
    root = telemetry_dir()
    found: list[str] = []
    for day in days:
        folder = root / f"day={(EPOCH + timedelta(days=int(day))).date().isoformat()}"
        if folder.is_dir():
            found.extend(str(p) for p in sorted(folder.glob("*.parquet")))
    return found


def _source(files: list[str]) -> str:
    quoted = ", ".join("'" + f.replace("'", "''") + "'" for f in files)
    return f"read_parquet([{quoted}])"


@dataclass
class StoreState:
    """What the store knows of the meters being imported: their last reading time.

    Kept across the chunks of one import (and the flushes of the MQTT subscriber), updated
    with what is written, so the store is asked once per meter.
    """

    last_us: dict[str, int] = field(default_factory=dict)

    def forget(self) -> None:
        self.last_us.clear()

    def last_for(self, meters: list[str]) -> np.ndarray:
        missing = [m for m in meters if m not in self.last_us]
        if missing:
            self.last_us.update(latest_stored(missing))
        return np.array([self.last_us[m] for m in meters], np.int64)


def _day_folders() -> list[int]:
    days = []
    root = telemetry_dir()
    if root.is_dir():
        for entry in os.scandir(root):
            if entry.name.startswith("day=") and entry.is_dir():
                try:
                    day = datetime.fromisoformat(entry.name[4:]).replace(tzinfo=UTC)
                except ValueError:
                    continue
                days.append((day - EPOCH).days)
    return sorted(days, reverse=True)


def latest_stored(meters: list[str]) -> dict[str, int]:
    """The last stored reading time (UTC µs) of each meter, NO_TIME when it has none.

    Reads day partitions from the newest backwards (1, then 7, then 30 days, then the rest)
    and stops as soon as every meter is found: a live meter costs one day's files.
    """
    found = dict.fromkeys(meters, NO_TIME)
    pending = set(meters)
    days = _day_folders()
    start = 0
    for size in (1, 7, 30, len(days)):
        chunk = days[start : start + size]
        start += size
        if not pending or not chunk:
            break
        with readers_lock(), duckdb.connect() as con:
            files = _files(chunk)
            if not files:
                continue
            con.register("wanted", pa.table({"meter_id": sorted(pending)}))
            rows = con.execute(
                f"SELECT meter_id, max(epoch_us(ts)) FROM {_source(files)}"
                " WHERE meter_id IN (SELECT meter_id FROM wanted) GROUP BY meter_id"
            ).fetchall()
        for meter, us in rows:
            found[meter] = us
            pending.discard(meter)
    return found


def order_and_duplicates(
    meters: pa.Array, ts_us: np.ndarray, good: np.ndarray, state: StoreState
) -> np.ndarray:
    """For the rows still good: 0 to store, DUPLICATE or OUT_OF_ORDER (file order per meter)."""
    verdict = np.zeros(len(ts_us), np.int8)
    rows = np.flatnonzero(good)
    if not len(rows):
        return verdict
    encoded = pc.dictionary_encode(meters.take(pa.array(rows)))
    codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    names = encoded.dictionary.to_pylist()
    stored_last = state.last_for(names)
    t = ts_us[rows]
    # Per meter, in file order: the latest time before each row (grouped, no sorting).
    running = pd.Series(t).groupby(codes, sort=False).cummax()
    before = running.groupby(codes, sort=False).shift(1, fill_value=NO_TIME).to_numpy()
    threshold = np.maximum(before, stored_last[codes])
    accept = t > threshold
    found = np.where(accept, OK, OUT_OF_ORDER).astype(np.int8)
    found[~accept & (t == threshold)] = DUPLICATE
    suspects = np.flatnonzero(~accept & (t < threshold))
    if len(suspects):
        dup = _known_keys(codes[suspects], t[suspects], codes[accept], t[accept], names)
        found[suspects[dup]] = DUPLICATE
    verdict[rows] = found
    # What is stored now is the meters' last reading.
    for code, last in zip(*_group_max(codes[accept], t[accept]), strict=True):
        state.last_us[names[code]] = max(int(last), state.last_us.get(names[code], NO_TIME))
    return verdict


def _group_max(g: np.ndarray, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if not len(g):
        return g, t
    frame = pd.DataFrame({"g": g, "t": t}).groupby("g")["t"].max()
    return frame.index.to_numpy(), frame.to_numpy()


def _known_keys(g, t, acc_g, acc_t, names: list[str]) -> np.ndarray:
    """Which suspect (meter, time) pairs were accepted earlier in this batch or are stored."""
    suspects = pa.table({"i": np.arange(len(g)), "g": g, "t": t})
    accepted = pa.table({"g": acc_g, "t": acc_t})
    dup = np.zeros(len(g), bool)
    with readers_lock(), duckdb.connect() as con:
        con.register("suspects", suspects)
        con.register("accepted", accepted)
        hits = con.execute(
            "SELECT s.i FROM suspects s SEMI JOIN accepted a ON a.g = s.g AND a.t = s.t"
        ).fetchnumpy()["i"]
        dup[hits] = True
        files = _files(np.unique(t // DAY_US).tolist())
        if files:
            con.register("names", pa.table({"g": np.arange(len(names)), "meter_id": names}))
            hits = con.execute(
                "SELECT s.i FROM suspects s JOIN names n ON n.g = s.g"
                f" SEMI JOIN {_source(files)} r ON r.meter_id = n.meter_id"
                " AND epoch_us(r.ts) = s.t"
            ).fetchnumpy()["i"]
            dup[hits] = True
    return dup


def write_table(table: pa.Table, ts_us: np.ndarray) -> list[Path]:
    """Write good readings, one Parquet file per UTC day, atomically (temp file, rename)."""
    if not len(table):
        return []
    day = ts_us // DAY_US
    order = np.argsort(day, kind="stable")
    day_sorted = day[order]
    cuts = np.flatnonzero(np.diff(day_sorted)) + 1
    bounds = zip(np.concatenate([[0], cuts]), np.concatenate([cuts, [len(order)]]), strict=True)
    jobs = []
    for lo, hi in bounds:
        label = (EPOCH + timedelta(days=int(day_sorted[lo]))).date().isoformat()
        jobs.append((label, order[lo:hi]))

    def write(job) -> Path:
        label, idx = job
        folder = telemetry_dir() / f"day={label}"
        folder.mkdir(parents=True, exist_ok=True)
        name = uuid.uuid4().hex
        temporary, path = folder / f".part-{name}.tmp", folder / f"part-{name}.parquet"
        # Dictionary pages for the meter codes only: floats and times rarely repeat.
        pq.write_table(table.take(pa.array(idx)), temporary, use_dictionary=["meter_id"])
        publish(temporary, path)
        return path

    if len(jobs) == 1:
        return [write(jobs[0])]
    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(write, jobs))


def readings_table(meters: pa.Array, ts_us: np.ndarray, flow, pressure) -> pa.Table:
    (fv, fe, _fb), (pv, pe, _pb) = flow, pressure
    return pa.table(
        {
            "meter_id": pc.cast(meters, pa.string()),
            "ts": pa.array(ts_us, pa.int64()).cast(pa.timestamp("us", tz="UTC")),
            "flow_m3h": pa.array(fv, pa.float64(), mask=fe),
            "pressure_mpa": pa.array(pv, pa.float64(), mask=pe),
        },
        schema=SCHEMA,
    )


RawOf = Callable[[np.ndarray], list[str]]
