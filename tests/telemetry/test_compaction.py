"""Compaction of a day's small files and retention of old days (docs/telemetry-storage.md)."""

import threading
from datetime import UTC, date, datetime, timedelta
from io import StringIO

import pyarrow.parquet as pq
import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command

from mains.telemetry.store import compaction
from mains.telemetry.store.compaction import compact_day, days_to_compact
from mains.telemetry.store.days import parts_of, stored_days, write_readings
from mains.telemetry.store.reader import read_readings
from mains.telemetry.store.retention import apply_retention
from mains.telemetry.store.schema import Reading
from mains.telemetry.store.upkeep import UpkeepBusy, upkeep_lock
from mains.telemetry.tasks import compact_and_expire_readings

DAY = date(2026, 3, 1)
T0 = datetime(2026, 3, 1, tzinfo=UTC)
NOW = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)


def _import(meters: list[str], hour: int) -> list[Reading]:
    """One import: an hour of 15-minute readings of these meters, newest meter first."""
    readings = [
        Reading(m, T0 + timedelta(hours=hour, minutes=15 * q), 10.0 + q, 0.3)
        for m in reversed(meters)
        for q in range(4)
    ]
    write_readings(readings)
    return readings


def _all_of_the_day() -> list[Reading]:
    return read_readings(["M1", "M2", "M3"], T0, T0 + timedelta(days=1))


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def test_a_closed_day_is_merged_into_one_file_sorted_by_meter_and_time():
    for hour in range(6):
        _import(["M1", "M2", "M3"], hour)
    before = _all_of_the_day()
    assert len(parts_of(DAY)) == 6

    result = compact_day(DAY)

    assert result is not None and result.files_before == 6 and result.rows == 72
    (merged,) = parts_of(DAY)
    assert merged.name.startswith("compact-")
    assert _all_of_the_day() == before
    table = pq.read_table(merged)
    keys = list(zip(table["meter_id"].to_pylist(), table["ts"].to_pylist(), strict=True))
    assert keys == sorted(keys)
    assert compact_day(DAY) is None, "one file is left alone"


def test_todays_growing_partition_is_compacted_only_when_forced():
    today = NOW.date()
    at = NOW - timedelta(hours=1)
    write_readings([Reading("M1", at, 1.0, 0.3)])
    write_readings([Reading("M1", at + timedelta(minutes=15), 1.0, 0.3)])
    _import(["M1"], 0)
    _import(["M1"], 1)
    assert days_to_compact() == [DAY]
    assert days_to_compact(force=True) == [DAY, today]
    assert compact_day(today) is None and len(parts_of(today)) == 2
    assert compact_day(today, force=True) is not None and len(parts_of(today)) == 1


def test_a_file_written_while_the_day_is_compacted_is_kept(monkeypatch):
    _import(["M1"], 0)
    _import(["M2"], 1)
    publish = compaction.publish
    late: list[Reading] = []

    def a_writer_slips_in(temporary, final):
        late.extend(_import(["M3"], 2))  # after the day's files were listed
        publish(temporary, final)

    monkeypatch.setattr(compaction, "publish", a_writer_slips_in)
    compact_day(DAY)

    assert len(parts_of(DAY)) == 2, "the compacted file and the late one"
    assert len(_all_of_the_day()) == 12
    assert [r for r in _all_of_the_day() if r.meter_id == "M3"] == sorted(late, key=lambda r: r.ts)


def test_readers_see_each_day_exactly_once_while_it_is_compacted():
    expected = 0
    for hour in range(3):
        expected += len(_import(["M1", "M2", "M3"], hour))
    seen: set[int] = set()
    stop = threading.Event()

    def read_all_the_time():
        while not stop.is_set():
            seen.add(len(_all_of_the_day()))

    reader = threading.Thread(target=read_all_the_time)
    reader.start()
    try:
        for hour in range(3, 15):
            expected += len(_import(["M1", "M2", "M3"], hour))
            compact_day(DAY)
    finally:
        stop.set()
        reader.join()
    assert len(_all_of_the_day()) == expected == 180
    assert seen and all(36 <= n <= expected and n % 12 == 0 for n in seen), sorted(seen)


def test_a_compaction_that_died_while_swapping_is_finished_by_the_next(monkeypatch):
    _import(["M1"], 0)
    _import(["M2"], 1)
    before = _all_of_the_day()

    def dies(parts):
        raise KeyboardInterrupt  # the process is stopped between publishing and removing

    monkeypatch.setattr(compaction, "remove_parts", dies)
    with pytest.raises(KeyboardInterrupt):
        compact_day(DAY)
    assert len(_all_of_the_day()) == 2 * len(before), "the day is there twice meanwhile"
    monkeypatch.undo()

    compact_day(DAY)
    assert _all_of_the_day() == before
    assert len(parts_of(DAY)) == 1


def test_only_one_upkeep_runs_at_a_time():
    _import(["M1"], 0)
    _import(["M1"], 1)
    with upkeep_lock():
        with pytest.raises(UpkeepBusy):
            compact_day(DAY)
        with pytest.raises(CommandError, match="busy"):
            call_command("telemetry", "compact", stdout=StringIO())
    assert compact_day(DAY) is not None


def test_days_older_than_the_retention_are_dropped(settings):
    for days_back in (1, 10, 40, 400):
        write_readings([Reading("M1", NOW - timedelta(days=days_back), 1.0, 0.3)])
    settings.TELEMETRY_RETENTION_DAYS = 30
    dropped = apply_retention()
    assert dropped == [(NOW - timedelta(days=d)).date() for d in (400, 40)]
    assert stored_days() == [(NOW - timedelta(days=d)).date() for d in (10, 1)]
    assert len(read_readings(["M1"], NOW - timedelta(days=500), NOW)) == 2


def test_a_retention_of_zero_keeps_everything_and_a_negative_one_is_refused(settings):
    write_readings([Reading("M1", NOW - timedelta(days=4000), 1.0, 0.3)])
    settings.TELEMETRY_RETENTION_DAYS = 0
    assert apply_retention() == []
    assert len(stored_days()) == 1
    settings.TELEMETRY_RETENTION_DAYS = -1
    with pytest.raises(ImproperlyConfigured):
        apply_retention()


def test_the_commands_compact_and_drop_with_a_report():
    _import(["M1"], 0)
    _import(["M2"], 1)
    write_readings([Reading("M1", NOW - timedelta(days=100), 1.0, 0.3)])
    out = StringIO()
    call_command("telemetry", "compact", stdout=out)
    assert "2026-03-01: 2 files merged into one (8 readings" in out.getvalue()
    out = StringIO()
    call_command("telemetry", "compact", stdout=out)
    assert "Nothing to compact" in out.getvalue()
    out = StringIO()
    call_command("telemetry", "retention", "--days", "30", "--dry-run", stdout=out)
    assert "1 days older than 30 days would be dropped." in out.getvalue()
    assert len(stored_days()) == 2
    call_command("telemetry", "retention", "--days", "30", stdout=StringIO())
    assert stored_days() == [DAY]


def test_the_compact_command_explains_a_bad_day():
    with pytest.raises(CommandError, match="“yesterday” is not a day; write it as YYYY-MM-DD."):
        call_command("telemetry", "compact", "--day", "yesterday")
    out = StringIO()
    call_command("telemetry", "compact", "--day", "2026-02-01", stdout=out)
    assert "No readings are stored for 2026-02-01." in out.getvalue()


def test_the_nightly_job_compacts_yesterday_and_applies_the_retention(settings):
    settings.TELEMETRY_RETENTION_DAYS = 30
    _import(["M1"], 0)
    _import(["M2"], 1)
    write_readings([Reading("M1", NOW - timedelta(days=100), 1.0, 0.3)])
    result = compact_and_expire_readings.call_local()
    assert result["compacted_days"] == ["2026-03-01"] and len(result["dropped_days"]) == 1
    assert len(parts_of(DAY)) == 1


def test_the_huey_consumer_knows_the_nightly_job():
    from huey.contrib.djhuey import HUEY

    periodic = {(type(t).__module__, t.name) for t in HUEY._registry.periodic_tasks}
    assert ("mains.telemetry.tasks", "compact_and_expire_readings") in periodic
