from datetime import UTC, datetime, timedelta

from mains.telemetry.storage import Reading, latest_timestamps, read_readings, write_readings

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
