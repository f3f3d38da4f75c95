"""When residents call and about what: the demand a manager would recognise.

Calls peak at 7–9 h and 18–21 h; weekends are quieter and office topics wait for
Monday; low pressure grows in the summer evenings; a cold snap triples heating
complaints for a week; one afternoon a burst main leaves a few communities dry and
the hotline takes hundreds of 停水 calls.
"""

import math
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

# Share of each category in a day's calls of its utility.
WATER_SHARE = {
    "W-BURST": 2,
    "W-NOWATER": 10,
    "W-DAMAGE": 2,
    "W-LEAK": 20,
    "W-PRESSURE": 11,
    "W-METER": 15,
    "W-RENOVATION": 5,
    "W-QUALITY": 8,
    "W-BILL": 17,
    "W-COMPLAINT": 3,
}
HEAT_SHARE = {"H-COLD": 45, "H-LEAK": 14, "H-STARTSTOP": 20, "H-BILL": 13, "H-COMPLAINT": 8}
WEEKDAY = [1.1, 1.04, 1.0, 1.0, 0.98, 0.9, 0.88]


def _hours(weights: str) -> list[float]:
    """Relative call volume for each hour of the day, 0 h to 23 h."""
    values = [float(w) for w in weights.split()]
    assert len(values) == 24
    return values


# Hourly call profiles.
RESIDENT = _hours(
    "0.6 0.4 0.3 0.3 0.4 1.2 3.2 6.5 7.5 6.0 4.6 4.2"  # 0–11 h
    " 4.0 3.6 3.4 3.4 3.6 4.4 6.2 7.2 6.8 5.6 3.0 1.4"  # 12–23 h
)
OFFICE = _hours(
    "0.1 0.05 0.05 0.05 0.05 0.2 0.8 4.0 7.0 8.0 8.0 7.0"  # 0–11 h
    " 4.0 5.0 7.0 7.5 7.0 6.0 4.0 3.5 2.8 1.2 0.5 0.2"  # 12–23 h
)
EMERGENCY = _hours(
    "1.5 1.2 1.0 1.0 1.2 2.0 3.5 5.5 6.0 5.0 4.5 4.2"  # 0–11 h
    " 4.0 3.8 3.8 3.8 4.0 4.6 5.6 6.0 5.6 4.6 3.2 2.2"  # 12–23 h
)
PEAK_ONLY = _hours(
    "0 0 0 0 0 0 3 8 6 1 0 0"  # 0–11 h
    " 0 0 0 0 0 1 6 8 7 3 0 0"  # 12–23 h
)
PROFILES = {
    "W-BURST": EMERGENCY,
    "W-DAMAGE": EMERGENCY,
    "H-LEAK": EMERGENCY,
    "W-BILL": OFFICE,
    "W-COMPLAINT": OFFICE,
    "H-STARTSTOP": OFFICE,
    "H-BILL": OFFICE,
    "H-COMPLAINT": OFFICE,
    "W-RENOVATION": OFFICE,
}


def in_heating_season(day: date) -> bool:
    """Liaocheng heats from 15 November to 15 March."""
    return (day.month, day.day) >= (11, 15) or (day.month, day.day) <= (3, 15)


def _bump(day: date, month: int, dom: int, width_days: float) -> float:
    centre = date(day.year, month, dom)
    return math.exp(-(((day - centre).days / width_days) ** 2))


@dataclass(frozen=True)
class Window:
    """The period the history covers and its two memorable episodes."""

    days: list[date]
    cold_snap: list[date]
    outage_day: date | None

    @classmethod
    def ending(cls, today: date, days: int) -> "Window":
        span = [today - timedelta(days=days - 1 - i) for i in range(days)]
        heating = [d for d in span if in_heating_season(d)]
        snap: list[date] = []
        if len(heating) >= 5:
            # A week of heating days, after at least three ordinary ones to compare with,
            # as near to mid-January as the period allows.
            def distance(day: date) -> int:
                year = day.year if day.month < 7 else day.year + 1
                return abs((day - date(year, 1, 12)).days)

            starts = range(3, max(4, len(heating) - 6))
            first = min(starts, key=lambda i: distance(heating[min(i + 3, len(heating) - 1)]))
            snap = heating[first : first + 7]
        outage = today - timedelta(days=38) if days > 45 else span[len(span) // 2]
        while outage.weekday() >= 5:
            outage -= timedelta(days=1)
        return cls(days=span, cold_snap=snap, outage_day=outage if outage in span else None)


def category_weight(code: str, day: date, working_day: bool, window: Window) -> float:
    """How many calls of `code` to expect on `day`, relative to the category's share."""
    heat = code.startswith("H-")
    base = HEAT_SHARE.get(code, 0) * 0.35 if heat else WATER_SHARE.get(code, 0)
    weight = base * WEEKDAY[day.weekday()]
    if PROFILES.get(code) is OFFICE and not working_day:
        weight *= 0.6
    if heat:
        if code in ("H-STARTSTOP", "H-BILL"):
            pre_season = date(day.year, 10, 15) <= day < date(day.year, 11, 25)
            weight *= 2.0 if pre_season else (0.6 if in_heating_season(day) else 0.15)
        elif not in_heating_season(day):
            weight = 0.0
        elif day in window.cold_snap:
            weight *= 3.0 if code in ("H-COLD", "H-COMPLAINT") else 2.0
    summer = _bump(day, 7, 25, 25)
    if code == "W-PRESSURE":
        weight *= 1 + 0.9 * summer
    elif code == "W-QUALITY":
        weight *= 1 + 0.4 * summer
    elif code in ("W-METER", "W-BURST") and (day.month in (12, 1, 2) or day in window.cold_snap):
        weight *= 1.6
    return weight


def plan_days(
    rng: random.Random, codes: list[str], window: Window, working: dict[date, bool], count: int
) -> list[tuple[date, str]]:
    """`count` (day, category) pairs drawn from the expected mix."""
    cells, weights = [], []
    for day in window.days:
        for code in codes:
            w = category_weight(code, day, working[day], window)
            if day == window.days[-1]:
                w *= 0.5  # today is not over
            if w > 0:
                cells.append((day, code))
                weights.append(w)
    return rng.choices(cells, weights=weights, k=count)


def moment(
    rng: random.Random,
    day: date,
    code: str,
    weekend: bool,
    tz,
    now: datetime,
    peak_only: bool = False,
) -> datetime:
    """A call time on `day` following the category's hourly profile (never after now)."""
    profile = PEAK_ONLY if peak_only else PROFILES.get(code, RESIDENT)
    for _ in range(20):
        hour = rng.choices(range(24), weights=profile)[0]
        if weekend and 6 <= hour <= 9 and rng.random() < 0.5:
            hour += 1  # people sleep in
        at = datetime.combine(day, time(hour, rng.randrange(60), rng.randrange(60)), tz)
        if at <= now:
            return at
    return now - timedelta(minutes=rng.uniform(1, 120))
