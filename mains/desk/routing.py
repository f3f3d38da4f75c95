"""Where an order goes: the community gives the grid and specialist, the category the unit."""

from dataclasses import dataclass

from mains.areas.models import Community, Grid, Specialist
from mains.desk.models import Category
from mains.org.models import Unit


@dataclass
class Route:
    grid: Grid | None
    specialist: Specialist | None
    unit: Unit | None


def route_for(community: Community | None, category: Category) -> Route:
    grid = community.grid if community else None
    specialist = None
    if grid is not None:
        specialist = grid.specialist or grid.deputy
    unit = category.unit or (grid.unit if grid else None)
    return Route(grid=grid, specialist=specialist, unit=unit)
