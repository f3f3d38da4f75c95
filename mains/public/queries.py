"""Reads for the residents' pages: a community's page, outages, and an order by its number.

What leaves here is public: no staff names beyond "grid specialist", no internal notes,
nothing about the caller.
"""

import hmac
import re
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mains.areas.models import Community, Specialist
from mains.desk.models import WorkOrder
from mains.desk.states import State
from mains.desk.visibility import public_orders
from mains.outages import queries as outage_queries

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


def specialist_of(community: Community) -> Specialist | None:
    grid = community.grid
    if grid is None:
        return None
    return grid.specialist or grid.deputy


def outages_of(community: Community) -> Outages:
    """The community's current outages and those coming in the next 7 days."""
    active = list(outage_queries.active_outages_for(community))
    upcoming = list(outage_queries.upcoming_outages_for(community, days=7))
    # No de-duplication needed: active ones have started, upcoming ones have not.
    return Outages(active=active, upcoming=upcoming)


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
            "accept_due",
            "arrive_due",
            "resolve_due",
            "callback_due",
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


# What a state means to a resident (beyond its name) and which deadline their next step has.
# The deadline fields are the order's own (mains/desk/deadlines.py sets them from the SLA).
STATE_MEANINGS = {
    State.RECEIVED: _("The service desk has your report and is passing it to a grid specialist."),
    State.DISPATCHED: _("A grid specialist has been given your report."),
    State.ACCEPTED: _("The grid specialist has taken your report on and is coming to look."),
    State.ON_SITE: _("The grid specialist is on site, working on it."),
    State.SUSPENDED: _(
        "The work is paused, waiting for something outside the specialist's hands (parts, "
        "a permit, access to the premises)."
    ),
    State.RETURNED: _("The report is being passed to the team that handles this kind of problem."),
    State.RESOLVED: _("The grid specialist has finished the work."),
    State.REOPENED: _("You told us the problem was not fixed: the work has started again."),
    State.CALLBACK_DONE: _("We called you back about the work."),
    State.CLOSED: _("The report is closed: nothing more will be done about it."),
    State.CANCELLED: _("The report was cancelled and will not be worked on."),
}


@dataclass(frozen=True)
class PublicStatus:
    meaning: str
    next_step: str  # what happens next and by when ("" when nothing more will happen)
    due: datetime | None  # the deadline of the next step
    late: bool  # that deadline has passed


def _when(moment: datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def _next_step(order: WorkOrder) -> tuple[str, datetime | None]:
    """The next step a resident can expect, and its deadline, from the order's deadlines."""
    state = order.state
    hotline = settings.HOTLINE_NUMBER
    if state in (State.RECEIVED, State.RETURNED) and order.accept_due:
        text = gettext("It will be passed to a grid specialist, who takes it on by %(due)s.")
        return text, order.accept_due
    if state in (State.DISPATCHED, State.ACCEPTED) and order.arrive_due:
        return gettext("The grid specialist will be on site by %(due)s."), order.arrive_due
    if state == State.DISPATCHED and order.accept_due:
        return gettext("The grid specialist will take it on by %(due)s."), order.accept_due
    if state == State.REOPENED and order.accept_due:
        text = gettext("The grid specialist will take it on again by %(due)s.")
        return text, order.accept_due
    if state in (State.ACCEPTED, State.ON_SITE) and order.resolve_due:
        return gettext("The work should be finished by %(due)s."), order.resolve_due
    if state == State.RESOLVED and order.callback_due:
        text = gettext("We will call you by %(due)s to ask whether the problem is fixed.")
        return text, order.callback_due
    if state == State.SUSPENDED:
        text = gettext(
            "The deadlines start again when the work does. To ask when, call %(hotline)s."
        )
        return text % {"hotline": hotline}, None
    if state == State.CALLBACK_DONE:
        return gettext("The report will be closed; nothing more is needed from you."), None
    if state in (State.CLOSED, State.CANCELLED):
        text = gettext("If the problem comes back, report it again or call %(hotline)s.")
        return text % {"hotline": hotline}, None
    return "", None


def public_status(order: WorkOrder, now: datetime | None = None) -> PublicStatus:
    """What the order's state means and when the resident can expect the next step."""
    text, due = _next_step(order)
    late = due is not None and due <= (now or timezone.now())
    if due is not None:
        text = text % {"due": _when(due)}
        if late:
            text += " " + gettext(
                "This step is late; we are sorry. To remind us, call %(hotline)s."
            ) % {"hotline": settings.HOTLINE_NUMBER}
    meaning = STATE_MEANINGS.get(State(order.state), "")
    return PublicStatus(meaning=str(meaning), next_step=text, due=due, late=late)
