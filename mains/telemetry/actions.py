"""The writes on alarms: raise (with its work order), acknowledge, clear."""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mains.desk.actions import do_create_order
from mains.desk.models import Category, Channel
from mains.org.models import User
from mains.telemetry.models import Alarm, Meter

CATEGORY_FOR_KIND: dict[str, str] = {
    Alarm.Kind.BURST: "W-BURST",
    Alarm.Kind.LOW_PRESSURE: "W-PRESSURE",
}
LIVE_STATES = [Alarm.State.OPEN, Alarm.State.ACKNOWLEDGED]


def live_alarm(meter: Meter, kind: str) -> Alarm | None:
    return Alarm.objects.filter(meter=meter, kind=kind, state__in=LIVE_STATES).first()


def _description(meter: Meter, kind: str, detail: dict) -> str:
    lines = [
        _("Alarm from meter %(meter)s (%(kind)s) at %(community)s.")
        % {"meter": meter.code, "kind": Alarm.Kind(kind).label, "community": meter.community},
    ]
    if kind == Alarm.Kind.BURST:
        lines.append(
            _(
                "Flow rose from %(flow_ref)s m³/h to %(flow)s m³/h and pressure fell "
                "from %(pressure_ref)s MPa to %(pressure)s MPa, from %(onset)s on."
            )
            % {
                "flow_ref": detail["reference_flow_m3h"],
                "flow": detail["readings"][-1]["flow_m3h"],
                "pressure_ref": detail["reference_pressure_mpa"],
                "pressure": detail["readings"][-1]["pressure_mpa"],
                "onset": detail["onset"],
            }
        )
    return "\n".join(lines)


def do_raise_alarm(meter: Meter, kind: str, raised_at: datetime, detail: dict) -> Alarm | None:
    """Open an alarm and its work order; None when one is already open for the meter and kind."""
    with transaction.atomic():
        Meter.objects.select_for_update().filter(pk=meter.pk).first()
        if live_alarm(meter, kind) is not None:
            return None
        try:
            with transaction.atomic():
                alarm = Alarm.objects.create(
                    meter=meter, kind=kind, raised_at=raised_at, detail=detail
                )
        except IntegrityError:
            return None
        code = CATEGORY_FOR_KIND.get(kind)
        category = Category.objects.filter(code=code).first() if code else None
        if category is not None:
            alarm.work_order = do_create_order(
                by=None,
                channel=Channel.ALARM,
                category=category,
                description=_description(meter, kind, detail),
                community=meter.community,
                address=meter.community.address,
            )
            alarm.save(update_fields=["work_order"])
    return alarm


def do_acknowledge_alarm(alarm: Alarm, by: User) -> bool:
    """Mark an open alarm as seen; False when it was not open any more."""
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
