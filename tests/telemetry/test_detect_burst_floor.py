"""The burst floor: a rise a person sees at a glance alarms within the hour, whatever the
pressure does, from the meter's third day on — and a day of higher demand does not."""

import math
import random
from datetime import UTC, datetime, timedelta

import pytest

from mains.telemetry.detect import MeterSettings, Series, burst, floor
from mains.telemetry.detect.series import to_us

START = datetime(2026, 3, 1, 16, 0, tzinfo=UTC)  # local midnight in Asia/Shanghai
MASTER = MeterSettings(kind="master", service_pressure_mpa=0.1)


def usual_flow(moment: datetime) -> float:
    """A district's day: low at night, peaks in the morning and the evening (m³/h)."""
    hour = (moment.hour + 8) % 24 + moment.minute / 60
    morning = math.exp(-(((hour - 7.5) / 1.5) ** 2))
    evening = math.exp(-(((hour - 19.5) / 2.0) ** 2))
    return 60 + 50 * morning + 40 * evening


def district(days: float, step_minutes=15, seed=1, leak=None, demand=None):
    """Readings of `days` days; `leak(moment)` adds m³/h, `demand(day)` scales the demand
    (day: days since START, a float). The pressure does not move: a district burst rarely
    shows in it."""
    rng = random.Random(seed)
    step = timedelta(minutes=step_minutes)
    rows, noise = [], 0.0
    for i in range(int(days * 24 * 60 / step_minutes)):
        moment = START + i * step
        noise = 0.85 * noise + rng.gauss(0, 0.02)
        factor = demand(i * step_minutes / (24 * 60)) if demand else 1.0
        flow = usual_flow(moment) * factor * (1 + noise)
        flow += leak(moment) if leak else 0.0
        rows.append((to_us(moment), round(flow, 1), 0.3 + rng.gauss(0, 0.002)))
    return Series.of("DMA-1", [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows])


def bursts(series):
    return burst.find(series, MASTER)


def step_at(onset: datetime, size: float):
    return lambda moment: size if moment >= onset else 0.0


@pytest.mark.parametrize("step_minutes", [5, 15])
def test_a_burst_of_a_third_of_the_flow_on_the_third_day_alarms_within_the_hour(step_minutes):
    onset = START + timedelta(days=2, hours=10, minutes=45)  # 10:45 local time
    size = 0.33 * usual_flow(onset)
    (found,) = bursts(district(2.7, step_minutes, leak=step_at(onset, size)))
    confirmed = datetime.fromisoformat(found.detail["confirmed_at"])
    assert found.raised_at - onset < timedelta(minutes=step_minutes)
    assert confirmed - onset <= timedelta(hours=1)
    assert found.detail["method"] == "floor"
    assert found.detail["flow_rise_m3h"] == pytest.approx(size, rel=0.25)


def test_on_the_second_day_the_floor_does_not_judge_yet():
    onset = START + timedelta(days=1, hours=10)
    series = district(1.7, leak=step_at(onset, 40.0))
    assert [f for f in bursts(series) if f.detail["method"] == "floor"] == []


def test_a_rise_below_a_quarter_of_the_usual_flow_is_left_to_the_statistical_test():
    onset = START + timedelta(days=2, hours=10, minutes=45)
    series = district(2.7, leak=step_at(onset, 0.15 * usual_flow(onset)))
    assert [f for f in bursts(series) if f.detail["method"] == "floor"] == []


def hot_spell(day: float) -> float:
    """Demand up to 35 % higher over two days, rising and falling over a day each way:
    weather moves demand smoothly, never in a step."""
    return 1 + 0.35 * math.sin(math.pi * min(1.0, max(0.0, (day - 3) / 2))) ** 2


def test_a_hot_spell_that_raises_every_hour_alike_is_no_burst():
    assert bursts(district(7, demand=hot_spell)) == []


def test_a_week_of_ordinary_days_with_their_noise_raises_nothing():
    for seed in range(1, 6):
        assert bursts(district(14, seed=seed)) == [], seed


def test_it_clears_when_the_leak_is_repaired():
    onset = START + timedelta(days=3, hours=2)
    repaired = onset + timedelta(hours=6)
    size = 0.4 * usual_flow(onset)
    leak = lambda moment: size if onset <= moment < repaired else 0.0  # noqa: E731
    (found,) = bursts(district(4, leak=leak))
    assert found.cleared_at is not None
    assert repaired <= found.cleared_at <= repaired + timedelta(hours=1)


def test_the_usual_flow_is_known_only_from_the_third_day():
    series = district(3)
    from mains.telemetry.detect import grid as grids

    g = grids.of(series, MASTER)
    bottom = floor.of(g, int(series.ts_us[0]))
    per_day = g.per_day
    assert all(math.isnan(v) for v in bottom.usual[: 2 * per_day])
    assert not any(math.isnan(v) for v in bottom.usual[2 * per_day :])


def test_the_alarm_says_in_plain_chinese_what_was_seen():
    from django.utils import translation

    from mains.telemetry.alarms.evidence import summary

    onset = START + timedelta(days=2, hours=10, minutes=45)
    size = 0.38 * usual_flow(onset)
    (found,) = bursts(district(2.7, leak=step_at(onset, size)))
    with translation.override("zh-hans"):
        said = summary("burst", found.detail)
    assert said.startswith("2026-03-04 10:45 起流量比平日同时段高 ")
    assert "m³/h（+" in said and "%" in said
    assert "压力未降" in said, "the pressure did not move"
    assert said.endswith(f"持续 {found.detail['held_minutes']} 分钟。")
    assert found.detail["held_minutes"] <= 60


def test_a_kind_of_day_not_seen_yet_is_judged_against_the_days_of_its_sort():
    """A meter first read on a Friday has never seen a Monday's small hours (they follow a
    weekend day): a burst there on its fourth day alarms all the same."""
    friday = datetime(2026, 3, 5, 16, 0, tzinfo=UTC)  # Friday 2026-03-06, local midnight
    onset = friday + timedelta(days=3, hours=1, minutes=45)  # Monday 01:45 local time
    series = shifted(district(3.4, leak=step_at(onset - (friday - START), 40.0)), friday - START)
    (found,) = bursts(series)
    assert found.detail["method"] == "floor"
    assert datetime.fromisoformat(found.detail["confirmed_at"]) - onset <= timedelta(hours=1)


def shifted(series, by: timedelta):
    moved = [int(t) + int(by.total_seconds() * 1_000_000) for t in series.ts_us]
    return Series.of("DMA-1", moved, list(series.flow_m3h), list(series.pressure_mpa))
