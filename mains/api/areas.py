"""/api/v1/communities, grids and categories: read-only reference data."""

from django.db.models import Q
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from pydantic import Field

from mains.api.pagination import one_page
from mains.api.schemas import (
    ERRORS,
    INT32,
    CategoryOut,
    CommunityOut,
    CommunityPage,
    ErrorOut,
    GridOut,
    Id,
    Text,
)
from mains.areas.models import Community, Grid
from mains.desk.models import Category

router = Router(tags=["reference data"])


class CommunityFilters(Schema):
    q: Text | None = Field(None, max_length=100, description="Part of the name or address.")
    grid: Text | None = Field(None, max_length=30, description="Grid code.")
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0, le=INT32)


def community_out(community: Community) -> dict:
    return {
        "id": community.pk,
        "name": community.name,
        "address": community.address,
        "latitude": float(community.latitude) if community.latitude is not None else None,
        "longitude": float(community.longitude) if community.longitude is not None else None,
        "households": community.households,
        "utility": community.utility,
        "grid": community.grid.code if community.grid else None,
    }


@router.get("/communities", response={200: CommunityPage, ERRORS: ErrorOut})
def list_communities(request: HttpRequest, filters: Query[CommunityFilters]):
    found = Community.objects.select_related("grid").order_by("name", "pk")
    if filters.q:
        found = found.filter(Q(name__icontains=filters.q) | Q(address__icontains=filters.q))
    if filters.grid:
        found = found.filter(grid__code=filters.grid)
    return one_page(found, filters, community_out)


@router.get("/communities/{community_id}", response={200: CommunityOut, ERRORS: ErrorOut})
def read_community(request: HttpRequest, community_id: Id):
    return community_out(
        get_object_or_404(Community.objects.select_related("grid"), pk=community_id)
    )


def grid_out(grid: Grid) -> dict:
    return {
        "id": grid.pk,
        "code": grid.code,
        "name": grid.name,
        "unit": grid.unit.name,
        "specialist": grid.specialist.name if grid.specialist else None,
        "specialist_phone": grid.specialist.phone if grid.specialist else None,
        "deputy": grid.deputy.name if grid.deputy else None,
    }


@router.get("/grids", response={200: list[GridOut], ERRORS: ErrorOut})
def list_grids(request: HttpRequest):
    """Every grid with its specialist's work phone (the one on the notice board)."""
    grids = Grid.objects.select_related("unit", "specialist", "deputy").order_by("code")
    return [grid_out(g) for g in grids]


@router.get("/categories", response={200: list[CategoryOut], ERRORS: ErrorOut})
def list_categories(request: HttpRequest):
    """The active categories an order can be filed under."""
    return list(
        Category.objects.filter(active=True)
        .order_by("utility", "priority", "code")
        .values("id", "code", "name", "utility", "priority", "needs_visit")
    )
