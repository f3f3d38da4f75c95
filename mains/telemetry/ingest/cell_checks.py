"""The checks of a row's own cells, over whole columns (pyarrow and numpy, not a row loop).

The rules and reasons are those of one row at a time (docs/telemetry.md), in the same order:
a cell that the column-wide parsing does not recognise (an unusual ISO-8601 form, "1_000")
is handed to Python's own parser (``parse_time``, ``parse_number``), so every path answers
exactly alike. Duplicates and order, which need the store, are in ``duplicates``.
"""

from datetime import UTC, datetime

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from django.utils.translation import gettext as _

from mains.telemetry.detect.series import to_us

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
            us[i] = to_us(ts)
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
