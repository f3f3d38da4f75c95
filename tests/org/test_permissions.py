"""Each role sees only what it should and may do only what it should."""

import pytest
from django.http import Http404

from mains.desk import actions
from mains.desk.access import may, order_for, orders_for
from mains.desk.models import OrderEvent, WorkOrder
from mains.desk.states import Action, State
from mains.org.models import AccessLog
from mains.org.roles import Role
from tests.conftest import make_user


@pytest.fixture
def two_orders(city, new_order):
    """One order in sam's grid E01 (east), one in tom's grid W01 (west)."""
    return new_order(), new_order(community=city.jinxiu, caller_phone="13900009999")


def test_a_specialist_sees_the_orders_of_their_grid_only(city, two_orders):
    east, west = two_orders
    assert list(orders_for(city.sam)) == [east]
    assert list(orders_for(city.tom)) == [west]
    assert order_for(city.sam, east.pk) == east
    with pytest.raises(Http404):
        order_for(city.sam, west.pk)


def test_a_unit_manager_sees_the_orders_of_their_unit_and_its_teams(city, two_orders):
    east, west = two_orders
    assert list(orders_for(city.unit_manager)) == [east]
    head = make_user("hal", Role.UNIT_MANAGER, city.group)
    assert set(orders_for(head)) == {east, west}


@pytest.mark.parametrize(
    "who", ["agent", "dispatcher", "manager", "admin", "inspector", "engineer", "supervisor"]
)
def test_the_desk_and_management_roles_see_every_order(city, two_orders, who):
    assert set(orders_for(getattr(city, who))) == set(two_orders)


def test_a_specialist_log_in_without_a_specialist_profile_sees_nothing(city, two_orders):
    stray = make_user("stan", Role.SPECIALIST, city.east)
    assert list(orders_for(stray)) == []


def test_a_missing_order_and_another_grids_order_both_answer_404(client, city, two_orders):
    east, west = two_orders
    client.force_login(city.sam)
    assert client.get(f"/desk/orders/{east.pk}/").status_code == 200
    assert client.get(f"/desk/orders/{west.pk}/").status_code == 404
    assert client.get("/desk/orders/999999/").status_code == 404
    client.force_login(city.unit_manager)
    assert client.get(f"/desk/orders/{west.pk}/").status_code == 404


def test_the_order_list_shows_a_specialist_only_their_grids_orders(client, city, two_orders):
    east, west = two_orders
    client.force_login(city.sam)
    page = client.get("/desk/orders/").content.decode()
    assert east.number in page
    assert west.number not in page


MAY = [
    # (who, action, on the east order?, expected)
    ("sam", Action.ACCEPT, True, True),
    ("sam", Action.RESOLVE, True, True),
    ("sam", Action.DISPATCH, True, False),
    ("sam", Action.CALLBACK, True, False),
    ("sam", Action.SUPERVISE, True, False),
    ("tom", Action.ACCEPT, True, False),
    ("agent", Action.EXTRA_CALL, True, True),
    ("agent", Action.CALLBACK, True, True),
    ("agent", Action.ACCEPT, True, False),
    ("agent", Action.DISPATCH, True, False),
    ("dispatcher", Action.DISPATCH, True, True),
    ("dispatcher", Action.TRANSFER, True, True),
    ("dispatcher", Action.APPROVE_EXTENSION, True, True),
    ("dispatcher", Action.CANCEL, True, True),
    ("unit_manager", Action.ACCEPT, True, True),
    ("unit_manager", Action.TRANSFER, True, True),
    ("unit_manager", Action.REMIND, True, True),
    ("unit_manager", Action.REMIND, False, False),
    ("unit_manager", Action.DISPATCH, True, False),
    ("manager", Action.SUPERVISE, True, True),
    ("manager", Action.ACCEPT, True, False),
    ("supervisor", Action.REMIND, True, False),
    ("inspector", Action.CALLBACK, True, False),
    ("engineer", Action.ACCEPT, True, False),
    ("admin", Action.CANCEL, False, True),
]


@pytest.mark.parametrize(("who", "action", "east", "expected"), MAY)
def test_who_may_take_which_action(city, two_orders, who, action, east, expected):
    order = two_orders[0 if east else 1]
    assert may(getattr(city, who), action, order) is expected


def test_the_grids_deputy_may_work_its_orders(city, two_orders):
    city.grid_east.deputy = city.tom.specialist
    city.grid_east.save(update_fields=["deputy"])
    east = WorkOrder.objects.get(pk=two_orders[0].pk)
    assert may(city.tom, Action.ACCEPT, east)
    assert east in orders_for(city.tom)


FORBIDDEN_PAGES = [
    ("sam", "/desk/board/"),
    ("sam", "/desk/intake/"),
    ("sam", "/desk/callbacks/"),
    ("sam", "/desk/kpis/"),
    ("agent", "/desk/board/"),
    ("agent", "/org/access-log/"),
    ("agent", "/org/access-log/export.xlsx"),
    ("agent", "/desk/mine/"),
    ("dispatcher", "/org/admin-home/"),
    ("dispatcher", "/org/access-log/"),
    ("supervisor", "/desk/intake/"),
    ("inspector", "/desk/board/"),
    ("engineer", "/desk/callbacks/"),
    ("unit_manager", "/desk/intake/"),
    ("manager", "/desk/intake/"),
]


@pytest.mark.parametrize(("who", "url"), FORBIDDEN_PAGES)
def test_pages_of_other_roles_answer_403(client, city, who, url):
    client.force_login(getattr(city, who))
    assert client.get(url).status_code == 403


def test_a_visitor_who_is_not_logged_in_is_sent_to_the_login_page(client, city, two_orders):
    for url in ("/desk/board/", f"/desk/orders/{two_orders[0].pk}/", "/org/access-log/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/")


def snapshot(order: WorkOrder) -> tuple:
    row = WorkOrder.objects.filter(pk=order.pk).values().get()
    return row, OrderEvent.objects.filter(order=order).count()


@pytest.mark.parametrize(
    ("who", "action", "data"),
    [
        ("sam", "dispatch", {"dispatch-specialist": "TOM", "dispatch-note": "我自己改派"}),
        ("sam", "cancel", {"cancel-note": "不想做"}),
        ("agent", "accept", {}),
        ("supervisor", "remind", {"remind-note": "快点"}),
        ("inspector", "transfer", {"transfer-specialist": "TOM"}),
    ],
)
def test_posting_an_action_one_may_not_take_is_refused_and_changes_nothing(
    client, city, two_orders, who, action, data
):
    order = two_orders[0]
    data = {k: (city.tom.specialist.pk if v == "TOM" else v) for k, v in data.items()}
    before = snapshot(order)
    client.force_login(getattr(city, who))
    response = client.post(
        f"/desk/orders/{order.pk}/do/{action}/",
        {**data, "version": order.version},
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )
    assert response.status_code == 200
    assert "You may not do that with this order." in response.content.decode()
    assert snapshot(order) == before


def test_posting_an_action_on_another_grids_order_answers_404_and_changes_nothing(
    client, city, two_orders
):
    west = two_orders[1]
    before = snapshot(west)
    client.force_login(city.sam)
    response = client.post(f"/desk/orders/{west.pk}/do/accept/", {"version": west.version})
    assert response.status_code == 404
    assert snapshot(west) == before


def test_the_order_page_offers_only_the_actions_the_user_may_take(client, city, two_orders):
    order = two_orders[0]
    client.force_login(city.sam)
    page = client.get(f"/desk/orders/{order.pk}/").content.decode()
    assert 'id="do-accept"' in page
    assert 'id="do-dispatch"' not in page
    assert 'id="do-transfer"' not in page
    client.force_login(city.dispatcher)
    page = client.get(f"/desk/orders/{order.pk}/").content.decode()
    assert 'id="do-transfer"' in page
    assert 'id="do-cancel"' in page


def test_an_order_transferred_away_leaves_the_specialists_work_list(client, city, two_orders):
    order = two_orders[0]
    actions.do_transfer(order, city.dispatcher, city.tom.specialist, city.west, "西城支援")
    client.force_login(city.sam)
    page = client.get("/desk/mine/").content.decode()
    assert order.number not in page
    client.force_login(city.tom)
    page = client.get("/desk/mine/").content.decode()
    assert f'id="accept-{order.number}"' in page
    assert WorkOrder.objects.get(pk=order.pk).state == State.DISPATCHED


def test_nobody_may_reveal_personal_data_of_an_order_they_cannot_see(client, city, two_orders):
    west = two_orders[1]
    client.force_login(city.sam)
    response = client.post(
        "/desk/reveal/",
        {"subject": f"order:{west.pk}", "reason": "好奇", "next": "/desk/mine/"},
    )
    assert response.status_code == 403
    client.force_login(city.inspector)
    response = client.post("/desk/reveal/", {"subject": f"order:{west.pk}", "reason": "抽查"})
    assert response.status_code == 403
    assert not AccessLog.objects.exists()


def test_a_specialist_log_in_without_a_profile_gets_an_empty_work_list(client, city, two_orders):
    client.force_login(make_user("stan", Role.SPECIALIST, city.east))
    response = client.get("/desk/mine/")
    assert response.status_code == 200
    assert two_orders[0].number not in response.content.decode()
    assert client.get(f"/desk/orders/{two_orders[0].pk}/").status_code == 404
