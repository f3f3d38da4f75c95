"""Writes on special-group residents and their visits."""

from django.db import transaction
from django.utils import timezone

from mains.care.models import Resident, Visit
from mains.org.models import User
from mains.org.permissions import require_role
from mains.org.roles import CARE_REGISTER_ROLES


def do_register_resident(by: User, *, consent_note: str, **fields) -> Resident:
    """Register a resident; the consent is recorded with who took it and when."""
    require_role(by, CARE_REGISTER_ROLES)
    if not consent_note.strip():
        raise ValueError("consent is required")
    return Resident.objects.create(
        consent_at=timezone.now(), consent_by=by, consent_note=consent_note.strip(), **fields
    )


@transaction.atomic
def do_record_visit(resident: Resident, by: User, help: str, note: str = "") -> Visit:
    now = timezone.now()
    visit = Visit.objects.create(resident=resident, by=by, at=now, help=help, note=note)
    Resident.objects.filter(pk=resident.pk).update(last_visit_at=now)
    resident.last_visit_at = now
    return visit
