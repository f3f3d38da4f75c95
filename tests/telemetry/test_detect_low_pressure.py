"""Low pressure: below the service pressure at a share of readings, peak hours apart."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from mains.telemetry.detect import MeterSettings, Series, detect
from mains.telemetry.detect.series import US_PER_HOUR, US_PER_MINUTE, to_us

LOCAL = ZoneInfo("Asia/Shanghai")
MIDNIGHT = datetime(2026, 3, 2, 0, 0, tzinfo=LOCAL)
STEP = timedelta(minutes=15)
MASTER = MeterSettings(kind="master")  # 0.14 MPa, local clock UTC+8


def day_of(pressures, start=MIDNIGHT):
    n = len(pressures)
    return Series.of(
        "XG-M1",
        [to_us(start + i * STEP) for i in range(n)],
        np.full(n, 40.0),  # steady flow: no burst
        pressures,
    )


def at(hour, minute=0):
    """Index of the reading at this local time of MIDNIGHT's day."""
    return (hour * 60 + minute) // 15


def low_findings(series, settings=MASTER):
    return [f for f in detect(series, settings) if f.kind == "low_pressure"]


def test_pressure_low_at_a_quarter_of_the_readings_raises_and_recovery_clears():
    p = np.full(96, 0.25)
    p[at(7) : at(8)] = 0.11  # the morning peak: 07:00–07:45 below 0.14 MPa
    (finding,) = low_findings(day_of(p))
    # 12 readings in the 3 hours to 07:30; the third low one reaches 25 %.
    assert finding.raised_at == MIDNIGHT + timedelta(hours=7, minutes=30)
    assert finding.cleared_at == MIDNIGHT + timedelta(hours=8)
    d = finding.detail
    assert (d["readings"], d["low_readings"], d["low_share"]) == (12, 3, 0.25)
    assert d["min_pressure_mpa"] == 0.11 and d["service_pressure_mpa"] == 0.14
    assert datetime.fromisoformat(d["first_low_at"]) == MIDNIGHT + timedelta(hours=7)
    # Peak hours (06:00–09:00) reported apart from the rest of the window.
    assert d["window"]["peak"] == {
        "readings": 7,  # 06:00–07:30
        "low_readings": 3,
        "low_share": 0.429,
        "min_pressure_mpa": 0.11,
    }
    assert (d["window"]["off_peak"]["readings"], d["window"]["off_peak"]["low_readings"]) == (5, 0)
    assert d["episode"]["peak"]["low_readings"] == 4


def test_a_few_low_readings_under_the_share_raise_nothing():
    p = np.full(96, 0.25)
    p[at(10)] = 0.05
    p[at(14) : at(14, 30)] = 0.12
    assert low_findings(day_of(p)) == []


def test_readings_without_pressure_count_neither_way():
    p = np.full(96, np.nan)
    p[at(7) : at(8)] = 0.11
    # Only four readings with pressure, all low, at the minimum of four in a window.
    (finding,) = low_findings(day_of(p))
    assert finding.raised_at == MIDNIGHT + timedelta(hours=7, minutes=45)
    assert finding.cleared_at is None  # never seen to recover


def test_the_meters_own_service_pressure_and_the_options_are_used():
    p = np.full(96, 0.25)
    p[at(18) : at(19)] = 0.18  # fine at 0.14 MPa, low for a 0.2 MPa meter
    assert low_findings(day_of(p)) == []
    (finding,) = low_findings(day_of(p), MeterSettings(kind="inlet", service_pressure_mpa=0.2))
    assert finding.detail["window"]["peak"]["low_readings"] == 3
    stricter = MeterSettings(
        kind="master", service_pressure_mpa=0.2, extra={"low_pressure_share": 0.5}
    )
    assert low_findings(day_of(p), stricter) == []
    evening_only = MeterSettings(
        kind="master", service_pressure_mpa=0.2, extra={"peak_hours": [[19, 21]]}
    )
    (finding,) = low_findings(day_of(p), evening_only)
    assert finding.detail["window"]["peak"]["readings"] == 0
    assert finding.detail["window"]["off_peak"]["low_readings"] == 3


def test_low_pressure_going_on_stays_open_and_recovery_needs_a_whole_hour():
    p = np.full(96, 0.25)
    p[at(17) :] = 0.1
    p[at(20) : at(20, 30)] = 0.2  # half an hour back up is not a recovery
    (finding,) = low_findings(day_of(p))
    assert finding.raised_at == MIDNIGHT + timedelta(hours=17, minutes=30)
    assert finding.cleared_at is None
    # Recovered from 22:00; seen to hold only once a reading at 23:00 arrived.
    p[at(22) :] = 0.3
    (finding,) = low_findings(day_of(p[: at(22, 45) + 1]))
    assert finding.cleared_at is None
    (finding,) = low_findings(day_of(p[: at(23) + 1]))
    assert finding.cleared_at == MIDNIGHT + timedelta(hours=22)


def test_a_second_episode_is_a_second_finding_not_the_tail_of_the_first():
    p = np.full(96, 0.25)
    p[at(7) : at(8)] = 0.1
    p[at(9) : at(9, 15)] = 0.1  # one low reading right after the recovery
    p[at(18) : at(19)] = 0.1
    first, second = low_findings(day_of(p))
    assert first.cleared_at == MIDNIGHT + timedelta(hours=8)
    assert second.raised_at == MIDNIGHT + timedelta(hours=18, minutes=30)
    assert datetime.fromisoformat(second.detail["window_start"]) >= first.cleared_at


def test_household_meters_are_not_judged_on_pressure():
    p = np.full(96, 0.05)
    assert low_findings(day_of(p), MeterSettings(kind="household")) == []


def by_the_rules(ts, p, service, window, recovery, share, min_readings):
    """The rules of the module docstring, reading by reading (slow and plain)."""
    n, found, floor = len(ts), [], 0
    is_low = [not np.isnan(v) and v < service for v in p]
    while True:
        onset = None
        for i in range(floor, n):
            if not is_low[i]:
                continue
            inside = [j for j in range(floor, i + 1) if ts[j] > ts[i] - window]
            counted = [j for j in inside if not np.isnan(p[j])]
            if len(counted) >= min_readings and sum(is_low[j] for j in counted) >= share * len(
                counted
            ):
                onset = i
                break
        if onset is None:
            return found
        cleared = None
        for j in range(onset + 1, n):
            if np.isnan(p[j]) or is_low[j] or ts[-1] < ts[j] + recovery:
                continue
            if not any(is_low[k] for k in range(j, n) if ts[k] < ts[j] + recovery):
                cleared = j
                break
        found.append((int(ts[onset]), None if cleared is None else int(ts[cleared])))
        if cleared is None:
            return found
        floor = cleared


@pytest.mark.parametrize("seed", range(6))
def test_the_fast_detector_follows_the_rules_on_irregular_readings(seed):
    rng = np.random.default_rng(seed)
    n = 400
    gaps = rng.choice([5, 10, 15, 15, 15, 30, 60], size=n) * US_PER_MINUTE
    ts = to_us(MIDNIGHT) + np.cumsum(gaps)
    # Long stretches of good and bad pressure, some readings missing.
    p = np.repeat(rng.choice([0.1, 0.13, 0.2, 0.3], size=n // 8), 8)[:n]
    p = p + rng.normal(0, 0.03, n)
    p[rng.random(n) < 0.1] = np.nan
    settings = MeterSettings(kind="master", extra={"low_pressure_min_readings": 3})
    fast = [
        (f.raised_at_us, f.cleared_at_us)
        for f in low_findings(Series.of("M", ts, np.full(n, 40.0), p), settings)
    ]
    assert fast == by_the_rules(ts, p, 0.14, 3 * US_PER_HOUR, US_PER_HOUR, 0.25, 3)
    assert len(fast) >= 2
