"""Reads the telemetry pages share."""

from datetime import UTC, datetime, timedelta

from django.http import Http404

from mains.telemetry.actions import LIVE_STATES
from mains.telemetry.models import Alarm, Meter
from mains.telemetry.storage import latest_timestamps, read_readings

WATCH_ROLES = {"engineer", "dispatcher", "manager", "admin"}
WINDOW_HOURS = (6, 24, 72, 168)
DEFAULT_WINDOW_HOURS = 24


def meter_for(user, code: str) -> Meter:
    """The meter with this code, for a user who may watch the network (404 otherwise)."""
    if user.role not in WATCH_ROLES:
        raise Http404
    meter = Meter.objects.select_related("community__grid").filter(code=code).first()
    if meter is None:
        raise Http404
    return meter


def open_alarms():
    return (
        Alarm.objects.filter(state__in=LIVE_STATES)
        .select_related("meter__community__grid", "work_order")
        .order_by("meter__community__grid__code", "meter__community__name", "-raised_at")
    )


def meter_chart(meter: Meter, hours: int) -> dict:
    """Flow and pressure of the last ``hours`` up to the meter's latest reading, with alarms."""
    last = latest_timestamps([meter.code]).get(meter.code) or datetime.now(UTC)
    end = last + timedelta(microseconds=1)
    start = end - timedelta(hours=hours)
    readings = read_readings([meter.code], start, end)
    alarms = meter.alarms.filter(raised_at__lt=end).exclude(cleared_at__lt=start)
    return {
        "start": start.isoformat(),
        "end": last.isoformat(),
        "flow": [[r.ts.isoformat(), r.flow_m3h] for r in readings],
        "pressure": [[r.ts.isoformat(), r.pressure_mpa] for r in readings],
        "service_pressure_mpa": meter.service_pressure_mpa,
        "alarms": [
            {
                "kind": str(a.get_kind_display()),
                "from": a.raised_at.isoformat(),
                "to": (a.cleared_at or last).isoformat(),
            }
            for a in alarms
        ],
    }
