"""Upkeep of the reading store (compaction, retention): one run at a time."""

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime

from mains.telemetry.store.days import telemetry_dir


class UpkeepBusy(Exception):
    """Another compaction or retention run holds the store."""


def today_utc() -> date:
    return datetime.now(UTC).date()


@contextmanager
def upkeep_lock() -> Iterator[None]:
    root = telemetry_dir()
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".upkeep.lock", "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise UpkeepBusy from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
