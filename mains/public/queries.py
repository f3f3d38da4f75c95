"""Reads for the residents' pages: a community's page, outages, and an order by its number.

What leaves here is public: no staff names beyond "grid specialist", no internal notes,
nothing about the caller.
"""

import hmac
import re
from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext_lazy as _

from mains.areas.models import Community, Specialist
from mains.desk.models import WorkOrder
from mains.desk.states import State
from mains.desk.visibility import public_orders

# What each state means to a resident, said in the resident's words.
PUBLIC_STEPS = {
    State.RECEIVED: _("Your report was received"),
    State.DISPATCHED: _("Passed to the grid specialist"),
    State.ACCEPTED: _("The grid specialist has taken it on"),
    State.ON_SITE: _("The grid specialist is on site"),
    State.SUSPENDED: _("Work paused"),
    State.RETURNED: _("Being passed to the right team"),
    State.RESOLVED: _("Resolved"),
    State.REOPENED: _("Reopened and being worked on again"),
    State.CALLBACK_DONE: _("We called you back"),
    State.CLOSED: _("Closed"),
    State.CANCELLED: _("Cancelled"),
}


@dataclass(frozen=True)
class PublicStep:
    at: datetime
    state: str
    label: str
    note: str


@dataclass(frozen=True)
class Outages:
    active: list
    upcoming: list
    available: bool


def specialist_of(community: Community) -> Specialist | None:
    grid = community.grid
    if grid is None:
        return None
    return grid.specialist or grid.deputy


def outages_of(community: Community) -> Outages:
    """Current and coming outages, once mains.outages provides them (empty until then)."""
    try:
        from mains.outages import queries as outage_queries

        active = list(outage_queries.active_outages_for(community))
        upcoming = list(outage_queries.upcoming_outages_for(community, days=7))
    except (ImportError, AttributeError):
        return Outages(active=[], upcoming=[], available=False)
    # No de-duplication needed: active ones have started, upcoming ones have not.
    return Outages(active=active, upcoming=upcoming, available=True)


def last_four_digits(phone: str) -> str:
    digits = re.sub(r"\D", "", phone or "")
    return digits[-4:] if len(digits) >= 4 else ""


def public_order(number: str, last_four: str) -> WorkOrder | None:
    """The order, if the number exists and the caller's phone ends in `last_four`.

    A wrong number and wrong digits answer the same (None), so nobody can learn which
    numbers exist; so does an internal order (an alarm's, a welfare visit), whatever its phone.
    """
    order = (
        public_orders()
        .select_related("category", "community")
        .filter(number=number)
        .only(
            "number",
            "state",
            "caller_phone",
            "received_at",
            "resolved_at",
            "resolution",
            "category__name",
            "community__name",
        )
        .first()
    )
    expected = last_four_digits(order.caller_phone) if order else ""
    # Compare in constant time, and even when there is nothing to compare with.
    matches = hmac.compare_digest((expected or "----").encode(), last_four.encode())
    return order if order is not None and expected and matches else None


def public_steps(order: WorkOrder) -> list[PublicStep]:
    """The order's state changes, oldest first; the resolution is the only note shown."""
    steps = []
    events = order.events.only("at", "from_state", "to_state", "note").order_by("at", "id")
    for event in events:
        if not event.to_state or event.to_state == event.from_state:
            continue
        # The resolve event's note is the resolution text the resident may read.
        note = event.note if event.to_state == State.RESOLVED else ""
        steps.append(
            PublicStep(
                at=event.at,
                state=event.to_state,
                label=str(PUBLIC_STEPS.get(State(event.to_state), State(event.to_state).label)),
                note=note,
            )
        )
    return steps
