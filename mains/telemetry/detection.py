"""Running the detectors over stored readings and turning findings into alarms."""

from datetime import datetime, timedelta

from django.utils import timezone

from mains.telemetry import detectors
from mains.telemetry.actions import do_clear_alarm, do_raise_alarm, live_alarm
from mains.telemetry.models import Alarm, Meter
from mains.telemetry.storage import read_readings

HISTORY = timedelta(days=detectors.BASELINE_DAYS) + detectors.REFERENCE_WINDOW


def run_detectors(meter_codes: list[str], since: datetime) -> list[Alarm]:
    """Raise or clear burst alarms of these meters from readings since ``since``.

    Returns the alarms raised by this run (an alarm already open is not raised again).
    """
    raised = []
    end = timezone.now() + timedelta(days=1)
    meters = list(
        Meter.objects.filter(code__in=meter_codes, active=True).select_related("community")
    )
    by_meter: dict[str, list] = {}
    for reading in read_readings([m.code for m in meters], since - HISTORY, end):
        by_meter.setdefault(reading.meter_id, []).append(reading)
    for meter in meters:
        readings = by_meter.get(meter.code, [])
        alarm = live_alarm(meter, Alarm.Kind.BURST)
        if alarm is None:
            burst = detectors.find_burst(readings, since)
            if burst is None:
                continue
            alarm = do_raise_alarm(meter, Alarm.Kind.BURST, burst.onset, burst.evidence())
            if alarm is None:
                continue
            raised.append(alarm)
        _clear_if_recovered(alarm, readings)
    return raised


def _clear_if_recovered(alarm: Alarm, readings) -> None:
    detail = alarm.detail
    last_of_run = datetime.fromisoformat(detail["readings"][-1]["ts"])
    recovered = detectors.recovery_time(
        readings,
        after=max(last_of_run, alarm.raised_at),
        flow_threshold=detail["flow_threshold_m3h"],
        pressure_threshold=detail["pressure_threshold_mpa"],
    )
    if recovered is not None:
        do_clear_alarm(alarm, at=recovered)
