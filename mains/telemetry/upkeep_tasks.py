"""Huey job of the reading store: each night, compact the closed days and apply retention.

Imported by TelemetryConfig.ready(): djhuey only discovers modules named ``tasks``.
"""

import logging

from huey import crontab
from huey.contrib.djhuey import periodic_task

from mains.telemetry.compaction import (
    UpkeepBusy,
    compact,
    days_to_compact,
    drop_days,
    expired_days,
)

log = logging.getLogger(__name__)


@periodic_task(crontab(hour="1", minute="30"))  # UTC: after the day's last readings arrived
def compact_and_expire_readings() -> dict:
    try:
        dropped = drop_days(expired_days())
        done = compact(days_to_compact())
    except UpkeepBusy:
        log.warning("reading store upkeep skipped: another run holds the store")
        return {"busy": True}
    return {
        "dropped_days": [d.isoformat() for d in dropped],
        "compacted_days": [r.day.isoformat() for r in done],
        "files_merged": sum(r.files_before for r in done),
    }
