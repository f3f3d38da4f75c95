"""Boards listen to areas: a grid whose contact changed has its boards outdated."""

from django.dispatch import receiver

from mains.areas.signals import grid_contact_changed
from mains.boards.actions import mark_grid_outdated


@receiver(grid_contact_changed)
def outdate_the_grids_boards(sender, grid, at=None, **kwargs) -> None:
    mark_grid_outdated(grid, at=at)
