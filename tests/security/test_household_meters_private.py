"""Issue 10 item 2, on the network watch's pages: a household meter belongs to a registered
special-group resident, so its existence, code, readings and alarms are shown only to those
who route the welfare visits it raises (dispatchers, administrators), not to every watch role.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mains.care.actions import do_register_resident
from mains.care.models import Resident
from mains.telemetry.alarms.actions import do_raise_alarm
from mains.telemetry.models import Alarm, Meter

HOUSEHOLD = {
    "direction": "low",
    "low_litres": 10.0,
    "high_litres": 1000.0,
    "days": [{"day": "2026-02-28", "litres": 4.2, "hours_covered": 24.0, "readings": 96}],
}
BURST = {
    "reference_flow_m3h": 40.0,
    "reference_pressure_mpa": 0.32,
    "flow_threshold_m3h": 52.0,
    "pressure_threshold_mpa": 0.27,
    "readings": [],
}


@pytest.fixture
def household(city):
    resident = do_register_resident(
        city.dispatcher,
        consent_note="电话同意",
        name="王秀英",
        phone="13911112222",
        address="星光水晶城5号楼1单元302",
        community=city.xingguang,
        group=Resident.Group.ELDERLY_ALONE,
    )
    meter = Meter.objects.create(
        code="XG-H302", kind=Meter.Kind.HOUSEHOLD, community=city.xingguang, resident=resident
    )
    alarm = do_raise_alarm(
        meter, Alarm.Kind.HOUSEHOLD_USAGE, timezone.now() - timedelta(hours=1), HOUSEHOLD
    )
    return meter, alarm


@pytest.fixture
def burst(city):
    meter = Meter.objects.create(code="XG-M1", kind=Meter.Kind.MASTER, community=city.xingguang)
    alarm = do_raise_alarm(meter, Alarm.Kind.BURST, timezone.now() - timedelta(hours=1), BURST)
    return meter, alarm


@pytest.mark.parametrize("who", ["engineer", "manager"])
def test_other_watch_roles_get_the_404_of_a_missing_meter_for_a_household(
    client, city, household, who
):
    meter, alarm = household
    client.force_login(getattr(city, who))
    for name, real, missing in (
        ("telemetry:meter", meter.code, "NO-SUCH-METER"),
        ("telemetry:alarm", alarm.pk, alarm.pk + 1000),
    ):
        shown = client.get(reverse(name, args=[real]))
        absent = client.get(reverse(name, args=[missing]))
        assert shown.status_code == absent.status_code == 404
        assert shown.content == absent.content
    acknowledge = client.post(reverse("telemetry:acknowledge", args=[alarm.pk]))
    assert acknowledge.status_code == 404


@pytest.mark.parametrize("who", ["engineer", "manager"])
def test_the_lists_of_other_watch_roles_show_no_household(client, city, household, burst, who):
    (_meter, hidden), (_master, shown) = household, burst
    client.force_login(getattr(city, who))
    alarms = client.get(reverse("telemetry:alarms")).content.decode()
    assert reverse("telemetry:alarm", args=[shown.pk]) in alarms
    assert reverse("telemetry:alarm", args=[hidden.pk]) not in alarms
    for url in (reverse("telemetry:meters"), reverse("telemetry:meters") + "?q=XG"):
        meters = client.get(url).content.decode()
        assert "XG-H302" not in meters and "XG-M1" in meters
    with_cleared = client.get(reverse("telemetry:alarms") + "?show=cleared").content.decode()
    assert "XG-H302" not in with_cleared


@pytest.mark.parametrize("who", ["dispatcher", "admin"])
def test_those_who_route_welfare_visits_see_the_household_meter(client, city, household, who):
    meter, alarm = household
    client.force_login(getattr(city, who))
    assert client.get(reverse("telemetry:meter", args=[meter.code])).status_code == 200
    assert client.get(reverse("telemetry:alarm", args=[alarm.pk])).status_code == 200
    assert "XG-H302" in client.get(reverse("telemetry:alarms")).content.decode()


def test_the_engineer_still_sees_the_network_alarms(client, city, burst):
    meter, alarm = burst
    client.force_login(city.engineer)
    assert client.get(reverse("telemetry:alarm", args=[alarm.pk])).status_code == 200
    assert client.get(reverse("telemetry:meter", args=[meter.code])).status_code == 200
