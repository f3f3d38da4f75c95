from datetime import UTC, datetime, timedelta

from mains.telemetry.store.days import write_readings
from mains.telemetry.store.reader import latest_timestamps, read_readings
from mains.telemetry.store.schema import Reading

T0 = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)


def test_readings_are_written_by_day_and_read_back_by_meter_and_window(settings):
    readings = [
        Reading("M1", T0, 10.0, 0.3),
        Reading("M1", T0 + timedelta(hours=1), None, 0.25),
        Reading("M2", T0, 5.0, None),
    ]
    paths = write_readings(readings)
    assert sorted(p.parent.name for p in paths) == ["day=2026-03-01", "day=2026-03-02"]
    got = read_readings(["M1"], T0, T0 + timedelta(hours=2))
    assert got == readings[:2]
    assert read_readings(["M1"], T0 + timedelta(minutes=1), T0 + timedelta(hours=2)) == [
        readings[1]
    ]
    assert latest_timestamps(["M1", "M2", "M3"]) == {"M1": T0 + timedelta(hours=1), "M2": T0}


def test_reading_an_empty_store_answers_nothing():
    assert read_readings(["M1"], T0, T0 + timedelta(days=1)) == []
    assert latest_timestamps(["M1"]) == {}


def test_the_latest_reading_of_each_meter_is_found_however_far_back():
    now = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
    write_readings([Reading("M1", now - timedelta(days=400), 1.0, 0.3)])
    write_readings([Reading("M2", now - timedelta(days=20), 1.0, 0.3)])
    for hours in (30, 2, 1):  # M1's newest reading is not in the newest file
        write_readings([Reading("M1", now - timedelta(hours=hours), 1.0, 0.3)])
    write_readings([Reading("M3", now, 1.0, 0.3)])
    assert latest_timestamps(["M1", "M2", "M3", "M4"]) == {
        "M1": now - timedelta(hours=1),
        "M2": now - timedelta(days=20),
        "M3": now,
    }
