"""Huey jobs of the network watch: the detectors as data arrives, night flow each morning,
and each night the upkeep of the reading store."""

import logging
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, periodic_task

from mains.telemetry.alarms.live_detection import run_detectors
from mains.telemetry.models import Alarm, Meter
from mains.telemetry.store.compaction import compact, days_to_compact
from mains.telemetry.store.retention import apply_retention
from mains.telemetry.store.upkeep import UpkeepBusy

log = logging.getLogger(__name__)

METERS_PER_RUN = 500  # meters read and judged together (one DuckDB read per group)
NIGHT_FLOW_LOCAL_HOUR = 5  # after the 02:00–04:00 window of minimum night flow


def _chunks(codes: list[str]):
    for start in range(0, len(codes), METERS_PER_RUN):
        yield codes[start : start + METERS_PER_RUN]


@db_task()
def detect_after_ingest(meter_codes: list[str], since_iso: str) -> dict:
    """Run the detectors over these meters from ``since_iso`` (the first new reading, ISO
    8601 with a zone) on; queued by the ingestion after each file, batch or MQTT flush."""
    try:
        since = datetime.fromisoformat(since_iso)
    except (TypeError, ValueError):
        log.warning("detect_after_ingest: not an ISO-8601 time: %r", since_iso)
        return {"error": "since_iso is not an ISO-8601 time", "raised": []}
    if since.tzinfo is None:
        log.warning("detect_after_ingest: time without a zone: %r", since_iso)
        return {"error": "since_iso has no zone", "raised": []}
    codes = sorted({str(code) for code in meter_codes})
    raised: list[Alarm] = []
    for chunk in _chunks(codes):
        raised += run_detectors(chunk, since=since)
    return {"meters": len(codes), "raised": [alarm.pk for alarm in raised]}


def _utc_hour(local_hour: int) -> int:
    """The UTC hour of a local hour today (Huey's schedule runs on UTC)."""
    now = timezone.now().astimezone(ZoneInfo(settings.TIME_ZONE))
    local = now.replace(hour=local_hour, minute=0, second=0, microsecond=0)
    return local.astimezone(UTC).hour


def run_night_flow(now: datetime | None = None) -> dict:
    """The night-flow detector over every active master meter and district inlet, for the
    night that just ended; the other detectors run as the readings arrive."""
    now = now or timezone.now()
    codes = list(
        Meter.objects.filter(
            active=True, kind__in=[Meter.Kind.MASTER, Meter.Kind.INLET]
        ).values_list("code", flat=True)
    )
    raised: list[Alarm] = []
    for chunk in _chunks(codes):
        raised += run_detectors(chunk, since=now - timedelta(days=1), kinds=[Alarm.Kind.NIGHT_FLOW])
    return {"meters": len(codes), "raised": [alarm.pk for alarm in raised]}


@db_periodic_task(crontab(hour=str(_utc_hour(NIGHT_FLOW_LOCAL_HOUR)), minute="0"))
def night_flow_each_morning() -> dict:
    return run_night_flow()


@periodic_task(crontab(hour="1", minute="30"))  # UTC: after the day's last readings arrived
def compact_and_expire_readings() -> dict:
    """Remove the days past retention, then compact the closed days."""
    try:
        dropped = apply_retention()
        done = compact(days_to_compact())
    except UpkeepBusy:
        log.warning("reading store upkeep skipped: another run holds the store")
        return {"busy": True}
    return {
        "dropped_days": [d.isoformat() for d in dropped],
        "compacted_days": [r.day.isoformat() for r in done],
        "files_merged": sum(r.files_before for r in done),
    }
