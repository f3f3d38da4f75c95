"""The night story: a master meter spins fast with no pressure behind it at 22:00."""

import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from mains.desk.models import WorkOrder
from mains.telemetry.alarms.live_detection import run_detectors
from mains.telemetry.models import Alarm, Meter

LOCAL = ZoneInfo("Asia/Shanghai")
EVENING = datetime(2026, 3, 1, 20, 0, tzinfo=LOCAL)
STEP = timedelta(minutes=15)


def write_csv(path, start, values):
    lines = ["meter_id,ts,flow_m3h,pressure_mpa"]
    for i, (flow, pressure) in enumerate(values):
        lines.append(f"XG-M1,{(start + i * STEP).isoformat()},{flow},{pressure}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def master_meter(city):
    return Meter.objects.create(code="XG-M1", kind=Meter.Kind.MASTER, community=city.xingguang)


def import_file(path):
    call_command("telemetry", "import", str(path), stdout=io.StringIO())


def test_a_burst_at_night_raises_one_alarm_and_one_order_and_clears_on_recovery(
    tmp_path, city, master_meter
):
    # 20:00–21:45 normal; at 22:00 the flow jumps and the pressure drops.
    evening = [(40.0, 0.32)] * 8 + [(95.0, 0.21)] * 4
    import_file(write_csv(tmp_path / "evening.csv", EVENING, evening))

    alarm = Alarm.objects.get()
    assert (alarm.meter, alarm.kind, alarm.state) == (master_meter, "burst", "open")
    assert alarm.raised_at == datetime(2026, 3, 1, 22, 0, tzinfo=LOCAL)
    assert alarm.detail["reference_flow_m3h"] == 40.0
    assert alarm.detail["reference_pressure_mpa"] == 0.32
    order = WorkOrder.objects.get()
    assert alarm.work_order == order
    assert (order.channel, order.category.code, order.community) == (
        "alarm",
        "W-BURST",
        city.xingguang,
    )
    assert order.specialist.user == city.sam
    assert "XG-M1" in order.description and "95.0" in order.description

    # The burst goes on: the next file and a second run add nothing.
    import_file(write_csv(tmp_path / "later.csv", EVENING + 12 * STEP, [(96.0, 0.20)] * 2))
    assert run_detectors(["XG-M1"], since=EVENING) == []
    assert Alarm.objects.count() == 1 and WorkOrder.objects.count() == 1

    # The crew closes the valve: readings recover and the alarm clears itself.
    recovered_at = EVENING + 14 * STEP
    import_file(write_csv(tmp_path / "repaired.csv", recovered_at, [(41.0, 0.31)] * 3))
    alarm.refresh_from_db()
    assert alarm.state == "cleared"
    assert alarm.cleared_at == recovered_at
    assert WorkOrder.objects.count() == 1


def test_a_quiet_evening_raises_nothing(tmp_path, city, master_meter):
    import_file(write_csv(tmp_path / "quiet.csv", EVENING, [(40.0, 0.32)] * 12))
    assert not Alarm.objects.exists()
    assert not WorkOrder.objects.exists()


def test_a_new_burst_after_a_cleared_one_raises_a_new_alarm(tmp_path, city, master_meter):
    values = [(40.0, 0.32)] * 8 + [(95.0, 0.21)] * 3 + [(40.0, 0.32)] * 8 + [(95.0, 0.21)] * 3
    import_file(write_csv(tmp_path / "twice.csv", EVENING, values))
    assert Alarm.objects.filter(state="cleared").count() == 1
    run_detectors(["XG-M1"], since=EVENING + 11 * STEP)
    assert Alarm.objects.filter(state="open").count() == 1
    assert WorkOrder.objects.count() == 2
