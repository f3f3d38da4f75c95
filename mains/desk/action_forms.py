"""Each action on an order as a form: which form it takes and how its data calls the action.

The order page, the specialist's cards and the API's action endpoints all read this table.
"""

from collections.abc import Callable

from mains.desk import actions
from mains.desk.access import may
from mains.desk.forms import (
    AssignForm,
    CallbackForm,
    CancelForm,
    DeadlineForm,
    DecisionForm,
    NoteForm,
    ReasonForm,
    ResolveForm,
)
from mains.desk.models import WorkOrder
from mains.desk.states import Action, can
from mains.org.models import User

# action → (form, function taking (order, user, cleaned_data, files))
ACTIONS: dict[str, tuple[type, Callable[[WorkOrder, User, dict], object]]] = {
    Action.DISPATCH: (
        AssignForm,
        lambda o, u, d: actions.do_dispatch(o, u, d["specialist"], d["unit"], d["note"]),
    ),
    Action.TRANSFER: (
        AssignForm,
        lambda o, u, d: actions.do_transfer(o, u, d["specialist"], d["unit"], d["note"]),
    ),
    Action.ACCEPT: (NoteForm, lambda o, u, d: actions.do_accept(o, u)),
    Action.RETURN: (ReasonForm, lambda o, u, d: actions.do_return(o, u, d["note"])),
    Action.ARRIVE: (NoteForm, lambda o, u, d: actions.do_arrive(o, u, d["note"])),
    Action.SUSPEND: (ReasonForm, lambda o, u, d: actions.do_suspend(o, u, d["note"])),
    Action.RESUME: (NoteForm, lambda o, u, d: actions.do_resume(o, u)),
    Action.REQUEST_EXTENSION: (
        DeadlineForm,
        lambda o, u, d: actions.do_request_extension(o, u, d["until"], d["note"]),
    ),
    Action.APPROVE_EXTENSION: (
        DecisionForm,
        lambda o, u, d: actions.do_decide_extension(o, u, d["approve"], d["note"]),
    ),
    Action.RESOLVE: (ResolveForm, lambda o, u, d: actions.do_resolve(o, u, d["note"], d["files"])),
    Action.CALLBACK: (
        CallbackForm,
        lambda o, u, d: actions.do_callback(o, u, d["result"], d["note"]),
    ),
    Action.CLOSE: (NoteForm, lambda o, u, d: actions.do_close(o, u)),
    Action.CANCEL: (
        CancelForm,
        lambda o, u, d: actions.do_cancel(o, u, d["note"], d["duplicate_of"]),
    ),
    Action.REMIND: (ReasonForm, lambda o, u, d: actions.do_remind(o, u, d["note"])),
    Action.SUPERVISE: (
        DeadlineForm,
        lambda o, u, d: actions.do_supervise(o, u, d["until"], d["note"]),
    ),
}


def available_actions(user, order: WorkOrder) -> list[str]:
    found: list[str] = []
    for action in ACTIONS:
        check = Action.DENY_EXTENSION if action == Action.APPROVE_EXTENSION else action
        if not (can(check, order.state) and may(user, check, order)):
            continue
        if action == Action.APPROVE_EXTENSION and order.extension_requested_until is None:
            continue
        found.append(action)
    return found
