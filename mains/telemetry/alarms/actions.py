"""The writes on alarms: raise (with its work order), acknowledge, clear, add to the evidence."""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from mains.org.models import User
from mains.org.permissions import require_role
from mains.org.roles import WATCH_ROLES
from mains.telemetry.alarms import registry
from mains.telemetry.alarms.work_orders import open_work_order
from mains.telemetry.models import Alarm, Meter

LIVE_STATES = [Alarm.State.OPEN, Alarm.State.ACKNOWLEDGED]


def live_alarm(meter: Meter, kind: str) -> Alarm | None:
    return Alarm.objects.filter(meter=meter, kind=kind, state__in=LIVE_STATES).first()


def do_raise_alarm(meter: Meter, kind: str, raised_at: datetime, detail: dict) -> Alarm | None:
    """Open an alarm and its work order; None when one is already open for the meter and kind,
    or when an alarm of the meter and kind already covers that time (another run raised it).

    The order (channel *alarm*) goes to the meter's community and is routed like any other;
    its description carries the evidence. A household alarm's order is a welfare visit: it
    carries the resident's address in the order's address (masked for everyone but the
    assigned specialist, like a caller's) and no name, phone or group in its text. Alarm
    orders are internal, and a welfare visit's details are only for those who visit, route
    or manage it (mains.desk.visibility).
    """
    entry = registry.entry(kind)
    if entry is not None and entry.about_resident and meter.resident_id:
        detail = {**detail, "resident_id": meter.resident_id}
    with transaction.atomic():
        Meter.objects.select_for_update().filter(pk=meter.pk).first()
        if live_alarm(meter, kind) is not None:
            return None
        if (
            Alarm.objects.filter(meter=meter, kind=kind)
            .filter(Q(raised_at__gte=raised_at) | Q(cleared_at__gt=raised_at))
            .exists()
        ):
            return None
        try:
            with transaction.atomic():
                alarm = Alarm.objects.create(
                    meter=meter, kind=kind, raised_at=raised_at, detail=detail
                )
        except IntegrityError:
            return None
        open_work_order(alarm)
    return alarm


def do_acknowledge_alarm(alarm: Alarm, by: User) -> bool:
    """Mark an open alarm as seen; False when it was not open any more."""
    require_role(by, WATCH_ROLES)
    updated = Alarm.objects.filter(pk=alarm.pk, state=Alarm.State.OPEN).update(
        state=Alarm.State.ACKNOWLEDGED
    )
    alarm.refresh_from_db(fields=["state"])
    return bool(updated)


def do_clear_alarm(alarm: Alarm, at: datetime | None = None) -> bool:
    """Clear a live alarm (its readings recovered); False when it was already cleared."""
    updated = Alarm.objects.filter(pk=alarm.pk, state__in=LIVE_STATES).update(
        state=Alarm.State.CLEARED, cleared_at=at or timezone.now()
    )
    alarm.refresh_from_db(fields=["state", "cleared_at"])
    return bool(updated)


def do_add_evidence(alarm: Alarm, detail: dict) -> None:
    """Add the keys the alarm's evidence does not have yet (e.g. the episode once cleared)."""
    new = {key: value for key, value in detail.items() if key not in alarm.detail}
    if new:
        alarm.detail = {**alarm.detail, **new}
        alarm.save(update_fields=["detail"])
