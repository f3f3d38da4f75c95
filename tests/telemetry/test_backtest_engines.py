"""The back-test's engines: worker processes and Dask give the same alarms."""

import csv
import json
from datetime import UTC, datetime

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
