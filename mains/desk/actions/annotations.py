"""Annotations (see the package's docstring): a reminder (催办), supervision (督办),
escalation. They check the state, not the version, and leave the version alone."""

from datetime import datetime

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from mains.desk import transitions
from mains.desk.actions.guarded import apply_change
from mains.desk.errors import TransitionRefused
from mains.desk.models import OrderEvent, WorkOrder
from mains.desk.states import Action
from mains.org.models import User


def do_remind(order: WorkOrder, by: User, note: str) -> OrderEvent:
    """A reminder (催办) to whoever holds the order: counted with F()."""
    return apply_change(
        order,
        by,
        Action.REMIND,
        transitions.Change(None, {}),
        extra={"reminder_count": F("reminder_count") + 1},
        note=note,
        guard_version=False,
    )


def do_supervise(order: WorkOrder, by: User, due: datetime, note: str) -> OrderEvent:
    """Put the order under supervision (督办) with an answer deadline.

    The deadline is the supervisor's choice, not computed from the row, so two supervisors
    at once leave both in the history and the later one in force.
    """
    if due <= timezone.now():
        raise TransitionRefused(_("The supervision deadline must be in the future."))
    change = transitions.supervised(due)
    return apply_change(order, by, Action.SUPERVISE, change, note=note, guard_version=False)


def do_escalate(order: WorkOrder, by: User | None, reason: str) -> OrderEvent:
    """Flag the order for management (setting the flag twice is harmless)."""
    change = transitions.escalated()
    return apply_change(order, by, Action.ESCALATE, change, note=reason, guard_version=False)
