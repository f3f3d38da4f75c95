"""Live detection: findings over stored readings become alarms, orders and clearings once."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from mains.care.actions import do_register_resident
from mains.care.models import Resident
from mains.desk.models import WorkOrder
from mains.telemetry.alarms.actions import do_acknowledge_alarm
from mains.telemetry.alarms.live_detection import run_detectors
from mains.telemetry.models import Alarm, Meter
from mains.telemetry.store.days import write_readings
from mains.telemetry.store.schema import Reading

LOCAL = ZoneInfo("Asia/Shanghai")
MIDNIGHT = datetime(2026, 3, 2, 0, 0, tzinfo=LOCAL)
STEP = timedelta(minutes=15)


def store(code, start, values):
    """Readings every 15 minutes from ``start``: (flow, pressure) pairs."""
    write_readings(
        [
            Reading(code, (start + i * STEP).astimezone(UTC), flow, pressure)
            for i, (flow, pressure) in enumerate(values)
        ]
    )
    return start


def after(start, values):
    return start + len(values) * STEP


@pytest.fixture
def master(city):
    return Meter.objects.create(code="XG-M1", kind=Meter.Kind.MASTER, community=city.xingguang)


@pytest.fixture
def resident(city):
    return do_register_resident(
        city.dispatcher,
        consent_note="电话同意",
        name="王秀英",
        phone="13911112222",
        address="星光水晶城5号楼1单元302",
        community=city.xingguang,
        group=Resident.Group.ELDERLY_ALONE,
    )


@pytest.fixture
def household(city, resident):
    return Meter.objects.create(
        code="XG-H302", kind=Meter.Kind.HOUSEHOLD, community=city.xingguang, resident=resident
    )


def test_low_pressure_opens_one_pressure_order_with_the_evidence_and_clears(city, master):
    morning = [(40.0, 0.25)] * 28 + [(40.0, 0.11)] * 4 + [(40.0, 0.25)] * 3
    store("XG-M1", MIDNIGHT, morning)
    (alarm,) = run_detectors(["XG-M1"], since=MIDNIGHT)
    assert (alarm.kind, alarm.state) == ("low_pressure", "open")
    assert alarm.raised_at == MIDNIGHT + timedelta(hours=7, minutes=30)
    order = alarm.work_order
    assert (order.channel, order.category.code, order.community) == (
        "alarm",
        "W-PRESSURE",
        city.xingguang,
    )
    assert order.specialist.user == city.sam
    assert "0.14 MPa" in order.description and "Peak hours: 3 of 7 readings" in order.description

    # The same readings again: nothing new.
    assert run_detectors(["XG-M1"], since=MIDNIGHT) == []
    # An hour of good pressure: the alarm clears itself when it recovered, at 08:00.
    store("XG-M1", after(MIDNIGHT, morning), [(40.0, 0.25)] * 2)
    assert run_detectors(["XG-M1"], since=after(MIDNIGHT, morning)) == []
    alarm.refresh_from_db()
    assert alarm.state == "cleared"
    assert alarm.cleared_at == MIDNIGHT + timedelta(hours=8)
    assert alarm.detail["episode"]["peak"]["low_readings"] == 4  # added once it was over
    assert run_detectors(["XG-M1"], since=MIDNIGHT) == []
    assert Alarm.objects.count() == 1 and WorkOrder.objects.count() == 1


def test_an_acknowledged_alarm_still_clears_itself(city, master):
    low = [(40.0, 0.25)] * 8 + [(40.0, 0.1)] * 8
    store("XG-M1", MIDNIGHT, low)
    (alarm,) = run_detectors(["XG-M1"], since=MIDNIGHT)
    assert do_acknowledge_alarm(alarm, by=city.engineer)
    store("XG-M1", after(MIDNIGHT, low), [(40.0, 0.3)] * 5)
    run_detectors(["XG-M1"], since=after(MIDNIGHT, low))
    alarm.refresh_from_db()
    assert (alarm.state, alarm.cleared_at) == ("cleared", after(MIDNIGHT, low))


def test_late_data_does_not_raise_a_cleared_alarm_again(city, master):
    evening = MIDNIGHT + timedelta(hours=20)
    values = [(40.0, 0.32)] * 8 + [(95.0, 0.21)] * 4 + [(40.0, 0.32)] * 4
    store("XG-M1", evening, values)
    (alarm,) = run_detectors(["XG-M1"], since=evening)
    assert alarm.kind == "burst" and alarm.state == "cleared"  # over within the file
    # Readings of the days before arrive late: the burst's reference changes a little,
    # but it is the same burst, known and cleared.
    for day in range(1, 4):
        store("XG-M1", evening - timedelta(days=day), [(45.0, 0.32)] * 16)
    assert run_detectors(["XG-M1"], since=evening - timedelta(days=3)) == []
    assert Alarm.objects.count() == 1 and WorkOrder.objects.count() == 1


def test_a_burst_raised_long_ago_clears_when_readings_recover(city, master):
    start = MIDNIGHT - timedelta(days=12)
    onset = store("XG-M1", start, [(40.0, 0.32)] * 8 + [(95.0, 0.2)] * 3)
    (alarm,) = run_detectors(["XG-M1"], since=onset)
    # Eleven more days of it: longer than the history the detectors usually read.
    going_on = store("XG-M1", after(start, [None] * 11), [(95.0, 0.2)] * (96 * 11))
    assert run_detectors(["XG-M1"], since=going_on) == []
    repaired = store("XG-M1", after(going_on, [None] * 96 * 11), [(40.0, 0.32)] * 3)
    assert run_detectors(["XG-M1"], since=repaired) == []
    alarm.refresh_from_db()
    assert (alarm.state, alarm.cleared_at) == ("cleared", repaired)


def household_days(litres_by_day, start=MIDNIGHT):
    """A household meter's flow every 15 minutes giving these litres each local day."""
    return [(litres / 1000 / 24, None) for litres in litres_by_day for _ in range(96)]


def test_a_silent_household_opens_a_welfare_visit_without_leaking_the_resident(
    client, city, household, resident
):
    store("XG-H302", MIDNIGHT, household_days([150, 4]))
    (alarm,) = run_detectors(["XG-H302"], since=MIDNIGHT)
    assert (alarm.kind, alarm.state) == ("household_usage", "open")
    assert alarm.raised_at == MIDNIGHT + timedelta(days=2)
    assert alarm.detail["resident_id"] == resident.pk
    assert alarm.detail["days"] == [
        {"day": "2026-03-03", "litres": 4.0, "hours_covered": 24.0, "readings": 96}
    ]
    order = alarm.work_order
    assert (order.channel, order.category.code, order.state) == ("alarm", "W-WELFARE", "dispatched")
    assert order.specialist.user == city.sam and order.community == city.xingguang
    assert "4.0 L" in order.description and "under the 10.0 L" in order.description
    # The resident's name, phone and address are not in the order's text; the address is
    # where an order keeps a caller's, masked for all but the assigned specialist.
    for secret in ("王秀英", "13911112222", "5号楼1单元302", "elderly", "Elderly"):
        assert secret not in order.description
    assert (order.caller_name, order.caller_phone, order.address) == ("", "", resident.address)
    page = reverse("desk:order", args=[order.pk])
    client.force_login(city.dispatcher)
    text = client.get(page).content.decode()
    assert "XG-H302" in text and resident.address not in text and "星光水晶城5号楼****" in text
    # The engineer neither visits nor routes it: the community, not the building or evidence.
    client.force_login(city.engineer)
    text = client.get(page).content.decode()
    assert "XG-H302" not in text and "5号楼" not in text and "星光水晶城" in text
    client.force_login(city.sam)
    assert resident.address in client.get(page).content.decode()

    # A normal day again: the alarm clears at its end; the visit order stays.
    store("XG-H302", MIDNIGHT + timedelta(days=2), household_days([120]))
    assert run_detectors(["XG-H302"], since=MIDNIGHT + timedelta(days=2)) == []
    alarm.refresh_from_db()
    assert (alarm.state, alarm.cleared_at) == ("cleared", MIDNIGHT + timedelta(days=3))
    assert WorkOrder.objects.count() == 1


def test_household_thresholds_come_from_the_meter_then_the_settings(city, settings):
    Meter.objects.create(
        code="XG-H1", kind=Meter.Kind.HOUSEHOLD, community=city.jinxiu, household_high_litres=100
    )
    store("XG-H1", MIDNIGHT, household_days([90, 150]))
    (alarm,) = run_detectors(["XG-H1"], since=MIDNIGHT)
    assert alarm.detail["direction"] == "high" and alarm.detail["high_litres"] == 100
    assert "resident_id" not in alarm.detail
    assert alarm.work_order.address == city.jinxiu.address
    assert alarm.work_order.specialist.user == city.tom

    settings.TELEMETRY_HOUSEHOLD_LOW_LITRES = 95
    Meter.objects.create(code="XG-H2", kind=Meter.Kind.HOUSEHOLD, community=city.jinxiu)
    store("XG-H2", MIDNIGHT, household_days([90, 150]))
    (alarm,) = run_detectors(["XG-H2"], since=MIDNIGHT)
    assert alarm.detail["direction"] == "low" and alarm.detail["low_litres"] == 95


def test_only_the_kinds_asked_for_and_only_active_meters(city, master):
    store("XG-M1", MIDNIGHT, [(40.0, 0.25)] * 8 + [(40.0, 0.1)] * 8)
    assert run_detectors(["XG-M1"], since=MIDNIGHT, kinds=["burst", "night_flow"]) == []
    Meter.objects.filter(pk=master.pk).update(active=False)
    assert run_detectors(["XG-M1", "NO-SUCH"], since=MIDNIGHT) == []
    Meter.objects.filter(pk=master.pk).update(active=True)
    (alarm,) = run_detectors(["XG-M1"], since=MIDNIGHT)
    assert alarm.kind == "low_pressure"


def test_a_resident_no_longer_registered_is_not_watched(city, household, resident):
    Resident.objects.filter(pk=resident.pk).update(active=False)
    store("XG-H302", MIDNIGHT, household_days([150, 4]))
    assert run_detectors(["XG-H302"], since=MIDNIGHT) == []
    Resident.objects.filter(pk=resident.pk).update(active=True)
    assert len(run_detectors(["XG-H302"], since=MIDNIGHT)) == 1


def test_two_runs_over_the_same_late_file_raise_its_burst_once(city, master):
    evening = MIDNIGHT + timedelta(hours=20)
    store("XG-M1", evening, [(40.0, 0.32)] * 8 + [(95.0, 0.21)] * 4 + [(40.0, 0.32)] * 4)
    (alarm,) = run_detectors(["XG-M1"], since=evening)
    # A second job that read the alarms before the first one raised and cleared it.
    from mains.telemetry.alarms.actions import do_raise_alarm

    assert do_raise_alarm(master, "burst", alarm.raised_at, alarm.detail) is None
    assert Alarm.objects.count() == 1 and WorkOrder.objects.count() == 1


def test_an_administrator_can_stop_the_orders_of_a_kind(city, household):
    from mains.telemetry.alarms.work_orders import welfare_category

    category = welfare_category()
    category.active = False
    category.save()
    store("XG-H302", MIDNIGHT, household_days([150, 4]))
    (alarm,) = run_detectors(["XG-H302"], since=MIDNIGHT)
    assert alarm.work_order is None and not WorkOrder.objects.exists()
