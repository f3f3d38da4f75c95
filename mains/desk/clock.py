"""The SLA clock: turn orders yellow and red and escalate them. Run every minute by Huey.

It finds the orders due for a turn and hands them to the bulk actions beside the others
(`mains.desk.actions.sla_bookkeeping`, where the rules of these writes are told).
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from mains.desk.actions.sla_bookkeeping import (
    CLOCKED_STATES,
    do_escalate_late,
    do_mark_sla,
    due_to_turn,
)
from mains.desk.models import SlaLevel, WorkOrder


@dataclass
class TickResult:
    warned: int = 0
    overdue: int = 0
    escalated: int = 0


def _due(level: str, now: datetime) -> list[int]:
    orders = WorkOrder.objects.filter(state__in=CLOCKED_STATES).filter(due_to_turn(level, now))
    return list(orders.values_list("pk", flat=True))


def run_sla_clock(now: datetime | None = None) -> TickResult:
    now = now or timezone.now()
    result = TickResult()
    with transaction.atomic():
        result.warned = do_mark_sla(now, _due(SlaLevel.YELLOW, now), SlaLevel.YELLOW)
        result.overdue = do_mark_sla(now, _due(SlaLevel.RED, now), SlaLevel.RED)
        result.escalated = do_escalate_late(now)
    return result
