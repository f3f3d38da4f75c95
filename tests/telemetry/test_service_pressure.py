"""Low pressure is judged against the meter's service pressure, else its community's."""

from datetime import UTC, datetime

from mains.telemetry.alarms.live_detection import meter_settings
from mains.telemetry.models import Meter

NOW = datetime(2026, 3, 1, tzinfo=UTC)


def test_a_meter_without_its_own_pressure_follows_its_community(city):
    meter = Meter.objects.create(code="XG-M1", community=city.xingguang)
    assert meter_settings(meter, NOW).service_pressure_mpa == 0.14
    city.xingguang.service_pressure_mpa = 0.20
    city.xingguang.save()
    meter.refresh_from_db()
    assert meter_settings(meter, NOW).service_pressure_mpa == 0.20


def test_a_meter_of_its_own_pressure_keeps_it(city):
    city.xingguang.service_pressure_mpa = 0.20
    city.xingguang.save()
    meter = Meter.objects.create(code="XG-M1", community=city.xingguang, service_pressure_mpa=0.25)
    assert meter_settings(meter, NOW).service_pressure_mpa == 0.25
