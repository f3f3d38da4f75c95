"""ALARMS.csv: ``meter_id,kind,raised_at,cleared_at,detail`` (docs/telemetry-backtest.md)."""

import csv
from pathlib import Path

from mains.telemetry.backtest.chunks import Alarm
from mains.telemetry.detect.series import iso

HEADER = ["meter_id", "kind", "raised_at", "cleared_at", "detail"]


def write_alarms(path: Path, alarms: list[Alarm]) -> None:
    """One line per alarm, times ISO-8601 in UTC, ``cleared_at`` empty while it is open."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADER)
        for meter_id, kind, raised_us, cleared_us, detail in alarms:
            cleared = "" if cleared_us is None else iso(cleared_us)
            writer.writerow([meter_id, kind, iso(raised_us), cleared, detail])
