"""The callback queue's reads: find an order to call back, narrow by unit and due time,
and say what became of an order once its callback is recorded."""

from datetime import datetime, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mains.areas.models import Specialist
from mains.desk.models import Satisfaction, WorkOrder
from mains.lib.phones import normalise_phone
from mains.lib.text import clean_line

# Digits typed: an order number's start or end, a full phone or its last four digits.
MIN_DIGITS = 4
PHONE_TAIL = 4

DUE_WINDOWS = {
    "overdue": gettext_lazy("Overdue"),
    "today": gettext_lazy("Due today"),
    "later": gettext_lazy("Later"),
}


def matching(orders: QuerySet[WorkOrder], text: str) -> QuerySet[WorkOrder]:
    """Orders whose number, caller's phone or community matches what the agent typed.

    Four digits or more: a number beginning or ending with them, a phone equal to them or
    ending with the last four. Anything else: the community's name, its full pinyin or its
    pinyin initials (as the intake's community search reads them). Shorter digits match
    nothing: "12" would be in every other number.
    """
    text = clean_line(text)
    if not text:
        return orders
    phone = normalise_phone(text)  # no spaces, brackets or +86
    digits = phone.replace("-", "")
    if digits.isdecimal():
        if len(digits) < MIN_DIGITS:
            return orders.none()
        match = Q(number__startswith=digits) | Q(number__endswith=digits)
        match |= Q(caller_phone=phone) | Q(caller_phone=digits)
        if len(digits) == PHONE_TAIL:
            match |= Q(caller_phone__endswith=digits)
        return orders.filter(match)
    match = Q(community__name__icontains=text)
    lower = text.lower().replace(" ", "")
    if lower.isascii():
        match |= Q(community__initials__startswith=lower) | Q(community__pinyin__contains=lower)
    return orders.filter(match)


def _today_ends(now: datetime) -> datetime:
    local = timezone.localtime(now)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    return midnight


def _window(name: str, now: datetime) -> Q:
    # In the queue (resolved orders) the stage's deadline, current_due, is callback_due;
    # the (state, current_due) index serves it.
    ends = _today_ends(now)
    return {
        "overdue": Q(current_due__lt=now),
        "today": Q(current_due__gte=now, current_due__lt=ends),
        "later": Q(current_due__gte=ends) | Q(current_due__isnull=True),
    }[name]


def due_within(orders: QuerySet[WorkOrder], name: str, now: datetime) -> QuerySet[WorkOrder]:
    if name not in DUE_WINDOWS:
        return orders
    return orders.filter(_window(name, now))


def due_counts(orders: QuerySet[WorkOrder], now: datetime) -> dict[str, int]:
    """How many of `orders` fall in each due window: one aggregate query."""
    found = orders.order_by().aggregate(
        **{name: Count("pk", filter=_window(name, now)) for name in DUE_WINDOWS}
    )
    return {name: found[name] or 0 for name in DUE_WINDOWS}


def reopened_to(order: WorkOrder) -> Specialist | None:
    """Who works a reopened order: its specialist, else its grid's (as `is_assignee` says);
    nobody means it waits on the dispatch board."""
    if order.specialist is not None:
        return order.specialist
    return order.grid.specialist if order.grid is not None else None


def outcome(order: WorkOrder, result: str) -> str:
    """What the agent is told once the callback is recorded on `order` (as it is now)."""
    if result != Satisfaction.UNSATISFIED:
        return _("Callback recorded for order %(number)s: %(result)s.") % {
            "number": order.number,
            "result": Satisfaction(result).label,
        }
    works_it = reopened_to(order)
    if works_it is not None:
        told = _(
            "Order %(number)s was reopened and sent back to %(name)s (%(unit)s) to be re-done."
        ) % {
            "number": order.number,
            "name": works_it.name,
            "unit": order.unit.name if order.unit else _("no unit"),
        }
    else:
        told = _(
            "Order %(number)s was reopened; it has no specialist, so it went to the dispatch board."
        ) % {"number": order.number}
    if order.escalated:
        told += " " + _("It is escalated to management (re-done %(count)s times).") % {
            "count": order.redo_count
        }
    return told
