"""The back-test's engines: worker processes and Dask give the same alarms."""

import csv
import json
from datetime import UTC, datetime

import duckdb
import pytest

from benchmarks.backtest_data import generate
from mains.telemetry.backtest import run_backtest

START = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """24 meters × 21 days in day files, row groups of 3 meters, bursts in about half."""
    folder = tmp_path_factory.mktemp("engines") / "store"
    bursts = generate(folder, meters=24, days=21, start=START, burst_share=0.5, meters_per_group=3)
    return folder, bursts


def alarms_of(path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_local_processes_and_dask_give_the_same_alarms(store, tmp_path):
    folder, bursts = store
    chunk_rows = 3 * 21 * 96  # one row group of every day file: eight chunks
    local = run_backtest(str(folder), tmp_path / "local.csv", workers=2, chunk_rows=chunk_rows)
    dask = run_backtest(
        str(folder),
        tmp_path / "dask.csv",
        engine="dask",
        workers=2,
        chunk_rows=chunk_rows,
        cluster_options={"processes": False},
    )
    assert local.chunks == dask.chunks == 8
    assert local.meters == dask.meters == 24
    assert (tmp_path / "local.csv").read_bytes() == (tmp_path / "dask.csv").read_bytes()
    found = alarms_of(tmp_path / "local.csv")
    assert found
    for burst in bursts:
        mine = [a for a in found if a["meter_id"] == burst.meter_id and a["kind"] == "burst"]
        assert mine, f"the burst injected in {burst.meter_id} was not found"
        assert json.loads(mine[0]["detail"])["readings"]


def test_one_process_and_one_chunk_give_the_same_alarms_as_many(store, tmp_path):
    folder, _bursts = store
    run_backtest(str(folder), tmp_path / "one.csv", workers=1)
    run_backtest(str(folder), tmp_path / "many.csv", workers=2, chunk_rows=3 * 21 * 96)
    assert (tmp_path / "one.csv").read_bytes() == (tmp_path / "many.csv").read_bytes()


def test_the_layout_of_the_files_does_not_change_the_alarms(store, tmp_path, monkeypatch):
    """Day files sorted with row groups cut anywhere, or one file in no order at all."""
    from mains.telemetry.backtest import plan

    folder, _bursts = store
    files = f"read_parquet('{folder}/*/*.parquet', hive_partitioning = false)"
    con = duckdb.connect()
    for day in sorted(folder.glob("day=*")):
        (tmp_path / "compacted" / day.name).mkdir(parents=True)
        con.execute(
            f"COPY (SELECT * FROM read_parquet('{day}/*.parquet') ORDER BY meter_id, ts)"
            f" TO '{tmp_path / 'compacted' / day.name / 'part.parquet'}'"
            " (FORMAT parquet, ROW_GROUP_SIZE 500)"
        )
    con.execute(
        f"COPY (SELECT * FROM {files} ORDER BY hash(meter_id, ts))"
        f" TO '{tmp_path / 'shuffled.parquet'}' (FORMAT parquet, ROW_GROUP_SIZE 5000)"
    )
    monkeypatch.setattr(plan, "MAX_CHUNK_ROWS", 20_000)  # too big for one chunk: sorted
    expected = run_backtest(str(folder), tmp_path / "aligned.csv", workers=1, chunk_rows=6000)
    compacted = run_backtest(  # row groups of ~5 meters, cut again into ranges of one meter
        str(tmp_path / "compacted"), tmp_path / "compacted.csv", workers=1, chunk_rows=2000
    )
    shuffled = run_backtest(
        str(tmp_path / "shuffled.parquet"), tmp_path / "shuffled.csv", workers=1, chunk_rows=6000
    )
    assert not expected.sorted_copy and not compacted.sorted_copy and shuffled.sorted_copy
    assert compacted.chunks == 24
    for other in ["compacted.csv", "shuffled.csv"]:
        assert (tmp_path / other).read_bytes() == (tmp_path / "aligned.csv").read_bytes()
