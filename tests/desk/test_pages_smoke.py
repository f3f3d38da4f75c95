import pytest

from mains.desk.models import WorkOrder

PAGES = {
    "agent": ["/desk/intake/", "/desk/orders/", "/desk/callbacks/", "/areas/communities/"],
    "dispatcher": ["/desk/board/", "/desk/intake/", "/desk/orders/", "/desk/callbacks/"],
    "sam": ["/desk/mine/", "/areas/mine/"],
    "unit_manager": ["/desk/board/", "/desk/orders/"],
    "manager": ["/desk/kpis/", "/desk/board/"],
    "admin": ["/org/admin-home/", "/org/access-log/", "/admin/"],
}


@pytest.mark.parametrize("who", sorted(PAGES))
def test_each_role_opens_its_pages(client, city, new_order, who):
    new_order()
    client.force_login(getattr(city, who))
    for url in PAGES[who]:
        response = client.get(url)
        assert response.status_code == 200, url


def test_each_role_lands_on_its_home_page(client, city):
    expected = {
        "agent": "/desk/intake/",
        "dispatcher": "/desk/board/",
        "sam": "/desk/mine/",
        "unit_manager": "/desk/board/",
        "manager": "/desk/kpis/",
        "admin": "/org/admin-home/",
        "supervisor": "/supervision/mine/",
        "inspector": "/desk/orders/",
        "engineer": "/telemetry/alarms/",
    }
    for who, url in expected.items():
        client.force_login(getattr(city, who))
        assert client.get("/").url == url, who


def test_the_order_page_shows_history(client, city, new_order):
    order = new_order()
    client.force_login(city.dispatcher)
    response = client.get(f"/desk/orders/{order.pk}/")
    assert response.status_code == 200
    assert order.number in response.content.decode()
    assert WorkOrder.objects.get(pk=order.pk).events.count() == 2
