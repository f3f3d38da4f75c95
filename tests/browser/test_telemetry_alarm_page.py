"""In a real browser: the engineer reads the open alarms, opens one, reads why, acknowledges."""

from datetime import UTC, datetime, timedelta

from mains.telemetry.alarms.live_detection import run_detectors
from mains.telemetry.models import Alarm, Meter
from mains.telemetry.store.days import write_readings
from mains.telemetry.store.schema import Reading
from tests.browser.conftest import BROWSER_TEST

pytestmark = BROWSER_TEST

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def test_the_engineer_reads_an_alarms_evidence_and_acknowledges_it(city, visit, settings, tmp_path):
    settings.TELEMETRY_DIR = tmp_path / "telemetry"
    Meter.objects.create(code="XG-M1", community=city.xingguang)
    values = [(40.0, 0.32)] * 8 + [(95.0, 0.21)] * 4
    write_readings(
        [Reading("XG-M1", T0 + i * timedelta(minutes=15), f, p) for i, (f, p) in enumerate(values)]
    )
    (alarm,) = run_detectors(["XG-M1"], since=T0)

    eve = visit("eve")
    assert eve.path_matches(r"/telemetry/alarms/$")
    eve.page.wait_for_selector("#alarm-chart[data-ready='1'] canvas")
    assert eve.page.locator("#grid-counts tbody tr").count() == 1
    eve.shoot("telemetry-alarms", "telemetry-alarms.png")

    eve.page.click(f"#alarm-{alarm.pk} .alarm-link")
    eve.page.wait_for_url(f"**/telemetry/alarms/{alarm.pk}/")
    eve.page.wait_for_selector("#meter-chart[data-ready='1'] canvas")
    assert "95" in eve.page.inner_text("#evidence-summary")
    assert eve.page.locator("#evidence table").count() >= 1
    assert eve.page.inner_text("#work-order") == alarm.work_order.number
    eve.shoot("telemetry-alarm", "telemetry-alarm.png")

    eve.page.click("#acknowledge")
    eve.page.wait_for_selector("#acknowledged")
    assert eve.page.locator("#acknowledge").count() == 0
    alarm.refresh_from_db()
    assert alarm.state == Alarm.State.ACKNOWLEDGED
