"""In a real browser: the engineer lands on the alarms and reads the meter's chart."""

from datetime import UTC, datetime, timedelta

from mains.telemetry.alarms.live_detection import run_detectors
from mains.telemetry.models import Meter
from mains.telemetry.store.days import write_readings
from mains.telemetry.store.schema import Reading
from tests.browser.conftest import BROWSER_TEST

pytestmark = BROWSER_TEST

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def test_the_engineer_follows_an_alarm_to_the_meter_chart(city, visit, settings, tmp_path):
    settings.TELEMETRY_DIR = tmp_path / "telemetry"
    Meter.objects.create(code="XG-M1", community=city.xingguang)
    values = [(40.0, 0.32)] * 8 + [(95.0, 0.21)] * 4
    write_readings(
        [Reading("XG-M1", T0 + i * timedelta(minutes=15), f, p) for i, (f, p) in enumerate(values)]
    )
    assert len(run_detectors(["XG-M1"], since=T0)) == 1

    eve = visit("eve")
    assert eve.path_matches(r"/telemetry/alarms/$"), "an engineer lands on the alarms"
    eve.page.click("text=XG-M1")
    eve.page.wait_for_url("**/telemetry/meters/XG-M1/")
    eve.page.wait_for_selector("#meter-chart canvas")
    eve.shoot("telemetry-meter")

    # A chosen period: the day of the burst (local), then one typed the wrong way round.
    eve.page.fill("#id_date_from", "2026-03-01")
    eve.page.fill("#id_date_to", "2026-03-01")
    eve.page.click("#show-window")
    eve.page.wait_for_selector("#meter-chart[data-ready='1'] canvas")
    assert "2026-03-01 00:00 – 2026-03-02 00:00" in eve.page.inner_text("#window-label")
    eve.page.fill("#id_date_from", "2026-03-05")
    eve.page.click("#show-window")
    eve.page.wait_for_selector("#window-errors")
    assert eve.page.input_value("#id_date_from") == "2026-03-05"
    assert eve.page.input_value("#id_date_to") == "2026-03-01"
