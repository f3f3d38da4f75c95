"""What each transition writes on a work order: one pure function per transition.

Each takes what it needs of the order as plain values and returns a `Change`: the state it
leads to, the fields it writes and what its history entry records. The actions
(`mains.desk.actions`) apply a change in their guarded UPDATE; the demo city (`mains.demo`)
replays the same changes on plain rows. Neither writes these fields any other way, so the
KPIs, which read them, mean the same on both.

Who the order goes to (specialist, unit) and what it duplicates are the caller's to add:
the actions name model objects, the demo their ids.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from mains.desk.deadlines import clock_fields, initial_deadlines
from mains.desk.models import Category, Satisfaction, SlaLevel
from mains.desk.sla import CalendarSpec, add_working_minutes, working_minutes_between
from mains.desk.states import State

DUE_NAMES = ("accept_due", "arrive_due", "resolve_due", "callback_due")
CLOCK_STOPPED = {"current_due": None, "warn_at": None, "sla_level": SlaLevel.GREEN.value}


@dataclass(frozen=True)
class Change:
    to_state: str | None
    fields: dict
    data: dict = field(default_factory=dict)


def dues_in(values: Mapping) -> dict:
    """The four deadlines of an order, from its fields (a dict of the demo, or the model's
    values through `dues_of`)."""
    return {name: values.get(name) for name in DUE_NAMES}


def received(category: Category, spec: CalendarSpec, now: datetime) -> Change:
    """A new order (受理): the category's deadlines counted from the call."""
    dues = {**initial_deadlines(category, spec, now), "callback_due": None}
    return Change(State.RECEIVED, {**dues, **clock_fields(State.RECEIVED, dues, now)})


def answered_directly(category: Category, spec: CalendarSpec, answer: str, now: datetime) -> Change:
    """A call answered on the spot (直接答复): taken and resolved at once, callback due."""
    dues = initial_deadlines(category, spec, now)
    dues["callback_due"] = add_working_minutes(spec, now, category.callback_minutes)
    fields = {
        **dues,
        "accepted_at": now,
        "resolved_at": now,
        "resolution": answer,
        "answered_directly": True,
        **clock_fields(State.RESOLVED, dues, now),
    }
    return Change(State.RESOLVED, fields, {"answered_directly": True})


def dispatched(
    dues: Mapping, spec: CalendarSpec, accept_minutes: int, now: datetime, **data
) -> Change:
    """Sent to a specialist (派单): whoever gets the order anew has the category's full
    time to accept it, and never less than the deadline already set."""
    dues = dict(dues)
    fresh = add_working_minutes(spec, now, accept_minutes)
    if dues["accept_due"] is None or fresh > dues["accept_due"]:
        dues["accept_due"] = fresh
    fields = {
        "dispatched_at": now,
        "accept_due": dues["accept_due"],
        **clock_fields(State.DISPATCHED, dues, now),
    }
    return Change(State.DISPATCHED, fields, data)


def transferred(
    dues: Mapping, spec: CalendarSpec, accept_minutes: int, now: datetime, **data
) -> Change:
    """Handed to another specialist or unit (转派): it must be accepted again."""
    sent = dispatched(dues, spec, accept_minutes, now)
    return Change(State.DISPATCHED, {**sent.fields, "accepted_at": None}, data)


def accepted(dues: Mapping, now: datetime) -> Change:
    return Change(
        State.ACCEPTED, {"accepted_at": now, **clock_fields(State.ACCEPTED, dict(dues), now)}
    )


def returned(dues: Mapping, now: datetime) -> Change:
    """Sent back to dispatch (退单): whoever gets it next accepts it anew."""
    return Change(
        State.RETURNED, {"accepted_at": None, **clock_fields(State.RETURNED, dict(dues), now)}
    )


def arrived(dues: Mapping, now: datetime) -> Change:
    return Change(
        State.ON_SITE, {"arrived_at": now, **clock_fields(State.ON_SITE, dict(dues), now)}
    )


def suspended(state: str, now: datetime) -> Change:
    """The clock paused (挂起); the state to come back to is kept."""
    return Change(
        State.SUSPENDED, {"paused_at": now, "state_before_suspend": state, **CLOCK_STOPPED}
    )


def resumed(
    dues: Mapping,
    spec: CalendarSpec,
    paused_at: datetime | None,
    arrived_at: datetime | None,
    state_before_suspend: str,
    now: datetime,
) -> Change:
    """The clock restarts; every deadline not yet met moves by the working time paused."""
    paused = working_minutes_between(spec, paused_at or now, now)
    dues = dict(dues)
    for name, done_at in (("arrive_due", arrived_at), ("resolve_due", None)):
        if dues[name] is not None and done_at is None:
            dues[name] = add_working_minutes(spec, dues[name], paused)
    back_to = state_before_suspend or State.ACCEPTED
    fields = {
        "paused_at": None,
        "state_before_suspend": "",
        "arrive_due": dues["arrive_due"],
        "resolve_due": dues["resolve_due"],
        **clock_fields(back_to, dues, now),
    }
    return Change(back_to, fields, {"paused_minutes": round(paused, 1)})


def extension_requested(until: datetime) -> Change:
    return Change(None, {"extension_requested_until": until}, {"until": until.isoformat()})


def extension_decided(
    approve: bool, until: datetime, dues: Mapping, state: str, now: datetime
) -> Change:
    """Approved, the resolve deadline becomes the one asked for; denied, nothing moves."""
    fields: dict = {"extension_requested_until": None}
    if approve:
        dues = {**dues, "resolve_due": until}
        fields["resolve_due"] = until
        if state != State.SUSPENDED:
            fields.update(clock_fields(state, dues, now))
    return Change(None, fields, {"until": until.isoformat()})


def resolved(
    dues: Mapping, spec: CalendarSpec, callback_minutes: int, resolution: str, now: datetime
) -> Change:
    """The work is done (办结): the callback clock starts."""
    dues = {**dues, "callback_due": add_working_minutes(spec, now, callback_minutes)}
    fields = {
        "resolved_at": now,
        "resolution": resolution,
        "callback_due": dues["callback_due"],
        **clock_fields(State.RESOLVED, dues, now),
    }
    return Change(State.RESOLVED, fields)


def called_back(result: str, now: datetime) -> Change:
    """The resident was reached and judged the service (satisfied or fairly)."""
    fields = {"callback_at": now, "satisfaction": result, **CLOCK_STOPPED}
    return Change(State.CALLBACK_DONE, fields, {"result": result})


def not_reached() -> Change:
    """A callback attempt that did not reach the resident: recorded, nothing moves."""
    return Change(None, {}, {"result": Satisfaction.UNREACHABLE.value})


def reopened(
    category: Category, spec: CalendarSpec, redo_count: int, unsatisfied: str, now: datetime
) -> Change:
    """Unsatisfied (重办): the work starts again with fresh deadlines, and this pass's
    accept, arrive and resolve times are cleared (the KPIs count the latest pass)."""
    dues = {**initial_deadlines(category, spec, now), "callback_due": None}
    redo = redo_count + 1
    fields = {
        "redo_count": redo,
        "callback_at": now,
        "satisfaction": unsatisfied,
        "accepted_at": None,
        "arrived_at": None,
        "resolved_at": None,
        "dispatched_at": now,
        **dues,
        **clock_fields(State.REOPENED, dues, now),
    }
    return Change(State.REOPENED, fields, {"result": unsatisfied, "redo_count": redo})


def closed(now: datetime) -> Change:
    """Archived (归档) after the callback."""
    return Change(State.CLOSED, {"closed_at": now})


def cancelled(now: datetime, **data) -> Change:
    """Invalid or a duplicate: the clock stops and the order is closed."""
    return Change(State.CANCELLED, {**CLOCK_STOPPED, "closed_at": now}, data)


def supervised(due: datetime) -> Change:
    return Change(None, {"supervised_until": due}, {"due": due.isoformat()})


def escalated() -> Change:
    return Change(None, {"escalated": True})
