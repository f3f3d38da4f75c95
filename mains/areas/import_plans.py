"""What an areas import will write: one plan per good row, units already resolved."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from mains.areas.workbook import RowError
from mains.org.models import Unit


@dataclass
class CommunityPlan:
    row: int
    name: str
    address: str
    latitude: Decimal | None
    longitude: Decimal | None
    households: int
    utility: str
    grid_code: str


@dataclass
class SpecialistPlan:
    row: int
    login: str
    name: str
    phone: str
    duties: str
    service_content: str
    unit: Unit

    def details(self) -> tuple[str, ...]:
        return (self.name, self.phone, self.duties, self.service_content)


@dataclass
class GridPlan:
    row: int
    code: str
    name: str
    unit: Unit
    specialist_login: str
    deputy_login: str


@dataclass
class HistoryPlan:
    row: int
    grid_code: str
    specialist_login: str
    deputy_login: str
    started_at: dt.datetime
    ended_at: dt.datetime | None


@dataclass
class Plan:
    communities: list[CommunityPlan] = field(default_factory=list)
    specialists: dict[str, SpecialistPlan] = field(default_factory=dict)
    grids: list[GridPlan] = field(default_factory=list)
    history: list[HistoryPlan] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
