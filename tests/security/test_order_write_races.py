"""Issue 10, item 11: every write on a work order goes through the guarded update.

Two agents calling the same resident back from the same page version: one result is
recorded, the other is told the order changed, and nothing of the second is written (no
callback row, no history entry). Annotations (a further call, a reminder, supervision,
escalation) refuse an order whose state moved under them and never lose a concurrent one.
"""

import threading
import time
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from mains.api.tokens import create_token
from mains.desk import actions
from mains.desk.clock import run_sla_clock
from mains.desk.errors import OrderConflict
from mains.desk.models import Callback, OrderEvent, Satisfaction, WorkOrder
from mains.desk.states import Action, State

CONFLICT = (
    "Someone else changed this order a moment ago. Reload it to see the change, then try again."
)
RESULTS = [Satisfaction.SATISFIED, Satisfaction.UNSATISFIED, Satisfaction.UNREACHABLE]
ROUNDS = 20


def resolved(new_order, city) -> WorkOrder:
    order = new_order()
    actions.do_accept(order, city.sam)
    actions.do_resolve(order, city.sam, "更换水表前阀门")
    return WorkOrder.objects.get(pk=order.pk)


def two_copies(order: WorkOrder) -> tuple[WorkOrder, WorkOrder]:
    return WorkOrder.objects.get(pk=order.pk), WorkOrder.objects.get(pk=order.pk)


def callback_events(order: WorkOrder) -> list[str]:
    found = OrderEvent.objects.filter(order=order, action__in=[Action.CALLBACK, Action.REOPEN])
    return list(found.values_list("data__result", flat=True))


@pytest.mark.parametrize("first", RESULTS)
@pytest.mark.parametrize("second", RESULTS)
def test_the_second_callback_from_the_same_version_is_a_conflict_and_writes_nothing(
    city, new_order, first, second
):
    one, other = two_copies(resolved(new_order, city))
    actions.do_callback(one, city.agent, first, "回访")
    with pytest.raises(OrderConflict):
        actions.do_callback(other, city.dispatcher, second, "回访")
    assert list(Callback.objects.values_list("agent", "result")) == [(city.agent.pk, first)]
    assert callback_events(one) == [first]
    assert WorkOrder.objects.get(pk=one.pk).version == other.version + 1


def test_a_resident_not_reached_is_recorded_as_a_guarded_change_of_the_order(city, new_order):
    order = resolved(new_order, city)
    read = order.version
    event = actions.do_callback(order, city.agent, Satisfaction.UNREACHABLE, "无人接听")
    stored = WorkOrder.objects.get(pk=order.pk)
    assert (stored.state, stored.version, order.version) == (State.RESOLVED, read + 1, read + 1)
    assert (event.from_state, event.to_state, event.data) == (
        State.RESOLVED,
        State.RESOLVED,
        {"result": Satisfaction.UNREACHABLE},
    )
    assert Callback.objects.get().result == Satisfaction.UNREACHABLE
    # The same agent may try again later from the order as it now is.
    actions.do_callback(order, city.agent, Satisfaction.SATISFIED)
    assert Callback.objects.count() == 2


def test_a_callback_posted_from_a_page_read_before_another_callback_is_refused(city, new_order):
    order = resolved(new_order, city)
    page_version = order.version
    actions.do_callback(order, city.agent, Satisfaction.SATISFIED)
    client = Client()
    client.force_login(city.dispatcher)
    url = reverse("desk:order_act", args=[order.pk, Action.CALLBACK])
    client.post(url, {"version": page_version, "callback-result": Satisfaction.UNREACHABLE})
    assert list(Callback.objects.values_list("result", flat=True)) == [Satisfaction.SATISFIED]


ANNOTATIONS = {
    Action.REMIND: lambda order, city: actions.do_remind(order, city.manager, "催办"),
    Action.SUPERVISE: lambda order, city: actions.do_supervise(
        order, city.manager, timezone.now() + timedelta(hours=2), "两小时内答复"
    ),
    Action.ESCALATE: lambda order, city: actions.do_escalate(order, city.manager, "多次来电"),
    Action.EXTRA_CALL: lambda order, city: actions.do_attach_call(
        order, city.agent, "李四", "13900001111", "又来电"
    ),
}
UNTOUCHED = ("reminder_count", "call_count", "supervised_until", "escalated")


@pytest.mark.parametrize("action", list(ANNOTATIONS))
def test_an_annotation_on_an_order_whose_state_changed_meanwhile_is_refused(
    city, new_order, action
):
    stale, fresh = two_copies(new_order())
    actions.do_accept(fresh, city.sam)
    with pytest.raises(OrderConflict):
        ANNOTATIONS[action](stale, city)
    stored = WorkOrder.objects.get(pk=fresh.pk)
    assert [getattr(stored, f) for f in UNTOUCHED] == [getattr(fresh, f) for f in UNTOUCHED]
    assert not OrderEvent.objects.filter(order=stored, action=action).exists()


@pytest.mark.parametrize("action", list(ANNOTATIONS))
def test_an_annotation_does_not_make_a_page_read_before_it_stale(city, new_order, action):
    page, annotated = two_copies(new_order())
    ANNOTATIONS[action](annotated, city)
    actions.do_accept(page, city.sam)
    stored = WorkOrder.objects.get(pk=page.pk)
    assert stored.state == State.ACCEPTED
    assert OrderEvent.objects.filter(order=stored, action=action).count() == 1


def test_annotations_from_stale_copies_are_all_counted_and_the_copies_say_so(city, new_order):
    one, other = two_copies(new_order())
    actions.do_remind(one, city.manager, "催办")
    actions.do_remind(other, city.dispatcher, "再催")
    actions.do_attach_call(one, city.agent, "李四", "13900001111", "又来电")
    actions.do_attach_call(other, city.agent, "王五", "13900002222", "又来电")
    assert (other.reminder_count, other.call_count) == (2, 3)
    stored = WorkOrder.objects.get(pk=one.pk)
    assert (stored.reminder_count, stored.call_count) == (2, 3)


def test_the_sla_clock_does_not_make_open_pages_stale(city, new_order):
    order = new_order()
    WorkOrder.objects.filter(pk=order.pk).update(current_due=timezone.now() - timedelta(hours=3))
    page = WorkOrder.objects.get(pk=order.pk)
    result = run_sla_clock()
    assert (result.overdue, result.escalated) == (1, 1)
    actions.do_accept(page, city.sam)
    assert WorkOrder.objects.get(pk=order.pk).state == State.ACCEPTED


# Real concurrency: two people on their own connections, released at the same moment.


@pytest.fixture
def defaults(db):
    """The default categories, even if a transactional test before flushed them."""
    from django.apps import apps

    from mains.desk.defaults import install

    install(apps)


def at_once(*requests) -> list:
    """Run each request (a function of no argument) in its own thread, released together."""
    barrier = threading.Barrier(len(requests))
    outcomes: list = [None] * len(requests)

    def run(i, request):
        try:
            barrier.wait(timeout=10)
            outcomes[i] = request()
        except Exception as exc:  # reported by the test, not lost in the thread
            outcomes[i] = ("error", repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, r)) for i, r in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def page_callback(user, order: WorkOrder, result: str):
    client = Client()
    client.force_login(user)
    url = reverse("desk:order_act", args=[order.pk, Action.CALLBACK])
    data = {"version": order.version, "callback-result": result, "callback-note": "回访"}

    def post() -> str:
        response = client.post(url, data, headers={"Accept-Language": "en"})
        said = [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]
        if [level for level, _text in said] == ["success"]:
            return "ok"
        return "conflict" if said == [("error", CONFLICT)] else f"{response.status_code} {said}"

    return post


def api_callback(user, order: WorkOrder, result: str):
    key = create_token(user, "race")[1]
    client = Client(headers={"Authorization": f"Bearer {key}"})
    url = f"/api/v1/orders/{order.pk}/actions/callback"
    body = {"result": result, "note": "回访", "version": order.version}

    def post() -> str:
        response = client.post(url, body, content_type="application/json")
        if response.status_code == 200:
            return "ok"
        answer = response.json()
        return (
            "conflict"
            if (response.status_code, answer["error"]) == (409, "conflict")
            else (f"{response.status_code} {answer}")
        )

    return post


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("through", [page_callback, api_callback], ids=["page", "api"])
def test_satisfied_and_not_reached_at_the_same_moment_record_exactly_one(
    defaults, city, new_order, through
):
    for _round in range(ROUNDS):
        order = resolved(new_order, city)
        outcomes = at_once(
            through(city.agent, order, Satisfaction.SATISFIED),
            through(city.dispatcher, order, Satisfaction.UNREACHABLE),
        )
        assert sorted(outcomes) == ["conflict", "ok"], outcomes
        stored = WorkOrder.objects.get(pk=order.pk)
        assert stored.version == order.version + 1
        assert Callback.objects.filter(order=order).count() == 1
        assert len(callback_events(order)) == 1
        won = Callback.objects.get(order=order).result
        assert stored.state == (
            State.CALLBACK_DONE if won == Satisfaction.SATISFIED else State.RESOLVED
        )


def waiting_on_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_sla_clock_does_not_escalate_an_order_resolved_while_it_ran(defaults, city, new_order):
    order = new_order()
    actions.do_accept(order, city.sam)
    long_overdue = timezone.now() - timedelta(hours=3)
    WorkOrder.objects.filter(pk=order.pk).update(current_due=long_overdue, sla_level="red")
    resolving, clock_waits = threading.Event(), threading.Event()

    def resolve() -> str:
        with transaction.atomic():
            actions.do_resolve(WorkOrder.objects.get(pk=order.pk), city.sam, "已修好")
            resolving.set()
            clock_waits.wait(timeout=20)
        return "resolved"

    def tick():
        resolving.wait(timeout=10)
        return run_sla_clock().escalated

    threads_done = []
    runner = threading.Thread(target=lambda: threads_done.append(at_once(resolve, tick)))
    runner.start()
    assert resolving.wait(timeout=10)
    for _poll in range(200):  # until the clock blocks on the row the resolution holds
        if waiting_on_a_lock():
            break
        time.sleep(0.05)
    clock_waits.set()
    runner.join(timeout=30)
    assert threads_done == [["resolved", 0]]
    stored = WorkOrder.objects.get(pk=order.pk)
    assert (stored.state, stored.escalated) == (State.RESOLVED, False)
    assert not OrderEvent.objects.filter(order=order, action=Action.ESCALATE).exists()
