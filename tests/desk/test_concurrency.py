"""Two people acting on one order at once: one success, one clear conflict, no lost update."""

import threading

import pytest
from django.db import connection
from django.utils import translation

from mains.desk import actions
from mains.desk.errors import OrderConflict
from mains.desk.models import OrderEvent, WorkOrder
from mains.desk.states import Action, State

CONFLICT = (
    "Someone else changed this order a moment ago. Reload it to see the change, then try again."
)


def two_copies(order: WorkOrder) -> tuple[WorkOrder, WorkOrder]:
    return WorkOrder.objects.get(pk=order.pk), WorkOrder.objects.get(pk=order.pk)


def count(order: WorkOrder, action: str) -> int:
    return OrderEvent.objects.filter(order=order, action=action).count()


def test_the_second_of_two_accepts_from_stale_copies_is_a_conflict(city, new_order):
    first, second = two_copies(new_order())
    actions.do_accept(first, city.sam)
    with translation.override("en"), pytest.raises(OrderConflict) as conflict:
        actions.do_accept(second, city.unit_manager)
    assert str(conflict.value) == CONFLICT
    order = WorkOrder.objects.get(pk=first.pk)
    assert (order.state, order.version) == (State.ACCEPTED, first.version)
    assert count(order, Action.ACCEPT) == 1


def test_a_transfer_from_a_stale_copy_does_not_undo_an_acceptance(city, new_order):
    first, second = two_copies(new_order())
    actions.do_accept(first, city.sam)
    with pytest.raises(OrderConflict):
        actions.do_transfer(second, city.dispatcher, city.tom.specialist, city.west, "改派")
    order = WorkOrder.objects.get(pk=first.pk)
    assert (order.state, order.specialist, order.accepted_at) == (
        State.ACCEPTED,
        city.sam.specialist,
        first.accepted_at,
    )
    assert count(order, Action.TRANSFER) == 0


def test_a_change_that_keeps_the_state_still_makes_other_copies_stale(city, new_order):
    order = new_order()
    actions.do_accept(order, city.sam)
    first, second = two_copies(order)
    later = first.resolve_due.replace(year=2099)
    actions.do_request_extension(first, city.sam, later, "等配件")
    with pytest.raises(OrderConflict):
        actions.do_resolve(second, city.sam, "已修好")
    with pytest.raises(OrderConflict):
        actions.do_transfer(second, city.dispatcher, city.tom.specialist, None, "改派")
    second = WorkOrder.objects.get(pk=order.pk)
    assert (second.state, second.extension_requested_until) == (State.ACCEPTED, later)


def test_counters_changed_from_stale_copies_add_up(city, new_order):
    first, second = two_copies(new_order())
    actions.do_remind(first, city.manager, "催办")
    actions.do_remind(second, city.dispatcher, "再催")
    actions.do_attach_call(first, city.agent, "李四", "13900001111", "又来电")
    actions.do_attach_call(second, city.agent, "王五", "13900002222", "又来电")
    order = WorkOrder.objects.get(pk=first.pk)
    assert (order.reminder_count, order.call_count) == (2, 3)


@pytest.fixture
def defaults(db):
    """The default categories, even if a transactional test before flushed them.

    serialized_rollback should restore them, but once Playwright's browser fixture has run,
    tests get a new connection object that lacks the serialized contents.
    """
    from django.apps import apps

    from mains.desk.defaults import install

    install(apps)


def race(work, *args_per_thread) -> list:
    """Run `work(*args)` in one thread per argument tuple, all released at the same moment."""
    barrier = threading.Barrier(len(args_per_thread))
    outcomes: list = []

    def run(args):
        try:
            ready = work(*args, barrier=barrier)
            outcomes.append(ready)
        except OrderConflict as exc:
            outcomes.append(exc)
        except Exception as exc:  # reported by the test, not lost in the thread
            outcomes.append(("error", repr(exc)))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(args,)) for args in args_per_thread]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def accept_at_once(pk: int, user, barrier) -> str:
    order = WorkOrder.objects.get(pk=pk)
    barrier.wait(timeout=10)
    actions.do_accept(order, user)
    return "accepted"


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_people_accepting_at_the_same_moment_get_one_success_and_one_conflict(
    defaults, city, new_order
):
    for _round in range(5):
        order = new_order()
        outcomes = race(accept_at_once, (order.pk, city.sam), (order.pk, city.unit_manager))
        assert outcomes.count("accepted") == 1, outcomes
        assert sum(isinstance(o, OrderConflict) for o in outcomes) == 1, outcomes
        order = WorkOrder.objects.get(pk=order.pk)
        assert (order.state, order.version) == (State.ACCEPTED, 3)
        assert count(order, Action.ACCEPT) == 1


def create_at_once(city, barrier) -> str:
    barrier.wait(timeout=10)
    return actions.do_create_order(
        by=city.agent,
        channel="hotline",
        category=city.leak,
        description="漏水",
        community=city.xingguang,
    ).number


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_calls_saved_at_the_same_moment_get_two_numbers(defaults, city):
    outcomes = race(create_at_once, (city,), (city,), (city,))
    assert all(isinstance(o, str) for o in outcomes), outcomes
    assert len(set(outcomes)) == 3
    assert WorkOrder.objects.count() == 3
