"""Every write that changes a work order: one function per action.

Pages, the API and jobs call these and nothing else. Each checks the permission and the
state machine, updates the row through `_apply` only if nobody changed it meanwhile, and
appends a history entry in the same transaction; when the row has moved on, the action
raises OrderConflict and writes nothing.

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

Bookkeeping by the every-minute SLA clock (`clock.py`) is neither: it re-checks its own
conditions on rows it has locked and leaves the version alone (see there why).
"""

from datetime import datetime

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from mains.areas.models import Community, Specialist
from mains.desk import order_messages
from mains.desk.access import may, may_take_calls
from mains.desk.calendars import spec_for
from mains.desk.deadlines import clock_fields, dues_of, initial_deadlines
from mains.desk.errors import NotAllowed, OrderConflict, TransitionRefused
from mains.desk.models import (
    Attachment,
    Callback,
    Category,
    Channel,
    OrderCounter,
    OrderEvent,
    Satisfaction,
    WorkOrder,
)
from mains.desk.rollup_models import touch
from mains.desk.routing import route_for
from mains.desk.sla import add_working_minutes, working_minutes_between
from mains.desk.states import Action, State, can
from mains.org.models import Unit, User


def next_number(at: datetime) -> str:
    """Order numbers read as the local date and a daily sequence: 2026112100042."""
    day = timezone.localdate(at)
    for _attempt in range(3):
        try:
            with transaction.atomic():
                counter, _created = OrderCounter.objects.select_for_update().get_or_create(day=day)
                OrderCounter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
                counter.refresh_from_db(fields=["last"])
                return f"{day:%Y%m%d}{counter.last:05d}"
        except IntegrityError:
            continue
    raise OrderConflict()


def _apply(
    order: WorkOrder,
    by: User | None,
    action: str,
    *,
    to_state: str | None = None,
    fields: dict | None = None,
    note: str = "",
    data: dict | None = None,
    guard_version: bool = True,
    now: datetime | None = None,
) -> OrderEvent:
    if by is not None and not may(by, action, order):
        raise NotAllowed(_("You may not do that with this order."))
    if not can(action, order.state):
        raise TransitionRefused(
            _("“%(action)s” is not possible while the order is “%(state)s”.")
            % {"action": Action(action).label, "state": State(order.state).label}
        )
    now = now or timezone.now()
    fields = dict(fields or {})
    new_state = to_state or order.state
    updates = dict(fields)
    if to_state:
        updates["state"] = to_state
    match = WorkOrder.objects.filter(pk=order.pk, state=order.state)
    if guard_version:
        match = match.filter(version=order.version)
        updates["version"] = F("version") + 1
    with transaction.atomic():
        if match.update(**updates) != 1:
            raise OrderConflict()
        touch(order.received_at)  # the KPI rollup recounts the order's day (mains.desk.rollup)
        counted = [name for name, value in fields.items() if hasattr(value, "resolve_expression")]
        if counted:
            # The row is locked by the UPDATE until the transaction ends: this reads our sum.
            order.refresh_from_db(fields=counted)
        event = OrderEvent.objects.create(
            order=order,
            at=now,
            actor=by,
            action=action,
            from_state=order.state,
            to_state=new_state,
            note=note,
            data=data or {},
        )
    for name, value in fields.items():
        if name not in counted:
            setattr(order, name, value)
    order.state = new_state
    if guard_version:
        order.version += 1
    return event


def _attach_files(order: WorkOrder, event: OrderEvent | None, files, by: User | None) -> None:
    for upload in files or ():
        Attachment.objects.create(
            order=order,
            event=event,
            file=upload,
            name=upload.name[:200],
            content_type=getattr(upload, "content_type", "") or "",
            uploaded_by=by,
        )


def _check_takes_calls(by: User | None) -> None:
    if not may_take_calls(by):
        raise NotAllowed(_("Your role does not take orders."))


def _call_fields(
    now: datetime,
    channel: str,
    category: Category,
    community: Community | None,
    caller_name: str,
    caller_phone: str,
    address: str,
) -> dict:
    """What every new order records of the call: number, channel, who called, from where."""
    return {
        "number": next_number(now),
        "channel": channel,
        "category": category,
        "community": community,
        "caller_name": caller_name,
        "caller_phone": caller_phone,
        "address": address or (community.address if community else ""),
        "received_at": now,
    }


def do_create_order(
    *,
    by: User | None,
    channel: str,
    category: Category,
    description: str,
    community: Community | None = None,
    caller_name: str = "",
    caller_phone: str = "",
    address: str = "",
    priority: int | None = None,
    files: list[UploadedFile] | tuple = (),
    at: datetime | None = None,
) -> WorkOrder:
    """Take a new order (受理) and, when routing finds someone, dispatch it (派单)."""
    _check_takes_calls(by)
    now = at or timezone.now()
    route = route_for(community, category)
    dues = initial_deadlines(category, spec_for(category.calendar), now)
    with transaction.atomic():
        order = WorkOrder.objects.create(
            **_call_fields(now, channel, category, community, caller_name, caller_phone, address),
            priority=priority or category.priority,
            description=description,
            state=State.RECEIVED,
            unit=route.unit,
            grid=route.grid,
            specialist=route.specialist,
            created_by=by,
            **dues,
            **clock_fields(State.RECEIVED, dues, now),
        )
        event = OrderEvent.objects.create(
            order=order,
            at=now,
            actor=by,
            action=Action.CREATE,
            to_state=State.RECEIVED,
            data={"channel": channel},
        )
        _attach_files(order, event, files, by)
        if settings.AUTO_DISPATCH and route.specialist is not None:
            _apply(
                order,
                None,
                Action.DISPATCH,
                to_state=State.DISPATCHED,
                fields={"dispatched_at": now},
                note=_("Routed by community and category."),
                now=now,
            )
        order_messages.notify_order_created(order)
    return order


def do_attach_call(
    order: WorkOrder,
    by: User,
    caller_name: str,
    caller_phone: str,
    note: str,
    files: list[UploadedFile] | tuple = (),
) -> OrderEvent:
    """A further call about an open order: recorded on it instead of a new order.

    An annotation (see the module's docstring): it refuses an order whose state changed
    since it was read, but a decision taken meanwhile does not make it fail.
    """
    with transaction.atomic():
        event = _apply(
            order,
            by,
            Action.EXTRA_CALL,
            fields={"call_count": F("call_count") + 1},
            note=note,
            data={"caller_name": caller_name, "caller_phone": caller_phone},
            guard_version=False,
        )
        _attach_files(order, event, files, by)
    return event


def _assignee_fields(specialist: Specialist | None, unit: Unit | None) -> dict:
    fields: dict = {"specialist": specialist}
    if unit is not None:
        fields["unit"] = unit
    return fields


def _fresh_accept_clock(order: WorkOrder, now: datetime) -> dict:
    """Whoever gets the order anew has the category's full time to accept it."""
    spec = spec_for(order.category.calendar)
    dues = dues_of(order)
    fresh = add_working_minutes(spec, now, order.category.accept_minutes)
    if dues["accept_due"] is None or fresh > dues["accept_due"]:
        dues["accept_due"] = fresh
    return {"accept_due": dues["accept_due"], **clock_fields(State.DISPATCHED, dues, now)}


def do_dispatch(
    order: WorkOrder,
    by: User,
    specialist: Specialist | None = None,
    unit: Unit | None = None,
    note: str = "",
) -> OrderEvent:
    if specialist is None and unit is None:
        route = route_for(order.community, order.category)
        specialist, unit = route.specialist, route.unit
    if specialist is None:
        raise TransitionRefused(_("Choose a specialist to dispatch the order to."))
    now = timezone.now()
    fields = _assignee_fields(specialist, unit)
    fields["dispatched_at"] = now
    fields.update(_fresh_accept_clock(order, now))
    event = _apply(
        order,
        by,
        Action.DISPATCH,
        to_state=State.DISPATCHED,
        fields=fields,
        note=note,
        data={"specialist": specialist.name},
        now=now,
    )
    order_messages.notify_order_assigned(order)
    return event


def do_transfer(
    order: WorkOrder, by: User, specialist: Specialist, unit: Unit | None, note: str
) -> OrderEvent:
    """Hand an order to another specialist or unit (转派); it must be accepted again."""
    now = timezone.now()
    fields = _assignee_fields(specialist, unit)
    fields.update({"dispatched_at": now, "accepted_at": None})
    fields.update(_fresh_accept_clock(order, now))
    data = {"from": order.specialist.name if order.specialist else "", "to": specialist.name}
    event = _apply(
        order,
        by,
        Action.TRANSFER,
        to_state=State.DISPATCHED,
        fields=fields,
        note=note,
        data=data,
        now=now,
    )
    order_messages.notify_order_assigned(order)
    return event


def do_accept(order: WorkOrder, by: User) -> OrderEvent:
    now = timezone.now()
    fields = {"accepted_at": now, **clock_fields(State.ACCEPTED, dues_of(order), now)}
    return _apply(order, by, Action.ACCEPT, to_state=State.ACCEPTED, fields=fields, now=now)


def do_return(order: WorkOrder, by: User, reason: str) -> OrderEvent:
    """Send a misrouted order back to dispatch (退单)."""
    if not reason.strip():
        raise TransitionRefused(_("Say why the order is returned."))
    now = timezone.now()
    fields = {"accepted_at": None, **clock_fields(State.RETURNED, dues_of(order), now)}
    return _apply(
        order, by, Action.RETURN, to_state=State.RETURNED, fields=fields, note=reason, now=now
    )


def do_arrive(order: WorkOrder, by: User, note: str = "") -> OrderEvent:
    now = timezone.now()
    fields = {"arrived_at": now, **clock_fields(State.ON_SITE, dues_of(order), now)}
    return _apply(
        order, by, Action.ARRIVE, to_state=State.ON_SITE, fields=fields, note=note, now=now
    )


def do_suspend(order: WorkOrder, by: User, reason: str) -> OrderEvent:
    """Pause the SLA clock (挂起), e.g. while the resident is away."""
    if not reason.strip():
        raise TransitionRefused(_("Say why the order is suspended."))
    now = timezone.now()
    fields = {
        "paused_at": now,
        "state_before_suspend": order.state,
        "current_due": None,
        "warn_at": None,
        "sla_level": "green",
    }
    return _apply(
        order, by, Action.SUSPEND, to_state=State.SUSPENDED, fields=fields, note=reason, now=now
    )


def do_resume(order: WorkOrder, by: User) -> OrderEvent:
    """Restart the clock; every deadline not yet met moves by the working time paused."""
    now = timezone.now()
    spec = spec_for(order.category.calendar)
    paused = working_minutes_between(spec, order.paused_at or now, now)
    dues = dues_of(order)
    for name, done_at in (("arrive_due", order.arrived_at), ("resolve_due", None)):
        if dues[name] is not None and done_at is None:
            dues[name] = add_working_minutes(spec, dues[name], paused)
    back_to = order.state_before_suspend or State.ACCEPTED
    fields = {
        "paused_at": None,
        "state_before_suspend": "",
        "arrive_due": dues["arrive_due"],
        "resolve_due": dues["resolve_due"],
        **clock_fields(back_to, dues, now),
    }
    return _apply(
        order,
        by,
        Action.RESUME,
        to_state=back_to,
        fields=fields,
        data={"paused_minutes": round(paused, 1)},
        now=now,
    )


def do_request_extension(order: WorkOrder, by: User, until: datetime, reason: str) -> OrderEvent:
    if order.resolve_due and until <= order.resolve_due:
        raise TransitionRefused(_("The new deadline must be later than the current one."))
    if not reason.strip():
        raise TransitionRefused(_("Say why more time is needed."))
    return _apply(
        order,
        by,
        Action.REQUEST_EXTENSION,
        fields={"extension_requested_until": until},
        note=reason,
        data={"until": until.isoformat()},
    )


def do_decide_extension(order: WorkOrder, by: User, approve: bool, note: str = "") -> OrderEvent:
    if order.extension_requested_until is None:
        raise TransitionRefused(_("No extension has been requested for this order."))
    now = timezone.now()
    fields: dict = {"extension_requested_until": None}
    action = Action.DENY_EXTENSION
    if approve:
        action = Action.APPROVE_EXTENSION
        dues = dues_of(order)
        dues["resolve_due"] = order.extension_requested_until
        fields["resolve_due"] = order.extension_requested_until
        if order.state != State.SUSPENDED:
            fields.update(clock_fields(order.state, dues, now))
    return _apply(
        order,
        by,
        action,
        fields=fields,
        note=note,
        now=now,
        data={"until": order.extension_requested_until.isoformat()},
    )


def do_resolve(order: WorkOrder, by: User, resolution: str, files=()) -> OrderEvent:
    """Finish the work (办结); the callback clock starts."""
    if not resolution.strip():
        raise TransitionRefused(_("Describe what was done."))
    now = timezone.now()
    spec = spec_for(order.category.calendar)
    dues = dues_of(order)
    dues["callback_due"] = add_working_minutes(spec, now, order.category.callback_minutes)
    fields = {
        "resolved_at": now,
        "resolution": resolution,
        "callback_due": dues["callback_due"],
        **clock_fields(State.RESOLVED, dues, now),
    }
    with transaction.atomic():
        event = _apply(
            order,
            by,
            Action.RESOLVE,
            to_state=State.RESOLVED,
            fields=fields,
            note=resolution,
            now=now,
        )
        _attach_files(order, event, files, by)
        order_messages.notify_order_resolved(order)
    return event


def do_callback(order: WorkOrder, by: User, result: str, note: str = "") -> OrderEvent:
    """Record the call back to the resident (回访); unsatisfied re-opens the order (重办)."""
    now = timezone.now()
    if result not in Satisfaction.values:
        raise TransitionRefused(_("Choose how the resident judged the service."))
    with transaction.atomic():
        if result == Satisfaction.UNREACHABLE:
            # A decision like the others: a resident reached by someone else meanwhile
            # makes this attempt a conflict, and the attempt makes a stale "satisfied" one.
            event = _apply(order, by, Action.CALLBACK, note=note, data={"result": result}, now=now)
        elif result == Satisfaction.UNSATISFIED:
            event = _reopen(order, by, note, now)
        else:
            fields = {
                "callback_at": now,
                "satisfaction": result,
                "current_due": None,
                "warn_at": None,
                "sla_level": "green",
            }
            event = _apply(
                order,
                by,
                Action.CALLBACK,
                to_state=State.CALLBACK_DONE,
                fields=fields,
                note=note,
                data={"result": result},
                now=now,
            )
        # Only reached once the guarded update succeeded; a conflict rolls back both.
        Callback.objects.create(order=order, at=now, agent=by, result=result, note=note)
    return event


def _reopen(order: WorkOrder, by: User, note: str, now: datetime) -> OrderEvent:
    spec = spec_for(order.category.calendar)
    dues = initial_deadlines(order.category, spec, now)
    dues["callback_due"] = None
    redo = order.redo_count + 1
    fields = {
        "redo_count": redo,
        "callback_at": now,
        "satisfaction": Satisfaction.UNSATISFIED,
        "accepted_at": None,
        "arrived_at": None,
        "resolved_at": None,
        "dispatched_at": now,
        **dues,
        **clock_fields(State.REOPENED, dues, now),
    }
    event = _apply(
        order,
        by,
        Action.REOPEN,
        to_state=State.REOPENED,
        fields=fields,
        note=note,
        data={"result": Satisfaction.UNSATISFIED, "redo_count": redo},
        now=now,
    )
    if redo >= settings.REDO_ESCALATION_THRESHOLD and not order.escalated:
        do_escalate(order, None, _("Re-done %(count)s times.") % {"count": redo})
    return event


def do_close(order: WorkOrder, by: User) -> OrderEvent:
    """Archive (归档) an order whose callback is done."""
    return _apply(
        order, by, Action.CLOSE, to_state=State.CLOSED, fields={"closed_at": timezone.now()}
    )


def do_cancel(
    order: WorkOrder, by: User, reason: str, duplicate_of: WorkOrder | None = None
) -> OrderEvent:
    if duplicate_of is not None and duplicate_of.pk == order.pk:
        raise TransitionRefused(_("An order cannot duplicate itself."))
    if not reason.strip() and duplicate_of is None:
        raise TransitionRefused(_("Say why the order is cancelled."))
    fields = {
        "duplicate_of": duplicate_of,
        "current_due": None,
        "warn_at": None,
        "sla_level": "green",
        "closed_at": timezone.now(),
    }
    data = {"duplicate_of": duplicate_of.number} if duplicate_of else {}
    return _apply(
        order, by, Action.CANCEL, to_state=State.CANCELLED, fields=fields, note=reason, data=data
    )


def do_remind(order: WorkOrder, by: User, note: str) -> OrderEvent:
    """A reminder (催办) to whoever holds the order: an annotation, counted with F()."""
    return _apply(
        order,
        by,
        Action.REMIND,
        fields={"reminder_count": F("reminder_count") + 1},
        note=note,
        guard_version=False,
    )


def do_supervise(order: WorkOrder, by: User, due: datetime, note: str) -> OrderEvent:
    """Put the order under supervision (督办) with an answer deadline.

    An annotation: the deadline is the supervisor's choice, not computed from the row, so
    two supervisors at once leave both in the history and the later one in force.
    """
    if due <= timezone.now():
        raise TransitionRefused(_("The supervision deadline must be in the future."))
    return _apply(
        order,
        by,
        Action.SUPERVISE,
        fields={"supervised_until": due},
        note=note,
        data={"due": due.isoformat()},
        guard_version=False,
    )


def do_escalate(order: WorkOrder, by: User | None, reason: str) -> OrderEvent:
    """Flag the order for management (an annotation; setting the flag twice is harmless)."""
    return _apply(
        order, by, Action.ESCALATE, fields={"escalated": True}, note=reason, guard_version=False
    )


def channel_label(channel: str) -> str:
    return str(Channel(channel).label)


def do_answer_directly(
    *,
    by: User,
    category: Category,
    description: str,
    answer: str,
    community: Community | None = None,
    caller_name: str = "",
    caller_phone: str = "",
    address: str = "",
    channel: str = Channel.HOTLINE,
    priority: int | None = None,
) -> WorkOrder:
    """A call the agent answers on the spot (直接答复): taken and resolved at once.

    Nobody is dispatched; the order waits for its callback like any resolved order and
    counts in the KPIs as answered directly.
    """
    _check_takes_calls(by)
    if not answer.strip():
        raise TransitionRefused(_("Say what the caller was told."))
    now = timezone.now()
    spec = spec_for(category.calendar)
    dues = initial_deadlines(category, spec, now)
    dues["callback_due"] = add_working_minutes(spec, now, category.callback_minutes)
    route = route_for(community, category)
    with transaction.atomic():
        order = WorkOrder.objects.create(
            **_call_fields(now, channel, category, community, caller_name, caller_phone, address),
            priority=priority or category.priority,
            description=description,
            state=State.RESOLVED,
            unit=route.unit,
            grid=route.grid,
            created_by=by,
            accepted_at=now,
            resolved_at=now,
            resolution=answer,
            answered_directly=True,
            **dues,
            **clock_fields(State.RESOLVED, dues, now),
        )
        OrderEvent.objects.bulk_create(
            [
                OrderEvent(
                    order=order,
                    at=now,
                    actor=by,
                    action=Action.CREATE,
                    to_state=State.RECEIVED,
                    data={"channel": channel},
                ),
                OrderEvent(
                    order=order,
                    at=now,
                    actor=by,
                    action=Action.RESOLVE,
                    from_state=State.RECEIVED,
                    to_state=State.RESOLVED,
                    note=answer,
                    data={"answered_directly": True},
                ),
            ]
        )
    return order
