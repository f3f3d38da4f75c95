"""The column-wide checks answer exactly as the row-by-row parser does."""

from datetime import UTC, datetime, timedelta

import numpy as np
import pyarrow as pa
import pytest

from mains.telemetry.detect.series import EPOCH
from mains.telemetry.ingest import cell_checks as ingest_fast
from mains.telemetry.ingest import duplicates as ingest_store
from mains.telemetry.ingest import files, intake, messages
from mains.telemetry.models import Meter, QuarantinedReading
from mains.telemetry.store import reader
from mains.telemetry.store.reader import read_readings

TIMES = [
    "2026-03-01T22:00:00+08:00",
    "2026-03-01 22:00:00Z",
    "2026-03-01T22:00:00.5-03:30",
    "2026-03-01T22:00:00.123456+00:00",
    "2026-03-01T22:00:00.1234567+08:00",
    "2024-02-29T00:00:00Z",
    "2026-02-29T00:00:00Z",
    "2026-02-30T10:00:00+08:00",
    "2026-03-01T24:00:00Z",
    "2026-03-01T23:59:60Z",
    "2026-03-01T22:00:00+08:75",
    "2026-03-01T22:00+08:00",
    "20260301T220000+0800",
    "2026-03-01T22:00:00",
    "2026-03-01",
    "yesterday",
    "",
    "0001-01-01T00:00:00+08:00",
]
NUMBERS = ["12.5", "1e3", "-0", ".5", "5.", "1_000", "nan", "inf", "lots", "0x10", "", " 7 "]


def python_answer(text: str):
    try:
        return "ok", ingest_fast.parse_time(text)
    except ingest_fast.RowError as error:
        return error.code, None


@pytest.mark.parametrize("text", TIMES)
def test_times_are_read_as_python_reads_them(text):
    us, status = ingest_fast.parse_times(pa.array([text]))
    code, expected = python_answer(text)
    if code == "ok":
        assert status[0] == ingest_fast.OK
        assert EPOCH + timedelta(microseconds=int(us[0])) == expected
    else:
        assert status[0] == code


def test_numbers_are_read_as_python_reads_them():
    values, empty, bad = ingest_fast.parse_values(pa.array(NUMBERS))
    for i, text in enumerate(NUMBERS):
        if not text.strip():
            assert empty[i]
            continue
        expected = ingest_fast.parse_number(text.strip())
        assert bad[i] == (expected is None), text
        if expected is not None:
            assert values[i] == expected


@pytest.fixture
def meters(city):
    Meter.objects.create(code="XG-M1", community=city.xingguang)


def test_duplicates_and_order_hold_across_the_chunks_of_a_big_file(tmp_path, meters, monkeypatch):
    monkeypatch.setattr(files, "CHUNK_ROWS", 2)
    t0 = datetime(2026, 3, 1, 14, tzinfo=UTC)
    lines = [f"XG-M1,{(t0 + timedelta(minutes=15 * i)).isoformat()},1,0.3" for i in (0, 1, 2)]
    lines += [lines[0], f"XG-M1,{(t0 - timedelta(days=3)).isoformat()},1,0.3", lines[2]]
    path = tmp_path / "big.csv"
    path.write_text("meter_id,ts,flow_m3h,pressure_mpa\n" + "\n".join(lines) + "\n")
    result = files.import_file(path, "big.csv")
    assert (result.stored, result.quarantined) == (3, 3)
    reasons = QuarantinedReading.objects.order_by("line_number").values_list(
        "line_number", "reason"
    )
    assert list(reasons) == [
        (5, "duplicate reading"),
        (6, "out of order"),
        (7, "duplicate reading"),
    ]
    assert len(read_readings(["XG-M1"], t0, t0 + timedelta(days=1))) == 3


def test_the_last_stored_reading_is_found_in_an_older_day(tmp_path, meters):
    t0 = datetime(2026, 3, 1, 14, tzinfo=UTC)
    path = tmp_path / "a.csv"
    path.write_text(f"meter_id,ts,flow_m3h,pressure_mpa\nXG-M1,{t0.isoformat()},1,0.3\n")
    files.import_file(path, "a.csv")
    state = ingest_store.StoreState()
    us = state.last_for(["XG-M1", "OTHER"])
    assert list(us) == [int(t0.timestamp() * 1_000_000), np.iinfo(np.int64).min]


def test_a_plain_csv_file_read_by_pyarrow_gives_what_the_line_by_line_reader_gives(
    tmp_path, meters, settings, monkeypatch
):
    body = "\n".join(
        [
            "XG-M1,2026-03-01T22:00:00+08:00,12.5,0.31",
            " XG-M1 , 2026-03-01T22:15:00+08:00 , 1_000 , ",
            "XG-M1,2026-03-01T22:10:00+08:00,1,0.3",
            "NOPE,2026-03-01T22:30:00+08:00,1,0.3",
            "XG-M1,2026-02-30T22:30:00+08:00,1,0.3",
            "XG-M1,2026-03-01T22:30:00,1,0.3",
            "XG-M1,2026-03-01T22:30:00+08:00,nan,0.3",
            "XG-M1,2026-03-01T22:30:00+08:00,,",
            "XG-M1,2026-03-01T22:15:00+08:00,1,0.3",
            "XG-M1,2026-03-01T22:45:00+08:00,1,3",
        ]
    )
    path = tmp_path / "plain.csv"
    path.write_text("\ufeffmeter_id,ts,flow_m3h,pressure_mpa\n" + body)

    def run(folder: str) -> tuple:
        settings.TELEMETRY_DIR = tmp_path / folder
        result = files.import_file(path, "plain.csv")
        refused = list(
            QuarantinedReading.objects.order_by("line_number").values_list(
                "line_number", "raw", "reason"
            )
        )
        QuarantinedReading.objects.all().delete()
        t0 = datetime(2026, 3, 1, tzinfo=UTC)
        return result.stored, refused, read_readings(["XG-M1"], t0, t0 + timedelta(days=1))

    assert files._plain_csv(path.read_bytes().split(b"\n", 1)[1]) is not None
    fast_answer = run("fast")
    monkeypatch.setattr(files, "_plain_csv", lambda body: None)
    assert run("slow") == fast_answer
    assert fast_answer[0] == 2 and len(fast_answer[1]) == 8


def test_after_an_import_the_detectors_are_queued_unless_jobs_run_immediately(
    meters, settings, monkeypatch
):
    from huey.contrib.djhuey import HUEY

    from mains.telemetry import tasks

    queued = []
    monkeypatch.setattr(tasks, "detect_after_ingest", lambda *args: queued.append(args))
    first = datetime(2026, 3, 1, 14, tzinfo=UTC)
    result = intake.ImportResult(stored=1, meter_ids={"XG-M1"}, first_ts=first)
    assert intake.after_ingest(result) == []  # tests run jobs immediately: detectors ran here
    assert queued == []
    monkeypatch.setattr(HUEY, "immediate", False)
    settings.HUEY_IMMEDIATE = False
    assert intake.after_ingest(result) is None
    assert queued == [(["XG-M1"], first.isoformat())]
    assert intake.after_ingest(intake.ImportResult()) == []
    assert len(queued) == 1


def test_duplicates_are_looked_for_only_in_the_days_they_fall_on(tmp_path, meters, monkeypatch):
    def write(name: str, *times: str) -> intake.ImportResult:
        path = tmp_path / name
        rows = "".join(f"XG-M1,{t},1,0.3\n" for t in times)
        path.write_text("meter_id,ts,flow_m3h,pressure_mpa\n" + rows)
        return files.import_file(path, name)

    write("a.csv", "2026-03-01T10:00:00Z", "2026-03-05T10:00:00Z", "2026-03-05T11:00:00Z")
    days_read: list[list[int]] = []
    real_files = reader.day_files

    def spy(days):
        days_read.append(sorted((d - EPOCH.date()).days for d in days))
        return real_files(days)

    # Both the meters' last readings and the duplicates are read through day_files.
    monkeypatch.setattr(reader, "day_files", spy)
    result = write("b.csv", "2026-03-05T10:00:00Z")
    assert (result.stored, result.refused) == (0, [(2, "duplicate reading")])
    march_5 = (datetime(2026, 3, 5, tzinfo=UTC) - EPOCH).days
    # the meter's last reading (newest day first), then the suspect's day: never 1 March
    assert days_read == [[march_5], [march_5]]


def test_a_long_lived_subscriber_notices_what_another_import_stored_meanwhile(tmp_path, meters):
    state = ingest_store.StoreState()

    def record(ts: str) -> messages.Record:
        return messages.Record("mqtt:t/XG-M1", None, ts, ["XG-M1", ts, "1", "0.3"])

    first = messages.import_records([record("2026-03-01T10:00:00Z")], intake.ImportResult(), state)
    assert first.stored == 1
    path = tmp_path / "beside.csv"
    path.write_text(
        "meter_id,ts,flow_m3h,pressure_mpa\nXG-M1,2026-03-01T10:30:00Z,1,0.3\n"
        "XG-M1,2026-03-01T11:00:00Z,1,0.3\n"
    )
    assert files.import_file(path, "beside.csv").stored == 2
    later = messages.import_records(
        [record("2026-03-01T10:30:00Z"), record("2026-03-01T10:45:00Z")],
        intake.ImportResult(),
        state,
    )
    assert (later.stored, later.refused) == (
        0,
        [(None, "duplicate reading"), (None, "out of order")],
    )


def test_a_long_lived_subscriber_learns_of_a_new_meter_when_it_forgets(meters, city):
    state = ingest_store.StoreState()

    def send(meter: str) -> intake.ImportResult:
        ts = "2026-03-01T10:00:00Z"
        record = messages.Record(f"mqtt:t/{meter}", None, ts, [meter, ts, "1", "0.3"])
        return messages.import_records([record], intake.ImportResult(), state)

    assert send("XG-M1").stored == 1
    Meter.objects.create(code="JX-M1", community=city.jinxiu)
    assert send("JX-M1").refused == [(None, "unknown meter")], "meters are asked once"
    state.forget()  # what the subscriber does every minute
    assert send("JX-M1").stored == 1
