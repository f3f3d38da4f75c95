"""SLA time: deadlines that count only the working time of a calendar.

Pure functions over a `CalendarSpec`, so they can be tested without a database.
All datetimes are aware; working windows are read in the configured local time zone.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

MAX_DAYS = 800  # no SLA spans more than two years of calendar days


@dataclass(frozen=True)
class CalendarSpec:
    round_the_clock: bool
    windows: tuple[tuple[time, time], ...] = ()
    # date → True for a make-up working day, False for a holiday
    special_days: dict[date, bool] = field(default_factory=dict)

    def is_working_day(self, day: date) -> bool:
        if day in self.special_days:
            return self.special_days[day]
        return day.weekday() < 5

    def windows_on(self, day: date, tz: ZoneInfo) -> list[tuple[datetime, datetime]]:
        if not self.is_working_day(day):
            return []
        return [
            (datetime.combine(day, start, tz), datetime.combine(day, end, tz))
            for start, end in self.windows
        ]


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def add_working_minutes(spec: CalendarSpec, start: datetime, minutes: float) -> datetime:
    """The moment `minutes` of working time after `start`."""
    if minutes <= 0:
        return start  # else a deadline at a window's end would jump to the next window
    if spec.round_the_clock:
        return start + timedelta(minutes=minutes)
    tz = local_zone()
    remaining = timedelta(minutes=minutes)
    day = start.astimezone(tz).date()
    for _ in range(MAX_DAYS):
        for win_start, win_end in spec.windows_on(day, tz):
            begin = max(win_start, start)
            if begin >= win_end:
                continue
            available = win_end - begin
            if remaining <= available:
                return begin + remaining
            remaining -= available
        day += timedelta(days=1)
    raise ValueError("calendar has no working time in the next two years")


def working_minutes_between(spec: CalendarSpec, start: datetime, end: datetime) -> float:
    """Working time between two moments, in minutes (0 if end is before start)."""
    if end <= start:
        return 0.0
    if spec.round_the_clock:
        return (end - start).total_seconds() / 60
    tz = local_zone()
    total = timedelta()
    day = start.astimezone(tz).date()
    last = end.astimezone(tz).date()
    while day <= last:
        for win_start, win_end in spec.windows_on(day, tz):
            lo, hi = max(win_start, start), min(win_end, end)
            if hi > lo:
                total += hi - lo
        day += timedelta(days=1)
    return total.total_seconds() / 60


def warning_moment(start: datetime, due: datetime, ratio: float) -> datetime:
    """When the clock turns yellow: `ratio` of the allotted wall time has passed."""
    return start + (due - start) * ratio
