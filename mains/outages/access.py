"""The outages a user may read, and the one way a page or the API reads one by id."""

from django.db.models import QuerySet
from django.http import Http404

from mains.org.models import User
from mains.outages.models import Outage


def outages_for(user: User) -> QuerySet[Outage]:
    """Outages are utility-wide and public on the notice boards: every signed-in user reads
    them all (which pages a role reaches is the pages' rule, mains.org.roles)."""
    if not user.is_authenticated:
        return Outage.objects.none()
    return Outage.objects.prefetch_related("communities")


def outage_for(user: User, pk: int) -> Outage:
    """One outage the user may read; missing and not-theirs answer the same 404."""
    found = outages_for(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found
