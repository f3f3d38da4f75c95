"""The SLA clock: turn orders yellow and red and escalate them. Run every minute by Huey.

Bookkeeping, not a decision (see `actions.py`): these writes bypass `_apply` and leave the
version alone, or every page open on an order would turn stale once a minute. They are
safe because each one re-checks its own condition in a SELECT … FOR UPDATE of the rows it
then changes, so an order resolved, re-dispatched or escalated by a person meanwhile is
seen as it now is (PostgreSQL re-evaluates the condition on the newest row; SQLite runs
one writer at a time). A decision that waited on the lock then writes its own fresh SLA
level after ours. The clock writes only `sla_level` and `escalated`, which no decision
computes from their previous value.
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mains.desk import order_messages
from mains.desk.models import OrderEvent, SlaLevel, WorkOrder
from mains.desk.states import OPEN_STATES, Action, State

CLOCKED_STATES = [*OPEN_STATES, State.RESOLVED]


@dataclass
class TickResult:
    warned: int = 0
    overdue: int = 0
    escalated: int = 0


def _mark(now: datetime, ids: list[int], level: str, action: str, note: str) -> int:
    if not ids:
        return 0
    changed = WorkOrder.objects.filter(pk__in=ids, state__in=CLOCKED_STATES).exclude(
        sla_level=level
    )
    if level == SlaLevel.YELLOW:
        changed = changed.filter(sla_level=SlaLevel.GREEN, warn_at__lte=now, current_due__gt=now)
    else:
        changed = changed.filter(current_due__lte=now)
    rows = list(changed.select_for_update().order_by("pk").values_list("pk", "state"))
    WorkOrder.objects.filter(pk__in=[pk for pk, _state in rows]).update(sla_level=level)
    OrderEvent.objects.bulk_create(
        OrderEvent(order_id=pk, at=now, action=action, from_state=state, to_state=state, note=note)
        for pk, state in rows
    )
    order_messages.notify_sla(level, [pk for pk, _state in rows])
    return len(rows)


def run_sla_clock(now: datetime | None = None) -> TickResult:
    now = now or timezone.now()
    result = TickResult()
    open_orders = WorkOrder.objects.filter(state__in=CLOCKED_STATES)
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
        late = (
            WorkOrder.objects.filter(state__in=OPEN_STATES, escalated=False)
            .filter(
                Q(current_due__lte=now - settings.ESCALATE_AFTER_OVERDUE)
                | Q(supervised_until__lte=now)
            )
            .select_for_update()
            .order_by("pk")
        )
        states = dict(late.values_list("pk", "state"))
        late_ids = list(states)
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
