"""After the work: the call back to the resident (回访), the re-do it may bring (重办), the
archive (归档)."""

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mains.desk import transitions
from mains.desk.actions.annotations import do_escalate
from mains.desk.actions.guarded import apply_change
from mains.desk.calendars import spec_for
from mains.desk.errors import TransitionRefused
from mains.desk.models import Callback, OrderEvent, Satisfaction, WorkOrder
from mains.desk.states import Action
from mains.org.models import User


def do_callback(order: WorkOrder, by: User, result: str, note: str = "") -> OrderEvent:
    """Record the call back to the resident (回访); unsatisfied re-opens the order (重办)."""
    now = timezone.now()
    if result not in Satisfaction.values:
        raise TransitionRefused(_("Choose how the resident judged the service."))
    with transaction.atomic():
        if result == Satisfaction.UNREACHABLE:
            # A decision like the others: a resident reached by someone else meanwhile
            # makes this attempt a conflict, and the attempt makes a stale "satisfied" one.
            change = transitions.not_reached()
            event = apply_change(order, by, Action.CALLBACK, change, note=note, now=now)
        elif result == Satisfaction.UNSATISFIED:
            event = _reopen(order, by, note, now)
        else:
            change = transitions.called_back(result, now)
            event = apply_change(order, by, Action.CALLBACK, change, note=note, now=now)
        # Only reached once the guarded update succeeded; a conflict rolls back both.
        Callback.objects.create(order=order, at=now, agent=by, result=result, note=note)
    return event


def _reopen(order: WorkOrder, by: User, note: str, now: datetime) -> OrderEvent:
    change = transitions.reopened(
        order.category,
        spec_for(order.category.calendar),
        order.redo_count,
        Satisfaction.UNSATISFIED,
        now,
    )
    event = apply_change(order, by, Action.REOPEN, change, note=note, now=now)
    redo = change.fields["redo_count"]
    if redo >= settings.REDO_ESCALATION_THRESHOLD and not order.escalated:
        do_escalate(order, None, _("Re-done %(count)s times.") % {"count": redo})
    return event


def do_close(order: WorkOrder, by: User) -> OrderEvent:
    """Archive (归档) an order whose callback is done."""
    return apply_change(order, by, Action.CLOSE, transitions.closed(timezone.now()))
