"""Writes on grids: the one path to (re)assign a specialist."""

from django.db import transaction
from django.utils import timezone

from mains.areas.models import Grid, GridAssignment, Specialist
from mains.areas.signals import grid_contact_changed
from mains.org.models import User


@transaction.atomic
def do_assign_grid(
    grid: Grid,
    specialist: Specialist,
    deputy: Specialist | None,
    by: User | None,
    at=None,
) -> GridAssignment | None:
    """Make `specialist` (and `deputy`) answer for `grid`; close the previous assignment."""
    at = at or timezone.now()
    current = GridAssignment.objects.filter(grid=grid, ended_at__isnull=True).first()
    if (
        current
        and current.specialist_id == specialist.pk
        and current.deputy_id == (deputy.pk if deputy else None)
    ):
        return None
    if current:
        current.ended_at = at
        current.save(update_fields=["ended_at"])
    if grid.specialist_id != specialist.pk:
        grid_contact_changed.send(Grid, grid=grid, at=at)
    grid.specialist = specialist
    grid.deputy = deputy
    grid.save(update_fields=["specialist", "deputy"])
    return GridAssignment.objects.create(
        grid=grid, specialist=specialist, deputy=deputy, started_at=at, assigned_by=by
    )
