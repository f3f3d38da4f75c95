"""Reads that the desk pages share."""

from django.db.models import Count, F, Q, QuerySet

from mains.areas.models import Community
from mains.desk.models import WorkOrder
from mains.desk.states import OPEN_STATES, State

LIST_RELATED = ("category", "community", "unit", "specialist", "grid")


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
