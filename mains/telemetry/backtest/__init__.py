"""The back-test: the detectors over a file of history, the alarms they raise as CSV.

``run_backtest`` needs nothing but the input (CSV or Parquet, docs/telemetry.md): meters
the database does not know are judged with the default ``MeterSettings``. The output
format is documented in docs/telemetry-backtest.md.
"""

import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from mains.telemetry.backtest.chunks import Alarm, ChunkTask
from mains.telemetry.backtest.engines import run_dask, run_local
from mains.telemetry.backtest.output import write_alarms
from mains.telemetry.backtest.source import InputError, open_source
from mains.telemetry.detect.series import MeterSettings

CHUNK_ROWS = 4_000_000  # readings per chunk (about 110 meter-years), bounded by row groups


@dataclass
class Summary:
    alarms: int = 0
    meters: int = 0
    readings: int = 0
    chunks: int = 0
    bad: Counter = field(default_factory=Counter)
    prepare_s: float = 0.0
    read_s: float = 0.0  # summed over workers
    detect_s: float = 0.0  # summed over workers
    read_cpu_s: float = 0.0  # CPU time, summed over workers
    detect_cpu_s: float = 0.0
    total_s: float = 0.0
    sorted_copy: bool = False


def run_backtest(
    input_spec: str,
    out: Path,
    *,
    raised_from_us: int | None = None,
    raised_to_us: int | None = None,
    engine: str = "local",
    workers: int = 2,
    scheduler: str | None = None,
    settings: dict[str, MeterSettings] | None = None,
    chunk_rows: int = CHUNK_ROWS,
    progress: Callable[[int], None] | None = None,
    cluster_options: dict | None = None,
) -> Summary:
    """Run the detectors over ``input_spec`` and write the alarms to ``out``."""
    started = time.perf_counter()
    summary = Summary()
    known = settings or {}
    with tempfile.TemporaryDirectory(prefix="mains-backtest-") as workdir:
        source = open_source(
            input_spec, Path(workdir), chunk_rows, min_chunks=3 * workers if workers > 1 else 1
        )
        summary.bad.update(source.bad)
        summary.sorted_copy = source.sorted_copy
        summary.prepare_s = time.perf_counter() - started
        tasks = [
            ChunkTask(
                files=tuple(source.files),
                low=low,
                high=high,
                settings=_in_range(known, low, high),
                raised_from_us=raised_from_us,
                raised_to_us=raised_to_us,
            )
            for low, high in source.ranges
        ]
        summary.chunks = len(tasks)
        if engine == "dask":
            results = run_dask(tasks, workers, scheduler, cluster_options)
        else:
            results = run_local(tasks, workers)
        alarms: list[Alarm] = []
        for result in results:
            alarms.extend(result.alarms)
            summary.meters += result.meters
            summary.readings += result.readings
            summary.bad.update(result.bad)
            summary.read_s += result.read_s
            summary.detect_s += result.detect_s
            summary.read_cpu_s += result.read_cpu_s
            summary.detect_cpu_s += result.detect_cpu_s
            if progress is not None:
                progress(result.meters)
    alarms.sort(key=lambda a: (a[0], a[2], a[1]))
    write_alarms(out, alarms)
    summary.alarms = len(alarms)
    summary.total_s = time.perf_counter() - started
    return summary


def _in_range(known: dict[str, MeterSettings], low: str | None, high: str | None):
    return {
        code: s
        for code, s in known.items()
        if (low is None or code >= low) and (high is None or code < high)
    }


__all__ = ["CHUNK_ROWS", "InputError", "Summary", "run_backtest"]
