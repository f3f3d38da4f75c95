"""Duplicates and order: the checks of ingestion that need the store.

Per meter, in the order of the input: a reading is stored when it is later than the meter's
last stored or accepted reading; otherwise it is a duplicate when the same (meter, time)
was accepted before or is already stored, else it is out of order. The stored side is read
with DuckDB from the day partitions the suspects fall on, never the whole store; the
meters' last readings from the newest day partitions backwards.
"""

from dataclasses import dataclass, field

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from mains.telemetry.detect.series import US_PER_DAY
from mains.telemetry.ingest.cell_checks import DUPLICATE, OK, OUT_OF_ORDER
from mains.telemetry.store.days import day_folder, epoch_day
from mains.telemetry.store.reader import latest_us, store_query

DAY_US = US_PER_DAY
NO_TIME = np.iinfo(np.int64).min


def _mtime(day: int) -> int | None:
    try:
        return day_folder(epoch_day(day)).stat().st_mtime_ns
    except FileNotFoundError:
        return None


@dataclass
class StoreState:
    """What is known of the meters being imported: their last stored reading time, and
    which meters are registered (asked once per import or until the next ``forget``).

    Kept across the chunks of one import and the flushes of the MQTT subscriber, updated
    with what is written, so the store is asked once per meter. When another writer (a
    file import beside the subscriber, compaction) changed the folder of a day the new
    readings fall on, everything known is forgotten and asked again.
    """

    last_us: dict[str, int] = field(default_factory=dict)
    folders: dict[int, int | None] = field(default_factory=dict)  # day: folder's mtime
    known: set[str] | None = None  # codes of the active meters, asked again after forget()

    def forget(self) -> None:
        self.last_us.clear()
        self.folders.clear()
        self.known = None

    def notice_changes(self, days: list[int]) -> None:
        """Forget what is known if the folders of these days changed since we last looked."""
        now = {day: _mtime(day) for day in days}
        seen = self.folders
        if self.last_us and any(
            seen[day] != now[day] if day in seen else now[day] is not None for day in days
        ):
            self.forget()
        self.folders.update(now)

    def wrote(self, days: list[int]) -> None:
        self.folders.update({day: _mtime(day) for day in days})

    def last_for(self, meters: list[str]) -> np.ndarray:
        missing = [m for m in meters if m not in self.last_us]
        if missing:
            stored = latest_us(missing)
            self.last_us.update({m: stored.get(m, NO_TIME) for m in missing})
        return np.array([self.last_us[m] for m in meters], np.int64)


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
    state.notice_changes(np.unique(ts_us[rows] // DAY_US).tolist())
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
    with duckdb.connect() as con:
        con.register("suspects", suspects)
        con.register("accepted", accepted)
        hits = con.execute(
            "SELECT s.i FROM suspects s SEMI JOIN accepted a ON a.g = s.g AND a.t = s.t"
        ).fetchnumpy()["i"]
        dup[hits] = True
        with store_query([epoch_day(d) for d in np.unique(t // DAY_US)], con) as opened:
            if opened is not None:
                _con, source = opened
                con.register("names", pa.table({"g": np.arange(len(names)), "meter_id": names}))
                hits = con.execute(
                    "SELECT s.i FROM suspects s JOIN names n ON n.g = s.g"
                    f" SEMI JOIN {source} r ON r.meter_id = n.meter_id"
                    " AND epoch_us(r.ts) = s.t"
                ).fetchnumpy()["i"]
                dup[hits] = True
    return dup
