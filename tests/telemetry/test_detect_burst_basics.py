"""The burst detector's basic rules, through ``detect`` (ported from the first detector)."""

from datetime import UTC, datetime, timedelta

from mains.telemetry.detect import MeterSettings, Series, detect
from mains.telemetry.detect.series import to_us

START = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
STEP = timedelta(minutes=15)
MASTER = MeterSettings(kind="master", service_pressure_mpa=0.1)


def series(values, start=START, history=()):
    rows = list(history) + [(start + i * STEP, f, p) for i, (f, p) in enumerate(values)]
    return Series.of(
        "M1", [to_us(t) for t, _, _ in rows], [f for _, f, _ in rows], [p for _, _, p in rows]
    )


def bursts(s):
    return [f for f in detect(s, MASTER) if f.kind == "burst"]


def test_a_sustained_rise_of_flow_with_a_pressure_drop_is_a_burst():
    (burst,) = bursts(series([(10, 0.30)] * 8 + [(20, 0.20)] * 4))
    assert burst.raised_at == START + 8 * STEP
    assert burst.cleared_at is None
    assert (burst.detail["reference_flow_m3h"], burst.detail["reference_pressure_mpa"]) == (
        10,
        0.30,
    )
    assert len(burst.detail["readings"]) == 3


def test_a_rise_of_flow_without_a_pressure_drop_is_not_a_burst():
    assert bursts(series([(10, 0.30)] * 8 + [(20, 0.29)] * 4)) == []


def test_two_high_readings_are_not_sustained_enough():
    assert bursts(series([(10, 0.30)] * 8 + [(20, 0.20)] * 2 + [(10, 0.30)] * 3)) == []


def test_the_usual_peak_of_the_past_week_is_not_a_burst():
    history = []
    for day in range(7, 0, -1):
        base = START - timedelta(days=day) + timedelta(hours=1)
        history += [(base + i * STEP, 20.0, 0.30) for i in range(4)]
    # At 13:00 today the flow doubles, but 13:00 always runs at 20 m³/h.
    assert bursts(series([(10, 0.30)] * 4 + [(21, 0.24)] * 4, history=history)) == []


def test_recovery_needs_sustained_normal_readings():
    values = [(10, 0.30)] * 8 + [(20, 0.20)] * 3 + [(10, 0.30)] * 2 + [(20, 0.2)]
    values += [(10, 0.30)] * 3
    (burst,) = bursts(series(values))
    assert burst.cleared_at == START + 14 * STEP
    (still_on,) = bursts(series(values[:13]))
    assert still_on.cleared_at is None
