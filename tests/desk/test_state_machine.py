"""The work-order state machine, driven only through the do_* actions."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from mains.areas.models import Community
from mains.desk import actions
from mains.desk.errors import NotAllowed, TransitionRefused
from mains.desk.models import Callback, OrderEvent, WorkOrder
from mains.desk.states import TRANSITIONS, Action, State


def fresh(order: WorkOrder) -> WorkOrder:
    return WorkOrder.objects.get(pk=order.pk)


def history(order: WorkOrder) -> list[tuple]:
    return list(
        OrderEvent.objects.filter(order=order).values_list(
            "pk", "at", "actor_id", "action", "from_state", "to_state", "note", "data"
        )
    )


def values(obj, names: str) -> tuple:
    return tuple(getattr(obj, name) for name in names.split())


# The natural actor and arguments of each action.
def run(action: str, order: WorkOrder, city) -> OrderEvent:
    sam = city.sam
    steps = {
        Action.DISPATCH: lambda: actions.do_dispatch(
            order, city.dispatcher, city.grid_east.specialist
        ),
        Action.TRANSFER: lambda: actions.do_transfer(
            order, city.dispatcher, city.grid_west.specialist, city.west, "西城的管线"
        ),
        Action.ACCEPT: lambda: actions.do_accept(order, sam),
        Action.RETURN: lambda: actions.do_return(order, sam, "不是本网格"),
        Action.ARRIVE: lambda: actions.do_arrive(order, sam, "已到楼下"),
        Action.SUSPEND: lambda: actions.do_suspend(order, sam, "住户不在家"),
        Action.RESUME: lambda: actions.do_resume(order, sam),
        Action.REQUEST_EXTENSION: lambda: actions.do_request_extension(
            order, sam, order.resolve_due + timedelta(days=1), "等配件"
        ),
        Action.APPROVE_EXTENSION: lambda: actions.do_decide_extension(
            order, city.dispatcher, True, "同意"
        ),
        Action.DENY_EXTENSION: lambda: actions.do_decide_extension(
            order, city.dispatcher, False, "不同意"
        ),
        Action.RESOLVE: lambda: actions.do_resolve(order, sam, "更换了阀门"),
        Action.CALLBACK: lambda: actions.do_callback(order, city.agent, "satisfied"),
        Action.REOPEN: lambda: actions.do_callback(order, city.agent, "unsatisfied", "还在漏"),
        Action.CLOSE: lambda: actions.do_close(order, city.agent),
        Action.CANCEL: lambda: actions.do_cancel(order, city.dispatcher, "恶意来电"),
        Action.REMIND: lambda: actions.do_remind(order, city.manager, "请尽快处理"),
        Action.SUPERVISE: lambda: actions.do_supervise(
            order, city.manager, timezone.now() + timedelta(hours=4), "督办"
        ),
        Action.ESCALATE: lambda: actions.do_escalate(order, city.manager, "居民多次来电"),
        Action.EXTRA_CALL: lambda: actions.do_attach_call(
            order, city.agent, "李四", "13900001111", "邻居也来电"
        ),
    }
    return steps[action]()


def order_in(state: str, city, new_order) -> WorkOrder:
    """An order brought into `state` the way it happens in real life."""
    if state == State.RECEIVED:
        nowhere = Community.objects.create(name="光彩小区", address="光彩路1号")
        order = new_order(community=nowhere)
        assert order.state == State.RECEIVED
        return order
    order = new_order()
    path = {
        State.DISPATCHED: [],
        State.ACCEPTED: [Action.ACCEPT],
        State.ON_SITE: [Action.ACCEPT, Action.ARRIVE],
        State.SUSPENDED: [Action.ACCEPT, Action.SUSPEND],
        State.RETURNED: [Action.RETURN],
        State.RESOLVED: [Action.ACCEPT, Action.ARRIVE, Action.RESOLVE],
        State.REOPENED: [Action.ACCEPT, Action.ARRIVE, Action.RESOLVE, Action.REOPEN],
        State.CALLBACK_DONE: [Action.ACCEPT, Action.ARRIVE, Action.RESOLVE, Action.CALLBACK],
        State.CLOSED: [Action.ACCEPT, Action.ARRIVE, Action.RESOLVE, Action.CALLBACK, Action.CLOSE],
        State.CANCELLED: [Action.CANCEL],
    }[state]
    for action in path:
        run(action, order, city)
    assert fresh(order).state == state
    return fresh(order)


LEGAL = [
    (action, state)
    for action, (sources, _target) in TRANSITIONS.items()
    for state in sources
    if action not in (Action.APPROVE_EXTENSION, Action.DENY_EXTENSION)
]
DECISIONS = [
    (action, state)
    for action in (Action.APPROVE_EXTENSION, Action.DENY_EXTENSION)
    for state in TRANSITIONS[action][0]
]


@pytest.mark.parametrize(("action", "state"), LEGAL)
def test_every_legal_transition_moves_the_order_and_appends_one_event(
    city, new_order, action, state
):
    order = order_in(state, city, new_order)
    before = history(order)
    event = run(action, order, city)
    target = TRANSITIONS[action][1]
    expected = target or (State.ACCEPTED if action == Action.RESUME else state)
    assert fresh(order).state == expected
    assert event.action == action
    assert (event.from_state, event.to_state) == (state, expected)
    assert event.actor is not None
    assert history(order)[: len(before)] == before
    assert len(history(order)) == len(before) + 1


@pytest.mark.parametrize(("action", "state"), DECISIONS)
def test_an_extension_is_decided_in_every_state_it_may_be_requested_in(
    city, new_order, action, state
):
    order = order_in(state, city, new_order)
    run(Action.REQUEST_EXTENSION, order, city)
    asked = fresh(order).extension_requested_until
    old_due = order.resolve_due
    event = run(action, order, city)
    order = fresh(order)
    assert (event.action, event.from_state, event.to_state) == (action, state, state)
    assert order.extension_requested_until is None
    assert order.resolve_due == (asked if action == Action.APPROVE_EXTENSION else old_due)


ILLEGAL = [
    (action, state)
    for action, (sources, _target) in TRANSITIONS.items()
    for state in State.values
    if state not in sources
]


@pytest.mark.parametrize(("action", "state"), ILLEGAL)
def test_every_illegal_transition_is_refused_and_changes_nothing(city, new_order, action, state):
    order = order_in(state, city, new_order)
    order.extension_requested_until = timezone.now() + timedelta(days=9)  # for the decisions
    before = history(order)
    row = WorkOrder.objects.filter(pk=order.pk).values().get()
    city.sam = city.admin  # the administrator may do everything the roles allow
    city.dispatcher = city.agent = city.manager = city.admin
    with translation.override("en"), pytest.raises(TransitionRefused) as refused:
        run(action, order, city)
    with translation.override("en"):
        assert f"while the order is “{State(state).label}”" in str(refused.value)
    assert WorkOrder.objects.filter(pk=order.pk).values().get() == row
    assert history(order) == before


def test_the_refusal_names_the_action_and_the_state(city, new_order):
    order = new_order()
    with translation.override("en"), pytest.raises(TransitionRefused) as refused:
        actions.do_arrive(order, city.sam)
    message = "“Arrived on site” is not possible while the order is “Dispatched”."
    assert (str(refused.value), refused.value.code) == (message, "illegal_transition")


def test_an_order_goes_from_the_call_to_the_archive(city, new_order):
    order = new_order()
    sam, agent = city.sam, city.agent
    assert values(order, "state specialist grid") == ("dispatched", sam.specialist, city.grid_east)
    actions.do_accept(order, sam)
    actions.do_arrive(order, sam)
    actions.do_resolve(order, sam, "更换了水表前阀门")
    actions.do_callback(order, agent, "satisfied", "住户满意")
    actions.do_close(order, agent)
    order = fresh(order)
    assert values(order, "state satisfaction resolution") == (
        "closed",
        "satisfied",
        "更换了水表前阀门",
    )
    for stage in "dispatched accepted arrived resolved callback closed".split():
        assert getattr(order, f"{stage}_at") is not None, stage
    assert [(e.action, e.from_state, e.to_state, e.actor) for e in order.events.all()] == [
        (Action.CREATE, "", State.RECEIVED, agent),
        (Action.DISPATCH, State.RECEIVED, State.DISPATCHED, None),
        (Action.ACCEPT, State.DISPATCHED, State.ACCEPTED, sam),
        (Action.ARRIVE, State.ACCEPTED, State.ON_SITE, sam),
        (Action.RESOLVE, State.ON_SITE, State.RESOLVED, sam),
        (Action.CALLBACK, State.RESOLVED, State.CALLBACK_DONE, agent),
        (Action.CLOSE, State.CALLBACK_DONE, State.CLOSED, agent),
    ]
    assert Callback.objects.get(order=order).result == "satisfied"


def test_a_returned_order_goes_back_to_dispatch_with_its_reason_and_is_sent_again(city, new_order):
    order = new_order()
    with pytest.raises(TransitionRefused):
        actions.do_return(order, city.sam, "  ")
    actions.do_accept(order, city.sam)
    event = actions.do_return(order, city.sam, "地址在西城")
    assert event.note == "地址在西城"
    assert values(fresh(order), "state accepted_at") == (State.RETURNED, None)
    actions.do_dispatch(order, city.dispatcher, city.tom.specialist, city.west, "改派西城")
    order = fresh(order)
    assert values(order, "state specialist unit") == ("dispatched", city.tom.specialist, city.west)
    actions.do_accept(order, city.tom)
    assert fresh(order).state == State.ACCEPTED


def test_a_transfer_hands_the_order_to_another_specialist_who_must_accept_it(city, new_order):
    order = new_order()
    actions.do_accept(order, city.sam)
    event = actions.do_transfer(order, city.dispatcher, city.tom.specialist, None, "管线属西城")
    order = fresh(order)
    assert values(order, "state specialist accepted_at") == (
        "dispatched",
        city.tom.specialist,
        None,
    )
    assert event.data == {"from": "孙明", "to": "唐涛"}
    with pytest.raises(NotAllowed):
        actions.do_accept(order, city.sam)
    actions.do_accept(order, city.tom)
    assert fresh(order).state == State.ACCEPTED


@pytest.mark.parametrize("where", [State.ACCEPTED, State.ON_SITE])
def test_a_suspended_order_resumes_in_the_state_it_left(city, new_order, where):
    order = order_in(where, city, new_order)
    with pytest.raises(TransitionRefused):
        actions.do_suspend(order, city.sam, "")
    actions.do_suspend(order, city.sam, "住户出差")
    suspended = fresh(order)
    assert values(suspended, "state current_due state_before_suspend") == ("suspended", None, where)
    event = actions.do_resume(suspended, city.sam)
    assert (event.from_state, event.to_state) == (State.SUSPENDED, where)
    assert values(fresh(order), "state paused_at") == (where, None)


def test_an_extension_must_be_later_and_have_a_reason_and_only_a_dispatcher_decides(
    city, new_order
):
    order = order_in(State.ACCEPTED, city, new_order)
    with pytest.raises(TransitionRefused):
        actions.do_decide_extension(order, city.dispatcher, True)
    with pytest.raises(TransitionRefused):
        actions.do_request_extension(order, city.sam, order.resolve_due, "等配件")
    with pytest.raises(TransitionRefused):
        actions.do_request_extension(order, city.sam, order.resolve_due + timedelta(hours=1), "")
    later = order.resolve_due + timedelta(days=2)
    actions.do_request_extension(order, city.sam, later, "等配件")
    with pytest.raises(NotAllowed):
        actions.do_decide_extension(order, city.sam, True)
    actions.do_decide_extension(order, city.dispatcher, True)
    assert fresh(order).resolve_due == later


def test_a_duplicate_is_cancelled_and_linked_to_the_original(city, new_order):
    original = new_order()
    copy = new_order(caller_phone="13900002222")
    with pytest.raises(TransitionRefused):
        actions.do_cancel(copy, city.dispatcher, "重复", duplicate_of=copy)
    event = actions.do_cancel(copy, city.dispatcher, "", duplicate_of=original)
    copy = fresh(copy)
    assert values(copy, "state duplicate_of current_due") == (State.CANCELLED, original, None)
    assert event.data == {"duplicate_of": original.number}
    assert list(original.duplicates.all()) == [copy]
    with pytest.raises(TransitionRefused):
        actions.do_cancel(new_order(), city.dispatcher, "  ")


def resolve(order, city):
    actions.do_accept(order, city.sam)
    actions.do_arrive(order, city.sam)
    actions.do_resolve(order, city.sam, "处理完毕")


def test_an_unsatisfied_callback_reopens_the_order_for_a_redo(city, new_order):
    order = new_order()
    resolve(order, city)
    event = actions.do_callback(order, city.agent, "unsatisfied", "还是漏水")
    order = fresh(order)
    assert (event.action, event.to_state) == (Action.REOPEN, State.REOPENED)
    assert values(order, "state redo_count escalated") == (State.REOPENED, 1, False)
    assert values(order, "accepted_at arrived_at resolved_at") == (None, None, None)
    assert order.accept_due > order.callback_at
    assert Callback.objects.get(order=order).result == "unsatisfied"
    resolve(order, city)
    assert fresh(order).state == State.RESOLVED


def test_the_third_redo_escalates_the_order_once(city, new_order):
    order = new_order()
    for expected_redo in (1, 2, 3):
        resolve(order, city)
        actions.do_callback(order, city.agent, "unsatisfied", f"第{expected_redo}次不满意")
        order = fresh(order)
        assert order.redo_count == expected_redo
        assert order.escalated is (expected_redo >= 3)
    escalations = order.events.filter(action=Action.ESCALATE)
    assert [(e.actor, e.to_state) for e in escalations] == [(None, State.REOPENED)]
    resolve(order, city)
    actions.do_callback(order, city.agent, "unsatisfied", "第4次")
    assert fresh(order).events.filter(action=Action.ESCALATE).count() == 1


def test_the_redo_threshold_comes_from_the_settings(city, new_order, settings):
    settings.REDO_ESCALATION_THRESHOLD = 1
    order = new_order()
    resolve(order, city)
    actions.do_callback(order, city.agent, "unsatisfied", "不满意")
    assert fresh(order).escalated is True


def test_an_unreachable_resident_leaves_the_order_resolved(city, new_order):
    order = new_order()
    resolve(order, city)
    event = actions.do_callback(order, city.agent, "unreachable", "无人接听")
    assert (event.from_state, event.to_state) == (State.RESOLVED, State.RESOLVED)
    assert fresh(order).state == State.RESOLVED
    with pytest.raises(TransitionRefused):
        actions.do_callback(new_order(), city.agent, "unreachable")
    with pytest.raises(TransitionRefused):
        actions.do_callback(order, city.agent, "so-so")


def test_reminders_count_up_and_leave_the_state(city, new_order):
    order = new_order()
    actions.do_remind(order, city.manager, "请尽快")
    event = actions.do_remind(order, city.manager, "再催")
    assert values(fresh(order), "reminder_count state") == (2, State.DISPATCHED)
    assert values(event, "actor from_state to_state note") == (
        city.manager,
        "dispatched",
        "dispatched",
        "再催",
    )


def test_supervision_needs_a_deadline_in_the_future(city, new_order):
    order = new_order()
    with pytest.raises(TransitionRefused):
        actions.do_supervise(order, city.manager, timezone.now() - timedelta(minutes=1), "督办")
    due = timezone.now() + timedelta(hours=2)
    event = actions.do_supervise(order, city.manager, due, "两小时内答复")
    assert fresh(order).supervised_until == due
    assert event.data == {"due": due.isoformat()}


def test_history_is_only_ever_appended_to(city, new_order):
    order = new_order()
    actions.do_accept(order, city.sam)
    first = history(order)
    actions.do_remind(order, city.manager, "催")
    actions.do_arrive(order, city.sam)
    with pytest.raises(TransitionRefused):
        actions.do_accept(order, city.sam)
    actions.do_resolve(order, city.sam, "完成")
    later = history(order)
    assert later[: len(first)] == first
    assert [row[3] for row in later[len(first) :]] == ["remind", "arrive", "resolve"]


def test_the_django_admin_can_neither_change_nor_delete_an_order_and_its_history(
    client, city, new_order
):
    order = new_order()
    client.force_login(city.admin)
    assert client.get(f"/admin/desk/workorder/{order.pk}/change/").status_code == 200
    assert client.get(f"/admin/desk/workorder/{order.pk}/delete/").status_code == 403
    client.post(
        "/admin/desk/workorder/",
        {"action": "delete_selected", "_selected_action": [order.pk], "post": "yes"},
    )
    assert WorkOrder.objects.filter(pk=order.pk).exists()
    assert order.events.count() == 2
