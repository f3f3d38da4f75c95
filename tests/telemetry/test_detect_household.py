"""Special-group household: under 10 L or over 1,000 L in a local day → a welfare visit."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from mains.telemetry.detect import MeterSettings, Series, detect
from mains.telemetry.detect.household import daily_volumes
from mains.telemetry.detect.series import to_us

LOCAL = ZoneInfo("Asia/Shanghai")
DAY1 = datetime(2026, 3, 1, 0, 0, tzinfo=LOCAL)
STEP = timedelta(minutes=15)
HOUSEHOLD = MeterSettings(kind="household")


def every_15_minutes(litres_by_day, start=DAY1):
    flows = np.repeat([litres / 1000 / 24 for litres in litres_by_day], 96)
    times = [to_us(start + i * STEP) for i in range(len(flows))]
    return Series.of("H-1", times, flows, np.full(len(flows), np.nan))


def household_findings(series, settings=HOUSEHOLD):
    return [f for f in detect(series, settings) if f.kind == "household_usage"]


def test_volume_per_local_day_is_flow_times_time():
    days, litres, hours, readings = daily_volumes(every_15_minutes([120, 4.8]), HOUSEHOLD)
    assert [round(v, 6) for v in litres] == [120, 4.8]
    assert list(hours) == [24, 24] and list(readings) == [96, 96]
    # Local days: the first reading, 00:00 in Beijing, is 16:00 UTC the day before.
    assert days[0] == (DAY1.replace(tzinfo=None) - datetime(1970, 1, 1)).days


def test_a_day_under_10_litres_raises_at_its_end_and_a_normal_day_clears():
    (finding,) = household_findings(every_15_minutes([150, 6, 3, 140, 160]))
    assert finding.raised_at == DAY1 + timedelta(days=2)  # the end of 2 March
    assert finding.cleared_at == DAY1 + timedelta(days=4)  # the end of 4 March, normal again
    assert finding.detail["direction"] == "low"
    assert [d["day"] for d in finding.detail["days"]] == ["2026-03-02", "2026-03-03"]
    assert finding.detail["days"][0]["litres"] == 6.0
    assert finding.detail["recovered_day"]["day"] == "2026-03-04"


def test_a_day_over_1000_litres_raises_too():
    (finding,) = household_findings(every_15_minutes([150, 1500]))
    assert finding.detail["direction"] == "high"
    assert finding.cleared_at is None
    assert household_findings(every_15_minutes([150, 999, 11])) == []


def test_only_complete_days_are_judged():
    # The meter starts at noon and stops at noon: half days are not usage.
    series = every_15_minutes([2, 150, 2], start=DAY1 + timedelta(hours=12))
    assert household_findings(series) == []
    # A day with a six-hour hole is not judged either, however little it shows.
    full = every_15_minutes([150, 150, 150])
    keep = np.ones(len(full), dtype=bool)
    keep[96 + 24 : 96 + 48] = False
    holed = Series.of("H-1", full.ts_us[keep], full.flow_m3h[keep] * 0.01, full.pressure_mpa[keep])
    days, litres, hours, _ = daily_volumes(holed, HOUSEHOLD)
    assert list(hours) == [24, 18, 24]
    (finding,) = household_findings(holed)  # 1.5 L on days 1 and 3; day 2 not judged
    assert [d["day"] for d in finding.detail["days"]] == ["2026-03-01", "2026-03-03"]


def test_a_meter_reporting_once_a_day_reports_the_days_mean_flow():
    means = [150, 8, 150]
    series = Series.of(
        "H-1",
        [to_us(DAY1 + timedelta(days=i)) for i in range(3)],
        [litres / 1000 / 24 for litres in means],
        [np.nan] * 3,
    )
    (finding,) = household_findings(series)
    assert finding.raised_at == DAY1 + timedelta(days=2)
    assert finding.detail["days"][0]["litres"] == 8.0
    assert finding.cleared_at == DAY1 + timedelta(days=3)


def test_thresholds_are_the_meters():
    picky = MeterSettings(kind="household", household_low_litres=100, household_high_litres=500)
    (finding,) = household_findings(every_15_minutes([150, 80, 150]), picky)
    assert finding.detail["low_litres"] == 100
    (finding,) = household_findings(every_15_minutes([150, 600, 150]), picky)
    assert finding.detail["direction"] == "high" and finding.detail["high_litres"] == 500


def test_master_meters_are_not_judged_as_households():
    assert household_findings(every_15_minutes([1, 1, 1]), MeterSettings(kind="master")) == []
