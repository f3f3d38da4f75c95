"""Where a new order goes, and how a dispatcher sends it somewhere else."""

import pytest

from mains.areas.actions import do_assign_grid
from mains.areas.models import Community, Grid
from mains.desk import actions
from mains.desk.errors import NotAllowed, TransitionRefused
from mains.desk.models import WorkOrder
from mains.desk.routing import route_for
from mains.desk.states import Action, State
from tests.conftest import make_user


def fresh(order: WorkOrder) -> WorkOrder:
    return WorkOrder.objects.get(pk=order.pk)


@pytest.fixture
def nowhere(city) -> Community:
    """光彩小区: a community no grid answers for yet."""
    return Community.objects.create(name="光彩小区", address="光彩路1号")


def test_the_community_gives_the_grid_the_specialist_and_the_grids_unit(city, new_order):
    order = new_order()
    assert (order.grid, order.specialist, order.unit) == (
        city.grid_east,
        city.sam.specialist,
        city.east,
    )
    assert order.state == State.DISPATCHED
    assert order.dispatched_at == order.received_at
    west = new_order(community=city.jinxiu)
    assert (west.grid, west.specialist, west.unit) == (
        city.grid_west,
        city.tom.specialist,
        city.west,
    )


def test_the_deputy_takes_the_order_when_the_grid_has_no_specialist(city, new_order):
    grid = Grid.objects.create(code="E02", name="东昌网格", unit=city.east)
    grid.deputy = city.tom.specialist
    grid.save(update_fields=["deputy"])
    community = Community.objects.create(name="水岸新城", address="滨河路9号", grid=grid)
    order = new_order(community=community)
    assert (order.state, order.grid, order.specialist) == (
        State.DISPATCHED,
        grid,
        city.tom.specialist,
    )


def test_the_categorys_unit_overrides_the_grids_unit(city, new_order):
    city.leak.unit = city.west
    city.leak.save(update_fields=["unit"])
    order = new_order()
    assert (order.unit, order.grid, order.specialist) == (
        city.west,
        city.grid_east,
        city.sam.specialist,
    )


def test_an_order_from_a_community_without_a_grid_waits_for_a_dispatcher(city, new_order, nowhere):
    order = new_order(community=nowhere)
    assert (order.state, order.grid, order.specialist, order.unit) == (
        State.RECEIVED,
        None,
        None,
        None,
    )
    assert [e.action for e in order.events.all()] == [Action.CREATE]
    assert route_for(None, city.leak).specialist is None


def test_an_order_waits_for_a_dispatcher_when_auto_dispatch_is_off(city, new_order, settings):
    settings.AUTO_DISPATCH = False
    order = new_order()
    assert (order.state, order.specialist) == (State.RECEIVED, city.sam.specialist)
    actions.do_dispatch(order, city.dispatcher)
    assert fresh(order).state == State.DISPATCHED


def test_a_dispatcher_sends_a_waiting_order_to_a_specialist_and_unit_of_their_choice(
    city, new_order, nowhere
):
    order = new_order(community=nowhere)
    with pytest.raises(TransitionRefused):
        actions.do_dispatch(order, city.dispatcher)
    event = actions.do_dispatch(order, city.dispatcher, city.tom.specialist, city.west, "西城")
    order = fresh(order)
    assert (order.state, order.specialist, order.unit) == (
        State.DISPATCHED,
        city.tom.specialist,
        city.west,
    )
    assert (event.actor, event.data) == (city.dispatcher, {"specialist": "唐涛"})
    assert order.dispatched_at is not None
    actions.do_accept(order, city.tom)
    assert fresh(order).state == State.ACCEPTED


def test_a_returned_order_is_routed_again_by_its_community_when_no_one_is_named(city, new_order):
    order = new_order()
    actions.do_return(order, city.sam, "分错了")
    do_assign_grid(city.grid_east, city.tom.specialist, None, by=city.admin)
    actions.do_dispatch(order, city.dispatcher)
    assert fresh(order).specialist == city.tom.specialist


def test_a_dispatcher_reassigns_an_order_to_another_specialist_and_unit(city, new_order):
    order = new_order()
    actions.do_transfer(order, city.dispatcher, city.tom.specialist, city.west, "水表属西城")
    order = fresh(order)
    assert (order.specialist, order.unit, order.state) == (
        city.tom.specialist,
        city.west,
        State.DISPATCHED,
    )


def test_only_dispatchers_route_orders(city, new_order, nowhere):
    order = new_order(community=nowhere)
    for who in (city.agent, city.sam, city.manager, city.supervisor):
        with pytest.raises(NotAllowed):
            actions.do_dispatch(order, who, city.sam.specialist)
    dispatched = new_order()
    with pytest.raises(NotAllowed):
        actions.do_transfer(dispatched, city.sam, city.tom.specialist, None, "")
    assert fresh(order).state == State.RECEIVED
    assert fresh(dispatched).specialist == city.sam.specialist


def test_a_unit_manager_reassigns_within_their_own_unit_only(city, new_order):
    order = new_order()
    actions.do_transfer(order, city.unit_manager, city.tom.specialist, None, "支援")
    assert fresh(order).specialist == city.tom.specialist
    west_manager = make_user("wes", "unit_manager", city.west)
    other = new_order()
    with pytest.raises(NotAllowed):
        actions.do_transfer(other, west_manager, city.tom.specialist, None, "")


def test_a_new_specialist_of_the_grid_gets_the_next_orders(city, new_order):
    first = new_order()
    do_assign_grid(city.grid_east, city.tom.specialist, city.sam.specialist, by=city.admin)
    second = new_order()
    assert fresh(first).specialist == city.sam.specialist
    assert second.specialist == city.tom.specialist
