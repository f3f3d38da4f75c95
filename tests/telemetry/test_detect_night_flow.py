"""The night-flow detector: a background leak raises the minimum night flow for good."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from mains.telemetry.detect import DETECTORS, MeterSettings, Series, detect, night_flow
from mains.telemetry.detect.series import to_us

LOCAL = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 3, 2, 0, 0, tzinfo=LOCAL)
STEP = timedelta(minutes=15)
PER_DAY = 96
INLET = MeterSettings(kind="inlet")
HOURLY = np.array(
    [0.45, 0.38, 0.35, 0.34, 0.36, 0.50, 0.95, 1.55, 1.50, 1.20, 1.05, 1.10,
     1.25, 1.15, 0.95, 0.90, 0.95, 1.10, 1.45, 1.65, 1.55, 1.30, 0.95, 0.65]
)  # fmt: skip


def district(days=50, mean=400.0, seed=1):
    """A district's inflow every 15 minutes: the day's shape, a day-to-day level, noise."""
    rng = np.random.default_rng(seed)
    n = days * PER_DAY
    hour = (np.arange(n) % PER_DAY) / 4.0
    shape = np.interp(hour, np.arange(25), np.append(HOURLY, HOURLY[0]))
    days_at_noon = np.arange(days) + 0.5  # a day's level drifts in, it does not jump at 00:00
    level = np.interp(np.arange(n) / PER_DAY, days_at_noon, np.exp(rng.normal(0, 0.04, days)))
    return mean * shape * level * (1 + 0.02 * rng.standard_normal(n))


def series(flow):
    ts = to_us(START) + np.arange(len(flow), dtype=np.int64) * int(STEP.total_seconds() * 1e6)
    return Series.of("DMA-1", ts, flow, np.full(len(flow), 0.3))


def night_end(day):
    """The last reading of a night's 02:00–04:00 window, local time."""
    return START + timedelta(days=day, hours=3, minutes=45)


def added_from(flow, day, m3h, until=None):
    out = flow.copy()
    out[day * PER_DAY : None if until is None else until * PER_DAY] += m3h
    return out


def test_night_flow_runs_among_the_detectors():
    assert night_flow in DETECTORS
    assert night_flow.METER_KINDS == ("master", "inlet")


def test_a_new_background_leak_is_raised_after_two_high_nights_and_clears_when_repaired():
    flow = added_from(district(), 40, 35.0, until=46)  # a quarter of the night's minimum
    (found,) = night_flow.find(series(flow), INLET)
    assert found.raised_at == night_end(41)  # the second high night confirms it
    assert datetime.fromisoformat(found.detail["confirmed_at"]) == night_end(41)
    assert [datetime.fromisoformat(n["night_end"]) for n in found.detail["nights"]] == [
        night_end(40) + STEP,
        night_end(41) + STEP,
    ]
    assert 25 < found.detail["nights"][1]["added_flow_m3h"] < 45  # the day before leaked too
    assert found.cleared_at == night_end(46)  # the first of two normal nights


def test_weeks_of_ordinary_nights_raise_nothing():
    for seed in (1, 2, 3, 4):
        assert night_flow.find(series(district(seed=seed)), INLET) == []


def test_a_busier_day_and_night_alike_is_not_a_leak():
    flow = district()
    flow[40 * PER_DAY : 42 * PER_DAY] *= 1.15  # a hot spell: all day and night 15 % up
    assert night_flow.find(series(flow), INLET) == []


def test_one_high_night_is_not_sustained():
    flow = district()
    night = 40 * PER_DAY + 8
    flow[night : night + 8] += 60.0  # a hydrant flushed from 02:00 to 04:00
    assert night_flow.find(series(flow), INLET) == []


def test_the_night_is_the_local_night():
    flow = district()
    local_night = np.zeros(len(flow), dtype=bool)
    for day in range(40, 50):  # 02:00–04:00 in Beijing, 18:00–20:00 UTC the day before
        local_night[day * PER_DAY + 8 : day * PER_DAY + 16] = True
    leaking = np.where(local_night, flow + 60.0, flow)
    assert night_flow.find(series(leaking), INLET) != []
    utc = MeterSettings(kind="inlet", utc_offset_hours=0)  # its night is 10:00–12:00 here
    assert night_flow.find(series(leaking), utc) == []


def test_a_night_without_readings_breaks_the_run_of_high_nights():
    flow = added_from(district(), 40, 45.0)
    flow[41 * PER_DAY + 8 : 41 * PER_DAY + 16] = np.nan  # the meter was silent on night 41
    (found,) = night_flow.find(series(flow), INLET)
    assert found.raised_at == night_end(43)  # nights 42 and 43 in a row
    assert found.cleared_at is None


def test_too_short_a_history_judges_no_night():
    flow = added_from(district(days=12), 10, 60.0)
    assert night_flow.find(series(flow), INLET) == []


def test_a_leak_growing_over_days_is_a_night_flow_alarm_not_a_burst():
    flow = district()
    flow += np.clip((np.arange(len(flow)) - 36 * PER_DAY) / (4 * PER_DAY), 0, 1) * 40.0
    assert [f.kind for f in detect(series(flow), INLET)] == ["night_flow"]


def test_later_weekend_nights_are_judged_against_weekend_nights():
    flow = district()
    weekend = ((np.arange(len(flow)) // PER_DAY) % 7) >= 5  # 2026-03-07 is a Saturday
    night = ((np.arange(len(flow)) % PER_DAY) >= 8) & ((np.arange(len(flow)) % PER_DAY) < 16)
    flow[weekend & night] *= 1.25  # people up late on Friday and Saturday
    assert night_flow.find(series(flow), INLET) == []


def test_on_a_district_whose_night_is_its_day_a_leak_is_judged_by_the_night_level():
    """A flat district (night 95 % of the day): the share's estimate divides by 1 − share and
    drowns in noise; the night's level against its usual minima still sees 15 % added."""
    rng = np.random.default_rng(3)
    n = 50 * PER_DAY
    hour = (np.arange(n) % PER_DAY) / 4.0
    flat = 400.0 * (1 + 0.05 * np.cos(2 * np.pi * (hour - 14) / 24))
    level = np.interp(np.arange(n) / PER_DAY, np.arange(50) + 0.5, 1 + rng.normal(0, 0.01, 50))
    flow = flat * level * (1 + 0.02 * rng.standard_normal(n))
    assert night_flow.find(series(flow), INLET) == []
    (found,) = night_flow.find(series(added_from(flow, 40, 0.15 * 380.0)), INLET)
    assert found.detail["judged_by"] == "level"
    assert found.raised_at <= night_end(42)
