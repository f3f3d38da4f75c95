"""Special-group household: too little or too much water in a local day → a welfare visit.

- A reading's flow (m³/h) holds from its time until the next reading, but for at most the
  meter's usual interval (the median time between its readings, 24 h at most); a reading
  without flow covers nothing. A meter that reports once a day thus reports that day's mean
  flow, a meter reporting every 15 minutes its instantaneous flow.
- The volume of a local calendar day (``MeterSettings.utc_offset_hours``) is the sum of
  flow × time over the parts of those stretches inside the day, in litres.
- A day is *complete* when at least ``COMPLETE_SHARE`` of its 24 hours are covered; only
  complete days are judged. A day the meter did not report is neither usage nor recovery.
- The alarm is raised at the end (local midnight) of the first complete day with a volume
  under ``household_low_litres`` (10 L) or over ``household_high_litres`` (1,000 L), and
  clears at the end of the next complete day back between them.
"""

import numpy as np

from mains.telemetry.detect.series import (
    US_PER_DAY,
    US_PER_HOUR,
    US_PER_MINUTE,
    Finding,
    MeterSettings,
    Series,
    from_us,
    local_us,
)

KIND = "household_usage"
METER_KINDS = ("household",)

COMPLETE_SHARE = 0.95
HISTORY_DAYS = 2
# The thresholds of a visit, by name. ``household_low_litres`` and ``household_high_litres``
# are MeterSettings fields: the meter's own, else the site's TELEMETRY_HOUSEHOLD_LOW_LITRES /
# _HIGH_LITRES, else these. The others are overrides in MeterSettings.extra.
DEFAULTS = {
    "household_low_litres": 10.0,
    "household_high_litres": 1000.0,
    "household_complete_share": COMPLETE_SHARE,
}


def daily_volumes(series: Series, settings: MeterSettings):
    """(local day numbers, litres, hours covered, readings) of the days the meter covered."""
    ts, flow = series.ts_us, series.flow_m3h
    has_flow = ~np.isnan(flow)
    if len(series) < 2 or not has_flow.any():
        nothing = np.zeros(0, dtype=np.int64)
        return nothing, np.zeros(0), np.zeros(0), nothing
    step = int(min(max(np.median(np.diff(ts)), US_PER_MINUTE), US_PER_DAY))
    ends = np.minimum(np.append(ts[1:], ts[-1] + step), ts + step)
    start = local_us(ts[has_flow], settings)
    end = local_us(ends[has_flow], settings)
    rate = flow[has_flow] * 1000.0 / US_PER_HOUR  # litres per microsecond
    day = start // US_PER_DAY
    midnight = (day + 1) * US_PER_DAY
    first_part = np.minimum(end, midnight) - start
    second_part = np.maximum(end - midnight, 0)
    first_day = int(day.min())
    offset = day - first_day
    size = int(offset.max()) + 2
    covered = np.bincount(offset, first_part, size) + np.bincount(offset + 1, second_part, size)
    litres = np.bincount(offset, first_part * rate, size) + np.bincount(
        offset + 1, second_part * rate, size
    )
    readings = np.bincount(offset, minlength=size)
    days = np.arange(size) + first_day
    seen = covered > 0
    return days[seen], litres[seen], covered[seen] / US_PER_HOUR, readings[seen]


def find(series: Series, settings: MeterSettings) -> list[Finding]:
    low_l = float(settings.household_low_litres)
    high_l = float(settings.household_high_litres)
    complete_share = float(settings.option("household_complete_share", DEFAULTS))
    days, litres, hours, readings = daily_volumes(series, settings)
    complete = hours >= complete_share * 24
    offset_us = int(settings.utc_offset_hours * US_PER_HOUR)
    findings: list[Finding] = []
    open_detail: dict | None = None
    open_at = 0
    for day, volume, covered, count in zip(
        days[complete], litres[complete], hours[complete], readings[complete], strict=True
    ):
        day_end_us = int((day + 1) * US_PER_DAY - offset_us)
        abnormal = volume < low_l or volume > high_l
        entry = {
            "day": from_us(int(day) * US_PER_DAY).date().isoformat(),
            "litres": round(float(volume), 1),
            "hours_covered": round(float(covered), 2),
            "readings": int(count),
        }
        if abnormal and open_detail is None:
            open_at = day_end_us
            open_detail = {
                "direction": "low" if volume < low_l else "high",
                "low_litres": low_l,
                "high_litres": high_l,
                "days": [entry],
            }
        elif abnormal and open_detail is not None:
            open_detail["days"].append(entry)
        elif open_detail is not None:
            open_detail["recovered_day"] = entry
            findings.append(Finding(KIND, open_at, day_end_us, open_detail))
            open_detail = None
    if open_detail is not None:
        findings.append(Finding(KIND, open_at, None, open_detail))
    return findings
