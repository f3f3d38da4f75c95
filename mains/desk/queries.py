"""Reads that the desk pages share."""

from datetime import timedelta

from django.core.cache import cache
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from mains.areas.models import Community
from mains.desk.models import Category, WorkOrder
from mains.desk.states import OPEN_STATES, State
from mains.desk.visibility import public_categories

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


def sla_counts(orders: QuerySet[WorkOrder]) -> dict[str, int]:
    return dict(orders.values_list("sla_level").annotate(n=Count("pk")).order_by())


def callback_queue(orders: QuerySet[WorkOrder]) -> QuerySet[WorkOrder]:
    return overdue_first(orders.filter(state=State.RESOLVED)).select_related(*LIST_RELATED)
