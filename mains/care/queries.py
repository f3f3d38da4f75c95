"""Which special-group residents a specialist looks after, due first."""

from django.db.models import Q

from mains.care.models import Resident
from mains.org.models import User


def residents_of(specialist_user: User) -> list[Resident]:
    spec = getattr(specialist_user, "specialist", None)
    if spec is None:
        return []
    residents = list(
        Resident.objects.filter(active=True)
        .filter(Q(community__grid__specialist=spec) | Q(community__grid__deputy=spec))
        .select_related("community")
    )
    return sorted(residents, key=lambda r: r.next_visit_due)
