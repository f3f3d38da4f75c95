"""The dispatch board: what needs a person first, the counts, the poll, the unit's own board."""

import json
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mains.desk.models import WorkOrder
from mains.desk.states import State
from mains.desk.views import board as board_view
from mains.org.models import Unit

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def shape(order: WorkOrder, state: str, sla: str, due_minutes: int) -> WorkOrder:
    """Put an order where the day would have taken it: its state, SLA colour and deadline."""
    WorkOrder.objects.filter(pk=order.pk).update(
        state=state,
        sla_level=sla,
        current_due=timezone.now() + timedelta(minutes=due_minutes),
    )
    return WorkOrder.objects.get(pk=order.pk)


@pytest.fixture
def day(city, new_order):
    """One order of each kind, created in the opposite order of how the board should show them."""
    rest_late = shape(new_order(description="水压低"), State.ACCEPTED, "green", 300)
    rest_soon = shape(new_order(description="水表不走"), State.DISPATCHED, "green", 100)
    yellow = shape(new_order(description="楼道滴水"), State.ACCEPTED, "yellow", 10)
    red = shape(new_order(community=city.jinxiu), State.ON_SITE, "red", -90)
    urgent = shape(new_order(category=city.burst), State.ACCEPTED, "green", 200)
    waiting = shape(new_order(description="水表漏水"), State.RECEIVED, "green", 5)
    returned = shape(new_order(community=city.jinxiu), State.RETURNED, "red", -20)
    waiting_urgent = shape(
        new_order(category=city.burst, description="现场漏水严重"), State.RECEIVED, "green", 25
    )
    return {"order": [waiting_urgent, returned, waiting, urgent, red, yellow, rest_soon, rest_late]}


def numbers(response) -> list[str]:
    return [o.number for o in response.context["page"]]


def test_what_needs_a_person_comes_first_then_red_then_yellow_then_by_deadline(client, city, day):
    client.force_login(city.dispatcher)
    response = client.get("/desk/board/", **EN)
    assert numbers(response) == [o.number for o in day["order"]]


def test_the_sort_is_done_by_the_database_so_the_second_page_continues_the_first(
    client, city, day, monkeypatch
):
    monkeypatch.setattr(board_view, "PAGE_SIZE", 3)
    client.force_login(city.dispatcher)
    first = numbers(client.get("/desk/board/", **EN))
    second = numbers(client.get("/desk/board/", {"page": 2}, **EN))
    third = numbers(client.get("/desk/board/", {"page": 3}, **EN))
    assert first + second + third == [o.number for o in day["order"]]


def test_the_header_counts_each_group_over_the_whole_filter_not_the_page(
    client, city, day, monkeypatch
):
    monkeypatch.setattr(board_view, "PAGE_SIZE", 2)
    client.force_login(city.dispatcher)
    response = client.get("/desk/board/", **EN)
    counts = response.context["counts"]
    assert counts == {
        "total": 8,
        "undispatched": 3,
        "urgent": 2,
        "red": 2,
        "yellow": 1,
    }
    html = response.content.decode()
    badge = re.compile(r'data-group="(\w+)">[^<]*<span class="badge[^"]*">(\d+)</span>')
    assert dict(badge.findall(html)) == {
        "undispatched": "3",
        "urgent": "2",
        "red": "2",
        "yellow": "1",
    }
    burst_only = client.get("/desk/board/", {"category": city.burst.pk}, **EN).context["counts"]
    assert burst_only == {"total": 2, "undispatched": 1, "urgent": 2, "red": 0, "yellow": 0}


def test_a_group_link_filters_the_board_to_that_group(client, city, day):
    client.force_login(city.dispatcher)
    response = client.get("/desk/board/", {"need": "undispatched"}, **EN)
    assert numbers(response) == [o.number for o in day["order"][:3]]
    urgent = client.get("/desk/board/", {"need": "urgent"}, **EN)
    assert set(numbers(urgent)) == {day["order"][0].number, day["order"][3].number}


def test_a_dispatcher_gets_a_dispatch_button_on_the_orders_awaiting_dispatch(client, city, day):
    client.force_login(city.dispatcher)
    html = client.get("/desk/board/", **EN).content.decode()
    assert "<title>Dispatch board" in html
    assert html.count("data-dispatch") == 3
    assert 'name="unit"' in html


def poll(client, since=None, **filters):
    query = dict(filters)
    if since is not None:
        query["since"] = since
    return client.get("/desk/board/poll/", query, **EN)


def test_the_board_polls_only_while_in_view_and_not_at_all_when_turned_off(
    client, city, day, settings
):
    client.force_login(city.dispatcher)
    html = client.get("/desk/board/", **EN).content.decode()
    poller = re.search(r'<div id="board-poll"[^>]*>', html).group(0)
    assert "every 20s [document.visibilityState === 'visible']" in poller
    assert "visibilitychange[document.visibilityState === 'visible'] from:document" in poller
    settings.BOARD_POLL_SECONDS = 0
    html = client.get("/desk/board/", **EN).content.decode()
    assert 'id="board-poll"' not in html and 'id="board-sound"' not in html


def test_the_poll_says_nothing_new_when_no_order_arrived(client, city, day):
    client.force_login(city.dispatcher)
    since = client.get("/desk/board/", **EN).context["since"]
    response = poll(client, since)
    assert response.status_code == 200
    assert "HX-Trigger" not in response
    html = response.content.decode()
    assert 'id="board-counts"' in html
    assert 'id="board-list"' not in html
    assert f"since={since}" in html


def test_the_poll_brings_the_list_and_a_flash_when_new_orders_arrived(client, city, day, new_order):
    client.force_login(city.dispatcher)
    since = client.get("/desk/board/", **EN).context["since"]
    arrived = new_order(category=city.burst, description="路面冒水")
    response = poll(client, since)
    assert json.loads(response["HX-Trigger"]) == {"board-arrivals": {"count": 1}}
    html = response.content.decode()
    assert 'id="board-list" hx-swap-oob="true"' in html
    assert "1 new order arrived." in html
    assert re.search(rf'data-order="{arrived.pk}" class="board-new"', html)
    assert html.count('class="board-new"') == 1
    assert f"since={arrived.pk}" in html, "the next poll starts from the new order"
    assert "HX-Trigger" not in poll(client, arrived.pk)


def test_the_poll_counts_only_new_orders_of_the_filter(client, city, day, new_order):
    client.force_login(city.dispatcher)
    since = client.get("/desk/board/", **EN).context["since"]
    new_order(category=city.leak)
    assert "HX-Trigger" not in poll(client, since, category=city.burst.pk)
    assert "HX-Trigger" in poll(client, since, category=city.leak.pk)


def test_a_poll_without_a_baseline_only_sets_one(client, city, day):
    client.force_login(city.dispatcher)
    for since in (None, "abc", "-3"):
        response = poll(client, since)
        assert response.status_code == 200
        assert "HX-Trigger" not in response


@pytest.fixture
def east_and_west(city, new_order):
    east = shape(new_order(), State.RECEIVED, "green", 20)
    east_red = shape(new_order(description="楼道滴水"), State.ACCEPTED, "red", -5)
    west = shape(new_order(community=city.jinxiu), State.RECEIVED, "green", 20)
    return east, east_red, west


def test_a_unit_manager_gets_their_units_own_board(client, city, east_and_west):
    east, east_red, west = east_and_west
    client.force_login(city.unit_manager)
    response = client.get("/desk/board/", **ZH)
    html = response.content.decode()
    assert "<title>东城供水服务站工单看板" in html
    assert "派单调度台" not in html
    assert "全部单位" not in html and 'name="unit"' not in html
    assert "data-dispatch" not in html and "#actions" not in html
    assert numbers(response) == [east.number, east_red.number]
    assert west.number not in html
    counts = response.context["counts"]
    assert counts == {"total": 2, "undispatched": 1, "urgent": 0, "red": 1, "yellow": 0}
    assert [str(g) for g in response.context["grids"]] == [str(city.grid_east)]


def test_a_unit_manager_over_several_units_may_filter_by_their_own_units_only(client, city):
    Unit.objects.create(name="东城北片班组", kind=Unit.Kind.TEAM, parent=city.east)
    client.force_login(city.unit_manager)
    html = client.get("/desk/board/", **ZH).content.decode()
    assert 'name="unit"' in html
    assert "东城北片班组" in html and ">东城供水服务站</option>" in html
    assert "西城供水服务站" not in html


def test_a_unit_managers_poll_never_brings_another_units_orders(
    client, city, east_and_west, new_order
):
    client.force_login(city.unit_manager)
    since = client.get("/desk/board/", **EN).context["since"]
    west = new_order(community=city.jinxiu)
    response = poll(client, since)
    assert "HX-Trigger" not in response
    assert west.number not in response.content.decode()
    east = new_order()
    response = poll(client, since)
    assert json.loads(response["HX-Trigger"]) == {"board-arrivals": {"count": 1}}
    assert east.number in response.content.decode()
    assert west.number not in response.content.decode()


def test_the_board_and_the_order_list_carry_the_phone_card_labels(client, city, day):
    client.force_login(city.dispatcher)
    for url in ("/desk/board/", "/desk/orders/"):
        html = client.get(url, **EN).content.decode()
        assert "table-cards" in html, url
        assert 'data-label="Community"' in html, url
    for url in ("/outages/",):
        assert "table-cards" in client.get(url, **EN).content.decode(), url


def make_orders(new_order, city, count: int) -> None:
    kinds = [
        (State.RECEIVED, "green"),
        (State.DISPATCHED, "yellow"),
        (State.ACCEPTED, "red"),
        (State.ACCEPTED, "green"),
    ]
    for i in range(count):
        community = city.xingguang if (i // 4) % 2 else city.jinxiu
        category = city.burst if i % 3 == 0 else city.leak
        state, sla = kinds[i % len(kinds)]
        shape(new_order(community=community, category=category), state, sla, 30 - i)


PAGES = [
    ("dispatcher", "/desk/board/", {}),
    ("unit_manager", "/desk/board/", {}),
    ("dispatcher", "/desk/board/poll/", {"since": 0}),
    ("unit_manager", "/desk/board/poll/", {"since": 0}),
]


@pytest.mark.parametrize(("who", "url", "query"), PAGES)
def test_the_board_does_not_query_more_for_more_orders(
    client, city, new_order, django_assert_max_num_queries, who, url, query
):
    client.force_login(getattr(city, who))
    make_orders(new_order, city, 8)
    client.get(url, query)  # warm the session and the content types
    with CaptureQueriesContext(connection) as few:
        client.get(url, query)
    make_orders(new_order, city, 20)
    with django_assert_max_num_queries(len(few)):
        html = client.get(url, query).content.decode()
    visible = WorkOrder.objects.filter(state__in=[State.RECEIVED, State.ACCEPTED])
    if who == "unit_manager":
        visible = visible.filter(unit=city.east)
    assert visible.count() > 5
    assert all(number in html for number in visible.values_list("number", flat=True))
