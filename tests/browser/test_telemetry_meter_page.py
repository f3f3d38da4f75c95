"""In a real browser: the engineer lands on the alarms and reads the meter's chart."""

from datetime import UTC, datetime, timedelta

from mains.telemetry.detection import run_detectors
from mains.telemetry.models import Meter
from mains.telemetry.storage import Reading, write_readings
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
