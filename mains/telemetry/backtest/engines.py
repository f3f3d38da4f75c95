"""Where the chunks run: worker processes on this machine, or a Dask cluster.

Both yield each chunk's result as it finishes; the caller adds them up, so the alarms do
not depend on the engine or on the order the chunks finish in.
"""

import logging
import multiprocessing
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed

from mains.telemetry.backtest.chunks import ChunkResult, ChunkTask, detect_chunk


def run_local(tasks: list[ChunkTask], workers: int) -> Iterator[ChunkResult]:
    """In this process for one worker; otherwise in ``workers`` fresh processes."""
    if workers <= 1 or len(tasks) <= 1:
        for task in tasks:
            yield detect_chunk(task)
        return
    # spawn, not fork: DuckDB's threads do not survive a fork. The workers need no Django:
    # the detectors are plain functions over arrays.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=min(workers, len(tasks)), mp_context=context) as pool:
        futures = [pool.submit(detect_chunk, task) for task in tasks]
        for future in as_completed(futures):
            yield future.result()


def run_dask(
    tasks: list[ChunkTask], workers: int, scheduler: str | None = None, cluster_options=None
) -> Iterator[ChunkResult]:
    """On the Dask scheduler at ``scheduler``, or on a LocalCluster of ``workers`` workers.

    Workers read the input files themselves: with a remote scheduler the paths must be
    the same on every worker (a shared disk).
    """
    from dask.distributed import Client, LocalCluster
    from dask.distributed import as_completed as dask_completed

    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        options = {
            "n_workers": max(workers, 1),
            "threads_per_worker": 1,
            "dashboard_address": None,
        }
        options.update(cluster_options or {})
        # The scheduler runs in this process; its INFO lines would mix with the progress bar.
        logging.getLogger("distributed").setLevel(logging.WARNING)
        cluster = LocalCluster(**options)
        client = Client(cluster)
    try:
        futures = client.map(detect_chunk, tasks, pure=False)
        for future in dask_completed(futures):
            yield future.result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
