"""Reads of communities that pages of several apps share."""

from django.db.models import Q, QuerySet

from mains.areas.models import Community


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
