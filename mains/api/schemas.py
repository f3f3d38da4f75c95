"""Request and response shapes of /api/v1/ (pydantic, via Django Ninja)."""

from datetime import datetime
from typing import Annotated, Literal

from django.utils import timezone
from ninja import Schema
from ninja.responses import codes_4xx
from pydantic import AfterValidator, Field

from mains.desk.models import Satisfaction
from mains.lib.text import NUL, clean_identifier, clean_line, clean_prose

INT32 = 2**31 - 1


def _no_nul(value: str) -> str:
    if NUL in value:
        raise ValueError("must not contain NUL characters")
    return value


def _sane_moment(value: datetime) -> datetime:
    if not 2000 <= value.year <= 2100:
        raise ValueError("must be between the years 2000 and 2100")
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


# What people type, cleaned as mains.lib.text says: prose (descriptions, notes), one line
# (names, addresses, phones as typed) and codes (category codes, order numbers).
Text = Annotated[str, AfterValidator(_no_nul), AfterValidator(clean_prose)]
Line = Annotated[str, AfterValidator(_no_nul), AfterValidator(clean_line)]
Code = Annotated[str, AfterValidator(_no_nul), AfterValidator(clean_identifier)]
Moment = Annotated[datetime, AfterValidator(_sane_moment)]
Id = Annotated[int, Field(ge=1, le=INT32)]


class ErrorOut(Schema):
    error: str = Field(description="A stable code, e.g. conflict, forbidden, invalid.")
    detail: str = Field(description="What went wrong, for a person to read.")


# Every client error answers ErrorOut (Ninja's codes_4xx leaves out 422).
CLIENT_ERRORS = codes_4xx | {422}


class OrderIn(Schema):
    category: Code = Field(max_length=30, description="Category code, e.g. W-LEAK.")
    description: Text = Field(max_length=4000)
    community: Id | None = Field(None, description="Community id; or give an address.")
    caller_name: Line = Field("", max_length=50)
    caller_phone: Line = Field("", max_length=30)
    address: Line = Field("", max_length=200)
    priority: Literal[1, 2, 3, 4] | None = Field(None, description="Default: the category's.")


class ActionIn(Schema):
    """The fields of the action's form on the order page; each action reads the ones it needs."""

    note: Text = Field("", max_length=4000, description="Note, reason or what was done.")
    specialist: Id | None = Field(None, description="dispatch, transfer: specialist id.")
    unit: Id | None = Field(None, description="dispatch, transfer: unit id (optional).")
    until: Moment | None = Field(None, description="request_extension, supervise: deadline.")
    approve: bool | None = Field(None, description="approve_extension: true or false.")
    result: Literal[tuple(Satisfaction.values)] | None = Field(  # type: ignore[valid-type]
        None, description="callback: the resident's judgement."
    )
    duplicate_of: Code | None = Field(None, max_length=20, description="cancel: order number.")
    version: Id | None = Field(None, description="The version read; 409 if it changed since.")


class OrderOut(Schema):
    id: int
    number: str
    state: str
    state_label: str
    channel: str
    category: str
    category_name: str
    priority: int
    community_id: int | None
    community_name: str | None
    caller_name: str
    caller_phone: str
    address: str
    personal_data_masked: bool
    description: str
    unit: str | None
    grid: str | None
    specialist: str | None
    received_at: datetime
    dispatched_at: datetime | None
    accepted_at: datetime | None
    arrived_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    current_due: datetime | None
    sla_level: str
    redo_count: int
    resolution: str
    satisfaction: str
    version: int


class OrderPage(Schema):
    total: int
    limit: int
    offset: int
    items: list[OrderOut]


class CategoryOut(Schema):
    id: int
    code: str
    name: str
    utility: str
    priority: int
    needs_visit: bool


class GridOut(Schema):
    id: int
    code: str
    name: str
    unit: str
    specialist: str | None
    specialist_phone: str | None
    deputy: str | None


class CommunityOut(Schema):
    id: int
    name: str
    address: str
    latitude: float | None
    longitude: float | None
    households: int
    utility: str
    grid: str | None


class CommunityPage(Schema):
    total: int
    limit: int
    offset: int
    items: list[CommunityOut]
