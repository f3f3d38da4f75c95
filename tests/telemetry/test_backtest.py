"""`mains telemetry backtest`: the detectors over a file of history, the alarms as CSV."""

import csv
import io
import json
from datetime import UTC, datetime, timedelta

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from django.core.management import CommandError, call_command

from benchmarks.backtest_data import SCHEMA, generate
from mains.telemetry.models import Meter

HEADER = "meter_id,ts,flow_m3h,pressure_mpa\n"
START = datetime(2026, 1, 1, tzinfo=UTC)


def backtest(*args) -> str:
    out = io.StringIO()
    call_command("telemetry", "backtest", *args, "--workers", "1", stdout=out)
    return out.getvalue()


def read_alarms(path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def night_story_csv(meter_id="XG-M1", days=10, burst_day=8) -> str:
    """A quiet meter with a burst at 22:00 local time on ``burst_day`` that lasts 3 hours."""
    lines = []
    burst = START + timedelta(days=burst_day, hours=14)  # 22:00 at UTC+8
    for step in range(days * 96):
        ts = START + timedelta(minutes=15 * step)
        hour = (ts.hour + 8) % 24
        flow, pressure = (8.0, 0.32) if hour < 6 else (20.0, 0.30)
        flow += (step % 5) * 0.1
        if burst <= ts < burst + timedelta(hours=3):
            flow, pressure = flow + 30.0, 0.18
        lines.append(f"{meter_id},{ts.isoformat()},{flow:.2f},{pressure:.3f}")
    return HEADER + "\n".join(lines) + "\n"


def test_it_finds_the_night_burst_of_a_meter_it_does_not_know(tmp_path, db):
    source = tmp_path / "history.csv"
    source.write_text(night_story_csv(), encoding="utf-8")
    out = tmp_path / "alarms.csv"
    message = backtest("--input", str(source), "--out", str(out))
    alarms = read_alarms(out)
    bursts = [a for a in alarms if a["kind"] == "burst"]
    assert len(bursts) == 1
    assert bursts[0]["meter_id"] == "XG-M1"
    assert bursts[0]["raised_at"] == "2026-01-09T14:00:00+00:00"
    assert bursts[0]["cleared_at"] == "2026-01-09T17:00:00+00:00"
    assert json.loads(bursts[0]["detail"])["readings"][0]["flow_m3h"] >= 38
    assert "from 1 meters and 960 readings" in message


def test_the_output_has_the_documented_columns_and_an_open_alarm_has_no_cleared_at(tmp_path, db):
    source = tmp_path / "history.csv"
    text = night_story_csv(days=9, burst_day=8)
    text = "\n".join(text.splitlines()[: 1 + 8 * 96 + 56 + 8]) + "\n"  # ends inside the burst
    source.write_text(text, encoding="utf-8")
    out = tmp_path / "alarms.csv"
    backtest("--input", str(source), "--out", str(out))
    assert out.read_text(encoding="utf-8").splitlines()[0] == (
        "meter_id,kind,raised_at,cleared_at,detail"
    )
    (burst,) = [a for a in read_alarms(out) if a["kind"] == "burst"]
    assert burst["cleared_at"] == ""


def test_bad_rows_are_counted_by_reason_and_the_rest_is_used(tmp_path, db):
    text = night_story_csv()
    bad = [
        "XG-M1,yesterday,1,0.3",
        "XG-M1,2026-01-02 10:00:00,1,0.3",
        "XG-M1,2026-01-02T10:00:00+08:00,lots,0.3",
        "XG-M1,2026-01-02T10:00:00+08:00,,",
        "XG-M1,2026-01-02T10:00:00+08:00,-4,0.3",
        "XG-M1,2026-01-02T10:00:00+08:00,1,0.3,extra",
        "XG-M1,2026-01-01T00:00:00Z,8,0.32",
        ",2026-01-02T10:00:00+08:00,1,0.3",
    ]
    source = tmp_path / "history.csv"
    source.write_text(text + "\n".join(bad) + "\n", encoding="utf-8")
    out = tmp_path / "alarms.csv"
    message = backtest("--input", str(source), "--out", str(out))
    assert "8 rows left out" in message
    for reason in [
        "unparsable time",
        "time without a zone",
        "flow_m3h is not a number",
        "neither flow nor pressure",
        "impossible flow",
        "not four columns",
        "duplicate reading",
        "no meter_id",
    ]:
        assert f"1  {reason}" in message
    assert [a["kind"] for a in read_alarms(out)].count("burst") == 1


def test_from_and_to_keep_the_alarms_raised_in_the_window_only(tmp_path, db):
    source = tmp_path / "history.csv"
    source.write_text(night_story_csv(), encoding="utf-8")
    inside, before = tmp_path / "inside.csv", tmp_path / "before.csv"
    backtest("--input", str(source), "--out", str(inside), "--from", "2026-01-09T00:00:00+08:00")
    backtest("--input", str(source), "--out", str(before), "--to", "2026-01-09T00:00:00+08:00")
    assert "burst" in [a["kind"] for a in read_alarms(inside)]
    assert "burst" not in [a["kind"] for a in read_alarms(before)]


def test_a_meter_the_database_knows_is_judged_by_its_kind(tmp_path, city):
    Meter.objects.create(code="XG-M1", community=city.xingguang, kind=Meter.Kind.HOUSEHOLD)
    source = tmp_path / "history.csv"
    source.write_text(night_story_csv(), encoding="utf-8")
    out = tmp_path / "alarms.csv"
    backtest("--input", str(source), "--out", str(out))
    assert "burst" not in [a["kind"] for a in read_alarms(out)]


def test_parquet_folder_csv_and_glob_give_the_same_alarms(tmp_path, db):
    folder = tmp_path / "store"
    generate(folder, meters=6, days=14, start=START, burst_share=0.5, meters_per_group=2)
    table = pq.read_table(sorted(folder.glob("*/*.parquet")), columns=None)
    lines = [HEADER.strip()]
    for row in table.sort_by([("meter_id", "ascending"), ("ts", "ascending")]).to_pylist():
        flow = "" if row["flow_m3h"] is None else row["flow_m3h"]
        pressure = "" if row["pressure_mpa"] is None else row["pressure_mpa"]
        lines.append(f"{row['meter_id']},{row['ts'].isoformat()},{flow},{pressure}")
    (tmp_path / "all.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    results = []
    for spec in [str(folder), str(tmp_path / "all.csv"), f"{folder}/day=*/*.parquet"]:
        out = tmp_path / "alarms.csv"
        backtest("--input", spec, "--out", str(out))
        results.append(out.read_text(encoding="utf-8"))
    assert results[0] == results[1] == results[2]
    assert "burst" in results[0]


def test_a_file_without_a_usable_row_gives_an_empty_alarm_list(tmp_path, db):
    source = tmp_path / "history.csv"
    source.write_text(HEADER + "XG-M1,soon,1,0.3\n", encoding="utf-8")
    out = tmp_path / "alarms.csv"
    message = backtest("--input", str(source), "--out", str(out))
    assert out.read_text(encoding="utf-8") == "meter_id,kind,raised_at,cleared_at,detail\n"
    assert "0 alarms from 0 meters" in message
    assert "1  unparsable time" in message


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.csv", None, "no such file"),
        ("other.csv", b"when,what\n1,2\n", "The first line must be"),
        ("broken.parquet", b"not parquet at all", "Cannot read"),
        ("empty-folder", "folder", "No Parquet file"),
    ],
)
def test_an_input_it_cannot_read_is_refused_clearly(tmp_path, db, name, content, message):
    path = tmp_path / name
    if content == "folder":
        path.mkdir()
    elif content is not None:
        path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        backtest("--input", str(path), "--out", str(tmp_path / "alarms.csv"))


def test_a_time_without_a_zone_in_from_is_refused(tmp_path, db):
    source = tmp_path / "history.csv"
    source.write_text(night_story_csv(days=1), encoding="utf-8")
    with pytest.raises(CommandError, match="--from must be an ISO-8601 time with a zone"):
        backtest("--input", str(source), "--out", str(tmp_path / "a.csv"), "--from", "2026-01-01")


def test_bad_rows_of_a_parquet_store_are_counted_too(tmp_path, db):
    t = [START + timedelta(minutes=15 * i) for i in range(4)]
    table = pa.table(
        {
            "meter_id": ["A", "A", "A", "A", "A", "B", None],
            "ts": [t[0], t[1], t[1], t[2], t[3], t[0], t[0]],
            "flow_m3h": [1.0, 1.0, 2.0, -3.0, None, 2.0, 1.0],
            "pressure_mpa": [0.3, 0.3, 0.3, 0.3, None, 0.3, 0.3],
        },
        schema=SCHEMA,
    )
    pq.write_table(table, tmp_path / "store.parquet")
    message = backtest("--input", str(tmp_path / "store.parquet"), "--out", str(tmp_path / "a.csv"))
    assert "4 rows left out" in message
    for reason in [
        "duplicate reading",
        "impossible flow",
        "neither flow nor pressure",
        "no meter_id",
    ]:
        assert f"1  {reason}" in message
    assert "from 2 meters and 3 readings" in message
