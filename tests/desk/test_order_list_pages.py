"""The order list's pages (mains.desk.queries.DeferredJoinPaginator): the same orders as
plain OFFSET pages, newest first, ties by number of the row, at a constant query count."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.core.paginator import Paginator

from mains.desk import queries
from mains.desk.models import WorkOrder

SHANGHAI = ZoneInfo("Asia/Shanghai")


def make_orders(new_order, count: int) -> None:
    start = datetime(2026, 11, 2, 9, 0, tzinfo=SHANGHAI)
    for n in range(count):
        # Two orders a minute: equal received_at, told apart by id.
        with time_machine.travel(start + timedelta(minutes=n // 2), tick=False):
            new_order()


def test_each_page_holds_the_same_orders_as_an_offset_page(city, new_order):
    make_orders(new_order, 10)  # 3, 3 and 3 + 1 orphan
    orders = WorkOrder.objects.select_related(*queries.LIST_RELATED).order_by(*queries.NEWEST_FIRST)
    plain = Paginator(orders, 3, orphans=1)
    deferred = queries.DeferredJoinPaginator(orders, 3, orphans=1)
    assert deferred.num_pages == plain.num_pages == 3
    for number in plain.page_range:
        assert list(deferred.page(number)) == list(plain.page(number))
    received = [order.received_at for order in orders]
    assert received == sorted(received, reverse=True)


def test_a_deep_page_of_the_list_costs_what_the_first_does(
    client, city, new_order, django_assert_max_num_queries
):
    make_orders(new_order, 120)
    client.force_login(city.dispatcher)
    with django_assert_max_num_queries(50) as first:
        assert client.get("/desk/orders/").status_code == 200
    with django_assert_max_num_queries(len(first.captured_queries)):
        response = client.get("/desk/orders/", {"page": 3})
    assert response.status_code == 200
    oldest = WorkOrder.objects.order_by("received_at", "id")[:20]
    assert [o.pk for o in response.context["page"]] == [o.pk for o in reversed(oldest)]
