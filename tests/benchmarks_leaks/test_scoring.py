"""The leak benchmark's scoring and baselines, on small hand-made cases (no simulation)."""

import csv
import json

import numpy as np
import pytest

from benchmarks.leaks import baselines, demand, score
from benchmarks.leaks.scenarios import DistrictYear, night_minimum
from mains.telemetry.detect import Series

HOUR_US = 3600 * 1_000_000
START_US = 1735660800 * 1_000_000  # 2025-01-01T00:00+08:00


def event(scenario="N-s1-b00", kind="burst", size=0.1, start_h=10.0, t20_h=None, end_h=48.0):
    return {
        "scenario": scenario,
        "district": "N-s1",
        "kind": kind,
        "size_fraction": size,
        "start_us": int(START_US + start_h * HOUR_US),
        "t20_us": int(START_US + (start_h if t20_h is None else t20_h) * HOUR_US),
        "window_end_us": int(START_US + end_h * HOUR_US),
        "mean_leak_m3h": 10.0,
        "final_leak_m3h": 30.0,
    }


def alarm(meter, hours, kind="burst"):
    at = int(START_US + hours * HOUR_US)
    return score.Alarm(meter, kind, at, at)


def test_the_first_alarm_confirmed_after_the_start_is_the_detection():
    events = [event()]
    alarms = [alarm("N-s1-b00", 9.0), alarm("N-s1-b00", 10.75), alarm("N-s1-b00", 12.0)]
    (found,) = score.outcomes(events, alarms)
    assert found.detected and found.delay_s == pytest.approx(45 * 60)


def test_alarms_on_other_meters_or_after_the_window_do_not_count():
    alarms = [alarm("N-s1-b01", 10.5), alarm("N-s1-b00", 49.0)]
    (found,) = score.outcomes([event()], alarms)
    assert not found.detected and found.delay_s is None


def test_a_gradual_leak_is_timed_from_reaching_a_fifth_of_the_night_flow():
    grown = event(kind="gradual", size=0.4, start_h=0, t20_h=72, end_h=400)
    (late,) = score.outcomes([grown], [alarm("N-s1-b00", 100.0)])
    assert late.delay_s == pytest.approx(28 * 3600)
    (early,) = score.outcomes([grown], [alarm("N-s1-b00", 50.0)])
    assert early.delay_s == 0.0


def test_goals_count_leaks_by_the_size_they_reached():
    events = [
        event(size=0.05),  # delivered 10 m³/h
        event(scenario="b1", size=0.1),  # designed 10 %, delivered 10 m³/h too
        event(scenario="g1", kind="gradual", size=0.8),  # reached 30 m³/h
    ]
    found = [score.Outcome(True, 60.0), score.Outcome(True, 4000.0), score.Outcome(True, 0.0)]
    rates = score.goal_rates(events, found, {"N-s1": 100.0}, {"N-s1": 100.0})
    assert rates == {"burst_1h": (1, 2), "burst_1h_designed": (0, 1), "gradual_7d": (1, 1)}
    # A weak main held both bursts under 10 % of a larger inflow; the gradual leak under 20 %.
    rates = score.goal_rates(events, found, {"N-s1": 200.0}, {"N-s1": 200.0})
    assert rates == {"burst_1h": (0, 0), "burst_1h_designed": (0, 1), "gradual_7d": (0, 0)}


def test_alarm_csv_is_read_with_the_confirmation_time_from_the_detail(tmp_path):
    path = tmp_path / "alarms.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["meter_id", "kind", "raised_at", "cleared_at", "detail"])
        detail = {"confirmed_at": "2025-01-01T10:30:00+08:00"}
        writer.writerow(["M", "burst", "2025-01-01T10:00:00+08:00", "", json.dumps(detail)])
        writer.writerow(["M", "night_flow", "2025-01-02T03:45:00+08:00", "", ""])
    first, second = score.read_alarms(path)
    assert first.confirmed_us - first.raised_us == 30 * 60 * 1_000_000
    assert second.confirmed_us == second.raised_us


def test_the_fixed_night_flow_baseline_fires_on_nights_above_its_ratio():
    days, per_day = 30, 96
    flow = np.full(days * per_day, 100.0)
    flow[np.arange(days * per_day) % per_day < 24] = 50.0  # nights (00:00–06:00) at 50
    flow[25 * per_day : 25 * per_day + 24] = 57.0  # one night 14 % up
    ts = START_US + np.arange(len(flow), dtype=np.int64) * 900 * 1_000_000
    s = Series.of("M", ts, flow, np.full(len(flow), 0.3))
    assert [a[0] for a in baselines.mnf_fixed(s, 0.10)] == ["mnf_10"]
    assert baselines.mnf_fixed(s, 0.20) == []


def test_night_minimum_takes_the_lowest_hour_between_two_and_four():
    flow = np.full(96, 100.0)
    flow[8:16] = [60, 60, 50, 50, 50, 50, 70, 70]  # 02:00–04:00
    flow[20:24] = 10.0  # 05:00 is not night
    assert night_minimum(flow)[0] == 50.0


def test_demand_and_noise_are_the_same_for_the_same_seed():
    assert np.array_equal(demand.demand_classes(7, days=3), demand.demand_classes(7, days=3))
    a = demand.SensorNoise(7, 100)
    b = demand.SensorNoise(7, 100)
    assert np.array_equal(a.flow_z, b.flow_z)


def test_district_years_of_one_seed_in_two_networks_draw_apart():
    # Same draws would put their demand surges and their leaks at the same moments.
    streams = {DistrictYear(network, 1).stream for network in ("Net3", "ky4", "Net6")}
    streams |= {DistrictYear(network, 2).stream for network in ("Net3", "ky4", "Net6")}
    assert len(streams) == 6
    a = demand.demand_classes(DistrictYear("Net3", 1).stream, days=2)
    b = demand.demand_classes(DistrictYear("ky4", 1).stream, days=2)
    assert not np.allclose(a, b)
