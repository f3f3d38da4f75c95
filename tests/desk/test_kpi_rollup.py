"""The KPI rollup gives the same figures as counting the orders directly (mains/desk/rollup.py).

Property-style: for several seeds, a November of random orders walked through the real
actions (open, accepted, on site, resolved late or on time, called back with every
answer, re-done, transferred, returned, cancelled, answered directly, orders without a
community and so without unit, grid or specialist), counted once with the rollup built
for the days before today and once directly; then more actions on old orders make days
dirty, and both ways agree again, before and after the rebuild.
"""

import random
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from mains.areas.models import Specialist
from mains.desk import kpi_counts, kpis, rollup
from mains.desk.access import orders_for
from mains.desk.actions import (
    do_accept,
    do_answer_directly,
    do_arrive,
    do_callback,
    do_cancel,
    do_close,
    do_resolve,
    do_return,
    do_transfer,
)
from mains.desk.kpi_orders import unsatisfied_orders
from mains.desk.models import KpiDay, KpiRollup, WorkOrder
from mains.desk.states import State

SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI)
PERIODS = [
    kpi_counts.Period(date(2026, 11, 1), date(2026, 11, 30)),  # this month, today inside
    kpi_counts.Period(date(2026, 11, 3), date(2026, 11, 12)),  # only days before today
    kpi_counts.Period(date(2026, 10, 15), date(2026, 11, 20)),  # empty days, then to today
    kpi_counts.Period(date(2026, 11, 7), date(2026, 11, 7)),  # one day
]


@pytest.fixture
def clock():
    with time_machine.travel(TODAY, tick=False) as traveller:
        yield traveller


def local(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=SHANGHAI)


class Story:
    """Random lives of orders, by the actors of the `city` fixture."""

    def __init__(self, city, new_order, clock, rng: random.Random):
        self.city, self.new_order, self.clock, self.rng = city, new_order, clock, rng
        self.tom = Specialist.objects.get(user=city.tom)

    def later(self, low: int, high: int) -> None:
        self.clock.move_to(
            datetime.now(tz=SHANGHAI) + timedelta(minutes=self.rng.randint(low, high))
        )

    def worker(self, order: WorkOrder):
        order.refresh_from_db()
        return order.specialist.user if order.specialist else self.city.sam

    def work(self, order: WorkOrder, upto: str) -> None:
        """Accept, arrive, resolve (each on time or late at random) up to a step."""
        for step, act in (("accept", do_accept), ("arrive", do_arrive)):
            self.later(1, 90)
            act(order, self.worker(order))
            if upto == step:
                return
        self.later(10, 900)
        do_resolve(order, self.worker(order), "已处理")

    def call_back(self, order: WorkOrder) -> str:
        self.later(5, 300)
        result = self.rng.choice(["satisfied", "fairly", "unsatisfied", "unreachable"])
        do_callback(order, self.city.agent, result)
        return result

    def receive(self, day: int) -> WorkOrder:
        self.clock.move_to(local(day, self.rng.randint(7, 20), self.rng.randint(0, 59)))
        kind = self.rng.random()
        city = self.city
        if kind < 0.08:
            return self.new_order(community=None, address="不明地址")
        if kind < 0.12:
            return do_answer_directly(
                by=city.agent, category=city.complaint, description="咨询", answer="已答复"
            )
        if kind < 0.35:
            return self.new_order(community=city.jinxiu)
        if kind < 0.5:
            return self.new_order(category=city.complaint)
        return self.new_order()

    def live(self, order: WorkOrder) -> None:
        """One of the lives an order can have, chosen at random."""
        if order.state != State.DISPATCHED:
            return
        roll = self.rng.random()
        if roll < 0.1:
            return
        if roll < 0.18:
            do_cancel(order, self.city.dispatcher, "重复来电")
            return
        if roll < 0.25:
            self.later(1, 30)
            do_return(order, self.worker(order), "不属于本网格")
            return
        if roll < 0.35:
            self.later(1, 30)
            do_transfer(order, self.city.dispatcher, self.tom, self.city.west, "转西区")
        self.work(order, self.rng.choice(["accept", "arrive", "resolve", "resolve", "resolve"]))
        self.more(order)

    def more(self, order: WorkOrder) -> None:
        """What can follow a resolve: callbacks, a re-do, closing."""
        order.refresh_from_db()
        while order.state == State.RESOLVED and self.rng.random() < 0.8:
            result = self.call_back(order)
            order.refresh_from_db()
            if result == "unsatisfied" and self.rng.random() < 0.6:
                self.work(order, "resolve")
                order.refresh_from_db()
            if order.state == State.CALLBACK_DONE and self.rng.random() < 0.5:
                do_close(order, self.city.agent)
                order.refresh_from_db()


def both_ways(scope, period: kpi_counts.Period, monkeypatch) -> tuple[dict, dict]:
    def figures():
        return {
            **{g: kpis.kpis_by(scope, period, g) for g in kpi_counts.GROUPINGS},
            "day": kpis.kpis_by_day(scope, period),
            "per_category": kpis.orders_per_day_by_category(scope, period),
            "top": kpis.top_communities(scope, period),
            "top_1": kpis.top_communities(scope, period, limit=1),
        }

    fast = figures()
    with monkeypatch.context() as patched:
        patched.setattr(kpis, "_rollup_part", lambda scope, period: None)
        direct = figures()
    return fast, direct


def assert_same(city, monkeypatch) -> None:
    scopes = [WorkOrder.objects.all(), orders_for(city.unit_manager), orders_for(city.sam)]
    for scope in scopes:
        counted = rollup.count_orders(scope)  # the order list's total
        assert counted is None or counted == scope.count(), str(scope.query)[-80:]
        for period in PERIODS:  # the satisfaction card's drill-down count
            start, end = period.bounds()
            unsatisfied = scope.filter(
                received_at__gte=start, received_at__lt=end, callbacks__result="unsatisfied"
            )
            assert unsatisfied_orders(scope, period) == unsatisfied.distinct().count()
        for period in PERIODS:
            fast, direct = both_ways(scope, period, monkeypatch)
            for name in direct:
                assert fast[name] == direct[name], (name, period, str(scope.query)[-80:])


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_rollup_and_the_direct_count_agree_for_every_grouping(
    city, new_order, clock, monkeypatch, seed
):
    rng = random.Random(seed)
    story = Story(city, new_order, clock, rng)
    orders = [story.receive(day) for day in sorted(rng.randint(1, 20) for _ in range(45))]
    for order in orders:
        story.live(order)
    clock.move_to(TODAY)
    assert rollup.refresh(everything=True) > 0
    part = rollup.split(WorkOrder.objects.all(), PERIODS[0].start, PERIODS[0].end)
    assert part is not None and part.clean and part.live  # the rollup is used, today is live
    assert KpiRollup.objects.exists()
    assert rollup.count_orders(WorkOrder.objects.all()) is not None
    assert rollup.count_orders(orders_for(city.unit_manager)) is not None
    assert_same(city, monkeypatch)

    # Later: callbacks, re-dos, transfers and cancellations on older orders dirty their days.
    for order in rng.sample(orders, 15):
        order.refresh_from_db()
        if order.state == State.RESOLVED:
            story.more(order)
        elif order.state == State.DISPATCHED:
            story.live(order)
    story.receive(20)
    clock.move_to(TODAY + timedelta(hours=6))
    assert rollup.days_to_build()  # days made dirty by the later actions
    assert_same(city, monkeypatch)
    rollup.refresh()
    assert not rollup.days_to_build()
    assert_same(city, monkeypatch)


def test_the_rollup_answers_for_clean_days_only(city, new_order, clock, monkeypatch):
    clock.move_to(local(5, 9))
    order = new_order()
    clock.move_to(TODAY)
    november = PERIODS[0]
    assert kpis.kpis_by_day(WorkOrder.objects.all(), november)[4]["received"] == 1
    rollup.refresh(everything=True)
    # Proof that clean days are read from the rollup: a wrong row there shows.
    KpiRollup.objects.filter(day=date(2026, 11, 5), dimension="unit").update(received=100)
    assert kpis.kpis_by_day(WorkOrder.objects.all(), november)[4]["received"] == 100
    # Any action on one of the day's orders makes the day dirty: counted directly again.
    do_accept(order, city.sam)
    assert kpis.kpis_by_day(WorkOrder.objects.all(), november)[4]["received"] == 1
    assert rollup.days_to_build() == [date(2026, 11, 5)]
    rollup.refresh()
    assert kpis.kpis_by_day(WorkOrder.objects.all(), november)[4]["received"] == 1
    assert KpiRollup.objects.get(day=date(2026, 11, 5), dimension="unit").received == 1


def test_a_write_the_rebuild_did_not_see_leaves_the_day_dirty(city, new_order, clock):
    clock.move_to(local(5, 9))
    order = new_order()
    clock.move_to(TODAY)
    real_count = rollup._count_rows

    def count_then_an_action_commits(first, last):
        rows = real_count(first, last)
        do_accept(order, city.sam)  # after the counting, before the rebuild is recorded
        return rows

    rollup._count_rows = count_then_an_action_commits
    try:
        rollup.refresh(everything=True)
    finally:
        rollup._count_rows = real_count
    day = KpiDay.objects.get(day=date(2026, 11, 5))
    assert day.built < day.changes
    assert rollup.split(WorkOrder.objects.all(), date(2026, 11, 1), date(2026, 11, 19)) is None
    assert rollup.days_to_build() == [date(2026, 11, 5)]


def test_scopes_it_does_not_know_are_counted_directly(city):
    assert rollup.scope_units(WorkOrder.objects.all()) == rollup.ALL
    assert rollup.scope_units(orders_for(city.unit_manager)) == {city.east.pk}
    assert rollup.scope_units(WorkOrder.objects.filter(unit=city.west)) == {city.west.pk}
    assert rollup.scope_units(orders_for(city.sam)) is None
    assert rollup.scope_units(WorkOrder.objects.filter(state=State.CLOSED)) is None
    assert rollup.scope_units(WorkOrder.objects.exclude(unit_id__in=[city.east.pk])) is None
    assert rollup.scope_units(WorkOrder.objects.none()) is None


def test_the_order_lists_total_comes_from_the_rollup_and_stays_exact(
    city, new_order, clock, client
):
    for day in (3, 5, 5, 9):
        clock.move_to(local(day, 9))
        new_order()
    clock.move_to(TODAY)
    today_order = new_order()
    rollup.refresh(everything=True)
    client.force_login(city.dispatcher)

    def total() -> int:
        return client.get("/desk/orders/").context["page"].paginator.count

    assert total() == WorkOrder.objects.count() == 5
    # Proof that the clean days are read from the rollup: a wrong row there shows.
    KpiRollup.objects.filter(day=date(2026, 11, 5), dimension="unit").update(received=7)
    assert total() == 10
    # An action on one of the day's orders makes the day dirty: counted directly again.
    do_accept(WorkOrder.objects.filter(received_at__date=date(2026, 11, 5)).first(), city.sam)
    assert total() == 5
    # A filtered list is always counted directly.
    response = client.get("/desk/orders/", {"state": "dispatched"})
    assert (
        response.context["page"].paginator.count
        == WorkOrder.objects.filter(state=State.DISPATCHED).count()
    )
    assert today_order.pk in [order.pk for order in client.get("/desk/orders/").context["page"]]
