"""The burst detector's usual day and noise scales: what each slot is compared with."""

from datetime import datetime
from zoneinfo import ZoneInfo

import numpy as np

from mains.telemetry.detect import MeterSettings, Series, grid, noise_scale, profile
from mains.telemetry.detect.series import to_us

LOCAL = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 3, 2, 0, 0, tzinfo=LOCAL)  # a Monday, local midnight
STEP_US = 15 * 60 * 1_000_000
PER_DAY = 96
INLET = MeterSettings(kind="inlet")


def laid_out(values):
    ts = to_us(START) + np.arange(len(values), dtype=np.int64) * STEP_US
    return grid.of(Series.of("DMA-1", ts, values, np.full(len(values), 0.3)), INLET)


def test_weekday_noons_share_a_kind_and_the_evenings_next_to_a_weekend_have_their_own():
    g = laid_out(np.ones(14 * PER_DAY))
    kind = profile.kinds(g, 14)
    noon, late, small_hours = 48, 88, 4  # 12:00, 22:00, 01:00
    monday, tuesday, thursday, friday, saturday = 0, 1, 3, 4, 5
    assert kind[tuesday, noon] == kind[thursday, noon] == kind[friday, noon]
    assert kind[saturday, noon] != kind[friday, noon]
    assert kind[friday, late] != kind[thursday, late]  # Friday night is half a weekend night
    assert kind[monday, small_hours] != kind[tuesday, small_hours]  # still half Sunday


def test_the_usual_shape_ignores_a_busier_week_and_bridges_a_lost_reading():
    days = 35
    hour = (np.arange(days * PER_DAY) % PER_DAY) / 4
    shape = 1 + 0.5 * np.sin(2 * np.pi * hour / 24)
    level = np.repeat(np.where(np.arange(days) % 7 < 5, 100.0, 80.0), PER_DAY)
    level[21 * PER_DAY : 28 * PER_DAY] *= 1.1  # a warm week
    flow = level * shape
    flow[30 * PER_DAY + 40] = np.nan
    usual_shape, usual_flow = profile.profiles(laid_out(flow), flow, flow)
    today = slice(29 * PER_DAY, 30 * PER_DAY + PER_DAY)  # a Tuesday and Wednesday
    assert np.allclose(usual_shape[today], shape[today], rtol=1e-4)
    assert not np.isnan(usual_flow[30 * PER_DAY + 40])


def test_noise_scales_follow_the_hour_of_the_day():
    rng = np.random.default_rng(7)
    days = 30
    hour = (np.arange(days * PER_DAY) % PER_DAY) // 4
    sigma = np.where((hour >= 18) & (hour < 22), 2.0, 1.0)  # noisier evenings
    stat = sigma * rng.standard_normal(days * PER_DAY)
    scale = noise_scale.by_hour(laid_out(stat), stat, floor=0.0)
    last_day = slice(29 * PER_DAY, 30 * PER_DAY)
    evening = scale[last_day][20 * 4]
    night = scale[last_day][3 * 4]
    # The window (±2 hours) reaches one quieter hour: 1.7 expected in the evening, 1 at night.
    assert 1.45 < evening < 2.0 and 0.85 < night < 1.15
    assert np.isnan(scale[: 3 * PER_DAY]).all()  # not before half a week's worth of history
