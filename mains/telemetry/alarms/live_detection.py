"""Live detection: the detectors of ``mains.telemetry.detect`` over stored readings, their
findings reconciled with the alarms in the database (docs/telemetry-detectors.md).

A finding and an alarm of the same meter and kind are the same event when their times
overlap. Reconciling a meter's findings, in time order:

- a finding that matches an alarm changes nothing, except that a live alarm whose finding
  has cleared is cleared at the finding's time (and keeps its evidence, plus what the
  finding adds once cleared, e.g. the whole episode of low pressure);
- a finding that begins before the end of the last alarm known for the meter and kind is
  history already settled: late data never raises an old alarm again;
- a finding that was over before ``since`` (the first new reading) was there before this
  data came and is left alone;
- any other finding raises an alarm, which opens its work order; when the finding has
  already cleared, the alarm is cleared at once at the finding's time.

So running again over the same readings changes nothing.
"""

import dataclasses
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Max, Q

from mains.telemetry import detect as detectors
from mains.telemetry.alarms import registry
from mains.telemetry.alarms.actions import (
    LIVE_STATES,
    do_add_evidence,
    do_clear_alarm,
    do_raise_alarm,
)
from mains.telemetry.detect import Finding, MeterSettings, Series
from mains.telemetry.detect.series import to_us
from mains.telemetry.models import Alarm, Meter
from mains.telemetry.store.reader import read_series

DEFAULT_HISTORY_DAYS = 8  # for a detector that does not say
MAX_LOOKBACK = timedelta(days=60)  # how far back a live alarm's readings are read again


def history() -> timedelta:
    """How much history before the new readings the detectors need for their baselines."""
    days = max(
        [DEFAULT_HISTORY_DAYS]
        + [getattr(module, "HISTORY_DAYS", DEFAULT_HISTORY_DAYS) for module in detectors.DETECTORS]
    )
    return timedelta(days=days)


def utc_offset_hours(at: datetime) -> float:
    offset = ZoneInfo(settings.TIME_ZONE).utcoffset(at.replace(tzinfo=None))
    return offset.total_seconds() / 3600 if offset is not None else 0.0


def meter_settings(meter: Meter, at: datetime) -> MeterSettings:
    """How this meter is judged: its own fields, then the site's settings, then defaults.

    A setting in a detector's defaults (its registry entry) that MeterSettings has as a
    field, e.g. ``household_low_litres``, is the meter's own value when it has one, else
    the site's ``TELEMETRY_<NAME>``, else the detector's default.
    """
    fields = {f.name for f in dataclasses.fields(MeterSettings)}
    thresholds = {}
    for entry in registry.KINDS.values():
        for name, default in entry.defaults.items():
            if name in fields:
                own = getattr(meter, name, None)
                site = getattr(settings, f"TELEMETRY_{name.upper()}", default)
                thresholds[name] = own if own is not None else site
    return MeterSettings(
        kind=meter.kind,
        service_pressure_mpa=meter.effective_service_pressure_mpa,
        utc_offset_hours=utc_offset_hours(at),
        extra=dict(getattr(settings, "TELEMETRY_DETECTOR_OPTIONS", {})),
        **thresholds,
    )


def run_detectors(
    meter_codes: list[str], since: datetime, kinds: Iterable[str] | None = None
) -> list[Alarm]:
    """Run the detectors over these meters' readings and reconcile their alarms.

    ``since`` is the time of the first new reading; the history before it is read for the
    baselines. ``kinds`` limits the alarm kinds looked at (all by default). Returns the
    alarms this run raised (an alarm already known is not raised again).
    """
    wanted = set(kinds) if kinds is not None else None
    meters = list(
        Meter.objects.filter(code__in=meter_codes, active=True).select_related(
            "community", "resident"
        )
    )
    if not meters:
        return []
    start = since - history()
    alarms = _known_alarms(meters, start - MAX_LOOKBACK)
    known_until = _known_until(meters)
    readings = _readings(meters, start, since, alarms)
    raised: list[Alarm] = []
    empty = Series.of("", [], [], [])
    for meter in meters:
        if meter.resident is not None and not meter.resident.active:
            continue  # no longer registered (moved, or consent withdrawn): not watched
        series = readings.get(meter.code, empty)
        by_kind: dict[str, list[Finding]] = defaultdict(list)
        for finding in detectors.detect(series, meter_settings(meter, since), wanted):
            by_kind[finding.kind].append(finding)
        for kind, found in by_kind.items():
            raised += _reconcile(
                meter,
                kind,
                found,
                since,
                alarms.get((meter.pk, kind), []),
                known_until.get((meter.pk, kind)),
            )
    return raised


def _known_alarms(meters: list[Meter], start: datetime) -> dict[tuple[int, str], list[Alarm]]:
    """The live alarms of these meters, and those cleared since ``start``, by meter and kind."""
    by_key: dict[tuple[int, str], list[Alarm]] = defaultdict(list)
    for alarm in Alarm.objects.filter(meter__in=meters).filter(
        Q(state__in=LIVE_STATES) | Q(cleared_at__gte=start)
    ):
        by_key[(alarm.meter_id, alarm.kind)].append(alarm)
    return by_key


def _known_until(meters: list[Meter]) -> dict[tuple[int, str], datetime]:
    """The end of the latest alarm of each meter and kind (a live one: when it was raised)."""
    until: dict[tuple[int, str], datetime] = {}
    rows = (
        Alarm.objects.filter(meter__in=meters)
        .values("meter_id", "kind")
        .annotate(cleared=Max("cleared_at"), raised=Max("raised_at"))
    )
    for row in rows:
        ends = [t for t in (row["cleared"], row["raised"]) if t is not None]
        until[(row["meter_id"], row["kind"])] = max(ends)
    return until


def _readings(meters: list[Meter], start: datetime, since: datetime, alarms) -> dict:
    """Each meter's readings from ``start`` on, as a Series; further back for a meter whose
    live alarm began earlier, so that its finding is seen again and can clear it. One read
    from the earliest time needed, each meter's series then cut to its own start."""
    older: dict[int, datetime] = {}
    for (meter_pk, _kind), found in alarms.items():
        for a in found:
            if a.state in LIVE_STATES and a.raised_at < since:
                older[meter_pk] = min(a.raised_at, older.get(meter_pk, a.raised_at))
    from_time = {
        meter.code: min(max(older[meter.pk], since - MAX_LOOKBACK) - history(), start)
        for meter in meters
        if meter.pk in older
    }
    by_meter = read_series([m.code for m in meters], min([start, *from_time.values()]))
    return {
        code: series.since(to_us(from_time.get(code, start))) for code, series in by_meter.items()
    }


def _overlaps(alarm: Alarm, finding: Finding) -> bool:
    finding_end = finding.cleared_at
    return (alarm.cleared_at is None or finding.raised_at < alarm.cleared_at) and (
        finding_end is None or alarm.raised_at <= finding_end
    )


def _reconcile(
    meter: Meter,
    kind: str,
    findings: list[Finding],
    since: datetime,
    alarms: list[Alarm],
    known_until: datetime | None,
) -> list[Alarm]:
    raised: list[Alarm] = []
    alarms = sorted(alarms, key=lambda a: a.raised_at)
    for finding in findings:
        match = next((a for a in alarms if _overlaps(a, finding)), None)
        if match is not None:
            if match.state in LIVE_STATES and finding.cleared_at is not None:
                cleared_at = max(finding.cleared_at, match.raised_at)
                do_clear_alarm(match, at=cleared_at)
                do_add_evidence(match, finding.detail)
                known_until = max(known_until or cleared_at, cleared_at)
            continue
        if known_until is not None and finding.raised_at < known_until:
            continue
        if finding.cleared_at is not None and finding.cleared_at < since:
            continue
        alarm = do_raise_alarm(meter, kind, finding.raised_at, finding.detail)
        if alarm is None:
            continue
        raised.append(alarm)
        alarms.append(alarm)
        known_until = finding.raised_at
        if finding.cleared_at is not None:
            do_clear_alarm(alarm, at=finding.cleared_at)
            do_add_evidence(alarm, finding.detail)
            known_until = finding.cleared_at
    return raised
