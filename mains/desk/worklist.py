"""The grid specialist's work list: which of their open orders are overdue, due today or
later, filtered by that and by community, a page at a time.

An order's urgency is read from its current deadline (the one of the stage it is in, so
the specialist's own: accept, arrive or resolve by) against the local clock:
*overdue* before now, *today* before the next local midnight, *later* after that, and
*paused* without a running deadline (suspended). The list is sorted by that deadline, so
each urgency is one run of the list and a page can be grouped by it.
"""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from mains.desk import queries
from mains.desk.models import Channel, WorkOrder
from mains.desk.states import State

FIELD_STATES = [State.DISPATCHED, State.REOPENED, State.ACCEPTED, State.ON_SITE, State.SUSPENDED]
PAGE_SIZE = 20

OVERDUE, TODAY, LATER, PAUSED = "overdue", "today", "later", "paused"
URGENCY_LABELS = {
    OVERDUE: pgettext_lazy("worklist", "Overdue"),
    TODAY: pgettext_lazy("worklist", "Due today"),
    LATER: pgettext_lazy("worklist", "Later"),
    PAUSED: pgettext_lazy("worklist", "Paused (suspended)"),
}
# The filters offered as pills: "" is every open order.
WHEN_FILTERS = ("", OVERDUE, TODAY)


@dataclass(frozen=True)
class Clock:
    now: datetime
    tomorrow: datetime  # the next local midnight

    @classmethod
    def read(cls) -> "Clock":
        now = timezone.now()
        local = timezone.localtime(now)
        midnight = local.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
        return cls(now=now, tomorrow=midnight)

    def mark(self, order: WorkOrder) -> WorkOrder:
        """Note the order's urgency on it, for the card and the list's groups."""
        order.urgency = self.urgency(order)  # type: ignore[attr-defined]
        return order

    def urgency(self, order: WorkOrder) -> str:
        if order.current_due is None:
            return PAUSED
        if order.current_due < self.now:
            return OVERDUE
        if order.current_due < self.tomorrow:
            return TODAY
        return LATER


def _when_q(when: str, clock: Clock) -> Q:
    if when == OVERDUE:
        return Q(current_due__lt=clock.now)
    if when == TODAY:
        return Q(current_due__gte=clock.now, current_due__lt=clock.tomorrow)
    return Q()


def when_counts(orders: QuerySet[WorkOrder], clock: Clock) -> dict[str, int]:
    """ "" (all), overdue and today: how many of `orders` each pill would show (one query)."""
    found = orders.aggregate(
        all=Count("pk"),
        overdue=Count("pk", filter=_when_q(OVERDUE, clock)),
        today=Count("pk", filter=_when_q(TODAY, clock)),
    )
    return {"": found["all"], OVERDUE: found["overdue"], TODAY: found["today"]}


def community_counts(orders: QuerySet[WorkOrder]) -> list[tuple[int | None, str, int]]:
    """(community id, name, open orders) for the select, the busiest first (one query)."""
    rows = (
        orders.values_list("community_id", "community__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "community__name")
    )
    return [(pk, name, n) for pk, name, n in rows if pk is not None]


@dataclass
class WorkList:
    page: Page
    counts: dict[str, int]
    communities: list[tuple[int | None, str, int]]
    when: str
    community_id: int | None
    bad_community: bool  # the community asked for has no open order of theirs


def open_orders(mine: QuerySet[WorkOrder]) -> QuerySet[WorkOrder]:
    return mine.filter(state__in=FIELD_STATES)


def with_card_data(orders: QuerySet[WorkOrder]) -> QuerySet[WorkOrder]:
    """What a card shows, in a fixed number of queries: the related rows and, for an
    order raised by the network watch, its alarm's meter and the meter's community.

    The alarms are reached through their relation to the order: the desk does not import
    the network watch, which sits above it."""
    alarms = WorkOrder._meta.get_field("alarms").related_model._default_manager
    return orders.select_related(*queries.LIST_RELATED).prefetch_related(
        Prefetch(
            "alarms",
            queryset=alarms.select_related("meter__community").order_by("raised_at"),
        )
    )


def work_list(mine: QuerySet[WorkOrder], when: str, community: str, page: str) -> WorkList:
    clock = Clock.read()
    orders = open_orders(mine)
    when = when if when in WHEN_FILTERS else ""
    communities = community_counts(orders.filter(_when_q(when, clock)))
    community_id = int(community) if community.isdecimal() else None
    bad = bool(community) and community_id not in {pk for pk, _name, _n in communities}
    if bad and community_id is not None:
        # One of theirs with no order under this filter: keep it, with its 0 (rare query).
        name = orders.filter(community_id=community_id).values_list("community__name").first()
        if name is not None:
            communities.append((community_id, name[0], 0))
            bad = False
    if bad:
        community_id = None  # not one of theirs (or no open order there): all, and say so
    if community_id is not None:
        orders = orders.filter(community_id=community_id)
    counts = when_counts(orders, clock)
    listed = queries.overdue_first(with_card_data(orders.filter(_when_q(when, clock))))
    found = Paginator(listed, PAGE_SIZE).get_page(page)
    for order in found.object_list:
        clock.mark(order)
    return WorkList(found, counts, communities, when, community_id, bad)


def card_order(mine: QuerySet[WorkOrder], pk: int) -> WorkOrder | None:
    """One of the specialist's orders as a card shows it (open or not), with its urgency."""
    order = with_card_data(mine.filter(pk=pk)).first()
    return Clock.read().mark(order) if order is not None else None


def alarm_of(order: WorkOrder):
    """The alarm that raised an order of the network watch, if any (prefetched)."""
    if order.channel != Channel.ALARM:
        return None
    alarms = list(order.alarms.all())
    return alarms[0] if alarms else None


# Figures as a person reads them: a flow to 0.1 m³/h, a pressure to 0.01 MPa, a volume to
# the litre's tenth. The detector's exact figures stay in the alarm's evidence and its CSV.
DECIMALS = {"m³/h": 1, "MPa": 2, "L": 1, "h": 1}
_FIGURE = re.compile(r"(?<![\d.])(\d+\.\d+)( ?)(m³/h|MPa|L|h)(?![\w/])")


def rounded_text(text: str) -> str:
    """ "95.6907 m³/h" → "95.7 m³/h" in an order's text (orders written before figures were
    rounded); figures already short enough are left alone."""

    def _round(match: re.Match) -> str:
        number, space, unit = match.groups()
        places = DECIMALS[unit]
        if len(number.split(".")[1]) <= places:
            return match.group(0)
        return f"{float(number):.{places}f}{space}{unit}"

    return _FIGURE.sub(_round, text)
