from datetime import UTC, datetime, timedelta

from mains.telemetry.detectors import find_burst, recovery_time
from mains.telemetry.storage import Reading

START = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
STEP = timedelta(minutes=15)


def series(values):
    return [Reading("M1", START + i * STEP, f, p) for i, (f, p) in enumerate(values)]


def test_a_sustained_rise_of_flow_with_a_pressure_drop_is_a_burst():
    readings = series([(10, 0.30)] * 8 + [(20, 0.20)] * 4)
    burst = find_burst(readings, since=START)
    assert burst is not None
    assert burst.onset == START + 8 * STEP
    assert (burst.reference_flow_m3h, burst.reference_pressure_mpa) == (10, 0.30)
    assert len(burst.evidence()["readings"]) == 3


def test_a_rise_of_flow_without_a_pressure_drop_is_not_a_burst():
    readings = series([(10, 0.30)] * 8 + [(20, 0.29)] * 4)
    assert find_burst(readings, since=START) is None


def test_two_high_readings_are_not_sustained_enough():
    readings = series([(10, 0.30)] * 8 + [(20, 0.20)] * 2 + [(10, 0.30)] * 3)
    assert find_burst(readings, since=START) is None


def test_the_usual_evening_peak_of_the_past_week_is_not_a_burst():
    history = []
    for day in range(7, 0, -1):
        base = START - timedelta(days=day) + timedelta(hours=1)
        history += [Reading("M1", base + i * STEP, 20.0, 0.30) for i in range(4)]
    today = series([(10, 0.30)] * 4 + [(21, 0.24)] * 4)
    # At 13:00 today the flow doubles, but 13:00 always runs at 20 m³/h.
    assert find_burst(history + today, since=START) is None


def test_recovery_needs_sustained_normal_readings():
    readings = series([(20, 0.20)] * 3 + [(10, 0.30)] * 2 + [(20, 0.2)] + [(10, 0.30)] * 3)
    assert recovery_time(readings, START, 13.0, 0.25) == START + 6 * STEP
    assert recovery_time(readings[:5], START, 13.0, 0.25) is None
