"""The Huey jobs of the network watch (Huey runs tasks immediately in the tests)."""

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from mains.telemetry import detect as detect_package
from mains.telemetry.detect import Finding
from mains.telemetry.detect.series import local_minute_of_day
from mains.telemetry.models import Alarm, Meter
from mains.telemetry.store.days import write_readings
from mains.telemetry.store.schema import Reading
from mains.telemetry.tasks import detect_after_ingest, night_flow_each_morning, run_night_flow

LOCAL = ZoneInfo("Asia/Shanghai")
EVENING = datetime(2026, 3, 1, 20, 0, tzinfo=LOCAL)
STEP = timedelta(minutes=15)


def store(code, start, values):
    write_readings(
        [Reading(code, (start + i * STEP).astimezone(UTC), f, p) for i, (f, p) in enumerate(values)]
    )


@pytest.fixture
def master(city):
    return Meter.objects.create(code="XG-M1", kind=Meter.Kind.MASTER, community=city.xingguang)


def test_detect_after_ingest_raises_the_alarms_of_the_new_readings(city, master):
    store("XG-M1", EVENING, [(40.0, 0.32)] * 8 + [(95.0, 0.21)] * 4)
    result = detect_after_ingest(["XG-M1", "XG-M1"], EVENING.isoformat()).get()
    alarm = Alarm.objects.get()
    assert result == {"meters": 1, "raised": [alarm.pk]}
    assert (alarm.kind, alarm.work_order.category.code) == ("burst", "W-BURST")
    # Queued twice for the same readings: still one alarm, one order.
    assert detect_after_ingest(["XG-M1"], EVENING.isoformat()).get()["raised"] == []


@pytest.mark.parametrize("since", ["yesterday", "2026-03-01T20:00:00", None])
def test_detect_after_ingest_refuses_a_time_it_cannot_read(city, master, since):
    result = detect_after_ingest(["XG-M1"], since).get()
    assert result["raised"] == [] and "since_iso" in result["error"]


def night_flow_double():
    """A night-flow detector for the job's plumbing: the 02:00–04:00 minimum over 10 m³/h."""

    def find(series, settings):
        minute = local_minute_of_day(series.ts_us, settings)
        night = (minute >= 120) & (minute < 240)
        if not night.any() or np.nanmin(series.flow_m3h[night]) <= 10:
            return []
        first = int(series.ts_us[np.flatnonzero(night)[0]])
        # The keys the real detector writes (night_flow.find).
        nights = [
            {
                "night_end": "2026-03-02T04:00:00+08:00",
                "min_night_flow_m3h": 12.0,
                "expected_m3h": 1.5,
                "added_flow_m3h": 11.0,
            }
        ]
        detail = {
            "confirmed_at": "2026-03-02T03:45:00+08:00",
            "usual_night_share": 0.1,
            "expected_min_night_flow_m3h": 1.5,
            "added_flow_limit_m3h": 10.0,
            "nights": nights,
        }
        return [Finding("night_flow", first, None, detail)]

    return SimpleNamespace(KIND="night_flow", METER_KINDS=("master", "inlet"), find=find)


def test_the_morning_job_runs_night_flow_over_master_meters_and_inlets(city, master, monkeypatch):
    monkeypatch.setattr(
        detect_package, "DETECTORS", [*detect_package.DETECTORS, night_flow_double()]
    )
    inlet = Meter.objects.create(code="E-IN1", kind=Meter.Kind.INLET, community=city.xingguang)
    Meter.objects.create(code="XG-H1", kind=Meter.Kind.HOUSEHOLD, community=city.xingguang)
    night = datetime(2026, 3, 2, 0, 0, tzinfo=LOCAL)
    # Both leak at night; the master meter's pressure is low too, which is not this job's.
    store("XG-M1", night, [(12.0, 0.1)] * 20)
    store("E-IN1", night, [(12.0, 0.3)] * 20)
    store("XG-H1", night, [(12.0, None)] * 20)
    result = run_night_flow(now=night + timedelta(hours=5))
    alarms = Alarm.objects.order_by("meter__code")
    assert [(a.meter.code, a.kind) for a in alarms] == [
        ("E-IN1", "night_flow"),
        ("XG-M1", "night_flow"),
    ]
    assert result["meters"] == 2
    assert sorted(result["raised"]) == sorted(a.pk for a in alarms)
    order = alarms[0].work_order
    assert order.category.code == "W-LEAK" and order.channel == "alarm"
    assert "above 10.0 m³/h" in order.description and "12.0 m³/h" in order.description
    assert "The flow added at night stayed above 10.0 m³/h for 1 night" in order.description
    assert "usual_night_share" not in order.description  # no raw keys on an order
    assert alarms[0].meter == inlet
    # The next morning, the same night again: nothing new.
    assert run_night_flow(now=night + timedelta(hours=6))["raised"] == []


def test_the_morning_job_is_scheduled_at_five_local_time():
    # Huey's schedule runs on UTC: 05:00 in Beijing is 21:00 UTC.
    task = night_flow_each_morning.s()
    assert task.validate_datetime(datetime(2026, 3, 1, 21, 0))
    assert not task.validate_datetime(datetime(2026, 3, 1, 5, 0))
