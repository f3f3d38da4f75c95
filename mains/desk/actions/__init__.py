"""Every write that changes a work order: one function per action.

Pages, the API and jobs call these and nothing else. Each checks the permission and the
state machine, updates the row through `guarded.apply_change` only if nobody changed it
meanwhile, and appends a history entry in the same transaction; when the row has moved on,
the action raises OrderConflict and writes nothing. What each transition writes is one pure
function in `mains.desk.transitions`, which the demo city replays.

Two kinds of write, and the rule for which guard each takes:

- A *decision* (every transition, a callback of any result, a change of assignee,
  deadline or extension) is made from what the actor saw on the order. It checks the
  state and the version in the same UPDATE and bumps the version, so a decision taken on
  a stale page fails instead of overwriting one taken meanwhile.
- An *annotation* (a further call, a reminder, supervision, escalation) adds to the order
  without deciding from its other fields. It checks the state it saw (a call attached to
  an order that was resolved or cancelled meanwhile is refused) but not the version, and
  leaves the version alone, so that a resident calling again never turns the specialist's
  open page stale. It may only write counters as F() increments and values that do not
  depend on the row's previous content (a flag, a deadline chosen by the user): then any
  interleaving of annotations and decisions equals some serial order, and none is lost.
  No decision writes an annotation's fields.

Bookkeeping by the every-minute SLA clock (`sla_bookkeeping.py`, run by `mains.desk.clock`)
is neither: it re-checks its own conditions on rows it has locked and leaves the version
alone (see there why).

The modules: `intake` (new orders, further calls, calls answered directly), `dispatch`
(routing decisions), `fieldwork` (the specialist's steps), `aftercare` (callback, re-do,
archive), `annotations`, `sla_bookkeeping`, and `guarded` (the one guarded UPDATE).
"""

from mains.desk.actions.aftercare import do_callback, do_close
from mains.desk.actions.annotations import do_escalate, do_remind, do_supervise
from mains.desk.actions.dispatch import do_cancel, do_decide_extension, do_dispatch, do_transfer
from mains.desk.actions.fieldwork import (
    do_accept,
    do_arrive,
    do_request_extension,
    do_resolve,
    do_resume,
    do_return,
    do_suspend,
)
from mains.desk.actions.intake import do_answer_directly, do_attach_call, do_create_order

__all__ = [
    "do_accept",
    "do_answer_directly",
    "do_arrive",
    "do_attach_call",
    "do_callback",
    "do_cancel",
    "do_close",
    "do_create_order",
    "do_decide_extension",
    "do_dispatch",
    "do_escalate",
    "do_remind",
    "do_request_extension",
    "do_resolve",
    "do_resume",
    "do_return",
    "do_supervise",
    "do_suspend",
    "do_transfer",
]
