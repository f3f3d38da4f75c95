"""What every detector takes and gives: one meter's readings as arrays, its settings, findings.

Detectors are pure functions over one meter at a time (no database, no clock), so the same
code runs in the live job, in the back-test and on Dask workers.
"""

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

import numpy as np

US_PER_SECOND = 1_000_000
US_PER_MINUTE = 60 * US_PER_SECOND
US_PER_HOUR = 60 * US_PER_MINUTE
US_PER_DAY = 24 * US_PER_HOUR
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Series:
    """One meter's readings, strictly increasing in time.

    ``ts_us`` are UTC epoch microseconds (int64); ``flow_m3h`` and ``pressure_mpa`` are
    float64 with NaN where the reading had no value.
    """

    meter_id: str
    ts_us: np.ndarray
    flow_m3h: np.ndarray
    pressure_mpa: np.ndarray

    def __len__(self) -> int:
        return len(self.ts_us)

    @classmethod
    def of(cls, meter_id: str, ts_us, flow_m3h, pressure_mpa) -> "Series":
        return cls(
            meter_id,
            np.asarray(ts_us, dtype=np.int64),
            np.asarray(flow_m3h, dtype=np.float64),
            np.asarray(pressure_mpa, dtype=np.float64),
        )

    def since(self, ts_us: int) -> "Series":
        start = int(np.searchsorted(self.ts_us, ts_us, side="left"))
        return replace(
            self,
            ts_us=self.ts_us[start:],
            flow_m3h=self.flow_m3h[start:],
            pressure_mpa=self.pressure_mpa[start:],
        )


@dataclass(frozen=True)
class MeterSettings:
    """How one meter is judged. Meters a back-test does not know get these defaults."""

    kind: str = "master"  # "master" | "inlet" | "household"
    service_pressure_mpa: float = 0.14
    utc_offset_hours: float = 8.0  # local clock (night window, peak hours, days): China
    household_low_litres: float = 10.0  # under this in 24 h: a welfare visit
    household_high_litres: float = 1000.0  # over this in 24 h: a welfare visit
    extra: dict = field(default_factory=dict)  # detector-specific overrides, by name

    def option(self, name: str, defaults: dict):
        """A detector's setting: its override in ``extra``, else the detector's default
        (its module's ``DEFAULTS``)."""
        return self.extra.get(name, defaults[name])


@dataclass(frozen=True)
class Finding:
    """One alarm a detector found: raised at a reading's time, cleared when readings recover."""

    kind: str  # "burst" | "night_flow" | "low_pressure" | "household_usage"
    raised_at_us: int
    cleared_at_us: int | None  # None while it goes on at the end of the series
    detail: dict  # JSON-serialisable evidence shown to the engineer

    @property
    def raised_at(self) -> datetime:
        return from_us(self.raised_at_us)

    @property
    def cleared_at(self) -> datetime | None:
        return None if self.cleared_at_us is None else from_us(self.cleared_at_us)


def to_us(moment: datetime) -> int:
    delta = moment.astimezone(UTC) - EPOCH
    return (delta.days * 86_400 + delta.seconds) * US_PER_SECOND + delta.microseconds


def from_us(microseconds: int) -> datetime:
    return EPOCH + timedelta(microseconds=int(microseconds))


def iso(microseconds: int) -> str:
    return from_us(microseconds).isoformat()


def local_us(ts_us: np.ndarray, settings: MeterSettings) -> np.ndarray:
    """The same instants on the meter's local wall clock, still as epoch microseconds."""
    return ts_us + int(settings.utc_offset_hours * US_PER_HOUR)


def local_minute_of_day(ts_us: np.ndarray, settings: MeterSettings) -> np.ndarray:
    return (local_us(ts_us, settings) % US_PER_DAY) // US_PER_MINUTE
