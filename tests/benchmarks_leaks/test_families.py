"""The scenario families: their definitions, the noise generator, the physical limit, and one
tiny family simulated end to end (Net1, 12 days, the detectors in process)."""

import dataclasses

import numpy as np
import pytest

from benchmarks.leaks import families as fam


def test_families_differ_in_what_matters():
    networks = {f.network for f in fam.FAMILIES}
    assert len(networks) >= 4
    assert {f.role for f in fam.FAMILIES} == {"tuning", "scored"}
    assert {f.noise for f in fam.FAMILIES} == {"common", "class"}
    assert {f.step_min for f in fam.FAMILIES} == {5, 15}
    phis = [f.phi for f in fam.FAMILIES]
    sigmas = [f.sigma for f in fam.FAMILIES]
    assert min(phis) <= 0.3 and max(phis) >= 0.95
    assert min(sigmas) <= 0.02 and max(sigmas) >= 0.08
    assert any(f.early_leaks for f in fam.FAMILIES)
    assert any(f.drift_per_month and f.gaps_per_month for f in fam.FAMILIES)
    assert any(s.change <= -0.3 for f in fam.FAMILIES for s in f.spells)  # a holiday
    assert any(s.change >= 0.15 and s.days >= 7 for f in fam.FAMILIES for s in f.spells)
    assert sum(f.own_patterns for f in fam.FAMILIES) >= len(fam.FAMILIES) - 1
    assert len({f.name for f in fam.FAMILIES}) == len(fam.FAMILIES)


@pytest.mark.parametrize(("phi", "sigma", "step"), [(0.3, 0.01, 15), (0.85, 0.05, 15),
                                                    (0.95, 0.08, 15), (0.85, 0.05, 5)])  # fmt: skip
def test_the_noise_has_the_phi_and_sigma_asked_for(phi, sigma, step):
    family = dataclasses.replace(fam.BY_NAME["B-net3-own"], phi=phi, sigma=sigma, step_min=step,
                                 day_sigma=0.0)  # fmt: skip
    per_day = 1440 // step
    steps = 400 * per_day
    flat = [np.ones(24)]
    m = fam.multipliers(family, seed=7, steps=steps, base=flat, pattern_step_s=3600)[0]
    noise = m - 1
    lag = 15 // step  # readings in 15 minutes
    measured_phi = np.corrcoef(noise[:-lag], noise[lag:])[0, 1]
    assert np.std(noise) == pytest.approx(sigma, rel=0.08)
    assert measured_phi == pytest.approx(phi, abs=0.03)


def test_class_noise_is_independent_per_class_and_common_noise_shared():
    common = dataclasses.replace(fam.BY_NAME["B-net3-own"], day_sigma=0.0)
    per_class = dataclasses.replace(common, noise="class")
    flat = [np.ones(24), np.ones(24)]
    a = fam.multipliers(common, 3, 5000, flat, 3600)
    b = fam.multipliers(per_class, 3, 5000, flat, 3600)
    assert np.allclose(a[0], a[1])
    assert abs(np.corrcoef(b[0], b[1])[0, 1]) < 0.15
    assert fam.district_sigma(per_class, np.array([1.0, 1.0])) == pytest.approx(0.05 / np.sqrt(2))
    assert fam.district_sigma(common, np.array([1.0, 1.0])) == pytest.approx(0.05)


def test_the_physical_limit_formula():
    # White noise, no meter noise: 3σ/√4.
    assert fam.physical_limit(0.04, 0.0, sensor_sigma=0.0) == pytest.approx(0.06)
    # Fully correlated noise: averaging does not help, 3σ.
    assert fam.physical_limit(0.04, 1.0, sensor_sigma=0.0) == pytest.approx(0.12)
    # φ 0.85: (4 + 2(3·0.85 + 2·0.85² + 0.85³)) / 16 = 0.8262
    assert fam.mean_variance_factor(0.85, 4) == pytest.approx(0.82617, abs=1e-4)
    assert fam.physical_limit(0.05, 0.85, sensor_sigma=0.0) == pytest.approx(
        3 * 0.05 * np.sqrt(0.82617), abs=1e-4
    )
    # 5-minute readings: φ per reading is φ^(1/3), four readings span 20 minutes.
    assert fam.phi_per_step(0.729, 5) == pytest.approx(0.9)
    # Checked against the variance of simulated 4-reading means.
    rng = np.random.default_rng(1)
    x = fam.ar1(rng, 400_000, 0.85, 0.05)
    means = x[: len(x) // 4 * 4].reshape(-1, 4).mean(axis=1)
    assert 3 * np.std(means) == pytest.approx(
        fam.physical_limit(0.05, 0.85, sensor_sigma=0.0), rel=0.03
    )


def test_spells_rise_and_fall_smoothly():
    days = np.arange(0, 90, 1 / 96)
    factor = fam._spell_factor((fam.SPRING_FESTIVAL,), days)
    assert factor.min() == pytest.approx(0.7)
    assert factor[0] == 1.0
    assert np.max(np.abs(np.diff(factor))) < 0.02  # no step


def test_a_tiny_family_end_to_end(tmp_path, monkeypatch):
    family = dataclasses.replace(fam.BY_NAME["E-net1-5min"], name="T-tiny", step_min=15)
    monkeypatch.setattr(fam, "FAMILIES", (*fam.FAMILIES, family))
    monkeypatch.setitem(fam.BY_NAME, "T-tiny", family)
    monkeypatch.setattr(fam, "FIRST_LEAK_DAY", 8)
    monkeypatch.setattr(fam, "cache_dir", lambda: tmp_path)
    d = fam.District(family, 1, 12, 1, 0).load()
    assert len(d.base_flow) == 12 * 96
    assert [e["kind"] for e in d.events] == ["burst"] * len(fam.BURST_SIZES)
    big = d.events[-1]
    assert big["mean_leak_m3h"] > 0.3 * d.mean_flow
    series = d.scenario(len(d.events) - 1)
    leak = big["leak_step"] - big["first_step"]
    before = np.nanmean(series.flow_m3h[leak - 8 : leak])
    after = np.nanmean(series.flow_m3h[leak + 1 : leak + 9])
    assert after - before > 0.3 * d.mean_flow
    # Cached: the second load reads the same draws.
    again = fam.District(family, 1, 12, 1, 0).load()
    assert np.array_equal(again.base_flow, d.base_flow)
    out = tmp_path / "out"
    rc = fam.main([
        "--families", "T-tiny", "--seeds", "1", "--days", "12", "--bursts-per-size", "1",
        "--gradual-per-size", "0", "--jobs", "1", "--out", str(out), "--use-backtest", "no",
    ])  # fmt: skip
    assert rc == 0
    text = (out / "results.md").read_text()
    assert "T-tiny" in text and "Physical limit" in text
    assert (out / "families.png").stat().st_size > 1000


def test_the_best_step_test_limit():
    # White noise and a long history: the mean of 4 readings against a known level.
    white = fam.step_limit(0.04, 0.0, sensor_sigma=0.0, history_hours=1000)
    assert white == pytest.approx(fam.physical_limit(0.04, 0.0, sensor_sigma=0.0), rel=1e-3)
    # Slow noise is carried over from the readings before: φ 0.95, σ 8 % → about
    # 3 σ √(1 − φ²) / √(1 + 3 (1 − φ)²) = 7.5 %, far below the 23 % of averaging alone.
    slow = fam.step_limit(0.08, 0.95, sensor_sigma=0.0, history_hours=200)
    assert slow == pytest.approx(
        3 * 0.08 * np.sqrt(1 - 0.95**2) / np.sqrt(1 + 3 * 0.05**2), rel=0.02
    )
    assert slow < fam.physical_limit(0.08, 0.95, sensor_sigma=0.0) / 2
