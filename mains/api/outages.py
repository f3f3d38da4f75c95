"""/api/v1/outages: planned and emergency outages, read-only (they are public on the boards)."""

from datetime import datetime
from enum import StrEnum

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from mains.api.auth import caller
from mains.api.pagination import Envelope, one_page
from mains.api.schemas import ERRORS, INT32, ErrorOut, Id
from mains.outages.access import outage_for
from mains.outages.models import Outage
from mains.outages.queries import outages_in

router = Router(tags=["outages"])


class Section(StrEnum):
    current = "current"
    planned = "planned"
    ended = "ended"


class OutageFilters(Schema):
    section: Section = Field(
        Section.current, description="current (service is off now), planned, or ended."
    )
    community: Id | None = Field(None, description="Only outages over this community.")
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=INT32)


class CommunityRef(Schema):
    id: int
    name: str


class OutageOut(Schema):
    id: int
    kind: str
    utility: str
    phase: str = Field(description="announced (not started), active, ended or cancelled.")
    phase_label: str
    starts_at: datetime
    ends_at: datetime
    ended_at: datetime | None
    reason: str
    communities: list[CommunityRef]


class OutagePage(Envelope):
    items: list[OutageOut]


def outage_out(outage: Outage) -> dict:
    local = timezone.localtime
    return {
        "id": outage.pk,
        "kind": outage.kind,
        "utility": outage.utility,
        "phase": outage.phase,
        "phase_label": outage.phase_label,
        "starts_at": local(outage.starts_at),
        "ends_at": local(outage.ends_at),
        "ended_at": local(outage.ended_at) if outage.ended_at else None,
        "reason": outage.reason,
        "communities": [{"id": c.pk, "name": c.name} for c in outage.communities.all()],
    }


@router.get("/outages", response={200: OutagePage, ERRORS: ErrorOut})
def list_outages(request: HttpRequest, filters: Query[OutageFilters]):
    found = outages_in(filters.section.value)
    if filters.community:
        found = found.filter(communities=filters.community).distinct()
    return one_page(found, filters, outage_out)


@router.get("/outages/{outage_id}", response={200: OutageOut, ERRORS: ErrorOut})
def read_outage(request: HttpRequest, outage_id: Id):
    return outage_out(outage_for(caller(request), outage_id))
