"""Reads of outages that pages share.

`active_outages_for` and `upcoming_outages_for` are called by other apps (the residents'
public page, the intake screen): keep their names and meaning stable.
"""

from datetime import datetime, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from mains.areas.models import Community
from mains.outages.models import Outage

OPEN = Outage.Status.ANNOUNCED


def active_outages_for(community: Community | int, at: datetime | None = None) -> list[Outage]:
    """Announced outages of the community that have started by `at` (default now) and are
    not ended or cancelled: service is off now. Soonest restoration first."""
    at = at or timezone.now()
    return list(
        Outage.objects.filter(communities=community, status=OPEN, starts_at__lte=at)
        .order_by("ends_at", "pk")
        .distinct()
    )


def upcoming_outages_for(community: Community | int, days: int = 7) -> list[Outage]:
    """Announced outages of the community starting within the next `days` days, soonest first."""
    now = timezone.now()
    return list(
        Outage.objects.filter(
            communities=community,
            status=OPEN,
            starts_at__gt=now,
            starts_at__lte=now + timedelta(days=days),
        )
        .order_by("starts_at", "pk")
        .distinct()
    )


def outages_in(section: str, at: datetime | None = None) -> QuerySet[Outage]:
    """The list page's three sections: current (active), planned (not started), ended."""
    at = at or timezone.now()
    if section == "current":
        found = Outage.objects.filter(status=OPEN, starts_at__lte=at).order_by("ends_at")
    elif section == "planned":
        found = Outage.objects.filter(status=OPEN, starts_at__gt=at).order_by("starts_at")
    else:
        found = Outage.objects.filter(
            Q(status=Outage.Status.ENDED) | Q(status=Outage.Status.CANCELLED)
        ).order_by("-ended_at", "-starts_at")
    return found.prefetch_related("communities")
