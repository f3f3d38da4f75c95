"""Who may do what with outages, and the one way a page reads an outage by id."""

from django.shortcuts import get_object_or_404

from mains.org.roles import INTAKE_ROLES, Role
from mains.outages.models import Outage

# Roles that see the outage pages (agents read them to answer callers).
VIEW_ROLES = {Role.AGENT, Role.DISPATCHER, Role.MANAGER, Role.ADMIN}
# Roles that announce, change, end and cancel outages.
MANAGE_ROLES = {Role.DISPATCHER, Role.MANAGER, Role.ADMIN}
# Roles that attach a caller to an outage from the intake screen.
ATTACH_ROLES = set(INTAKE_ROLES)


def outage_for(pk: int) -> Outage:
    """Outages are utility-wide: anyone allowed on the pages sees all of them."""
    return get_object_or_404(Outage.objects.prefetch_related("communities"), pk=pk)
