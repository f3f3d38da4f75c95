"""The work order an alarm opens: its category, its text, the readings attached to it.

What differs between kinds comes from the kind's entry in ``registry``: the category, the
lines the order says besides the evidence's sentence, how far back the readings go, and
whether the order is a welfare visit at a special-group resident's address.
"""

import csv
import io
from datetime import UTC, datetime

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from mains.desk.actions import do_create_order
from mains.desk.defaults import ROUND_THE_CLOCK
from mains.desk.models import Attachment, Calendar, Category, Channel, WorkOrder
from mains.telemetry.alarms import registry
from mains.telemetry.alarms.evidence import for_order, summary
from mains.telemetry.models import Alarm, Meter
from mains.telemetry.store.reader import read_readings
from mains.telemetry.store.schema import COLUMNS


def created_category(code: str, defaults: dict) -> Category:
    """The category with this code, created like the desk's defaults the first time it is
    needed (the welfare visits: the desk's defaults do not have it)."""
    category = Category.objects.filter(code=code).first()
    if category is not None:
        return category
    calendar, _created = Calendar.objects.get_or_create(
        name=ROUND_THE_CLOCK, defaults={"round_the_clock": True}
    )
    category, _created = Category.objects.get_or_create(
        code=code, defaults={**defaults, "calendar": calendar}
    )
    return category


def welfare_category() -> Category:
    """The welfare-visit category, created the first time it is needed."""
    return created_category(registry.WELFARE_CATEGORY, registry.WELFARE_DEFAULTS)


def category_for(kind: str) -> Category | None:
    """The active category an alarm of this kind opens its order in (None: no order)."""
    entry = registry.entry(kind)
    if entry is None:
        return None
    if entry.category_defaults is not None:
        category = created_category(entry.category, entry.category_defaults)
        return category if category.active else None
    return Category.objects.filter(code=entry.category, active=True).first()


def description(meter: Meter, kind: str, detail: dict) -> str:
    """What the order says: where and what, the evidence's sentence, the kind's own lines
    (no personal data)."""
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
    entry = registry.entry(kind)
    if entry is not None:
        lines.extend(entry.order_lines(detail, for_order))
    return "\n".join(lines)


def open_work_order(alarm: Alarm) -> WorkOrder | None:
    """Open the alarm's order (channel *alarm*, the meter's community, routed like any
    other) with the readings around the alarm attached; None when its kind has no active
    category."""
    meter, kind = alarm.meter, alarm.kind
    category = category_for(kind)
    if category is None:
        return None
    entry = registry.entry(kind)
    address = meter.community.address
    if entry is not None and entry.about_resident and meter.resident is not None:
        address = meter.resident.address
    alarm.work_order = do_create_order(
        by=None,
        channel=Channel.ALARM,
        category=category,
        description=description(meter, kind, alarm.detail),
        community=meter.community,
        address=address,
    )
    alarm.save(update_fields=["work_order"])
    attach_readings(alarm.work_order, meter, kind, alarm.raised_at)
    return alarm.work_order


def attach_readings(order: WorkOrder, meter: Meter, kind: str, raised_at: datetime) -> None:
    """The meter's readings around the alarm, as a CSV file on the order (same format as an
    import, so it can be charted or back-tested anywhere). A kind without an evidence
    window (a household's readings tell how one resident lives) attaches none."""
    entry = registry.entry(kind)
    before = entry.evidence_before if entry is not None else None
    if before is None:
        return
    readings = read_readings([meter.code], raised_at - before, raised_at + registry.EVIDENCE_AFTER)
    if not readings:
        return
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(COLUMNS)
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
