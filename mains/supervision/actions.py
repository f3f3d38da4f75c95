"""Writes on supervisors' observations."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mains.areas.models import Community
from mains.org.models import User
from mains.org.permissions import require_role
from mains.org.roles import OBSERVATION_ANSWER_ROLES, Role
from mains.supervision.models import Observation


class ObservationError(Exception):
    pass


def do_file_observation(
    supervisor: User, kind: str, text: str, community: Community | None = None
) -> Observation:
    require_role(supervisor, {Role.SUPERVISOR})
    now = timezone.now()
    return Observation.objects.create(
        supervisor=supervisor,
        kind=kind,
        text=text.strip(),
        community=community,
        filed_at=now,
        answer_due=now + timedelta(days=settings.SUPERVISION_ANSWER_DAYS),
    )


@transaction.atomic
def do_answer_observation(observation: Observation, by: User, answer: str) -> Observation:
    """Answer once; a second answer to the same observation is refused."""
    require_role(by, OBSERVATION_ANSWER_ROLES)
    if not answer.strip():
        raise ObservationError(_("Write the answer."))
    now = timezone.now()
    updated = Observation.objects.filter(pk=observation.pk, answered_at__isnull=True).update(
        answer=answer.strip(), answered_by=by, answered_at=now
    )
    if updated != 1:
        raise ObservationError(_("This observation has already been answered."))
    observation.refresh_from_db()
    return observation
