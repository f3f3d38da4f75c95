"""The SLA clock: turn orders yellow and red and escalate them. Run every minute by Huey."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mains.desk.models import OrderEvent, SlaLevel, WorkOrder
from mains.desk.states import OPEN_STATES, Action
from mains.env import envint
from mains.notify import desk_events

ESCALATE_AFTER_OVERDUE = timedelta(minutes=envint("ESCALATE_AFTER_OVERDUE_MINUTES", 60))


@dataclass
class TickResult:
    warned: int = 0
    overdue: int = 0
    escalated: int = 0


def _mark(now: datetime, ids: list[int], level: str, action: str, note: str) -> int:
    if not ids:
        return 0
    changed = WorkOrder.objects.filter(pk__in=ids).exclude(sla_level=level)
    if level == SlaLevel.YELLOW:
        changed = changed.filter(sla_level=SlaLevel.GREEN, warn_at__lte=now)
    else:
        changed = changed.filter(current_due__lte=now)
    rows = list(changed.select_for_update().values_list("pk", "state"))
    WorkOrder.objects.filter(pk__in=[pk for pk, _state in rows]).update(sla_level=level)
    OrderEvent.objects.bulk_create(
        OrderEvent(order_id=pk, at=now, action=action, from_state=state, to_state=state, note=note)
        for pk, state in rows
    )
    desk_events.notify_sla(level, [pk for pk, _state in rows])
    return len(rows)


def run_sla_clock(now: datetime | None = None) -> TickResult:
    now = now or timezone.now()
    result = TickResult()
    open_orders = WorkOrder.objects.filter(state__in=OPEN_STATES + ["resolved"])
    with transaction.atomic():
        yellow = list(
            open_orders.filter(
                sla_level=SlaLevel.GREEN, warn_at__lte=now, current_due__gt=now
            ).values_list("pk", flat=True)
        )
        result.warned = _mark(
            now, yellow, SlaLevel.YELLOW, Action.SLA_WARNING, _("Deadline approaching.")
        )
        red = list(
            open_orders.filter(current_due__lte=now)
            .exclude(sla_level=SlaLevel.RED)
            .values_list("pk", flat=True)
        )
        result.overdue = _mark(now, red, SlaLevel.RED, Action.SLA_OVERDUE, _("Deadline missed."))
        late = list(
            WorkOrder.objects.filter(
                state__in=OPEN_STATES,
                escalated=False,
                current_due__lte=now - ESCALATE_AFTER_OVERDUE,
            ).values_list("pk", "state")
        ) + list(
            WorkOrder.objects.filter(
                state__in=OPEN_STATES, escalated=False, supervised_until__lte=now
            ).values_list("pk", "state")
        )
        late_ids = sorted({pk for pk, _state in late})
        states = dict(late)
        WorkOrder.objects.filter(pk__in=late_ids).update(escalated=True)
        OrderEvent.objects.bulk_create(
            OrderEvent(
                order_id=pk,
                at=now,
                action=Action.ESCALATE,
                from_state=states[pk],
                to_state=states[pk],
                note=_("Overdue: escalated automatically."),
            )
            for pk in late_ids
        )
        result.escalated = len(late_ids)
    return result
