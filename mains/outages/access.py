"""The one way a page reads an outage by id (who may see outages: mains.org.roles)."""

from django.shortcuts import get_object_or_404

from mains.outages.models import Outage


def outage_for(pk: int) -> Outage:
    """Outages are utility-wide: anyone allowed on the pages sees all of them."""
    return get_object_or_404(Outage.objects.prefetch_related("communities"), pk=pk)
