"""Reads that the desk pages share."""

from django.core.paginator import Paginator
from django.db.models import Count, F, Q, QuerySet

from mains.areas.models import Community
from mains.desk.models import WorkOrder
from mains.desk.states import OPEN_STATES, State

LIST_RELATED = ("category", "community", "unit", "specialist", "grid")
NEWEST_FIRST = ("-received_at", "-pk")  # served by the index order_received_newest


class DeferredJoinPaginator(Paginator):
    """Pages that read only their own rows, however deep (page 500 of a million orders).

    OFFSET makes the database walk every row before the page; here it walks them in the
    index alone (the page's ids, ordered as the index is: NEWEST_FIRST), then joins the
    relations for those 50 rows only.
    """

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        rows = {row.pk: row for row in self.object_list.filter(pk__in=ids)}
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)


def search_communities(text: str, limit: int = 10) -> QuerySet[Community]:
    """By Chinese name, full pinyin or pinyin initials."""
    text = text.strip()
    if not text:
        return Community.objects.none()
    lower = text.lower().replace(" ", "")
    match = Q(name__icontains=text) | Q(address__icontains=text)
    if lower.isascii():
        match |= (
            Q(pinyin__startswith=lower) | Q(initials__startswith=lower) | Q(pinyin__contains=lower)
        )
    return (
        Community.objects.filter(match).select_related("grid__specialist").order_by("name")[:limit]
    )


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


def sla_counts(orders: QuerySet[WorkOrder]) -> dict[str, int]:
    return dict(orders.values_list("sla_level").annotate(n=Count("pk")).order_by())


def callback_queue(orders: QuerySet[WorkOrder]) -> QuerySet[WorkOrder]:
    return overdue_first(orders.filter(state=State.RESOLVED)).select_related(*LIST_RELATED)
