"""The demo city's telemetry: meters, weeks of readings, and the alarms they raise."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction
from django.test import override_settings

from mains.areas.models import Community
from mains.demo.build import build_city
from mains.demo.summary import residents_side_lines
from mains.demo.telemetry import (
    DAYS,
    MENDED_BURST_STORY,
    NIGHT_FLOW_STORY,
    NIGHT_STORY,
    wipe_telemetry,
)
from mains.desk.models import WorkOrder
from mains.org.models import User
from mains.telemetry.models import Alarm, Meter
from mains.telemetry.store.days import write_readings
from mains.telemetry.store.reader import latest_timestamps, read_readings
from mains.telemetry.store.schema import Reading
from tests.demo.test_demo import FIXED_NOW

LOCAL = ZoneInfo("Asia/Shanghai")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    store = tmp_path_factory.mktemp("demo-telemetry")
    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media"), TELEMETRY_DIR=store)
    with time_machine.travel(FIXED_NOW, tick=False), media:
        with django_db_blocker.unblock(), transaction.atomic():
            report = build_city(orders=300, months=1, seed=7, now=FIXED_NOW)
            yield report, store
            transaction.set_rollback(True)


@pytest.fixture
def store(demo, settings):
    settings.TELEMETRY_DIR = demo[1]
    return demo[1]


def test_the_demo_has_meters_of_every_kind_read_every_15_minutes_up_to_now(db, demo, store):
    report, _ = demo
    kinds = {k: Meter.objects.filter(kind=k).count() for k in Meter.Kind.values}
    assert kinds["master"] >= 40 and kinds["inlet"] == 4 and kinds["household"] == 12
    assert not Meter.objects.filter(kind="household", resident=None).exists()
    codes = list(Meter.objects.exclude(kind="household").values_list("code", flat=True))
    latest = latest_timestamps(codes)
    assert set(latest) == set(codes)
    assert all(FIXED_NOW - t < timedelta(minutes=15) for t in latest.values())
    master = Meter.objects.get(kind="master", community__name=NIGHT_STORY)
    readings = read_readings([master.code], FIXED_NOW - timedelta(days=DAYS), FIXED_NOW)
    assert len(readings) == DAYS * 96
    assert report.telemetry.readings > 100_000
    assert any(line.startswith("Network watch: ") for line in residents_side_lines(report))


def test_the_night_story_burst_is_open_with_its_work_order(db, demo, store):
    burst = Alarm.objects.get(kind="burst", meter__community__name=NIGHT_STORY)
    assert burst.state == "open"
    raised = burst.raised_at.astimezone(LOCAL)
    assert (raised.hour, raised.minute) == (22, 0)
    assert FIXED_NOW - burst.raised_at < timedelta(days=1)
    order = burst.work_order
    assert order.channel == "alarm" and order.category.code == "W-BURST"
    assert order.specialist.user.username == "specialist"


def test_the_other_stories_raise_their_alarms(db, demo, store):
    live = Alarm.objects.exclude(state="cleared")
    low = live.filter(kind="low_pressure")
    assert low.count() >= 3 and low.values("meter__community__grid").distinct().count() == 1
    assert low.filter(meter__kind="inlet").exists()
    (home,) = live.filter(kind="household_usage")
    assert home.detail["direction"] == "low" and home.detail["days"][0]["litres"] < 10
    assert home.meter.resident.group == "elderly_alone"
    assert live.get(kind="night_flow").meter.community.name == NIGHT_FLOW_STORY
    mended = Alarm.objects.get(kind="burst", meter__community__name=MENDED_BURST_STORY)
    assert mended.state == "cleared"
    assert mended.cleared_at - mended.raised_at <= timedelta(hours=4)
    assert FIXED_NOW - mended.cleared_at < timedelta(days=7)
    orders = WorkOrder.objects.filter(alarms__in=Alarm.objects.all(), channel="alarm")
    assert orders.distinct().count() == Alarm.objects.count()


def test_the_engineer_sees_the_demo_alarms(db, demo, store, client):
    client.force_login(User.objects.get(username="engineer"))
    with time_machine.travel(FIXED_NOW, tick=False):
        page = client.get("/telemetry/alarms/")
        assert page.status_code == 200
        # Every open alarm but the households' (those go to the dispatchers who route visits).
        network = Alarm.objects.exclude(state="cleared").exclude(meter__kind="household")
        assert page.context["count"] == network.count() >= 5
        assert 'id="alarm-chart"' in page.content.decode()
        burst = Alarm.objects.get(kind="burst", meter__community__name=NIGHT_STORY)
        detail = client.get(f"/telemetry/alarms/{burst.pk}/")
        assert len(detail.context["chart"]["flow"]) > 48
        cleared = client.get("/telemetry/alarms/?show=cleared").content.decode()
        assert "光彩小区" in cleared.split('id="cleared-alarms"')[1]


def test_a_forced_rebuild_starts_the_network_watch_afresh(db, settings, tmp_path):
    settings.TELEMETRY_DIR = tmp_path / "store"
    with transaction.atomic():  # rolled back: the demo city of this module stays whole
        place = Community.objects.create(name="试验小区", address="试验路1号")
        Meter.objects.create(code="TEST-M1", community=place)
        write_readings([Reading("TEST-M1", FIXED_NOW, 40.0, 0.3)])
        wipe_telemetry()
        assert not Meter.objects.exists()
        assert latest_timestamps(["TEST-M1"]) == {}
        transaction.set_rollback(True)
