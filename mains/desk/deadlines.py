"""Deadlines of a work order from its category's SLA and calendar."""

from datetime import datetime

from django.conf import settings

from mains.desk.models import Category, SlaLevel, WorkOrder
from mains.desk.sla import CalendarSpec, add_working_minutes, warning_moment
from mains.desk.states import State


def initial_deadlines(category: Category, spec: CalendarSpec, start: datetime) -> dict:
    """Accept, arrive and resolve deadlines counted from `start`."""
    dues = {
        "accept_due": add_working_minutes(spec, start, category.accept_minutes),
        "arrive_due": None,
        "resolve_due": add_working_minutes(spec, start, category.resolve_minutes),
    }
    if category.needs_visit and category.arrive_minutes:
        dues["arrive_due"] = add_working_minutes(spec, start, category.arrive_minutes)
    return dues


def stage_due(state: str, dues: dict) -> datetime | None:
    """The deadline that matters in `state`."""
    if state in (State.RECEIVED, State.DISPATCHED, State.RETURNED, State.REOPENED):
        return dues.get("accept_due")
    if state == State.ACCEPTED:
        return dues.get("arrive_due") or dues.get("resolve_due")
    if state == State.ON_SITE:
        return dues.get("resolve_due")
    if state == State.RESOLVED:
        return dues.get("callback_due")
    return None


def clock_fields(state: str, dues: dict, now: datetime) -> dict:
    """current_due, warn_at and a fresh SLA level for an order entering `state`."""
    due = stage_due(state, dues)
    if due is None:
        return {"current_due": None, "warn_at": None, "sla_level": SlaLevel.GREEN.value}
    level = SlaLevel.RED if due <= now else SlaLevel.GREEN
    warn = warning_moment(now, due, settings.SLA_WARNING_RATIO) if due > now else due
    if level == SlaLevel.GREEN and warn <= now:
        level = SlaLevel.YELLOW
    return {"current_due": due, "warn_at": warn, "sla_level": level.value}


def dues_of(order: WorkOrder) -> dict:
    return {
        "accept_due": order.accept_due,
        "arrive_due": order.arrive_due,
        "resolve_due": order.resolve_due,
        "callback_due": order.callback_due,
    }
