"""Which special-group residents a specialist looks after, due first."""

from django.db.models import Q, QuerySet

from mains.care.models import Resident
from mains.org.models import User


def _looked_after(specialist_user: User) -> QuerySet[Resident]:
    spec = getattr(specialist_user, "specialist", None)
    if spec is None:
        return Resident.objects.none()
    return (
        Resident.objects.filter(active=True)
        .filter(Q(community__grid__specialist=spec) | Q(community__grid__deputy=spec))
        .select_related("community")
    )


def residents_of(specialist_user: User) -> list[Resident]:
    return sorted(_looked_after(specialist_user), key=lambda r: r.next_visit_due)


def resident_of(specialist_user: User, pk: int) -> Resident | None:
    """One resident the specialist looks after, or None (missing and not theirs alike)."""
    return _looked_after(specialist_user).filter(pk=pk).first()
