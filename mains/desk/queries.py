"""Reads that the desk pages share."""

from datetime import timedelta

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Case, Count, F, IntegerField, Max, Q, QuerySet, Value, When
from django.utils import timezone

from mains.desk.models import Category, Priority, SlaLevel, WorkOrder
from mains.desk.states import OPEN_STATES, State
from mains.desk.visibility import public_categories

LIST_RELATED = ("category", "community", "unit", "specialist", "grid")
NEWEST_FIRST = ("-received_at", "-pk")  # served by the index order_received_newest


class DeferredJoinPaginator(Paginator):
    """Pages that read only their own rows, however deep (page 500 of a million orders).

    OFFSET makes the database walk every row before the page; here it walks them in the
    index alone (the page's ids, ordered as the index is: NEWEST_FIRST), then joins the
    relations for those 50 rows only. A `count` known beforehand (from the KPI rollup)
    spares the COUNT(*) of every row.
    """

    def __init__(self, object_list, per_page, *args, count: int | None = None, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        if count is not None:
            self.__dict__["count"] = count  # Paginator.count is a cached_property

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        rows = {row.pk: row for row in self.object_list.filter(pk__in=ids)}
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)


CATEGORY_USE_DAYS = 90
CATEGORY_USE_CACHE_KEY = "desk:category-uses"
CATEGORY_USE_SECONDS = 600


def category_uses() -> dict[int, int]:
    """category id → orders received in the last 90 days; counted at most every 10 minutes
    (one grouped count over an indexed column; the order of a list need not be live)."""
    uses = cache.get(CATEGORY_USE_CACHE_KEY)
    if uses is None:
        since = timezone.now() - timedelta(days=CATEGORY_USE_DAYS)
        uses = dict(
            WorkOrder.objects.filter(received_at__gte=since)
            .values_list("category_id")
            .annotate(n=Count("pk"))
            .order_by()
        )
        cache.set(CATEGORY_USE_CACHE_KEY, uses, CATEGORY_USE_SECONDS)
    return uses


def intake_categories() -> list[Category]:
    """The categories a call may be about, the most used first; internal ones (alarms,
    welfare visits) are never offered. Each carries `uses`, its recent order count."""
    uses = category_uses()
    categories = list(public_categories().order_by("priority", "name"))
    for category in categories:
        category.uses = uses.get(category.pk, 0)  # type: ignore[attr-defined]
    return sorted(categories, key=lambda c: -c.uses)  # type: ignore[attr-defined]


def caller_history(phone: str, limit: int = 10) -> list[WorkOrder]:
    if not phone:
        return []
    return list(
        WorkOrder.objects.filter(caller_phone=phone)
        .select_related("category", "community")
        .order_by("-received_at")[:limit]
    )


def duplicate_hints(
    community_id: int | None, category_id: int | None, limit: int = 5
) -> list[WorkOrder]:
    """Open orders of the same community and category: maybe this call is about one of them."""
    if not community_id or not category_id:
        return []
    return list(
        WorkOrder.objects.filter(
            community_id=community_id, category_id=category_id, state__in=OPEN_STATES
        )
        .select_related("category", "specialist")
        .order_by("-received_at")[:limit]
    )


def overdue_first(orders: QuerySet[WorkOrder]) -> QuerySet[WorkOrder]:
    return orders.order_by(F("current_due").asc(nulls_last=True), "received_at")


def state_counts(orders: QuerySet[WorkOrder]) -> dict[str, int]:
    return dict(orders.values_list("state").annotate(n=Count("pk")).order_by())


# The board's groups, in the order a person should look at them. An order awaiting
# dispatch (received, or returned by the field) has nobody working on it; a tier-1
# order (burst, no water, construction damage) needs watching even when dispatched.
AWAITING_DISPATCH = (State.RECEIVED, State.RETURNED)
BOARD_GROUPS = {
    "undispatched": Q(state__in=AWAITING_DISPATCH),
    "urgent": Q(priority=Priority.URGENT),
    "red": Q(sla_level=SlaLevel.RED),
    "yellow": Q(sla_level=SlaLevel.YELLOW),
}


def board_order(orders: QuerySet[WorkOrder]) -> QuerySet[WorkOrder]:
    """What needs a person now first, sorted by the database so that pages stay right.

    Awaiting dispatch, then tier-1, then overdue, then warning, then the rest; inside each
    group the higher priority, the redder SLA and the nearer deadline come first.
    """
    rank = Case(
        *(When(q, then=Value(i)) for i, q in enumerate(BOARD_GROUPS.values())),
        default=Value(len(BOARD_GROUPS)),
        output_field=IntegerField(),
    )
    sla_rank = Case(
        When(sla_level=SlaLevel.RED, then=Value(0)),
        When(sla_level=SlaLevel.YELLOW, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return orders.annotate(board_rank=rank, sla_rank=sla_rank).order_by(
        "board_rank",
        "priority",
        "sla_rank",
        F("current_due").asc(nulls_last=True),
        "received_at",
        "pk",
    )


def board_counts(orders: QuerySet[WorkOrder]) -> dict[str, int]:
    """How many orders of the whole filter are in each group, and in all: one query.

    The groups overlap (a tier-1 order may be overdue): each count is of its own kind,
    not of the rows shown under it.
    """
    return orders.order_by().aggregate(
        total=Count("pk"), **{name: Count("pk", filter=q) for name, q in BOARD_GROUPS.items()}
    )


def newest_id(orders: QuerySet[WorkOrder]) -> int:
    """The id of the newest of these orders (in any state): what a page was loaded after."""
    return orders.order_by().aggregate(newest=Max("pk"))["newest"] or 0


def callback_queue(orders: QuerySet[WorkOrder]) -> QuerySet[WorkOrder]:
    return overdue_first(orders.filter(state=State.RESOLVED)).select_related(*LIST_RELATED)
