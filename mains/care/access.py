"""The special-group residents a user may see, and the one way a page reads one by id.

Who is a special-group resident is the most sensitive thing mains holds: a specialist sees
only those they look after (their grids, or the grids they deputise for); the registering
roles see the register."""

from django.db.models import Q, QuerySet
from django.http import Http404

from mains.care.models import Resident
from mains.org.models import User
from mains.org.roles import CARE_REGISTER_ROLES, Role


def residents_for(user: User) -> QuerySet[Resident]:
    residents = Resident.objects.select_related("community")
    if not user.is_authenticated:
        return residents.none()
    if user.role in CARE_REGISTER_ROLES:
        return residents
    spec = getattr(user, "specialist", None) if user.role == Role.SPECIALIST else None
    if spec is None:
        return residents.none()
    return residents.filter(active=True).filter(
        Q(community__grid__specialist=spec) | Q(community__grid__deputy=spec)
    )


def resident_for(user: User, pk: int) -> Resident:
    """One resident the user may see; missing and not-theirs answer the same 404."""
    found = residents_for(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found
