"""The demo writes orders as rows, the app through its actions: both must give the same
orders. Demo orders are replayed event by event through the real actions, each at the
moment of its event, and the orders they make are compared field by field."""

from collections import Counter
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction
from django.db.models import Count
from django.test import override_settings

from mains.areas.models import GridAssignment, Specialist
from mains.demo import texts
from mains.demo.build import build_city
from mains.desk import actions
from mains.desk.actions.sla_bookkeeping import do_mark_sla
from mains.desk.models import Channel, OrderEvent, SlaLevel, WorkOrder
from mains.desk.states import Action
from mains.org.models import User

NOW = datetime(2026, 9, 16, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
COMPARED = [
    "state",
    "state_before_suspend",
    "specialist_id",
    "unit_id",
    "grid_id",
    "priority",
    "duplicate_of_id",
    "dispatched_at",
    "accepted_at",
    "arrived_at",
    "resolved_at",
    "callback_at",
    "closed_at",
    "accept_due",
    "arrive_due",
    "resolve_due",
    "callback_due",
    "current_due",
    "warn_at",
    "sla_level",
    "paused_at",
    "extension_requested_until",
    "redo_count",
    "reminder_count",
    "call_count",
    "supervised_until",
    "escalated",
    "satisfaction",
    "resolution",
    "answered_directly",
    "version",
]
# Every transition the demo tells must be among the replayed orders.
MUST_COVER = {
    Action.DISPATCH,
    Action.TRANSFER,
    Action.ACCEPT,
    Action.RETURN,
    Action.ARRIVE,
    Action.SUSPEND,
    Action.RESUME,
    Action.REQUEST_EXTENSION,
    Action.APPROVE_EXTENSION,
    Action.RESOLVE,
    Action.CALLBACK,
    Action.REOPEN,
    Action.CLOSE,
    Action.CANCEL,
    Action.REMIND,
    Action.EXTRA_CALL,
    Action.ESCALATE,
    Action.SLA_OVERDUE,
}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media"))
    with media, django_db_blocker.unblock(), transaction.atomic():
        yield build_city(orders=2000, months=2, seed=11, now=NOW, telemetry=False)
        transaction.set_rollback(True)


def _replayable() -> list[WorkOrder]:
    """Orders whose first routing the actions can redo as it was: from a community whose
    grid never changed hands, taken by a role that takes calls, to specialists known by a
    name no one else bears."""
    moved = set(
        GridAssignment.objects.values("grid")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values_list("grid", flat=True)
    )
    return list(
        WorkOrder.objects.filter(community__isnull=False, grid__isnull=False)
        .exclude(grid__in=moved)
        .exclude(channel__in=[Channel.SUPERVISOR, Channel.ALARM])
        .order_by("pk")
    )


def _sample(orders: list[WorkOrder]) -> list[WorkOrder]:
    """Orders that together tell every transition, and a plain share besides."""
    actions_of: dict[int, set] = {}
    for order_id, action in OrderEvent.objects.filter(order__in=orders).values_list(
        "order_id", "action"
    ):
        actions_of.setdefault(order_id, set()).add(action)
    chosen: list[WorkOrder] = []
    for action in sorted(MUST_COVER):
        chosen += [o for o in orders if action in actions_of.get(o.pk, ())][:3]
    chosen += orders[:: max(1, len(orders) // 20)]
    return list({o.pk: o for o in chosen}.values())


def _replay(order: WorkOrder, events: list[OrderEvent], names: dict[str, Specialist]):
    users = {u.pk: u for u in User.objects.all()}
    first = events[0]
    with time_machine.travel(first.at, tick=False):
        made = actions.do_create_order(
            by=users.get(first.actor_id),
            channel=order.channel,
            category=order.category,
            description=order.description,
            community=order.community,
            caller_name=order.caller_name,
            caller_phone=order.caller_phone,
            address=order.address,
        )
    for event in events[1:]:
        by, data, note = users.get(event.actor_id), event.data, event.note
        automatic = event.actor_id is None
        with time_machine.travel(event.at, tick=False):
            made.refresh_from_db()
            match event.action:
                case Action.DISPATCH if automatic:
                    continue  # routed by the create
                case Action.ESCALATE if automatic and made.escalated:
                    continue  # the re-do escalated it
                case Action.DISPATCH:
                    actions.do_dispatch(made, by, names[data["specialist"]], None, note)
                case Action.TRANSFER:
                    unit = order.unit if note == texts.NETWORK_TRANSFER_NOTE else None
                    actions.do_transfer(made, by, names[data["to"]], unit, note)
                case Action.ACCEPT:
                    actions.do_accept(made, by)
                case Action.RETURN:
                    actions.do_return(made, by, note)
                case Action.ARRIVE:
                    actions.do_arrive(made, by, note)
                case Action.SUSPEND:
                    actions.do_suspend(made, by, note)
                case Action.RESUME:
                    actions.do_resume(made, by)
                case Action.REQUEST_EXTENSION:
                    until = datetime.fromisoformat(data["until"])
                    actions.do_request_extension(made, by, until, note)
                case Action.APPROVE_EXTENSION | Action.DENY_EXTENSION:
                    approve = event.action == Action.APPROVE_EXTENSION
                    actions.do_decide_extension(made, by, approve, note)
                case Action.RESOLVE:
                    actions.do_resolve(made, by, note)
                case Action.CALLBACK | Action.REOPEN:
                    actions.do_callback(made, by, data["result"], note)
                case Action.CLOSE:
                    actions.do_close(made, by)
                case Action.CANCEL:
                    original = order.duplicate_of
                    actions.do_cancel(made, by, note, duplicate_of=original)
                case Action.REMIND:
                    actions.do_remind(made, by, note)
                case Action.SUPERVISE:
                    actions.do_supervise(made, by, datetime.fromisoformat(data["due"]), note)
                case Action.EXTRA_CALL:
                    actions.do_attach_call(
                        made, by, data["caller_name"], data["caller_phone"], note
                    )
                case Action.ESCALATE:
                    actions.do_escalate(made, by, note)
                case Action.SLA_OVERDUE:
                    assert do_mark_sla(event.at, [made.pk], SlaLevel.RED) == 1
                case _:
                    raise AssertionError(f"the demo tells {event.action}, not replayed here")
    made.refresh_from_db()
    return made


def _history(order: WorkOrder) -> list[tuple]:
    return list(
        order.events.order_by("at", "pk").values_list("action", "from_state", "to_state", "at")
    )


def test_demo_orders_equal_the_same_story_told_through_the_actions(db, demo):
    orders = _replayable()
    by_name = Counter(Specialist.objects.values_list("name", flat=True))
    names = {s.name: s for s in Specialist.objects.all() if by_name[s.name] == 1}
    sample = _sample(orders)
    # What the demo wrote, read before the replay's clock could touch any order.
    expected = {o.pk: {f: getattr(o, f) for f in COMPARED} for o in sample}
    histories = {o.pk: _history(o) for o in sample}
    told: Counter = Counter()
    compared = 0
    for order in sample:
        events = list(order.events.order_by("at", "pk"))
        wanted = {e.data.get("specialist") or e.data.get("to") for e in events} - {None}
        if not wanted <= set(names):
            continue
        told.update(e.action for e in events)
        made = _replay(order, events, names)
        got = {f: getattr(made, f) for f in COMPARED}
        want = expected[order.pk]
        if want["duplicate_of_id"] is not None:
            got["duplicate_of_id"] = want["duplicate_of_id"]  # the replay cancels onto it too
        assert got == want, (order.number, {f: (want[f], got[f]) for f in got if got[f] != want[f]})
        assert [h[:3] for h in _history(made)] == [h[:3] for h in histories[order.pk]], order.number
        compared += 1
    assert compared >= 40
    missing = MUST_COVER - set(told)
    assert not missing, f"no replayed order tells {missing}"
    assert timedelta(0) <= NOW - max(o.received_at for o in sample)
