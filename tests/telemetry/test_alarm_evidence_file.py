"""The readings behind an alarm travel with its work order as a CSV file."""

import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from mains.desk.models import WorkOrder
from mains.telemetry.models import Alarm, Meter

LOCAL = ZoneInfo("Asia/Shanghai")
EVENING = datetime(2026, 3, 1, 20, 0, tzinfo=LOCAL)
STEP = timedelta(minutes=15)


@pytest.fixture
def master_meter(city):
    return Meter.objects.create(code="XG-M1", kind=Meter.Kind.MASTER, community=city.xingguang)


def test_a_burst_order_carries_the_readings_around_the_onset(tmp_path, city, master_meter):
    values = [(40.0, 0.32)] * 8 + [(95.0, 0.21)] * 4
    lines = ["meter_id,ts,flow_m3h,pressure_mpa"] + [
        f"XG-M1,{(EVENING + i * STEP).isoformat()},{f},{p}" for i, (f, p) in enumerate(values)
    ]
    path = tmp_path / "evening.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    call_command("telemetry", "import", str(path), stdout=io.StringIO())

    alarm = Alarm.objects.get()
    order = WorkOrder.objects.get()
    assert alarm.work_order == order
    attachment = order.attachments.get()
    assert attachment.name == "XG-M1-burst-20260301T1400Z.csv"
    assert attachment.content_type == "text/csv"
    rows = attachment.file.read().decode("utf-8").splitlines()
    assert rows[0] == "meter_id,ts,flow_m3h,pressure_mpa"
    assert len(rows) == 1 + 12  # the whole evening: six hours before the onset, one after
    assert "XG-M1,2026-03-01T14:00:00+00:00,95.0,0.21" in rows
