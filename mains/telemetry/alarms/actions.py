"""The writes on alarms: raise (with its work order), acknowledge, clear, add to the evidence."""

import csv
import io
from datetime import UTC, datetime, timedelta

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mains.desk.actions import do_create_order
from mains.desk.defaults import ROUND_THE_CLOCK
from mains.desk.models import Attachment, Calendar, Category, Channel, Visibility, WorkOrder
from mains.org.models import User
from mains.telemetry.alarms.evidence import for_order, summary
from mains.telemetry.models import Alarm, Meter
from mains.telemetry.store.reader import read_readings

# Welfare visits to special-group residents whose household meter looks wrong; the desk's
# defaults do not have it, so it is created (once) when the first such alarm is raised.
WELFARE_CATEGORY = "W-WELFARE"
WELFARE_DEFAULTS = {
    "utility": "water",
    "name": "特殊群体用水异常关怀走访",
    "priority": 2,
    "accept_minutes": 30,
    "arrive_minutes": 240,
    "resolve_minutes": 480,
    "callback_minutes": 1440,
    "needs_visit": True,
    # Staff only; its orders' details only for those who visit, route or manage them.
    "visibility": Visibility.SPECIAL_GROUP,
}

CATEGORY_FOR_KIND: dict[str, str] = {
    Alarm.Kind.BURST: "W-BURST",
    Alarm.Kind.NIGHT_FLOW: "W-LEAK",
    Alarm.Kind.LOW_PRESSURE: "W-PRESSURE",
    Alarm.Kind.HOUSEHOLD_USAGE: WELFARE_CATEGORY,
}
LIVE_STATES = [Alarm.State.OPEN, Alarm.State.ACKNOWLEDGED]
# The readings attached to an alarm's order: this long before it was raised, and an hour after.
EVIDENCE_BEFORE: dict[str, timedelta] = {
    Alarm.Kind.BURST: timedelta(hours=6),
    Alarm.Kind.LOW_PRESSURE: timedelta(hours=6),
    Alarm.Kind.NIGHT_FLOW: timedelta(days=7),
}
EVIDENCE_AFTER = timedelta(hours=1)


def live_alarm(meter: Meter, kind: str) -> Alarm | None:
    return Alarm.objects.filter(meter=meter, kind=kind, state__in=LIVE_STATES).first()


def welfare_category() -> Category:
    """The welfare-visit category, created like the desk's defaults the first time it is needed."""
    category = Category.objects.filter(code=WELFARE_CATEGORY).first()
    if category is not None:
        return category
    calendar, _created = Calendar.objects.get_or_create(
        name=ROUND_THE_CLOCK, defaults={"round_the_clock": True}
    )
    category, _created = Category.objects.get_or_create(
        code=WELFARE_CATEGORY, defaults={**WELFARE_DEFAULTS, "calendar": calendar}
    )
    return category


def _category_for(kind: str) -> Category | None:
    if kind == Alarm.Kind.HOUSEHOLD_USAGE:
        category = welfare_category()
        return category if category.active else None
    code = CATEGORY_FOR_KIND.get(kind)
    return Category.objects.filter(code=code, active=True).first() if code else None


def _split_line(label: str, part: dict) -> str:
    if not part.get("readings"):
        return _("%(label)s: no readings.") % {"label": label}
    return _("%(label)s: %(low)d of %(n)d readings low (%(share)s %%), lowest %(min)s MPa.") % {
        "label": label,
        "low": part["low_readings"],
        "n": part["readings"],
        "share": round(100 * part["low_share"]),
        "min": for_order("min_pressure_mpa", part["min_pressure_mpa"]).removesuffix(" MPa"),
    }


def _extras(kind: str, detail: dict) -> list[str]:
    """What an order says beyond the alarm page's sentence (no personal data)."""
    if kind == Alarm.Kind.LOW_PRESSURE and isinstance(detail.get("window"), dict):
        window = detail["window"]
        return [
            _split_line(_("Peak hours"), window.get("peak") or {}),
            _split_line(_("Other hours"), window.get("off_peak") or {}),
        ]
    if kind == Alarm.Kind.HOUSEHOLD_USAGE:
        lines = []
        if detail.get("direction") == "low" and "low_litres" in detail:
            lines.append(
                _(
                    "A special-group household that uses under the %(limit)s in a day gets a "
                    "welfare visit."
                )
                % {"limit": for_order("low_litres", detail["low_litres"])}
            )
        elif detail.get("direction") == "high" and "high_litres" in detail:
            lines.append(
                _(
                    "A special-group household that uses over the %(limit)s in a day gets a "
                    "welfare visit."
                )
                % {"limit": for_order("high_litres", detail["high_litres"])}
            )
        lines.append(
            _(
                "The resident is registered as a special-group resident; the name and "
                "phone are on the specialist's visits page."
            )
        )
        return lines
    return []


def _description(meter: Meter, kind: str, detail: dict) -> str:
    lines = [
        _("%(kind)s at %(community)s: %(meter_kind)s %(meter)s, seen by the network watch.")
        % {
            "kind": Alarm.Kind(kind).label,
            "meter_kind": meter.get_kind_display(),
            "community": meter.community.name,
            "meter": meter.code,
        },
    ]
    sentence = summary(kind, detail, show=for_order)
    if sentence:
        lines.append(sentence)
    lines.extend(_extras(kind, detail))
    return "\n".join(lines)


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
    if kind == Alarm.Kind.HOUSEHOLD_USAGE and meter.resident_id:
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
        category = _category_for(kind)
        if category is not None:
            address = meter.community.address
            if kind == Alarm.Kind.HOUSEHOLD_USAGE and meter.resident is not None:
                address = meter.resident.address
            alarm.work_order = do_create_order(
                by=None,
                channel=Channel.ALARM,
                category=category,
                description=_description(meter, kind, detail),
                community=meter.community,
                address=address,
            )
            alarm.save(update_fields=["work_order"])
            _attach_readings(alarm.work_order, meter, kind, raised_at)
    return alarm


def _attach_readings(order: WorkOrder, meter: Meter, kind: str, raised_at: datetime) -> None:
    """The meter's readings around the alarm, as a CSV file on the order (same format as an
    import, so it can be charted or back-tested anywhere). A household's readings stay off
    the order: they tell how one resident lives."""
    before = EVIDENCE_BEFORE.get(kind)
    if before is None:
        return
    readings = read_readings([meter.code], raised_at - before, raised_at + EVIDENCE_AFTER)
    if not readings:
        return
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(["meter_id", "ts", "flow_m3h", "pressure_mpa"])
    for r in readings:
        writer.writerow(
            [
                r.meter_id,
                r.ts.isoformat(),
                "" if r.flow_m3h is None else r.flow_m3h,
                "" if r.pressure_mpa is None else r.pressure_mpa,
            ]
        )
    name = f"{meter.code}-{kind}-{raised_at.astimezone(UTC):%Y%m%dT%H%M}Z.csv"
    Attachment.objects.create(
        order=order,
        file=ContentFile(text.getvalue().encode("utf-8"), name=name),
        name=name,
        content_type="text/csv",
    )


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


def do_add_evidence(alarm: Alarm, detail: dict) -> None:
    """Add the keys the alarm's evidence does not have yet (e.g. the episode once cleared)."""
    new = {key: value for key, value in detail.items() if key not in alarm.detail}
    if new:
        alarm.detail = {**alarm.detail, **new}
        alarm.save(update_fields=["detail"])
