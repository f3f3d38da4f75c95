"""The work-order state machine: states and which action leads from where to where.

This table is the only place that says which transitions are legal; `actions.py`
applies it and the pages only offer what it allows.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    RECEIVED = "received", _("Received")
    DISPATCHED = "dispatched", _("Dispatched")
    ACCEPTED = "accepted", _("Accepted")
    ON_SITE = "on_site", _("On site")
    SUSPENDED = "suspended", _("Suspended")
    RETURNED = "returned", _("Returned")
    RESOLVED = "resolved", _("Resolved")
    REOPENED = "reopened", _("Reopened")
    CALLBACK_DONE = "callback_done", _("Callback done")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STATES = [
    State.RECEIVED,
    State.DISPATCHED,
    State.ACCEPTED,
    State.ON_SITE,
    State.SUSPENDED,
    State.RETURNED,
    State.REOPENED,
]
DONE_STATES = [State.RESOLVED, State.CALLBACK_DONE, State.CLOSED]
# States in which the assignee is expected to work on the order.
WORKING_STATES = [State.DISPATCHED, State.REOPENED, State.ACCEPTED, State.ON_SITE]


class Action(models.TextChoices):
    CREATE = "create", _("Received")
    DISPATCH = "dispatch", _("Dispatched")
    TRANSFER = "transfer", _("Transferred")
    ACCEPT = "accept", _("Accepted")
    RETURN = "return", _("Returned")
    ARRIVE = "arrive", _("Arrived on site")
    SUSPEND = "suspend", _("Suspended")
    RESUME = "resume", _("Resumed")
    REQUEST_EXTENSION = "request_extension", _("Extension requested")
    APPROVE_EXTENSION = "approve_extension", _("Extension approved")
    DENY_EXTENSION = "deny_extension", _("Extension denied")
    RESOLVE = "resolve", _("Resolved")
    CALLBACK = "callback", _("Callback recorded")
    REOPEN = "reopen", _("Reopened")
    CLOSE = "close", _("Closed")
    CANCEL = "cancel", _("Cancelled")
    REMIND = "remind", _("Reminder")
    SUPERVISE = "supervise", _("Supervision")
    ESCALATE = "escalate", _("Escalated")
    EXTRA_CALL = "extra_call", _("Further call attached")
    NOTE = "note", _("Note")
    SLA_WARNING = "sla_warning", _("SLA warning")
    SLA_OVERDUE = "sla_overdue", _("SLA overdue")
    FILES_EXPIRED = "files_expired", _("Photos and files deleted")


# action → (states it may start from, state it leads to; None keeps the state).
TRANSITIONS: dict[str, tuple[tuple[str, ...], str | None]] = {
    Action.DISPATCH: ((State.RECEIVED, State.RETURNED), State.DISPATCHED),
    Action.TRANSFER: ((State.DISPATCHED, State.ACCEPTED, State.REOPENED), State.DISPATCHED),
    Action.ACCEPT: ((State.DISPATCHED, State.REOPENED), State.ACCEPTED),
    Action.RETURN: ((State.DISPATCHED, State.ACCEPTED, State.REOPENED), State.RETURNED),
    Action.ARRIVE: ((State.ACCEPTED,), State.ON_SITE),
    Action.SUSPEND: ((State.ACCEPTED, State.ON_SITE), State.SUSPENDED),
    Action.RESUME: ((State.SUSPENDED,), None),  # back to the state before suspension
    Action.REQUEST_EXTENSION: ((State.ACCEPTED, State.ON_SITE, State.SUSPENDED), None),
    Action.APPROVE_EXTENSION: ((State.ACCEPTED, State.ON_SITE, State.SUSPENDED), None),
    Action.DENY_EXTENSION: ((State.ACCEPTED, State.ON_SITE, State.SUSPENDED), None),
    Action.RESOLVE: ((State.ACCEPTED, State.ON_SITE), State.RESOLVED),
    Action.CALLBACK: ((State.RESOLVED,), State.CALLBACK_DONE),
    Action.REOPEN: ((State.RESOLVED, State.CALLBACK_DONE), State.REOPENED),
    Action.CLOSE: ((State.CALLBACK_DONE,), State.CLOSED),
    Action.CANCEL: ((State.RECEIVED, State.DISPATCHED, State.RETURNED), State.CANCELLED),
    Action.REMIND: (tuple(OPEN_STATES), None),
    Action.SUPERVISE: (tuple(OPEN_STATES), None),
    Action.ESCALATE: (tuple(OPEN_STATES), None),
    Action.EXTRA_CALL: (tuple(OPEN_STATES) + (State.RESOLVED,), None),
}


def allowed_from(action: str) -> tuple[str, ...]:
    return TRANSITIONS[action][0]


def can(action: str, state: str) -> bool:
    return action in TRANSITIONS and state in TRANSITIONS[action][0]
