"""The SLA clock's writes, in bulk: yellow and red turns, and escalation of late orders.

Bookkeeping, not a decision (see the package's docstring): these writes bypass
`apply_change` and leave the version alone, or every page open on an order would turn stale
once a minute. They are safe because each one re-checks its own condition in a SELECT … FOR
UPDATE of the rows it then changes, so an order resolved, re-dispatched or escalated by a
person meanwhile is seen as it now is (PostgreSQL re-evaluates the condition on the newest
row; SQLite runs one writer at a time). A decision that waited on the lock then writes its
own fresh SLA level after ours. The clock writes only `sla_level` and `escalated`, which no
decision computes from their previous value; escalation writes what `do_escalate` writes
(`transitions.escalated`).
"""

from datetime import datetime

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mains.desk import order_messages, transitions
from mains.desk.models import OrderEvent, SlaLevel, WorkOrder
from mains.desk.states import OPEN_STATES, Action, State

CLOCKED_STATES = [*OPEN_STATES, State.RESOLVED]
TURNS = {
    SlaLevel.YELLOW: (Action.SLA_WARNING, gettext_lazy("Deadline approaching.")),
    SlaLevel.RED: (Action.SLA_OVERDUE, gettext_lazy("Deadline missed.")),
}


def due_to_turn(level: str, now: datetime) -> Q:
    """The orders the clock turns to `level` at `now`."""
    if level == SlaLevel.YELLOW:
        return Q(sla_level=SlaLevel.GREEN, warn_at__lte=now, current_due__gt=now)
    return Q(current_due__lte=now) & ~Q(sla_level=SlaLevel.RED)


def do_mark_sla(now: datetime, ids: list[int], level: str) -> int:
    """Turn these orders yellow or red where that still holds; one history entry each."""
    if not ids:
        return 0
    action, note = TURNS[SlaLevel(level)]
    changed = WorkOrder.objects.filter(pk__in=ids, state__in=CLOCKED_STATES).filter(
        due_to_turn(level, now)
    )
    rows = list(changed.select_for_update().order_by("pk").values_list("pk", "state"))
    WorkOrder.objects.filter(pk__in=[pk for pk, _state in rows]).update(sla_level=level)
    OrderEvent.objects.bulk_create(
        OrderEvent(
            order_id=pk, at=now, action=action, from_state=state, to_state=state, note=str(note)
        )
        for pk, state in rows
    )
    order_messages.notify_sla(level, [pk for pk, _state in rows])
    return len(rows)


def do_escalate_late(now: datetime) -> int:
    """Escalate every open order long overdue or past its supervision deadline, as
    `do_escalate` would one by one."""
    late = (
        WorkOrder.objects.filter(state__in=OPEN_STATES, escalated=False)
        .filter(
            Q(current_due__lte=now - settings.ESCALATE_AFTER_OVERDUE) | Q(supervised_until__lte=now)
        )
        .select_for_update()
        .order_by("pk")
    )
    states = dict(late.values_list("pk", "state"))
    WorkOrder.objects.filter(pk__in=list(states)).update(**transitions.escalated().fields)
    OrderEvent.objects.bulk_create(
        OrderEvent(
            order_id=pk,
            at=now,
            action=Action.ESCALATE,
            from_state=state,
            to_state=state,
            note=_("Overdue: escalated automatically."),
        )
        for pk, state in states.items()
    )
    return len(states)
