"""The observations a user may read, and the one way a page reads one by id."""

from django.db.models import QuerySet
from django.http import Http404

from mains.org.models import User
from mains.org.roles import OBSERVATION_ANSWER_ROLES, Role
from mains.supervision.models import Observation


def observations_for(user: User) -> QuerySet[Observation]:
    """Those who answer read them all; a social supervisor reads their own."""
    observations = Observation.objects.all()
    if not user.is_authenticated:
        return observations.none()
    if user.role in OBSERVATION_ANSWER_ROLES:
        return observations
    if user.role == Role.SUPERVISOR:
        return observations.filter(supervisor=user)
    return observations.none()


def observation_for(user: User, pk: int) -> Observation:
    """One observation the user may read; missing and not-theirs answer the same 404."""
    found = observations_for(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found
