import io
from datetime import UTC, datetime, timedelta

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from django.core.management import CommandError, call_command

from mains.telemetry.models import Meter, QuarantinedReading
from mains.telemetry.store.reader import read_readings
from mains.telemetry.store.schema import Reading

HEADER = "meter_id,ts,flow_m3h,pressure_mpa\n"
T0 = datetime(2026, 3, 1, 14, 0, tzinfo=UTC)


@pytest.fixture
def meters(city):
    Meter.objects.create(code="XG-M1", community=city.xingguang)
    Meter.objects.create(code="JX-M1", community=city.jinxiu)


def run_import(tmp_path, body: str, name="readings.csv"):
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    out = []

    class Sink:
        def write(self, text):
            out.append(text)

        def flush(self):
            pass

    call_command("telemetry", "import", str(path), "--no-detect", stdout=Sink())
    return "".join(out)


def test_good_rows_are_stored_and_read_back_through_duckdb(tmp_path, meters):
    output = run_import(
        tmp_path,
        "XG-M1,2026-03-01T22:00:00+08:00,12.5,0.31\n"
        "XG-M1,2026-03-01T22:15:00+08:00,,0.30\n"
        "JX-M1,2026-03-01T14:15:00Z,7,\n",
    )
    assert "3 readings stored, 0 quarantined" in output
    assert read_readings(["XG-M1"], T0, T0 + timedelta(hours=1)) == [
        Reading("XG-M1", T0, 12.5, 0.31),
        Reading("XG-M1", T0 + timedelta(minutes=15), None, 0.30),
    ]
    assert QuarantinedReading.objects.count() == 0


@pytest.mark.parametrize(
    "line, reason",
    [
        ("NOPE,2026-03-01T22:00:00+08:00,1,0.3", "unknown meter"),
        ("XG-M1,yesterday,1,0.3", "unparsable time"),
        ("XG-M1,2026-03-01T22:00:00,1,0.3", "time without a zone"),
        ("XG-M1,2026-03-01T22:00:00+08:00,,", "neither flow nor pressure"),
        ("XG-M1,2026-03-01T22:00:00+08:00,-1,0.3", "impossible flow"),
        ("XG-M1,2026-03-01T22:00:00+08:00,100001,0.3", "impossible flow"),
        ("XG-M1,2026-03-01T22:00:00+08:00,1,-0.1", "impossible pressure"),
        ("XG-M1,2026-03-01T22:00:00+08:00,1,2.5", "impossible pressure"),
        ("XG-M1,2026-03-01T22:00:00+08:00,lots,0.3", "flow_m3h is not a number"),
        ("XG-M1,2026-03-01T22:00:00+08:00,1", "expected 4 columns, found 3"),
    ],
)
def test_each_kind_of_bad_row_is_quarantined_with_its_reason(tmp_path, meters, line, reason):
    output = run_import(tmp_path, line + "\n")
    assert "0 readings stored, 1 quarantined" in output
    refused = QuarantinedReading.objects.get()
    assert (refused.source, refused.line_number, refused.raw, refused.reason) == (
        "readings.csv",
        2,
        line,
        reason,
    )


def test_duplicates_in_the_file_and_in_the_store_are_quarantined(tmp_path, meters):
    run_import(tmp_path, "XG-M1,2026-03-01T22:00:00+08:00,1,0.3\n", name="first.csv")
    output = run_import(
        tmp_path,
        "XG-M1,2026-03-01T22:00:00+08:00,1,0.3\n"
        "XG-M1,2026-03-01T22:15:00+08:00,1,0.3\n"
        "XG-M1,2026-03-01T14:15:00Z,2,0.3\n",
        name="second.csv",
    )
    assert "1 readings stored, 2 quarantined" in output
    reasons = list(
        QuarantinedReading.objects.order_by("line_number").values_list("line_number", "reason")
    )
    assert reasons == [(2, "duplicate reading"), (4, "duplicate reading")]


def test_out_of_order_times_are_quarantined(tmp_path, meters):
    run_import(tmp_path, "XG-M1,2026-03-01T22:30:00+08:00,1,0.3\n", name="first.csv")
    output = run_import(
        tmp_path,
        "XG-M1,2026-03-01T22:00:00+08:00,1,0.3\n"
        "XG-M1,2026-03-01T22:45:00+08:00,1,0.3\n"
        "XG-M1,2026-03-01T22:40:00+08:00,1,0.3\n",
    )
    assert "1 readings stored, 2 quarantined" in output
    assert set(QuarantinedReading.objects.values_list("reason", flat=True)) == {"out of order"}


def test_a_file_with_the_wrong_header_is_refused_clearly(tmp_path, meters):
    path = tmp_path / "bad.csv"
    path.write_text("id,time\nXG-M1,2026-03-01T22:00:00+08:00\n", encoding="utf-8")
    with pytest.raises(CommandError, match="first line must be"):
        call_command("telemetry", "import", str(path))
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("telemetry", "import", str(tmp_path / "missing.csv"))


def test_readings_of_a_meter_taken_out_of_service_are_quarantined(tmp_path, meters):
    Meter.objects.filter(code="XG-M1").update(active=False)
    output = run_import(tmp_path, "XG-M1,2026-03-01T22:00:00+08:00,1,0.3\n")
    assert "0 readings stored, 1 quarantined" in output
    assert QuarantinedReading.objects.get().reason == "unknown meter"


def test_a_parquet_file_is_validated_like_a_csv_file(tmp_path, meters):
    path = tmp_path / "readings.parquet"
    table = pa.table(
        {
            "meter_id": ["XG-M1", "XG-M1", "NOPE"],
            "ts": pa.array([T0, T0, T0], pa.timestamp("us", tz="Asia/Shanghai")),
            "flow_m3h": [12.5, 13.0, 1.0],
            "pressure_mpa": [0.31, None, 0.3],
        }
    )
    pq.write_table(table, path)
    output = io.StringIO()
    call_command("telemetry", "import", str(path), "--no-detect", stdout=output)
    assert "1 readings stored, 2 quarantined" in output.getvalue()
    assert read_readings(["XG-M1"], T0, T0 + timedelta(hours=1)) == [
        Reading("XG-M1", T0, 12.5, 0.31)
    ]
    refused = list(QuarantinedReading.objects.order_by("line_number"))
    assert [(q.line_number, q.reason) for q in refused] == [
        (2, "duplicate reading"),
        (3, "unknown meter"),
    ]
    assert refused[1].raw == "NOPE,2026-03-01T22:00:00+08:00,1.0,0.3"


def test_a_parquet_file_without_the_columns_is_refused_clearly(tmp_path, meters):
    path = tmp_path / "bad.parquet"
    pq.write_table(pa.table({"meter_id": ["XG-M1"]}), path)
    with pytest.raises(CommandError, match="Missing columns: ts, flow_m3h, pressure_mpa"):
        call_command("telemetry", "import", str(path))
    (tmp_path / "junk.parquet").write_text("not parquet")
    with pytest.raises(CommandError, match="junk.parquet"):
        call_command("telemetry", "import", str(tmp_path / "junk.parquet"))
